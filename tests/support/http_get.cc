#include "tests/support/http_get.h"

#include "absl/strings/str_cat.h"
#include "libs/operability/testing/http_exchange.h"

namespace pmo::testing {

std::string HttpGet(int port, const std::string& path) {
  return HttpExchange(port, absl::StrCat("GET ", path, " HTTP/1.1\r\nHost: test\r\n\r\n"))
      .value_or("");
}

}  // namespace pmo::testing
