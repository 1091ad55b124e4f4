#include "libs/operability/tls_acceptor.h"

#include <fcntl.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <poll.h>
#include <sys/stat.h>

#include <algorithm>
#include <climits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "libs/base/log_line.h"
#include "libs/base/status_macros.h"

namespace pmo::operability {
namespace {

// OpenSSL's reasons for the last failure on this thread, the root cause
// first ("no start line; PEM lib"), leaving the queue clean for the next
// call.
std::string OpenSslReason() {
  std::string reasons;
  while (const unsigned long error = ERR_get_error()) {
    const char* text = ERR_reason_error_string(error);
    char buffer[256];
    if (text == nullptr) {
      ERR_error_string_n(error, buffer, sizeof buffer);
      text = buffer;
    }
    if (reasons.find(text) == std::string::npos) {
      absl::StrAppend(&reasons, reasons.empty() ? "" : "; ", text);
    }
  }
  return reasons.empty() ? "no further detail" : reasons;
}

// True when the last failure was a private key not belonging to the
// certificate.
bool KeyMismatch() {
  const unsigned long error = ERR_peek_last_error();
  return ERR_GET_LIB(error) == ERR_LIB_X509 &&
         ERR_GET_REASON(error) == X509_R_KEY_VALUES_MISMATCH;
}

struct ContextFree {
  void operator()(SSL_CTX* context) const { SSL_CTX_free(context); }
};
using Context = std::unique_ptr<SSL_CTX, ContextFree>;

absl::StatusOr<Context> LoadContext(const TlsFiles& files) {
  if (files.certificate_file.empty() || files.private_key_file.empty()) {
    return absl::InvalidArgumentError(
        "TLS needs both a certificate chain file and a private key file");
  }
  ERR_clear_error();
  Context context(SSL_CTX_new(TLS_server_method()));
  if (context == nullptr) {
    return absl::InternalError(
        absl::StrCat("cannot make a TLS context: ", OpenSslReason()));
  }
  SSL_CTX_set_min_proto_version(context.get(), TLS1_2_VERSION);
  if (SSL_CTX_use_certificate_chain_file(context.get(),
                                         files.certificate_file.c_str()) != 1) {
    return absl::InvalidArgumentError(absl::StrCat("TLS certificate chain \"",
                                                   files.certificate_file,
                                                   "\": ", OpenSslReason()));
  }
  if (SSL_CTX_use_PrivateKey_file(context.get(), files.private_key_file.c_str(),
                                  SSL_FILETYPE_PEM) != 1 ||
      SSL_CTX_check_private_key(context.get()) != 1) {
    if (KeyMismatch()) {
      ERR_clear_error();
      return absl::InvalidArgumentError(
          absl::StrCat("TLS private key \"", files.private_key_file,
                       "\" does not match the certificate in \"",
                       files.certificate_file, "\""));
    }
    return absl::InvalidArgumentError(absl::StrCat(
        "TLS private key \"", files.private_key_file, "\": ", OpenSslReason()));
  }
  return context;
}

// One TLS session over a non-blocking socket. Every OpenSSL call that
// would block instead says what it waits for (WANT_READ, WANT_WRITE); we
// poll for that until the deadline, then call again.
class TlsStream final : public ByteStream {
 public:
  TlsStream(SSL* ssl, int fd) : ssl_(ssl), fd_(fd) {}
  ~TlsStream() override {
    // close_notify, once, without waiting for the client's; not allowed
    // after a fatal error.
    if (!broken_) {
      ERR_clear_error();
      SSL_shutdown(ssl_);
    }
    ERR_clear_error();
    SSL_free(ssl_);
  }

  // Runs the handshake; the reason it failed, or empty.
  std::string Handshake(absl::Time deadline) {
    for (;;) {
      ERR_clear_error();
      const int result = SSL_accept(ssl_);
      if (result == 1) return "";
      if (!Wait(result, deadline)) {
        return timed_out_ ? "timed out" : OpenSslReason();
      }
    }
  }

  ssize_t Receive(char* buffer, size_t size, absl::Time deadline) override {
    for (;;) {
      ERR_clear_error();
      const int n = SSL_read(ssl_, buffer,
                             static_cast<int>(std::min<size_t>(size, INT_MAX)));
      if (n > 0) return n;
      if (SSL_get_error(ssl_, n) == SSL_ERROR_ZERO_RETURN)
        return 0;  // close_notify
      if (!Wait(n, deadline)) return -1;
    }
  }

  ssize_t Send(const char* data, size_t size, absl::Time deadline) override {
    for (;;) {
      ERR_clear_error();
      // After a WANT_WRITE OpenSSL wants the same buffer again, which the
      // loop gives it.
      const int n = SSL_write(
          ssl_, data, static_cast<int>(std::min<size_t>(size, INT_MAX)));
      if (n > 0) return n;
      if (!Wait(n, deadline)) return -1;
    }
  }

