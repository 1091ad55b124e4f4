#pragma once

// A minimal HTTP/1.1 server: one listening socket, one thread, one
// connection at a time, closed after each answer. It parses the request
// line, the headers and the query string, and hands them to one handler.
// Made for the few readers a service has (a Prometheus scraper, the
// reporting dashboard's browser tab); a public web server this is not.
//
//   auto server = HttpServer::Start("127.0.0.1:0", "--dashboard_listen",
//       [](const HttpRequest& r) { return HttpResponse{200, "text/plain", "hi\n"}; });
//   server->port();
//
// Malformed requests are answered 400 here, before the handler.
//
// Given TlsFiles it speaks HTTPS instead (TLS 1.2 or newer, no client
// certificate asked; tls_acceptor.h): the certificate follows its files
// without a restart, and a connection whose handshake fails or stalls is
// closed while the server goes on with the next.

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/operability/byte_stream.h"
#include "libs/operability/tls_acceptor.h"

namespace pmo::operability {

struct HttpRequest {
  std::string method;  // "GET", "HEAD"...
  std::string path;    // percent-decoded, without the query
  // Query parameters in order, names and values percent-decoded ('+' is a
  // space). A name may repeat.
  std::vector<std::pair<std::string, std::string>> query;
  // Header names lower-cased; a repeated header keeps its last value.
  std::map<std::string, std::string> headers;

  // The first value of query parameter `name`, or nullptr.
  const std::string* Query(const std::string& name) const;
  // The value of header `lower_case_name`, or "".
  std::string Header(const std::string& lower_case_name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  // Extra headers ("Content-Security-Policy", ...); Content-Type,
  // Content-Length and Connection are set by the server.
  std::vector<std::pair<std::string, std::string>> headers;
};

// "200 OK", "404 Not Found"... for the codes the PMO's servers answer.
std::string HttpStatusLine(int status);

// Decodes %XX escapes and, when `plus_is_space`, '+' into `out`; false for
// a broken escape ("%G1", "%4").
bool PercentDecode(const std::string& in, bool plus_is_space, std::string& out);

class HttpServer {
 public:
  using Handler = std::function<HttpResponse(const HttpRequest&)>;

  // `listen` is host:port (IPv4 or a name; port 0 picks a free one);
  // `setting` names it in errors ("--metrics_listen"). INVALID_ARGUMENT
  // when it is not host:port, UNAVAILABLE when it cannot be bound. A HEAD
  // request gets the handler's GET answer without the body. With `tls`,
  // HTTPS; INVALID_ARGUMENT naming the file when its certificate or key
  // cannot be loaded.
  static absl::StatusOr<std::unique_ptr<HttpServer>> Start(
      const std::string& listen, const std::string& setting, Handler handler,
      const std::optional<TlsFiles>& tls = std::nullopt);
  ~HttpServer();  // stops: the connection in hand is finished first

  int port() const { return port_; }
  bool https() const { return tls_ != nullptr; }

 private:
  HttpServer() = default;
  void Serve();
  void Answer(ByteStream& connection);

  Handler handler_;
  std::unique_ptr<TlsAcceptor> tls_;  // null: plain HTTP
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace pmo::operability
