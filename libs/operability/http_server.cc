#include "libs/operability/http_server.h"

// Debian's cpp-httplib is a compiled library (libcpp-httplib.so) built with
// OpenSSL, zlib and Brotli; its pkg-config file gives the same
// CPPHTTPLIB_*_SUPPORT definitions, which change the layout of its types.
#include <httplib.h>

#ifndef CPPHTTPLIB_OPENSSL_SUPPORT
#error \
    "compile with pkg-config cpp-httplib's flags: the library is built with OpenSSL support"
#endif

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <climits>
#include <cstring>
#include <set>
#include <thread>
#include <unordered_map>

#include "absl/base/thread_annotations.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "libs/base/log_line.h"
#include "libs/operability/byte_stream.h"
#include "libs/operability/tls_acceptor.h"

namespace pmo::operability {
namespace {

constexpr char kPlainText[] = "text/plain; charset=utf-8";
// What a connection may still send after its answer, drained so that
// closing it does not reset the answer away (see Linger).
constexpr size_t kLingerBytes = 65536;
constexpr absl::Duration kLinger = absl::Milliseconds(500);
// Refused connections are logged at most this often.
constexpr absl::Duration kRefusalLogInterval = absl::Seconds(10);

// Waits until `fd` is ready for `events` (POLLIN, POLLOUT): false once
// `deadline` passed first.
bool WaitFor(int fd, short events, absl::Time deadline) {
  for (;;) {
    const absl::Duration left = deadline - absl::Now();
    if (left <= absl::ZeroDuration()) return false;
    // Rounded up: a wait that times out ends at or after the deadline.
    const int64_t ms =
        absl::ToInt64Milliseconds(absl::Ceil(left, absl::Milliseconds(1)));
    pollfd p{fd, events, 0};
    const int n = poll(&p, 1, static_cast<int>(std::min<int64_t>(ms, INT_MAX)));
    if (n > 0) return true;
    if (n == 0 || errno != EINTR) return false;
  }
}

// Plain HTTP: the accepted socket itself.
class SocketStream final : public ByteStream {
 public:
  explicit SocketStream(int fd) : fd_(fd) {}
  ssize_t Receive(char* buffer, size_t size, absl::Time deadline) override {
    for (;;) {
      const ssize_t n = recv(fd_, buffer, size, MSG_DONTWAIT);
      if (n >= 0) return n;
      if (errno == EINTR) continue;
      if ((errno != EAGAIN && errno != EWOULDBLOCK) ||
          !WaitFor(fd_, POLLIN, deadline))
        return -1;
    }
  }
  ssize_t Send(const char* data, size_t size, absl::Time deadline) override {
    for (;;) {
      const ssize_t n = send(fd_, data, size, MSG_DONTWAIT | MSG_NOSIGNAL);
      if (n >= 0) return n;
      if (errno == EINTR) continue;
      if ((errno != EAGAIN && errno != EWOULDBLOCK) ||
          !WaitFor(fd_, POLLOUT, deadline))
        return -1;
    }
  }

 private:
  const int fd_;
};

// One connection as cpp-httplib reads its request and writes the answer:
// every read waits at most until the request's deadline, set when the
// connection arrived, so bytes trickling in do not push it back; the head
// may not pass its size limit; the answer has its own deadline from its
// first byte.
class ConnectionStream final : public httplib::Stream {
 public:
  ConnectionStream(ByteStream& bytes, int fd, const sockaddr_in& peer,
                   absl::Time request_deadline, const HttpLimits& limits)
      : bytes_(bytes),
        fd_(fd),
        peer_(peer),
        request_deadline_(request_deadline),
        max_request_(limits.max_request_head_bytes),
        response_time_(limits.response_deadline) {}

  bool is_readable() const override {
    return next_ < end_ || absl::Now() < request_deadline_;
  }
  bool is_writable() const override { return !write_failed_; }

