#pragma once

// A throwaway certificate authority for TLS tests, made with the openssl
// command (Debian's `openssl` package): a CA, a server certificate for
// 127.0.0.1 and localhost, and a client certificate, all PEM files in a
// folder the test owns.

#include <string>

#include "absl/status/statusor.h"

namespace pmo::testing {

struct TestPki {
  std::string ca_cert;      // CA certificate: trust anchor for both sides
  std::string server_cert;  // CN=pmo-server, SAN IP:127.0.0.1, DNS:localhost
  std::string server_key;
  std::string client_cert;  // CN=pmo-client, signed by the same CA
  std::string client_key;
};

// Writes <dir>/<prefix>ca.pem, ... ; INTERNAL with openssl's output if a
// command fails.
absl::StatusOr<TestPki> MakeTestPki(const std::string& dir,
                                    const std::string& prefix = "");

// Makes `path` hold `content` the way a careful renewal does (and
// Kubernetes updating a Secret): written beside it, then renamed over, so a
// server following the file never reads half of it.
void RenewFile(const std::string& path, const std::string& content);
// The same with the content of the file `from` (a TestPki's certificate).
void RenewFileFrom(const std::string& path, const std::string& from);

}  // namespace pmo::testing
