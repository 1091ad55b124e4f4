#pragma once

// One HTTPS GET to 127.0.0.1 with libcurl, trusting the given CA only, for
// tests of a server speaking TLS (the reporting dashboard with
// --tls_cert_file).
//
//   HttpsAnswer page = HttpsGet(port, "/risks", pki.ca_cert,
//                               {"Authorization: Bearer " + token});
//   EXPECT_EQ(page.status, 200) << page.error;

#include <string>
#include <vector>

namespace pmo::testing {

struct HttpsAnswer {
  int status = 0;     // the HTTP status; 0 when no HTTP answer came
  std::string body;
  std::string error;  // why, when status is 0 (refused, TLS failed...)
};

// GET https://127.0.0.1:<port><path> with `headers` ("Name: value"),
// verifying the server's certificate against `ca_file` and the name
// 127.0.0.1. Gives up after 30 s.
HttpsAnswer HttpsGet(int port, const std::string& path, const std::string& ca_file,
                     const std::vector<std::string>& headers = {});

}  // namespace pmo::testing