  ssize_t read(char* out, size_t size) override {
    if (next_ == end_) {
      const size_t room = max_request_ - received_;
      if (room == 0) {
        too_large_ = true;
        return -1;
      }
      const ssize_t n = bytes_.Receive(buffer_, std::min(sizeof buffer_, room),
                                       request_deadline_);
      if (n <= 0) {
        timed_out_ = n < 0 && absl::Now() >= request_deadline_;
        return n;
      }
      received_ += static_cast<size_t>(n);
      next_ = 0;
      end_ = static_cast<size_t>(n);
    }
    const size_t n = std::min(size, end_ - next_);
    std::memcpy(out, buffer_ + next_, n);
    next_ += n;
    return static_cast<ssize_t>(n);
  }

  using httplib::Stream::write;
  ssize_t write(const char* data, size_t size) override {
    if (!answering_) {
      answering_ = true;
      response_deadline_ = absl::Now() + response_time_;
    }
    const ssize_t n = bytes_.Send(data, size, response_deadline_);
    if (n < 0) write_failed_ = true;
    return n;
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    ip = IpOf(peer_);
    port = ntohs(peer_.sin_port);
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    sockaddr_in local{};
    socklen_t length = sizeof local;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&local), &length);
    ip = IpOf(local);
    port = ntohs(local.sin_port);
  }
  socket_t socket() const override { return fd_; }

  // Why the request could not be read, if it could not.
  bool timed_out() const { return timed_out_; }
  bool too_large() const { return too_large_; }

  static std::string IpOf(const sockaddr_in& address) {
    char text[INET_ADDRSTRLEN] = "";
    inet_ntop(AF_INET, &address.sin_addr, text, sizeof text);
    return text;
  }

 private:
  ByteStream& bytes_;
  const int fd_;
  const sockaddr_in peer_;
  const absl::Time request_deadline_;
  const size_t max_request_;
  const absl::Duration response_time_;
  // cpp-httplib reads a request byte by byte: whole reads are kept here.
  char buffer_[4096];
  size_t next_ = 0;
  size_t end_ = 0;
  size_t received_ = 0;
  bool timed_out_ = false;
  bool too_large_ = false;
  bool answering_ = false;
  bool write_failed_ = false;
  absl::Time response_deadline_;
};

// The connection this thread is serving, for the error handler's answer.
thread_local const ConnectionStream* serving = nullptr;

// cpp-httplib's request reading and answering, called on connections this
// file accepts itself (process_request is the hook its own HTTPS server
// uses), instead of its listen loop whose reads restart their timeout at
// every byte and which knows nothing of clients.
class Engine final : public httplib::Server {
 public:
  using httplib::Server::process_request;
};

// Unread bytes (a request body, the rest of an oversized head) make the
// kernel answer close() with a reset, which can destroy the answer before
// the client reads it: say we are done writing, then drain a little.
void Linger(int fd) {
  pollfd p{fd, POLLIN, 0};
  if (poll(&p, 1, 0) <= 0) return;
  shutdown(fd, SHUT_WR);
  const absl::Time until = absl::Now() + kLinger;
  char sink[4096];
  size_t drained = 0;
  while (drained < kLingerBytes && WaitFor(fd, POLLIN, until)) {
    const ssize_t n = recv(fd, sink, sizeof sink, MSG_DONTWAIT);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) return;
    if (n > 0) drained += static_cast<size_t>(n);
  }
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The request as the handler sees it, from cpp-httplib's: path and query
// decoded here from the raw target (cpp-httplib's own decoding lets broken
// escapes through and sorts the query by name). False for a malformed
// target, with `error` saying why.
bool ToHttpRequest(const httplib::Request& in, HttpRequest& out,
                   std::string& error) {
  const std::string& target = in.target;
  const size_t question = target.find('?');
  if (!absl::StartsWith(target, "/") ||
      !PercentDecode(target.substr(0, question), false, out.path)) {
    error = "bad request\n";
    return false;
  }
  if (question != std::string::npos) {
    for (absl::string_view pair :
         absl::StrSplit(target.substr(question + 1), '&')) {
      if (pair.empty()) continue;
      const size_t eq = pair.find('=');
      std::string name, value;
      if (!PercentDecode(std::string(pair.substr(0, eq)), true, name) ||
          !PercentDecode(eq == absl::string_view::npos
                             ? ""
                             : std::string(pair.substr(eq + 1)),
                         true, value)) {
        error = "bad request: broken %-escape in the query\n";
        return false;
      }
      out.query.emplace_back(std::move(name), std::move(value));
    }
  }
  out.method = in.method == "HEAD" ? "GET" : in.method;
  // In arrival order within a name: the last one stays.
  for (const auto& [name, value] : in.headers)
    out.headers[absl::AsciiStrToLower(name)] = value;
  return true;
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
    case 200:
      return "200 OK";
    case 204:
      return "204 No Content";
    case 400:
      return "400 Bad Request";
    case 401:
      return "401 Unauthorized";
    case 403:
      return "403 Forbidden";
    case 404:
      return "404 Not Found";
    case 405:
      return "405 Method Not Allowed";
    case 408:
      return "408 Request Timeout";
    case 503:
      return "503 Service Unavailable";
    default:
      return absl::StrCat(status,
                          status < 500 ? " Client Error" : " Server Error");
  }
}

