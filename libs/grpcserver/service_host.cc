#include "libs/grpcserver/service_host.h"

#include <arpa/inet.h>
#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/security/tls_certificate_provider.h>
#include <grpcpp/security/tls_credentials_options.h>
#include <grpcpp/server_builder.h>
#include <signal.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "grpc/health/v1/health.pb.h"
#include "libs/auth/token_verifier.h"
#include "libs/base/status_macros.h"
#include "libs/grpcserver/interceptors.h"
#include "libs/grpcserver/jwks_watcher.h"
#include "libs/grpcserver/method_guard.h"

namespace pmo::grpcserver {

bool IsLoopbackAddress(const std::string& host_port) {
  const size_t colon = host_port.rfind(':');
  if (colon == std::string::npos) return false;
  std::string host = host_port.substr(0, colon);
  if (host == "localhost" || host == "[::1]") return true;
  // An IPv4 literal in 127.0.0.0/8; a name like "127.example.net" is not.
  in_addr address;
  return inet_pton(AF_INET, host.c_str(), &address) == 1 &&
         (ntohl(address.s_addr) >> 24) == 127;
}

namespace {

absl::StatusOr<std::string> ReadSecretFile(const std::string& path,
                                           absl::string_view setting) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return absl::InvalidArgumentError(
        absl::StrCat(setting, ": cannot read ", path));
  std::ostringstream text;
  text << in.rdbuf();
  std::string secret = text.str();
  // A trailing newline is the editor's, not part of the secret.
  while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r'))
    secret.pop_back();
  return secret;
}

// Every key the server trusts: the JWKS and the development secret.
absl::StatusOr<auth::KeySet> LoadKeys(const ServerSecurity& security) {
  auth::KeySet keys;
  if (!security.jwks_file.empty()) {
    absl::StatusOr<auth::KeySet> loaded =
        auth::KeySet::LoadJwksFile(security.jwks_file);
    if (!loaded.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("jwks_file: ", loaded.status().message()));
    }
    keys = *std::move(loaded);
  }
  if (!security.jwt_hs256_secret_file.empty()) {
    ASSIGN_OR_RETURN(std::string secret,
                     ReadSecretFile(security.jwt_hs256_secret_file,
                                    "jwt_hs256_secret_file"));
    absl::StatusOr<auth::VerificationKey> key =
        auth::VerificationKey::HmacSecret("", secret);
    if (!key.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("jwt_hs256_secret_file: ", key.status().message()));
    }
    keys.Add(*std::move(key));
  }
  return keys;
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentialsOf(
    const ServerSecurity& security) {
  if (!security.tls()) return grpc::InsecureServerCredentials();
  for (const auto& [file, setting] :
       {std::pair{security.tls_certificate_file, "tls_cert_file"},
        std::pair{security.tls_private_key_file, "tls_key_file"},
        std::pair{security.tls_client_ca_file, "tls_client_ca_file"}}) {
    if (file.empty() && std::string(setting) != "tls_client_ca_file") {
      return absl::InvalidArgumentError(absl::StrCat(
          setting, ": required with TLS (tls_cert_file and tls_key_file)"));
    }
    if (!file.empty() && !std::ifstream(file).good()) {
      return absl::InvalidArgumentError(
          absl::StrCat(setting, ": cannot read ", file));
    }
  }
  // The provider re-reads the files when they change: a renewed
  // certificate is served without a restart.
  const auto refresh = static_cast<unsigned>(
      std::max<int64_t>(1, absl::ToInt64Seconds(security.tls_refresh)));
  auto provider =
      std::make_shared<grpc::experimental::FileWatcherCertificateProvider>(
          security.tls_private_key_file, security.tls_certificate_file,
          security.tls_client_ca_file, refresh);
  grpc::experimental::TlsServerCredentialsOptions tls(provider);
  tls.watch_identity_key_cert_pairs();
  if (security.tls_client_ca_file.empty()) {
    tls.set_cert_request_type(GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
  } else {
    tls.watch_root_certs();
    tls.set_cert_request_type(
        GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  }
  return grpc::experimental::TlsServerCredentials(tls);
}

}  // namespace

absl::StatusOr<BearerVerification> BearerVerificationFor(
    const ServerSecurity& security) {
  BearerVerification out;
  out.verifier = security.token_verifier;
  if (out.verifier || !security.authenticates()) return out;
  ASSIGN_OR_RETURN(auth::KeySet keys, LoadKeys(security));
  ASSIGN_OR_RETURN(
      std::shared_ptr<auth::TokenVerifier> from_files,
      auth::TokenVerifier::Create(
          std::move(keys), {.issuer = security.jwt_issuer,
                            .audience = security.jwt_audience,
                            .max_clock_skew = security.jwt_max_clock_skew}));
  if (!security.jwks_file.empty()) {
    out.jwks_watcher = std::make_unique<JwksWatcher>(
        security.jwks_file, [security] { return LoadKeys(security); },
        from_files, security.jwks_refresh);
  }
  out.verifier = std::move(from_files);
  return out;
}

absl::StatusOr<std::unique_ptr<ServiceHost>> ServiceHost::Start(
    const ServiceHostOptions& options,
    const std::vector<grpc::Service*>& services) {
  const ServerSecurity& security = options.security;
  if (!IsLoopbackAddress(options.listen_address) && !options.insecure &&
      !(security.tls() && security.authenticates())) {
    return absl::FailedPreconditionError(
        absl::StrCat("refusing to listen on ", options.listen_address,
                     " without TLS and bearer-token authentication "
                     "(tls_cert_file, tls_key_file, "
                     "jwks_file); listen on 127.0.0.1 or pass --insecure"));
  }
  ASSIGN_OR_RETURN(std::shared_ptr<grpc::ServerCredentials> credentials,
                   ServerCredentialsOf(security));
  ASSIGN_OR_RETURN(BearerVerification bearer, BearerVerificationFor(security));
  std::shared_ptr<const auth::TokenVerifier> verifier =
      std::move(bearer.verifier);
  std::unique_ptr<JwksWatcher> jwks_watcher = std::move(bearer.jwks_watcher);
  static const bool reflection_plugin = [] {
    grpc::reflection::InitProtoReflectionServerBuilderPlugin();
    grpc::EnableDefaultHealthCheckService(true);
    // Naming a message of our copy of health.proto links it, so its
    // descriptor is in the pool reflection reads (proto/grpc/health/v1).
    (void)grpc::health::v1::HealthCheckRequest::descriptor();
    return true;
  }();
  (void)reflection_plugin;

  std::unique_ptr<ServiceHost> host(new ServiceHost());
  host->principals_ = verifier ? MakeBearerTokenResolver(verifier)
                               : MakeDevelopmentPrincipalResolver();
  if (options.metrics != nullptr) {
    host->metrics_ = options.metrics;
  } else {
    host->owned_metrics_ = std::make_unique<RequestMetrics>();
    host->metrics_ = host->owned_metrics_.get();
  }
  host->jwks_watcher_ = std::move(jwks_watcher);

  grpc::ServerBuilder builder;
  builder.AddListeningPort(options.listen_address, credentials, &host->port_);
  for (grpc::Service* service : services) {
    // Guarded always: decoding errors, id checks and request_id scoping
    // apply with or without tokens; roles only where tokens are verified.
    GuardServiceMethods(service);
    builder.RegisterService(service);
  }
  builder.experimental().SetInterceptorCreators(
      MakeInterceptorChain({host->principals_.get(), host->metrics_,
                            options.log_requests, verifier != nullptr}));
  host->server_ = builder.BuildAndStart();
  if (!host->server_ || host->port_ == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options.listen_address));
  }
  host->server_->GetHealthCheckService()->SetServingStatus(true);
  return host;
}

