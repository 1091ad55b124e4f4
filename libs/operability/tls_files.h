#pragma once

// Where an HTTPS server (http_server.h) finds its identity, and how patient
// it is with a client's TLS handshake.

#include <string>

#include "absl/time/time.h"

namespace pmo::operability {

struct TlsFiles {
  std::string certificate_file;  // PEM chain, the server's certificate first
  std::string private_key_file;  // PEM
  // How often the files are checked for a change; zero: at every connection.
  absl::Duration refresh = absl::Seconds(60);
  // A handshake not finished by then (a stalled or silent client) closes
  // that connection. The request deadline (HttpLimits) bounds it too.
  absl::Duration handshake_timeout = absl::Seconds(10);
};

}  // namespace pmo::operability