bool PercentDecode(const std::string& in, bool plus_is_space,
                   std::string& out) {
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

struct HttpServer::Impl {
  ~Impl();
  // Sets up the engine's handlers: every request to Answer.
  void Configure();
  // The accepting thread: takes connections, refuses those beyond the
  // limits, hands the others to the pool.
  void Accept();
  // A pool thread: one connection from arrival to close.
  void Serve(int fd, const sockaddr_in& peer, absl::Time arrived);
  void Answer(const httplib::Request& in, httplib::Response& out) const;
  void LogRefusal(const sockaddr_in& peer, const std::string& reason);

  std::string setting;
  Handler handler;
  HttpLimits limits;
  std::unique_ptr<TlsAcceptor> tls;  // null: plain HTTP
  absl::Duration handshake_timeout;
  int listener = -1;
  int port = 0;
  Engine engine;
  std::unique_ptr<httplib::ThreadPool> pool;
  std::thread acceptor;
  std::atomic<bool> stopping{false};
  std::atomic<int64_t> quiet_until_ns{0};

  absl::Mutex mu;
  // Connections accepted and not yet closed, and how many of them each
  // client address (network byte order) has.
  std::set<int> open ABSL_GUARDED_BY(mu);
  std::unordered_map<uint32_t, int> per_client ABSL_GUARDED_BY(mu);
};

HttpServer::Impl::~Impl() {
  stopping = true;
  // Wakes the accepting thread's poll at once.
  if (listener >= 0) shutdown(listener, SHUT_RDWR);
  if (acceptor.joinable()) acceptor.join();
  if (listener >= 0) close(listener);
  {
    // Those still reading their request see its end now; answers being
    // written go on.
    absl::MutexLock lock(&mu);
    for (int fd : open) shutdown(fd, SHUT_RD);
  }
  // Runs what is queued (closed at once: stopping) and waits for the rest.
  if (pool != nullptr) pool->shutdown();
}

void HttpServer::Impl::Configure() {
  engine.set_pre_routing_handler(
      [this](const httplib::Request& in, httplib::Response& out) {
        Answer(in, out);
        return httplib::Server::HandlerResponse::Handled;
      });
  // cpp-httplib answers what it cannot parse (400, 414) with an empty body.
  engine.set_error_handler(httplib::Server::HandlerWithResponse(
      [](const httplib::Request&, httplib::Response& out) {
        if (!out.body.empty())
          return httplib::Server::HandlerResponse::Unhandled;
        if (serving != nullptr && serving->timed_out()) {
          out.status = 408;
          out.set_content("request not complete in time\n", kPlainText);
        } else if (serving != nullptr && serving->too_large()) {
          out.set_content("request headers too large\n", kPlainText);
        } else {
          out.set_content(HttpStatusLine(out.status) + "\n", kPlainText);
        }
        return httplib::Server::HandlerResponse::Handled;
      }));
  // Never the exception's text to the client (cpp-httplib's default).
  engine.set_exception_handler([this](const httplib::Request&,
                                      httplib::Response& out,
                                      const std::exception_ptr& thrown) {
    std::string what = "unknown exception";
    try {
      std::rethrow_exception(thrown);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    LogLine("error", "http_handler_failed",
            {{"listener", setting}, {"error", what}});
    out.status = 500;
    out.set_content("internal error\n", kPlainText);
  });
}

void HttpServer::Impl::Answer(const httplib::Request& in,
                              httplib::Response& out) const {
  HttpRequest request;
  std::string error;
  if (!ToHttpRequest(in, request, error)) {
    out.status = 400;
    out.set_content(error, kPlainText);
    return;
  }
  HttpResponse answer = handler(request);
  out.status = answer.status;
  for (const auto& [name, value] : answer.headers) out.set_header(name, value);
  // Also for HEAD: cpp-httplib sends the length and leaves the body out.
  out.set_content(answer.body, answer.content_type);
}

void HttpServer::Impl::Accept() {
  while (!stopping) {
    pollfd p{listener, POLLIN, 0};
    // A stop shuts the listener down, which wakes this up; the timeout is
    // only a fallback.
    if (poll(&p, 1, 1000) <= 0 || stopping) continue;
    sockaddr_in peer{};
    socklen_t length = sizeof peer;
    const int fd = accept4(listener, reinterpret_cast<sockaddr*>(&peer),
                           &length, SOCK_CLOEXEC);
    if (fd < 0) {
      // Out of descriptors: give the connections in hand time to finish.
      if (errno == EMFILE || errno == ENFILE)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      continue;
    }
    const absl::Time arrived = absl::Now();
    std::string refused;
    {
      absl::MutexLock lock(&mu);
      int& from_client = per_client[peer.sin_addr.s_addr];
      if (from_client >= limits.connections_per_client) {
        refused = "too many connections from this client";
      } else if (open.size() >= static_cast<size_t>(limits.max_connections)) {
        refused = "too many connections";
      } else {
        ++from_client;
        open.insert(fd);
      }
      if (from_client == 0) per_client.erase(peer.sin_addr.s_addr);
    }
    if (!refused.empty()) {
      close(fd);
      LogRefusal(peer, refused);
      continue;
    }
    pool->enqueue([this, fd, peer, arrived] { Serve(fd, peer, arrived); });
  }
}

void HttpServer::Impl::Serve(int fd, const sockaddr_in& peer,
                             absl::Time arrived) {
  const absl::Time deadline = arrived + limits.request_deadline;
  // Past its deadline already when a thread came free: not worth starting.
  if (!stopping && absl::Now() < deadline) {
    std::unique_ptr<ByteStream> bytes;
    if (tls != nullptr) {
      bytes = tls->Accept(fd, std::min(deadline, arrived + handshake_timeout));
    } else {
      bytes = std::make_unique<SocketStream>(fd);
    }
    if (bytes != nullptr) {
      ConnectionStream stream(*bytes, fd, peer, deadline, limits);
      serving = &stream;
      bool closed = false;
      engine.process_request(
          stream, /*close_connection=*/true, closed, [](httplib::Request& r) {
            // Added by cpp-httplib; the handler sees only what the client sent.
            for (const char* name :
                 {"REMOTE_ADDR", "REMOTE_PORT", "LOCAL_ADDR", "LOCAL_PORT"}) {
              r.headers.erase(name);
            }
            // Every answer whole and as the handler made it: no byte ranges,
            // and no compression of pages that may reflect the query next to
            // what the token may see (BREACH).
            r.ranges.clear();
            r.headers.erase("Accept-Encoding");
          });
      serving = nullptr;
      bytes.reset();  // TLS: close_notify
      Linger(fd);
    }
  }
  {
    absl::MutexLock lock(&mu);
    open.erase(fd);
    auto it = per_client.find(peer.sin_addr.s_addr);
    if (it != per_client.end() && --it->second <= 0) per_client.erase(it);
  }
  close(fd);
}

void HttpServer::Impl::LogRefusal(const sockaddr_in& peer,
                                  const std::string& reason) {
  const int64_t now = absl::ToUnixNanos(absl::Now());
  int64_t quiet_until = quiet_until_ns.load();
  if (now < quiet_until ||
      !quiet_until_ns.compare_exchange_strong(
          quiet_until, now + absl::ToInt64Nanoseconds(kRefusalLogInterval))) {
    return;
  }
  LogLine("warning", "http_connection_refused",
          {{"listener", setting},
           {"client", ConnectionStream::IpOf(peer)},
           {"reason", reason},
           {"note", absl::StrCat("at most one such line every ",
                                 absl::FormatDuration(kRefusalLogInterval))}});
}

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpServer::~HttpServer() = default;

int HttpServer::port() const { return impl_->port; }

bool HttpServer::https() const { return impl_->tls != nullptr; }

absl::StatusOr<std::unique_ptr<HttpServer>> HttpServer::Start(
    const std::string& listen, const std::string& setting, Handler handler,
    const std::optional<TlsFiles>& tls, const HttpLimits& limits) {
  const size_t colon = listen.rfind(':');
  int port = -1;
  if (colon == std::string::npos ||
      !absl::SimpleAtoi(listen.substr(colon + 1), &port) || port < 0 ||
      port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat(setting, ": \"", listen, "\" is not host:port"));
  }
  std::string host = listen.substr(0, colon);
  if (host.empty()) host = "0.0.0.0";
  addrinfo hints{};
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (getaddrinfo(host.c_str(), nullptr, &hints, &found) != 0 ||
      found == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat(setting, ": cannot resolve host \"", host, "\""));
  }
  sockaddr_in address = *reinterpret_cast<sockaddr_in*>(found->ai_addr);
  freeaddrinfo(found);
  address.sin_port = htons(static_cast<uint16_t>(port));

  auto impl = std::make_unique<Impl>();
  impl->setting = setting;
  impl->handler = std::move(handler);
  impl->limits = limits;
  impl->limits.threads = std::max(1, limits.threads);
  if (tls.has_value()) {
    absl::StatusOr<std::unique_ptr<TlsAcceptor>> acceptor =
        TlsAcceptor::Load(*tls);
    if (!acceptor.ok()) {
      return absl::Status(
          acceptor.status().code(),
          absl::StrCat(setting, ": ", acceptor.status().message()));
    }
    impl->tls = *std::move(acceptor);
    impl->handshake_timeout = tls->handshake_timeout;
  }
  impl->listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int one = 1;
  setsockopt(impl->listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind(impl->listener, reinterpret_cast<sockaddr*>(&address),
           sizeof address) != 0 ||
      ::listen(impl->listener, 128) != 0) {
    return absl::UnavailableError(absl::StrCat(
        setting, ": cannot listen on ", listen, ": ", std::strerror(errno)));
  }
  socklen_t length = sizeof address;
  getsockname(impl->listener, reinterpret_cast<sockaddr*>(&address), &length);
  impl->port = ntohs(address.sin_port);
  impl->Configure();
  // OpenSSL writes with plain send(): a client hanging up mid-answer would
  // raise SIGPIPE and end the process. The pool's threads start with it
  // blocked (they inherit this thread's mask), so the write fails with
  // EPIPE instead.
  sigset_t pipe, before;
  sigemptyset(&pipe);
  sigaddset(&pipe, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe, &before);
  impl->pool = std::make_unique<httplib::ThreadPool>(
      static_cast<size_t>(impl->limits.threads));
  pthread_sigmask(SIG_SETMASK, &before, nullptr);
  impl->acceptor = std::thread([i = impl.get()] { i->Accept(); });
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

}  // namespace pmo::operability
