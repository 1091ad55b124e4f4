#include "services/reporting/app/webhook_client.h"

#include <netdb.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <fcntl.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"

namespace pmo::reporting {
namespace {

struct ParsedUrl {
  std::string host;
  std::string port = "80";
  std::string path = "/";
};

bool ParseHttpUrl(const std::string& url, ParsedUrl* out) {
  if (!absl::StartsWith(url, "http://")) return false;
  std::string rest = url.substr(7);
  const size_t slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  if (slash != std::string::npos) out->path = rest.substr(slash);
  // Userinfo is not supported (it would put credentials in a logged URL).
  if (authority.empty() || authority.find('@') != std::string::npos) return false;
  const size_t colon = authority.rfind(':');
  if (colon != std::string::npos && authority.find(']') == std::string::npos) {
    out->port = authority.substr(colon + 1);
    authority = authority.substr(0, colon);
  }
  out->host = authority;
  return !out->host.empty() && !out->port.empty();
}

// Waits until `fd` is ready for `events` or `deadline` passes.
bool WaitFor(int fd, short events, absl::Time deadline) {
  while (true) {
    const int64_t ms = absl::ToInt64Milliseconds(deadline - absl::Now());
    if (ms <= 0) return false;
    pollfd p{fd, events, 0};
    const int r = poll(&p, 1, static_cast<int>(ms));
    if (r > 0) return true;
    if (r == 0) return false;
    if (errno != EINTR) return false;
  }
}

class Socket {
 public:
  explicit Socket(int fd) : fd_(fd) {}
  ~Socket() {
    if (fd_ >= 0) close(fd_);
  }
  int fd() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

std::string WebhookSignature(const std::string& secret, const std::string& timestamp,
                             const std::string& body) {
  const std::string message = absl::StrCat(timestamp, ".", body);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &length);
  std::string out = "sha256=";
  for (unsigned int i = 0; i < length; ++i) absl::StrAppendFormat(&out, "%02x", mac[i]);
  return out;
}

AttemptOutcome HttpWebhookSender::Post(const WebhookRequest& request) {
  ParsedUrl url;
  if (!ParseHttpUrl(request.url, &url)) return {0, "not an http:// URL"};
  const absl::Time deadline = absl::Now() + timeout_;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (getaddrinfo(url.host.c_str(), url.port.c_str(), &hints, &found) != 0 || found == nullptr) {
    return {0, "host not found"};
  }
  std::unique_ptr<addrinfo, void (*)(addrinfo*)> addresses(found, freeaddrinfo);
  Socket socket(::socket(found->ai_family, found->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                         found->ai_protocol));
  if (socket.fd() < 0) return {0, "no socket"};
  if (connect(socket.fd(), found->ai_addr, found->ai_addrlen) != 0) {
    if (errno != EINPROGRESS || !WaitFor(socket.fd(), POLLOUT, deadline)) {
      return {0, "connect failed or timed out"};
    }
    int error = 0;
    socklen_t len = sizeof(error);
    getsockopt(socket.fd(), SOL_SOCKET, SO_ERROR, &error, &len);
    if (error != 0) return {0, absl::StrCat("connect: ", std::strerror(error))};
  }
  std::string wire = absl::StrCat("POST ", url.path, " HTTP/1.1\r\nHost: ", url.host, ":",
                                  url.port, "\r\nContent-Type: ", request.content_type,
                                  "\r\nContent-Length: ", request.body.size(),
                                  "\r\nConnection: close\r\nUser-Agent: pmo-reporting\r\n");
  for (const auto& [name, value] : request.headers) absl::StrAppend(&wire, name, ": ", value, "\r\n");
  absl::StrAppend(&wire, "\r\n", request.body);
  size_t sent = 0;
  while (sent < wire.size()) {
    const ssize_t n = send(socket.fd(), wire.data() + sent, wire.size() - sent, MSG_NOSIGNAL);
    if (n > 0) {
      sent += static_cast<size_t>(n);
    } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
      if (!WaitFor(socket.fd(), POLLOUT, deadline)) return {0, "send timed out"};
    } else {
      return {0, "send failed"};
    }
  }
  // Only the status line matters: "HTTP/1.1 204 No Content".
  std::string answer;
  char buffer[1024];
  while (answer.find("\r\n") == std::string::npos && answer.size() < 8192) {
    if (!WaitFor(socket.fd(), POLLIN, deadline)) return {0, "no answer in time"};
    const ssize_t n = recv(socket.fd(), buffer, sizeof(buffer), 0);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) continue;
      return {0, "receive failed"};
    }
    answer.append(buffer, static_cast<size_t>(n));
  }
  const std::vector<std::string> parts =
      absl::StrSplit(answer.substr(0, answer.find("\r\n")), absl::MaxSplits(' ', 2));
  int status = 0;
  if (parts.size() < 2 || !absl::StartsWith(parts[0], "HTTP/1.") ||
      !absl::SimpleAtoi(parts[1], &status)) {
    return {0, "not an HTTP answer"};
  }
  if (status >= 200 && status < 300) return {status, ""};
  return {status, absl::StrCat("HTTP ", status)};
}

}  // namespace pmo::reporting