 private:
  // After an OpenSSL call returned `result` <= 0: true once the socket is
  // ready for what it asked for; false for a real failure or the deadline.
  bool Wait(int result, absl::Time deadline) {
    const int error = SSL_get_error(ssl_, result);
    if (error == SSL_ERROR_SYSCALL || error == SSL_ERROR_SSL) broken_ = true;
    const short events = error == SSL_ERROR_WANT_READ    ? POLLIN
                         : error == SSL_ERROR_WANT_WRITE ? POLLOUT
                                                         : 0;
    if (events == 0) return false;
    const absl::Duration left = deadline - absl::Now();
    // Rounded up: a wait that times out ends at or after the deadline.
    const int64_t ms =
        absl::ToInt64Milliseconds(absl::Ceil(left, absl::Milliseconds(1)));
    pollfd p{fd_, events, 0};
    if (left <= absl::ZeroDuration() ||
        poll(&p, 1, static_cast<int>(std::min<int64_t>(ms, INT_MAX))) == 0) {
      timed_out_ = true;
      return false;
    }
    return true;
  }

  SSL* const ssl_;  // owned
  const int fd_;    // the caller's
  bool broken_ = false;
  bool timed_out_ = false;
};

}  // namespace

absl::StatusOr<std::unique_ptr<TlsAcceptor>> TlsAcceptor::Load(
    const TlsFiles& files) {
  std::unique_ptr<TlsAcceptor> acceptor(new TlsAcceptor(files));
  // Taken before reading: a change while we read is picked up next time.
  const std::string seen = acceptor->Fingerprint();
  ASSIGN_OR_RETURN(Context context, LoadContext(files));
  absl::MutexLock lock(&acceptor->mu_);
  acceptor->last_seen_ = seen;
  acceptor->context_ = context.release();
  acceptor->last_checked_ = absl::Now();
  return acceptor;
}

TlsAcceptor::~TlsAcceptor() {
  absl::MutexLock lock(&mu_);
  SSL_CTX_free(context_);
}

std::string TlsAcceptor::Fingerprint() const {
  std::string out;
  for (const std::string* file :
       {&files_.certificate_file, &files_.private_key_file}) {
    struct stat info;
    if (stat(file->c_str(), &info) != 0) return "";
    // The inode too: a renewal written beside and renamed over the old file
    // (as Kubernetes swaps a Secret's files) is seen even within one tick
    // of the file system's clock.
    absl::StrAppend(&out, info.st_ino, "@", info.st_mtim.tv_sec, ".",
                    info.st_mtim.tv_nsec, ":", info.st_size, ";");
  }
  return out;
}

void TlsAcceptor::FollowFiles() {
  const absl::Time now = absl::Now();
  if (now - last_checked_ < files_.refresh) return;
  last_checked_ = now;
  const std::string seen = Fingerprint();
  if (seen.empty() || seen == last_seen_) return;
  // Remembered even when unusable: a half-written pair is tried again when
  // it changes once more, not at every connection.
  last_seen_ = seen;
  absl::StatusOr<Context> renewed = LoadContext(files_);
  if (!renewed.ok()) {
    LogLine("warning", "tls_files_unusable",
            {{"certificate_file", files_.certificate_file},
             {"private_key_file", files_.private_key_file},
             {"error", std::string(renewed.status().message())},
             {"kept", "the previous certificate"}});
    return;
  }
  // Sessions made from the old context hold a reference to it: it goes
  // when the last of them does.
  SSL_CTX_free(context_);
  context_ = renewed->release();
  LogLine("info", "tls_certificate_renewed",
          {{"certificate_file", files_.certificate_file}});
}

std::unique_ptr<ByteStream> TlsAcceptor::Accept(int fd, absl::Time deadline) {
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  SSL* ssl = nullptr;
  {
    absl::MutexLock lock(&mu_);
    FollowFiles();
    ERR_clear_error();
    ssl = SSL_new(context_);
  }
  if (ssl == nullptr) {
    LogLine("error", "tls_handshake_failed", {{"error", OpenSslReason()}});
    return nullptr;
  }
  auto stream = std::make_unique<TlsStream>(ssl, fd);
  SSL_set_fd(ssl, fd);
  const std::string failure = stream->Handshake(deadline);
  if (!failure.empty()) {
    // Plain HTTP on this port, a client that does not trust us, a scanner:
    // worth a line, never worth stopping for.
    LogLine("warning", "tls_handshake_failed", {{"error", failure}});
    return nullptr;
  }
  return stream;
}

}  // namespace pmo::operability
