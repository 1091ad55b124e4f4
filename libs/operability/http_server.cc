#include "libs/operability/http_server.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace pmo::operability {
namespace {

// A browser sends a few hundred bytes of headers (a bearer token adds a
// few KiB); anything past this is not a request for us.
constexpr size_t kMaxRequest = 16384;
constexpr absl::Duration kIoTimeout = absl::Seconds(2);

// Plain HTTP: the accepted socket itself.
class SocketStream final : public ByteStream {
 public:
  explicit SocketStream(int fd) : fd_(fd) {}
  size_t Receive(char* buffer, size_t size, absl::Duration timeout) override {
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(absl::ToInt64Milliseconds(timeout))) <= 0) return 0;
    const ssize_t n = recv(fd_, buffer, size, 0);
    return n > 0 ? static_cast<size_t>(n) : 0;
  }
  void SendAll(absl::string_view data) override {
    size_t sent = 0;
    while (sent < data.size()) {
      const ssize_t n = send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return;
      sent += static_cast<size_t>(n);
    }
  }

 private:
  const int fd_;
};

std::string Serialise(const HttpResponse& r, bool with_body) {
  std::string out = absl::StrCat("HTTP/1.1 ", HttpStatusLine(r.status),
                                 "\r\nContent-Type: ", r.content_type,
                                 "\r\nContent-Length: ", r.body.size(), "\r\n");
  for (const auto& [name, value] : r.headers) absl::StrAppend(&out, name, ": ", value, "\r\n");
  absl::StrAppend(&out, "Connection: close\r\n\r\n");
  if (with_body) out += r.body;
  return out;
}

HttpResponse Plain(int status, std::string body) {
  return HttpResponse{status, "text/plain; charset=utf-8", std::move(body), {}};
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

const std::string* HttpRequest::Query(const std::string& name) const {
  for (const auto& [n, v] : query) {
    if (n == name) return &v;
  }
  return nullptr;
}

std::string HttpRequest::Header(const std::string& lower_case_name) const {
  auto it = headers.find(lower_case_name);
  return it == headers.end() ? "" : it->second;
}

std::string HttpStatusLine(int status) {
  switch (status) {
    case 200: return "200 OK";
    case 204: return "204 No Content";
    case 400: return "400 Bad Request";
    case 401: return "401 Unauthorized";
    case 403: return "403 Forbidden";
    case 404: return "404 Not Found";
    case 405: return "405 Method Not Allowed";
    case 503: return "503 Service Unavailable";
    default: return absl::StrCat(status, status < 500 ? " Client Error" : " Server Error");
  }
}

bool PercentDecode(const std::string& in, bool plus_is_space, std::string& out) {
  out.clear();
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '%') {
      const int hi = i + 1 < in.size() ? HexDigit(in[i + 1]) : -1;
      const int lo = i + 2 < in.size() ? HexDigit(in[i + 2]) : -1;
      if (hi < 0 || lo < 0) return false;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (plus_is_space && in[i] == '+') {
      out += ' ';
    } else {
      out += in[i];
    }
  }
  return true;
}

absl::StatusOr<std::unique_ptr<HttpServer>> HttpServer::Start(
    const std::string& listen, const std::string& setting, Handler handler,
    const std::optional<TlsFiles>& tls) {
  const size_t colon = listen.rfind(':');
  int port = -1;
  if (colon == std::string::npos || !absl::SimpleAtoi(listen.substr(colon + 1), &port) ||
      port < 0 || port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat(setting, ": \"", listen, "\" is not host:port"));
  }
  std::string host = listen.substr(0, colon);
  if (host.empty()) host = "0.0.0.0";
  addrinfo hints{};
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (getaddrinfo(host.c_str(), nullptr, &hints, &found) != 0 || found == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat(setting, ": cannot resolve host \"", host, "\""));
  }
  sockaddr_in address = *reinterpret_cast<sockaddr_in*>(found->ai_addr);
  freeaddrinfo(found);
  address.sin_port = htons(static_cast<uint16_t>(port));

  std::unique_ptr<HttpServer> server(new HttpServer());
  server->handler_ = std::move(handler);
  if (tls.has_value()) {
    absl::StatusOr<std::unique_ptr<TlsAcceptor>> acceptor = TlsAcceptor::Load(*tls);
    if (!acceptor.ok()) {
      return absl::Status(acceptor.status().code(),
                          absl::StrCat(setting, ": ", acceptor.status().message()));
    }
    server->tls_ = *std::move(acceptor);
  }
  server->listener_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int one = 1;
  setsockopt(server->listener_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind(server->listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(server->listener_, 16) != 0) {
    return absl::UnavailableError(
        absl::StrCat(setting, ": cannot listen on ", listen, ": ", std::strerror(errno)));
  }
  socklen_t length = sizeof address;
  getsockname(server->listener_, reinterpret_cast<sockaddr*>(&address), &length);
  server->port_ = ntohs(address.sin_port);
  server->thread_ = std::thread([s = server.get()] { s->Serve(); });
  return server;
}

