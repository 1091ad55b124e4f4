#pragma once

// The Prometheus scrape endpoint: GET /metrics answers the text exposition
// format (version 0.0.4) from a callback; anything else is 404, a method
// other than GET or HEAD is 405. Served by HttpServer (http_server.h):
// several connections at once, each closed after its answer, with its
// per-client limits and request deadline, so a slow client cannot keep the
// scraper out. The callback may be called from several threads at once.
//
//   MetricsEndpoint::Start("127.0.0.1:9464", [&] { return registry.Render(); })

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "libs/operability/http_server.h"

namespace pmo::operability {

class MetricsEndpoint {
 public:
  // `listen` is host:port (IPv4 or a name; port 0 picks a free one).
  // INVALID_ARGUMENT naming the flag value when it is not host:port,
  // UNAVAILABLE when it cannot be bound.
  static absl::StatusOr<std::unique_ptr<MetricsEndpoint>> Start(
      const std::string& listen, std::function<std::string()> render);

  int port() const { return server_->port(); }

 private:
  MetricsEndpoint() = default;

  std::unique_ptr<HttpServer> server_;
};

}  // namespace pmo::operability
