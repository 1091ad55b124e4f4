#pragma once

// A small HTTP/1.1 server for the few readers a service has (a Prometheus
// scraper, the reporting dashboard's browser tabs): one handler for every
// request, each connection closed after its answer. Requests are parsed and
// answered by cpp-httplib (Debian's libcpp-httplib-dev); this class owns the
// connections around it: several served at once by a few threads, each
// client held to a few of them, and every request given a whole deadline.
//
//   auto server = HttpServer::Start("127.0.0.1:0", "--dashboard_listen",
//       [](const HttpRequest& r) { return HttpResponse{200, "text/plain",
//       "hi\n"}; });
//   server->port();
//
// Refused before the handler, so a slow or hostile client costs little:
//   - a connection beyond HttpLimits::connections_per_client from its
//     address, or beyond max_connections in all, is closed on arrival;
//   - a request not complete (TLS handshake, request line and headers)
//     within request_deadline of the connection's arrival is closed,
//     however steadily its bytes trickle in (408 once its request line
//     came); a reader not taking the answer within response_deadline too;
//   - a malformed request (request line, %-escape, path not starting with
//     '/') or one whose head passes max_request_head_bytes is answered 400.
// A HEAD request gets the handler's GET answer without the body. Request
// bodies are not read (nothing here takes one): the handler sees the
// method, and the bytes are drained briefly before the connection closes.
//
// Given TlsFiles it speaks HTTPS instead (TLS 1.2 or newer, no client
// certificate asked; tls_acceptor.h): the certificate follows its files
// without a restart, and a connection whose handshake fails or stalls is
// closed while the others are served.

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/operability/tls_files.h"

namespace pmo::operability {

struct HttpRequest {
  std::string method;  // "GET", "POST"...; a HEAD request is given as "GET"
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

// How much one client, and all of them, may hold of a server.
struct HttpLimits {
  // Connections answered at once; more wait for a thread (their deadline
  // running).
  int threads = 16;
  // Connections from one client address at once, waiting ones included;
  // more are closed on arrival. Behind a proxy every reader has its
  // address, so this is also the proxy's share.
  int connections_per_client = 8;
  // Connections at once from all clients; more are closed on arrival.
  int max_connections = 64;
  // From a connection's arrival to the end of its request's headers (TLS
  // handshake included). Not restarted by each byte.
  absl::Duration request_deadline = absl::Seconds(10);
  // For the client to take the whole answer once it is being sent.
  absl::Duration response_deadline = absl::Seconds(30);
  // Request line and headers together.
  size_t max_request_head_bytes = 16384;
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
  // `setting` names it in errors and log lines ("--metrics_listen").
  // INVALID_ARGUMENT when it is not host:port, UNAVAILABLE when it cannot
  // be bound. With `tls`, HTTPS; INVALID_ARGUMENT naming the file when its
  // certificate or key cannot be loaded. `handler` is called from several
  // threads at once.
  static absl::StatusOr<std::unique_ptr<HttpServer>> Start(
      const std::string& listen, const std::string& setting, Handler handler,
      const std::optional<TlsFiles>& tls = std::nullopt,
      const HttpLimits& limits = {});
  // Stops: no new connection is taken, those still sending their request
  // are closed, and the answers being written are finished.
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  int port() const;
  bool https() const;

 private:
  struct Impl;  // cpp-httplib stays inside http_server.cc
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace pmo::operability
