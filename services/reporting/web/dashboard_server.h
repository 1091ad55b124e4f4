#pragma once

// The dashboard (dashboard.h) on its own HTTP port, with the same
// listening rule, bearer tokens and TLS files as the process's gRPC server:
//
//   --dashboard_listen HOST:PORT   off when empty (the default); port 0
//                                  picks a free one, printed on stdout as
//                                  "<service> dashboard on port N", with
//                                  " (https)" after it when it serves TLS
//
// Beyond loopback it needs, like gRPC, both bearer-token keys (--jwks_file
// or --jwt_hs256_secret_file) and TLS (--tls_cert_file, --tls_key_file),
// or an explicit --insecure: start-up fails otherwise, naming
// --dashboard_listen. With the TLS files the dashboard speaks HTTPS with
// that certificate, followed every --tls_refresh like gRPC's, so tokens
// never cross the network in clear. It never asks for a client
// certificate, even when gRPC requires one (--tls_client_ca_file): a
// person's browser has none, and the bearer token is the access rule.
// Without TLS files it speaks plain HTTP (loopback development and tests).

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "libs/grpcserver/service_host.h"
#include "libs/operability/http_server.h"
#include "services/reporting/app/consolidated_views.h"
#include "services/reporting/web/dashboard.h"

namespace pmo::reporting {

class DashboardServer {
 public:
  // Pages read `views` (the service's) without token keys, and the views
  // `seen_by` the person asking with them (Dashboard).
  //
  // HTTPS when `host.security.tls()`, with its certificate and key files
  // and refresh interval; its client CA is not used.
  //
  // FAILED_PRECONDITION naming the flag and the address when it is beyond
  // loopback without `host.insecure` and without token keys or without TLS
  // files, or when there are token keys and no `seen_by`; INVALID_ARGUMENT for
  // a bad address, key file or TLS file; UNAVAILABLE when the port cannot be
  // bound.
  static absl::StatusOr<std::unique_ptr<DashboardServer>> Start(
      const std::string& listen, const grpcserver::ServiceHostOptions& host,
      ConsolidatedViews& views, ViewsSeenBy seen_by);
  // Start() with --dashboard_listen; null (and OK) when the flag is empty.
  // Prints "<service> dashboard on port N" on stdout when it serves, and
  // " (https)" after it with TLS.
  static absl::StatusOr<std::unique_ptr<DashboardServer>> StartFromFlag(
      const std::string& service, const grpcserver::ServiceHostOptions& host,
      ConsolidatedViews& views, ViewsSeenBy seen_by);

  int port() const { return server_->port(); }
  bool https() const { return server_->https(); }

 private:
  DashboardServer() = default;

  grpcserver::BearerVerification bearer_;
  std::unique_ptr<Dashboard> dashboard_;
  std::unique_ptr<operability::HttpServer> server_;  // last: stops first
};

}  // namespace pmo::reporting
