#pragma once

// The gRPC server bootstrap every service binary shares: listen, register
// services, health (grpc.health.v1), server reflection, the interceptor
// chain, and a graceful stop (stop accepting, drain in-flight calls, then
// run the stop hooks such as a relay flush).
//
//   ServiceHostOptions options{.listen_address = "127.0.0.1:0"};
//   ASSIGN_OR_RETURN(auto host, ServiceHost::Start(options, {&projects}));
//   WaitForTerminationSignal();
//   host->Stop(absl::Seconds(10));

#include <grpcpp/server.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/grpcserver/call_context.h"
#include "libs/grpcserver/jwks_watcher.h"
#include "libs/grpcserver/request_metrics.h"

namespace pmo::auth {
class TokenVerifier;
}  // namespace pmo::auth

namespace pmo::grpcserver {

// TLS and bearer-token authentication of a server (docs/security.md).
struct ServerSecurity {
  // TLS: the server's certificate chain and private key (PEM files), re-read
  // every `tls_refresh` when they change. Both empty: plain text.
  std::string tls_certificate_file;
  std::string tls_private_key_file;
  // Mutual TLS: clients must present a certificate signed by these CAs.
  std::string tls_client_ca_file;
  absl::Duration tls_refresh = absl::Seconds(60);

  // Bearer JWTs: RS256/ES256 keys from a JWKS file and/or an HS256 secret
  // file (development). Neither: the development header x-pmo-principal
  // and no roles (loopback only).
  std::string jwks_file;
  std::string jwt_hs256_secret_file;
  std::string jwt_issuer;
  std::string jwt_audience;
  absl::Duration jwt_max_clock_skew = absl::Seconds(60);
  // How often the JWKS file is checked for new keys (the issuer rotated).
  absl::Duration jwks_refresh = absl::Seconds(60);
  // A verifier built in memory (tests); used instead of the files.
  std::shared_ptr<const auth::TokenVerifier> token_verifier;

  bool tls() const {
    return !tls_certificate_file.empty() || !tls_private_key_file.empty();
  }
  bool authenticates() const {
    return token_verifier != nullptr || !jwks_file.empty() ||
           !jwt_hs256_secret_file.empty();
  }
};

struct ServiceHostOptions {
  // host:port; port 0 picks a free one (see ServiceHost::port()).
  std::string listen_address = "127.0.0.1:50051";
  // Listening beyond loopback without TLS and authentication needs this,
  // said explicitly by the operator.
  bool insecure = false;
  bool log_requests = true;
  // Where RPC counts and latencies go, e.g. the ones a /metrics endpoint
  // renders (libs/operability); null: the host keeps its own.
  RequestMetrics* metrics = nullptr;
  ServerSecurity security;
};

class ServiceHost {
 public:
  // Refuses a non-loopback address without TLS and bearer tokens unless
  // options.insecure; INVALID_ARGUMENT naming the setting when the security
  // files are unusable. With authentication, every method of `services`
  // requires a token and the role docs/security.md gives it.
  static absl::StatusOr<std::unique_ptr<ServiceHost>> Start(
      const ServiceHostOptions& options,
      const std::vector<grpc::Service*>& services);
  ~ServiceHost();

  int port() const { return port_; }
  RequestMetrics& metrics() { return *metrics_; }

  // Runs after the server stopped taking and finished in-flight calls.
  void AddStopHook(std::function<void()> hook);
  // Health goes NOT_SERVING, new calls are refused, in-flight calls get up to
  // `grace` to finish, then the stop hooks run. Safe to call twice.
  void Stop(absl::Duration grace);

 private:
  ServiceHost() = default;
  std::unique_ptr<PrincipalResolver> principals_;
  std::unique_ptr<RequestMetrics> owned_metrics_;
  RequestMetrics* metrics_ = nullptr;
  std::unique_ptr<JwksWatcher> jwks_watcher_;
  std::unique_ptr<grpc::Server> server_;
  std::vector<std::function<void()>> stop_hooks_;
  int port_ = 0;
  bool stopped_ = false;
};

// What every service binary's main() ends with: starts the host, prints
// "<name> listening on port N" on stdout (tests and scripts read it), waits
// for SIGTERM or SIGINT, then stops: drain calls, then `on_stop` (flush a
// relay, stop subscriptions). Returns main()'s exit code. Call
// BlockTerminationSignals() first thing in main().
int ServeUntilTerminated(const std::string& name,
                         const ServiceHostOptions& options,
                         const std::vector<grpc::Service*>& services,
                         std::function<void()> on_stop);

// The bearer-token verifier `security` describes, for another listener of
// the same process that must apply the same tokens (the reporting
// dashboard's HTTP port). `verifier` is null when no key is configured;
// the watcher, when set, follows the JWKS file and must live as long.
struct BearerVerification {
  std::shared_ptr<const auth::TokenVerifier> verifier;
  std::unique_ptr<JwksWatcher> jwks_watcher;
};
absl::StatusOr<BearerVerification> BearerVerificationFor(
    const ServerSecurity& security);

// True for 127.0.0.0/8, localhost and [::1] addresses.
bool IsLoopbackAddress(const std::string& host_port);

// Blocks SIGTERM and SIGINT in this thread and every thread it starts later;
// call first thing in main().
void BlockTerminationSignals();
// Waits for SIGTERM or SIGINT; returns the signal number.
int WaitForTerminationSignal();

}  // namespace pmo::grpcserver
