#include "services/reporting/testing/webhook_receiver.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"

namespace pmo::reporting::testing {

TlsFiles MakeSelfSignedCertificate(const std::string& dir) {
  TlsFiles files{dir + "/receiver.crt", dir + "/receiver.key"};
  const std::string command = absl::StrCat(
      "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 "
      "-addext subjectAltName=IP:127.0.0.1 -keyout ",
      files.key, " -out ", files.certificate, " >/dev/null 2>&1");
  if (std::system(command.c_str()) != 0) std::abort();
  return files;
}

WebhookReceiver::WebhookReceiver(std::vector<int> statuses) : statuses_(std::move(statuses)) {
  Listen();
}

WebhookReceiver::WebhookReceiver(std::vector<int> statuses, const TlsFiles& tls)
    : statuses_(std::move(statuses)) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  if (ctx == nullptr ||
      SSL_CTX_use_certificate_file(ctx, tls.certificate.c_str(), SSL_FILETYPE_PEM) != 1 ||
      SSL_CTX_use_PrivateKey_file(ctx, tls.key.c_str(), SSL_FILETYPE_PEM) != 1) {
    std::abort();
  }
  tls_ = ctx;
  Listen();
}

void WebhookReceiver::Listen() {
  listener_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      listen(listener_, 16) != 0) {
    std::abort();
  }
  socklen_t len = sizeof(addr);
  getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] { Serve(); });
}

WebhookReceiver::~WebhookReceiver() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  thread_.join();
  close(listener_);
  if (tls_ != nullptr) SSL_CTX_free(static_cast<SSL_CTX*>(tls_));
}

std::string WebhookReceiver::Url(const std::string& path) const {
  return absl::StrCat(tls_ != nullptr ? "https" : "http", "://127.0.0.1:", port_, path);
}

std::vector<ReceivedRequest> WebhookReceiver::requests() const {
  absl::MutexLock lock(&mu_);
  return requests_;
}

bool WebhookReceiver::WaitForRequests(size_t n, absl::Duration timeout) const {
  absl::MutexLock lock(&mu_);
  auto enough = [this, n]() ABSL_SHARED_LOCKS_REQUIRED(mu_) { return requests_.size() >= n; };
  return mu_.AwaitWithTimeout(absl::Condition(&enough), timeout);
}

void WebhookReceiver::Serve() {
  size_t served = 0;
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) return;
    }
    pollfd p{listener_, POLLIN, 0};
    if (poll(&p, 1, 50) <= 0) continue;
    const int fd = accept(listener_, nullptr, nullptr);
    if (fd < 0) continue;
    SSL* ssl = nullptr;
    if (tls_ != nullptr) {
      ssl = SSL_new(static_cast<SSL_CTX*>(tls_));
      SSL_set_fd(ssl, fd);
      if (SSL_accept(ssl) != 1) {
        SSL_free(ssl);
        close(fd);
        continue;
      }
    }
    auto receive = [&](char* into, size_t size) -> ssize_t {
      return ssl != nullptr ? SSL_read(ssl, into, static_cast<int>(size)) : recv(fd, into, size, 0);
    };
    std::string data;
    char buffer[4096];
    size_t header_end = std::string::npos;
    size_t content_length = 0;
    ReceivedRequest request;
    while (true) {
      const ssize_t n = receive(buffer, sizeof(buffer));
      if (n <= 0) break;
      data.append(buffer, static_cast<size_t>(n));
      if (header_end == std::string::npos) {
        header_end = data.find("\r\n\r\n");
        if (header_end == std::string::npos) continue;
        std::vector<std::string> lines =
            absl::StrSplit(data.substr(0, header_end), "\r\n");
        std::vector<std::string> first = absl::StrSplit(lines[0], ' ');
        request.method = first.size() > 0 ? first[0] : "";
        request.path = first.size() > 1 ? first[1] : "";
        for (size_t i = 1; i < lines.size(); ++i) {
          const size_t colon = lines[i].find(':');
          if (colon == std::string::npos) continue;
          std::string name = absl::AsciiStrToLower(lines[i].substr(0, colon));
          std::string value(absl::StripAsciiWhitespace(lines[i].substr(colon + 1)));
          request.headers[name] = value;
        }
        (void)absl::SimpleAtoi(request.headers["content-length"], &content_length);
      }
      if (data.size() >= header_end + 4 + content_length) break;
    }
    if (header_end != std::string::npos) request.body = data.substr(header_end + 4, content_length);
    const int status = statuses_[std::min(served, statuses_.size() - 1)];
    ++served;
    {
      // Recorded before the answer: a client that has its answer finds its
      // request here.
      absl::MutexLock lock(&mu_);
      requests_.push_back(std::move(request));
    }
    const std::string answer =
        absl::StrFormat("HTTP/1.1 %d Test\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", status);
    if (ssl != nullptr) {
      SSL_write(ssl, answer.data(), static_cast<int>(answer.size()));
      SSL_shutdown(ssl);
      SSL_free(ssl);
    } else {
      (void)send(fd, answer.data(), answer.size(), MSG_NOSIGNAL);
    }
    close(fd);
  }
}

std::string HmacSha256Hex(const std::string& key, const std::string& message) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &length);
  std::string out;
  for (unsigned int i = 0; i < length; ++i) absl::StrAppendFormat(&out, "%02x", mac[i]);
  return out;
}

}  // namespace pmo::reporting::testing
