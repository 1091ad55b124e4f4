#include "services/reporting/web/dashboard_server.h"

#include <cstdio>
#include <optional>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "libs/base/status_macros.h"

ABSL_FLAG(std::string, dashboard_listen, "",
          "The web dashboard's address host:port (port 0: any free port); off "
          "when empty. "
          "HTTPS with --tls_cert_file and --tls_key_file");

namespace pmo::reporting {

absl::StatusOr<std::unique_ptr<DashboardServer>> DashboardServer::Start(
    const std::string& listen, const grpcserver::ServiceHostOptions& host,
    ConsolidatedViews& views, ViewsSeenBy seen_by) {
  if (listen.find(':') == std::string::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("--dashboard_listen: \"", listen, "\" is not host:port"));
  }
  // The gRPC port's rule (ServiceHost::Start): beyond loopback, TLS and
  // bearer tokens, or the operator's explicit --insecure. Checked here too,
  // since the dashboard may listen beyond loopback while gRPC does not.
  if (!grpcserver::IsLoopbackAddress(listen) && !host.insecure) {
    if (!host.security.authenticates()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "--dashboard_listen: refusing to serve the dashboard on ", listen,
          " without bearer-token authentication (--jwks_file or "
          "--jwt_hs256_secret_file); "
          "listen on 127.0.0.1 or pass --insecure"));
    }
    if (!host.security.tls()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "--dashboard_listen: refusing to serve the dashboard on ", listen,
          " over plain HTTP: its readers' bearer tokens would cross the "
          "network in clear. "
          "Give the process --tls_cert_file and --tls_key_file (the dashboard "
          "speaks HTTPS "
          "with them), listen on 127.0.0.1, or pass --insecure"));
    }
  }
  std::unique_ptr<DashboardServer> server(new DashboardServer());
  ASSIGN_OR_RETURN(server->bearer_,
                   grpcserver::BearerVerificationFor(host.security));
  if (server->bearer_.verifier && !seen_by) {
    return absl::FailedPreconditionError(
        "--dashboard_listen: with bearer tokens the dashboard must read the "
        "views as each "
        "person asking, and was given no way to");
  }
  server->dashboard_ = std::make_unique<Dashboard>(views, std::move(seen_by),
                                                   server->bearer_.verifier);
  // The gRPC port's certificate and key; not its client CA, since bearer
  // tokens, not client certificates, say who a page is for.
  std::optional<operability::TlsFiles> tls;
  if (host.security.tls()) {
    tls = operability::TlsFiles{
        .certificate_file = host.security.tls_certificate_file,
        .private_key_file = host.security.tls_private_key_file,
        .refresh = host.security.tls_refresh};
  }
  ASSIGN_OR_RETURN(
      server->server_,
      operability::HttpServer::Start(
          listen, "--dashboard_listen",
          [d = server->dashboard_.get()](const operability::HttpRequest& r) {
            return d->Handle(r);
          },
          tls));
  return server;
}

absl::StatusOr<std::unique_ptr<DashboardServer>> DashboardServer::StartFromFlag(
    const std::string& service, const grpcserver::ServiceHostOptions& host,
    ConsolidatedViews& views, ViewsSeenBy seen_by) {
  const std::string listen = absl::GetFlag(FLAGS_dashboard_listen);
  if (listen.empty()) return std::unique_ptr<DashboardServer>();
  ASSIGN_OR_RETURN(std::unique_ptr<DashboardServer> server,
                   Start(listen, host, views, std::move(seen_by)));
  // Tests and scripts read the number after " port "; the rest is for people.
  std::printf("%s dashboard on port %d%s\n", service.c_str(), server->port(),
              server->https() ? " (https)" : "");
  std::fflush(stdout);
  return server;
}

}  // namespace pmo::reporting
