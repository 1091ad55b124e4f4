#include "libs/operability/metrics_endpoint.h"

namespace pmo::operability {

absl::StatusOr<std::unique_ptr<MetricsEndpoint>> MetricsEndpoint::Start(
    const std::string& listen, std::function<std::string()> render) {
  std::unique_ptr<MetricsEndpoint> endpoint(new MetricsEndpoint());
  auto server = HttpServer::Start(
      listen, "--metrics_listen",
      [render = std::move(render)](const HttpRequest& request) {
        if (request.method != "GET")
          return HttpResponse{405, "text/plain", "only GET /metrics\n", {}};
        if (request.path != "/metrics") {
          return HttpResponse{404, "text/plain", "only GET /metrics\n", {}};
        }
        return HttpResponse{
            200, "text/plain; version=0.0.4; charset=utf-8", render(), {}};
      });
  if (!server.ok()) return server.status();
  endpoint->server_ = *std::move(server);
  return endpoint;
}

}  // namespace pmo::operability
