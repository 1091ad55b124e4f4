#pragma once

// The TLS side of HttpServer's HTTPS mode: the server's certificate chain
// and key from PEM files, followed as they are renewed, and the handshake
// of each accepted connection.
//
//   ASSIGN_OR_RETURN(auto tls, TlsAcceptor::Load({cert_file, key_file}));
//   std::unique_ptr<ByteStream> stream = tls->Accept(fd);  // null: no TLS
//
// Like gRPC's FileWatcherCertificateProvider (which the gRPC port of the
// same process uses on the same files), the files are checked for a change
// (inode, modification time and size) at most every `refresh`: here lazily, when
// a connection arrives, so no thread is needed. A changed pair that does
// not load (half written, key not matching) leaves the previous one in
// use and says so on stderr; it is tried again at the next change.
//
// Not thread-safe: made for HttpServer's one serving thread.

#include <openssl/ssl.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/operability/byte_stream.h"

namespace pmo::operability {

// Where an HTTPS server finds its identity, and how patient it is.
struct TlsFiles {
  std::string certificate_file;  // PEM chain, the server's certificate first
  std::string private_key_file;  // PEM
  // How often the files are checked for a change; zero: at every connection.
  absl::Duration refresh = absl::Seconds(60);
  // A handshake not finished by then (a stalled or silent client) closes
  // the connection, so the next one is served.
  absl::Duration handshake_timeout = absl::Seconds(10);
};

class TlsAcceptor {
 public:
  // INVALID_ARGUMENT naming the file when the pair cannot be loaded.
  static absl::StatusOr<std::unique_ptr<TlsAcceptor>> Load(const TlsFiles& files);
  ~TlsAcceptor();
  TlsAcceptor(const TlsAcceptor&) = delete;
  TlsAcceptor& operator=(const TlsAcceptor&) = delete;

  // Runs the server side of the handshake on the accepted socket `fd`
  // (made non-blocking here; the caller still owns and closes it). Null
  // when the handshake fails or times out: the client spoke plain HTTP,
  // does not trust the certificate, offered only TLS 1.1 or older, or
  // stalled.
  std::unique_ptr<ByteStream> Accept(int fd);

 private:
  explicit TlsAcceptor(TlsFiles files) : files_(std::move(files)) {}
  // Loads a new context from the files when they changed and `refresh`
  // has passed since the last look.
  void FollowFiles();
  // Inode, mtime and size of both files; empty when one cannot be read.
  std::string Fingerprint() const;

  const TlsFiles files_;
  SSL_CTX* context_ = nullptr;  // owned
  std::string last_seen_;
  absl::Time last_checked_;
};

}  // namespace pmo::operability
