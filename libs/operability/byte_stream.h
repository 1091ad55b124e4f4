#pragma once

// One accepted connection as HttpServer reads and writes it: the socket
// itself (plain HTTP) or a TLS session over it (tls_acceptor.h). Every call
// waits at most until the deadline it is given, however the bytes trickle
// in: the caller decides how long a whole request or answer may take.

#include <sys/types.h>

#include <cstddef>

#include "absl/time/time.h"

namespace pmo::operability {

class ByteStream {
 public:
  virtual ~ByteStream() = default;
  // Puts up to `size` bytes in `buffer`, waiting until `deadline` for the
  // first: how many; 0 when the peer closed; -1 when the deadline passed or
  // the connection failed.
  virtual ssize_t Receive(char* buffer, size_t size, absl::Time deadline) = 0;
  // Sends some of `data`, waiting until `deadline` for room: how many
  // bytes; -1 when the deadline passed or the peer went away.
  virtual ssize_t Send(const char* data, size_t size, absl::Time deadline) = 0;
};

}  // namespace pmo::operability