ServiceHost::~ServiceHost() { Stop(absl::Seconds(5)); }

void ServiceHost::AddStopHook(std::function<void()> hook) {
  stop_hooks_.push_back(std::move(hook));
}

void ServiceHost::Stop(absl::Duration grace) {
  if (stopped_ || !server_) return;
  stopped_ = true;
  server_->GetHealthCheckService()->SetServingStatus(false);
  server_->Shutdown(absl::ToChronoTime(absl::Now() + grace));
  server_->Wait();
  for (auto& hook : stop_hooks_) hook();
}

int ServeUntilTerminated(const std::string& name,
                         const ServiceHostOptions& options,
                         const std::vector<grpc::Service*>& services,
                         std::function<void()> on_stop) {
  absl::StatusOr<std::unique_ptr<ServiceHost>> host =
      ServiceHost::Start(options, services);
  if (!host.ok()) {
    std::fprintf(stderr, "%s: %s\n", name.c_str(),
                 host.status().ToString().c_str());
    return 1;
  }
  if (on_stop) (*host)->AddStopHook(std::move(on_stop));
  std::printf("%s listening on port %d\n", name.c_str(), (*host)->port());
  std::fflush(stdout);
  const int signo = WaitForTerminationSignal();
  std::fprintf(stderr, "%s: signal %d, stopping\n", name.c_str(), signo);
  (*host)->Stop(absl::Seconds(10));
  return 0;
}

void BlockTerminationSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

int WaitForTerminationSignal() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  int signo = 0;
  sigwait(&set, &signo);
  return signo;
}

}  // namespace pmo::grpcserver
