#pragma once

// One accepted connection as HttpServer reads and writes it: the socket
// itself (plain HTTP) or a TLS session over it (tls_acceptor.h), so the
// request parsing does not care which.

#include <cstddef>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace pmo::operability {

class ByteStream {
 public:
  virtual ~ByteStream() = default;
  // Waits up to `timeout` for bytes and puts up to `size` of them in
  // `buffer`; 0 when the peer closed, the wait ran out or the connection
  // failed.
  virtual size_t Receive(char* buffer, size_t size, absl::Duration timeout) = 0;
  // Sends `data`; gives up silently when the peer goes away (the answer is
  // the last thing on the connection, so nobody is left to tell).
  virtual void SendAll(absl::string_view data) = 0;
};

}  // namespace pmo::operability
