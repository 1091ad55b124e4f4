#include "libs/servicehost/in_process.h"

#include <algorithm>
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "libs/grpcserver/security_flags.h"
#include "libs/operability/service_operability.h"

namespace pmo::servicehost {

absl::StatusOr<std::unique_ptr<InProcessWiring>> InProcessWiring::Create(
    const std::vector<ServiceModule>& modules) {
  std::unique_ptr<InProcessWiring> wiring(new InProcessWiring(modules));
  for (const ServiceModule& module : modules) {
    for (const Feed& feed : module.feeds) {
      auto source = std::find_if(
          modules.begin(), modules.end(),
          [&](const ServiceModule& m) { return m.context == feed.source; });
      if (source == modules.end() || source->store == nullptr) {
        return absl::InvalidArgumentError(absl::StrCat(
            module.context, " needs the events of ", feed.source,
            ", and no module of this process keeps a store for them"));
      }
      if (feed.handler == nullptr) {
        return absl::InvalidArgumentError(absl::StrCat(
            module.context, ": the feed of ", feed.source, " has no handler"));
      }
      wiring->feeds_.push_back(
          std::make_unique<subscription::InProcessSubscription>(
              *source->store, feed.source, *feed.handler));
    }
  }
  return wiring;
}

InProcessWiring::~InProcessWiring() { Stop(); }

absl::Status InProcessWiring::Start(const HostContext& host) {
  for (auto& feed : feeds_) feed->Start();
  feeds_started_ = true;
  for (const ServiceModule& module : modules_) {
    for (const Job& job : module.jobs) {
      if (job.start) {
        if (absl::Status started = job.start(host); !started.ok()) {
          Stop();
          return started;
        }
      }
      started_jobs_.push_back(&job);
    }
  }
  return absl::OkStatus();
}

void InProcessWiring::StopJobs(Job::StopAt when) {
  for (auto job = started_jobs_.rbegin(); job != started_jobs_.rend(); ++job) {
    if ((*job)->stop_at == when && (*job)->stop) (*job)->stop();
  }
}

void InProcessWiring::Stop(absl::Duration catch_up) {
  StopJobs(Job::StopAt::kBeforeFeeds);
  if (feeds_started_) {
    // Let the readers take in what the last calls stored.
    const absl::Time deadline = absl::Now() + catch_up;
    for (auto& feed : feeds_)
      feed->WaitUntilCaughtUp(
          std::max(deadline - absl::Now(), absl::ZeroDuration()));
    for (auto& feed : feeds_) feed->Stop();
    feeds_started_ = false;
  }
  StopJobs(Job::StopAt::kAfterFeeds);
  started_jobs_.clear();
}

std::vector<grpc::Service*> InProcessWiring::grpc_services() const {
  std::vector<grpc::Service*> services;
  for (const ServiceModule& module : modules_) {
    services.insert(services.end(), module.grpc_services.begin(),
                    module.grpc_services.end());
  }
  return services;
}

int RunInProcess(
    const InProcessOptions& options,
    const std::function<absl::StatusOr<std::vector<ServiceModule>>()>& open) {
  const char* program = options.program.c_str();
  // --log_format, --metrics_listen and --health_listen, as every separate
  // service takes them; first, so every line after is in the chosen format.
  // No topics: events stay in this process.
  auto ops = operability::ServiceOperability::Start(options.program, {});
  if (!ops.ok()) {
    std::fprintf(stderr, "%s: %s\n", program, ops.status().ToString().c_str());
    return 2;
  }
  absl::StatusOr<std::vector<ServiceModule>> modules = open();
  if (!modules.ok()) {
    std::fprintf(stderr, "%s: %s\n", program,
                 modules.status().ToString().c_str());
    return 1;
  }
  auto wiring = InProcessWiring::Create(*modules);
  if (!wiring.ok()) {
    std::fprintf(stderr, "%s: %s\n", program,
                 wiring.status().ToString().c_str());
    return 2;
  }
  grpcserver::ServiceHostOptions host;
  host.listen_address = options.listen_address;
  grpcserver::ApplySecurityFlags(host);  // --insecure, TLS, bearer tokens
  host.log_requests = options.log_requests;
  host.metrics = &(*ops)->request_metrics();
  if (absl::Status started = (*wiring)->Start({options.program, &host});
      !started.ok()) {
    std::fprintf(stderr, "%s: %s\n", program, started.ToString().c_str());
    return 2;
  }
  if (options.before_serving) options.before_serving();
  const int code = grpcserver::ServeUntilTerminated(
      options.program, host, (*wiring)->grpc_services(), [&] {
        (*ops)->Stop();  // health NOT_SERVING first
        (*wiring)->Stop();
      });
  // Last opened first: a module may use one opened before it.
  wiring->reset();
  while (!modules->empty()) modules->pop_back();
  return code;
}

}  // namespace pmo::servicehost
