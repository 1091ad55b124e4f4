#include "tests/support/http_get.h"

// cpp-httplib's client, compiled with its pkg-config flags (CMakeLists.txt).
#include <httplib.h>

#include <chrono>

#include "absl/strings/str_cat.h"

namespace pmo::testing {

std::string HttpGet(int port, const std::string& path) {
  httplib::Client client("127.0.0.1", port);
  client.set_connection_timeout(std::chrono::seconds(5));
  client.set_read_timeout(std::chrono::seconds(30));
  const httplib::Result answer = client.Get(path);
  if (!answer) return "";
  // The answer as it came, for the tests' look at its status and text.
  std::string out = absl::StrCat(answer->version, " ", answer->status, " ",
                                 answer->reason, "\r\n");
  for (const auto& [name, value] : answer->headers)
    absl::StrAppend(&out, name, ": ", value, "\r\n");
  return absl::StrCat(out, "\r\n", answer->body);
}

}  // namespace pmo::testing