HttpServer::~HttpServer() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
  if (listener_ >= 0) close(listener_);
}

void HttpServer::Serve() {
  // OpenSSL writes with plain send(): a client hanging up mid-answer would
  // raise SIGPIPE and end the process. Blocked in this thread, the write
  // fails with EPIPE instead.
  sigset_t pipe;
  sigemptyset(&pipe);
  sigaddset(&pipe, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
  while (!stopping_) {
    pollfd p{listener_, POLLIN, 0};
    // Wakes up now and then to notice a stop.
    if (poll(&p, 1, 200) <= 0) continue;
    const int connection = accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (connection < 0) continue;
    if (tls_ == nullptr) {
      SocketStream stream(connection);
      Answer(stream);
    } else if (std::unique_ptr<ByteStream> stream = tls_->Accept(connection)) {
      Answer(*stream);
    }  // else the handshake failed: nothing to answer
    close(connection);
  }
}

void HttpServer::Answer(ByteStream& connection) {
  std::string raw;
  char buffer[2048];
  while (raw.find("\r\n\r\n") == std::string::npos) {
    if (raw.size() >= kMaxRequest) {
      connection.SendAll(Serialise(Plain(400, "request headers too large\n"), true));
      return;
    }
    const size_t n = connection.Receive(buffer, sizeof buffer, kIoTimeout);
    if (n == 0) return;
    raw.append(buffer, n);
  }
  const std::vector<std::string> lines =
      absl::StrSplit(raw.substr(0, raw.find("\r\n\r\n")), "\r\n");
  const std::vector<std::string> parts = absl::StrSplit(lines[0], ' ');
  HttpRequest request;
  const bool line_ok = parts.size() == 3 && absl::StartsWith(parts[2], "HTTP/1.") &&
                       absl::StartsWith(parts[1], "/");
  const size_t question = line_ok ? parts[1].find('?') : std::string::npos;
  if (!line_ok || !PercentDecode(parts[1].substr(0, question), false, request.path)) {
    connection.SendAll(Serialise(Plain(400, "bad request\n"), true));
    return;
  }
  request.method = parts[0];
  if (question != std::string::npos) {
    for (absl::string_view pair : absl::StrSplit(parts[1].substr(question + 1), '&')) {
      if (pair.empty()) continue;
      const size_t eq = pair.find('=');
      std::string name, value;
      if (!PercentDecode(std::string(pair.substr(0, eq)), true, name) ||
          !PercentDecode(eq == absl::string_view::npos ? "" : std::string(pair.substr(eq + 1)),
                         true, value)) {
        connection.SendAll(
            Serialise(Plain(400, "bad request: broken %-escape in the query\n"), true));
        return;
      }
      request.query.emplace_back(std::move(name), std::move(value));
    }
  }
  for (size_t i = 1; i < lines.size(); ++i) {
    const size_t colon = lines[i].find(':');
    if (colon == std::string::npos) continue;
    request.headers[absl::AsciiStrToLower(lines[i].substr(0, colon))] =
        std::string(absl::StripAsciiWhitespace(lines[i].substr(colon + 1)));
  }
  const bool head = request.method == "HEAD";
  if (head) request.method = "GET";
  connection.SendAll(Serialise(handler_(request), !head));
}

}  // namespace pmo::operability
