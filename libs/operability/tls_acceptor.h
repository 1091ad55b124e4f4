#pragma once

// The TLS side of HttpServer's HTTPS mode: the server's certificate chain
// and key from PEM files, followed as they are renewed, and the handshake
// of each accepted connection. HTTP itself (parsing, answering) is
// cpp-httplib's, over the stream Accept() returns (http_server.cc).
//
//   ASSIGN_OR_RETURN(auto tls, TlsAcceptor::Load({cert_file, key_file}));
//   std::unique_ptr<ByteStream> stream = tls->Accept(fd, deadline);  // null:
//   no TLS
//
// Like gRPC's FileWatcherCertificateProvider (which the gRPC port of the
// same process uses on the same files), the files are checked for a change
// (inode, modification time and size) at most every `refresh`: here lazily,
// when a connection arrives, so no thread is needed. A changed pair that does
// not load (half written, key not matching) leaves the previous one in
// use and says so on stderr; it is tried again at the next change.
//
// Thread-safe: connections are accepted by several threads at once. A
// renewal swaps the TLS context under a lock; sessions already made keep
// a reference to the one they started with.

#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "libs/operability/byte_stream.h"
#include "libs/operability/tls_files.h"

typedef struct ssl_ctx_st SSL_CTX;

namespace pmo::operability {

class TlsAcceptor {
 public:
  // INVALID_ARGUMENT naming the file when the pair cannot be loaded. Only
  // TLS 1.2 and newer are offered; no client certificate is asked for.
  static absl::StatusOr<std::unique_ptr<TlsAcceptor>> Load(
      const TlsFiles& files);
  ~TlsAcceptor();
  TlsAcceptor(const TlsAcceptor&) = delete;
  TlsAcceptor& operator=(const TlsAcceptor&) = delete;

  // Runs the server side of the handshake on the accepted socket `fd`
  // (made non-blocking here; the caller still owns and closes it) until
  // `deadline` at the latest. Null when the handshake fails or times out:
  // the client spoke plain HTTP, does not trust the certificate, offered
  // only TLS 1.1 or older, or stalled.
  std::unique_ptr<ByteStream> Accept(int fd, absl::Time deadline);

 private:
  explicit TlsAcceptor(TlsFiles files) : files_(std::move(files)) {}
  // Loads a new context from the files when they changed and `refresh`
  // has passed since the last look.
  void FollowFiles() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Inode, mtime and size of both files; empty when one cannot be read.
  std::string Fingerprint() const;

  const TlsFiles files_;
  absl::Mutex mu_;
  SSL_CTX* context_ ABSL_GUARDED_BY(mu_) = nullptr;  // owned
  std::string last_seen_ ABSL_GUARDED_BY(mu_);
  absl::Time last_checked_ ABSL_GUARDED_BY(mu_);
};

}  // namespace pmo::operability
