#include "libs/grpcserver/service_host.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server_builder.h>
#include <arpa/inet.h>
#include <signal.h>

#include <cstdio>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "libs/grpcserver/interceptors.h"

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

absl::StatusOr<std::unique_ptr<ServiceHost>> ServiceHost::Start(
    const ServiceHostOptions& options,
    const std::vector<grpc::Service*>& services) {
  if (!IsLoopbackAddress(options.listen_address) && !options.insecure) {
    return absl::FailedPreconditionError(absl::StrCat(
        "refusing to listen on ", options.listen_address,
        " without authentication; listen on 127.0.0.1 or pass --insecure"));
  }
  static const bool reflection_plugin = [] {
    grpc::reflection::InitProtoReflectionServerBuilderPlugin();
    grpc::EnableDefaultHealthCheckService(true);
    return true;
  }();
  (void)reflection_plugin;

  std::unique_ptr<ServiceHost> host(new ServiceHost());
  host->principals_ = MakeDevelopmentPrincipalResolver();
  if (options.metrics != nullptr) {
    host->metrics_ = options.metrics;
  } else {
    host->owned_metrics_ = std::make_unique<RequestMetrics>();
    host->metrics_ = host->owned_metrics_.get();
  }

  grpc::ServerBuilder builder;
  builder.AddListeningPort(options.listen_address,
                           grpc::InsecureServerCredentials(), &host->port_);
  for (grpc::Service* service : services) builder.RegisterService(service);
  builder.experimental().SetInterceptorCreators(MakeInterceptorChain(
      {host->principals_.get(), host->metrics_, options.log_requests}));
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

int ServeUntilTerminated(const std::string& name, const ServiceHostOptions& options,
                         const std::vector<grpc::Service*>& services,
                         std::function<void()> on_stop) {
  absl::StatusOr<std::unique_ptr<ServiceHost>> host = ServiceHost::Start(options, services);
  if (!host.ok()) {
    std::fprintf(stderr, "%s: %s\n", name.c_str(), host.status().ToString().c_str());
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
