#pragma once

// The tests' HTTP client: one request to 127.0.0.1 with libcurl, plain or
// HTTPS (trusting the given CA only), for tests of the HTTP endpoints
// (/metrics, the reporting dashboard).
//
//   HttpsAnswer page = HttpsGet(port, "/risks", pki.ca_cert,
//                               {"Authorization: Bearer " + token});
//   EXPECT_EQ(page.status, 200) << page.error;
//
// Requests a well-behaved client would not send (malformed, trickled,
// oversized) go through testing/http_exchange.h's raw socket instead.

#include <string>
#include <vector>

namespace pmo::testing {

struct HttpsAnswer {
  int status = 0;    // the HTTP status; 0 when no HTTP answer came
  std::string head;  // the status line and headers, "\r\n" between lines
  std::string body;
  std::string error;  // why, when status is 0 (refused, TLS failed...)
};
using HttpAnswer = HttpsAnswer;

// `method` (GET, HEAD, POST without a body...) http://127.0.0.1:<port><target>
// with `headers` ("Name: value"). The target is sent as given (no dot
// segments removed). Gives up after 30 s.
HttpAnswer HttpGet(int port, const std::string& target,
                   const std::vector<std::string>& headers = {},
                   const std::string& method = "GET");

// GET https://127.0.0.1:<port><path> with `headers` ("Name: value"),
// verifying the server's certificate against `ca_file` and the name
// 127.0.0.1. Gives up after 30 s.
HttpsAnswer HttpsGet(int port, const std::string& path,
                     const std::string& ca_file,
                     const std::vector<std::string>& headers = {});

}  // namespace pmo::testing
