#pragma once

// Runs a list of service modules in one process (the all-in-one `pmo`):
// each declared feed is an in-process subscription on the store of the
// module whose context it names, every gRPC service is on one port, and
// the stop is orderly: health first, then the jobs that serve readers or
// hold a feed, then the feeds once they have caught up, then the other
// jobs.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/servicehost/service_module.h"
#include "libs/subscription/in_process_subscription.h"

namespace pmo::servicehost {

// The in-process wiring of `modules`, without a gRPC server or signals:
// what RunInProcess starts and stops, and what a test drives.
class InProcessWiring {
 public:
  // INVALID_ARGUMENT when a feed names a context no module of the list has,
  // or one without a store. The modules must outlive the wiring.
  static absl::StatusOr<std::unique_ptr<InProcessWiring>> Create(
      const std::vector<ServiceModule>& modules);
  ~InProcessWiring();  // Stop()

  // Starts the feeds, then the jobs in declaration order. On a job's error
  // what started is stopped and the error returned.
  absl::Status Start(const HostContext& host);
  // Jobs stopping before the feeds (last started first), the feeds once
  // caught up (within `catch_up` in all), the other jobs (last started
  // first). Idempotent.
  void Stop(absl::Duration catch_up = absl::Seconds(5));

  // Every module's gRPC services, in module order.
  std::vector<grpc::Service*> grpc_services() const;

 private:
  explicit InProcessWiring(const std::vector<ServiceModule>& modules)
      : modules_(modules) {}
  void StopJobs(Job::StopAt when);

  const std::vector<ServiceModule>& modules_;
  std::vector<std::unique_ptr<subscription::InProcessSubscription>> feeds_;
  std::vector<const Job*> started_jobs_;
  bool feeds_started_ = false;
};

struct InProcessOptions {
  // Log prefix and the name of the metrics and health endpoints ("pmo").
  std::string program = "pmo";
  std::string listen_address;
  bool log_requests = true;
  // Called once everything runs, just before serving (a log line).
  std::function<void()> before_serving;
};

// Starts operability (no Kafka topics), opens the modules with `open`,
// wires and starts them, serves every gRPC service on one port until
// SIGTERM or SIGINT, then stops in order. The exit code: 2 when
// operability, the wiring or a job cannot start, 1 when `open` fails,
// else what grpcserver::ServeUntilTerminated returns.
// grpcserver::BlockTerminationSignals() first thing in main().
int RunInProcess(
    const InProcessOptions& options,
    const std::function<absl::StatusOr<std::vector<ServiceModule>>()>& open);

}  // namespace pmo::servicehost
