// pmo: the whole platform in one process, the embedded default. Every
// service on one gRPC port, every store a SQLite file in --data_dir, events
// delivered in-process (no Kafka). Restarting keeps everything.

#include <cstdio>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "libs/grpcserver/security_flags.h"
#include "libs/grpcserver/service_host.h"
#include "libs/grpcserver/status_mapping.h"
#include "libs/operability/service_operability.h"
#include "libs/subscription/in_process_subscription.h"
#include "services/configuration/configuration_module.h"
#include "services/projection/projection_module.h"
#include "services/projects/projects_module.h"
#include "services/reporting/reporting_module.h"
#include "services/reporting/web/dashboard_server.h"
#include "services/resources/resources_module.h"
#include "services/risks/risks_module.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50051", "gRPC listen address (port 0: any free port)");
ABSL_FLAG(std::string, data_dir, "./pmo-data", "Folder of the SQLite files");
ABSL_FLAG(bool, log_requests, true, "Log one line per RPC on stderr");
ABSL_FLAG(absl::Duration, distribution_interval, absl::Seconds(30),
          "How often due scheduled reports and webhook retries are looked for");

int main(int argc, char** argv) {
  pmo::grpcserver::BlockTerminationSignals();
  absl::SetProgramUsageMessage("The PMO platform, all services in one process.");
  absl::ParseCommandLine(argc, argv);
  const std::string data_dir = absl::GetFlag(FLAGS_data_dir);
  // --log_format, --metrics_listen and --health_listen, as every separate
  // service takes them; first, so every line after is in the chosen format.
  // No topics: events stay in this process.
  auto ops = pmo::operability::ServiceOperability::Start("pmo", {});
  if (!ops.ok()) {
    std::fprintf(stderr, "pmo: %s\n", ops.status().ToString().c_str());
    return 2;
  }

  auto projects = pmo::projects::ProjectsModule::Open(data_dir);
  if (!projects.ok()) {
    std::fprintf(stderr, "pmo: %s\n", projects.status().ToString().c_str());
    return 1;
  }
  auto projection = pmo::projection::ProjectionModule::Open(data_dir);
  if (!projection.ok()) {
    std::fprintf(stderr, "pmo: %s\n", projection.status().ToString().c_str());
    return 1;
  }
  auto resources = pmo::resources::ResourcesModule::Open(data_dir);
  if (!resources.ok()) {
    std::fprintf(stderr, "pmo: %s\n", resources.status().ToString().c_str());
    return 1;
  }
  auto risks = pmo::risks::RisksModule::Open(data_dir);
  if (!risks.ok()) {
    std::fprintf(stderr, "pmo: %s\n", risks.status().ToString().c_str());
    return 1;
  }
  auto configuration = pmo::configuration::ConfigurationModule::Open(data_dir);
  if (!configuration.ok()) {
    std::fprintf(stderr, "pmo: %s\n", configuration.status().ToString().c_str());
    return 1;
  }
  // Reports read the consolidated views through the projection's own gRPC
  // handlers, called in-process (no network hop, the same answers).
  auto reporting = pmo::reporting::ReportingModule::Open(
      data_dir, pmo::reporting::ProjectionInProcess(*(*projection)->grpc_service,
                                                    *(*projection)->views_service));
  if (!reporting.ok()) {
    std::fprintf(stderr, "pmo: %s\n", reporting.status().ToString().c_str());
    return 1;
  }
  const absl::Duration distribution_interval = absl::GetFlag(FLAGS_distribution_interval);
  if (distribution_interval < absl::Milliseconds(100)) {
    std::fprintf(stderr, "pmo: --distribution_interval must be at least 100ms\n");
    return 2;
  }
  (*reporting)->distribution->Start(distribution_interval);
  // Events delivered in-process: every store feeds the consolidated view;
  // the projects store also feeds the resource pool's and the risk
  // register's views of the portfolio structure.
  pmo::subscription::InProcessSubscription portfolio_feed(
      *(*projects)->store, "projects", *(*projection)->view);
  pmo::subscription::InProcessSubscription portfolio_risks_feed(*(*risks)->store, "risks",
                                                                *(*projection)->view);
  pmo::subscription::InProcessSubscription portfolio_resources_feed(
      *(*resources)->store, "resources", *(*projection)->view);
  pmo::subscription::InProcessSubscription portfolio_configuration_feed(
      *(*configuration)->store, "configuration", *(*projection)->view);
  pmo::subscription::InProcessSubscription resources_projects_feed(
      *(*projects)->store, "projects", *(*resources)->projects);
  pmo::subscription::InProcessSubscription risks_projects_feed(
      *(*projects)->store, "projects", *(*risks)->projects);
  pmo::subscription::InProcessSubscription configuration_projects_feed(
      *(*projects)->store, "projects", *(*configuration)->projects);
  // The PMO library's methodology versions reach the projects service.
  pmo::subscription::InProcessSubscription methodology_feed(
      *(*configuration)->store, "configuration", *(*projects)->methodology_feed);
  portfolio_feed.Start();
  portfolio_risks_feed.Start();
  portfolio_resources_feed.Start();
  portfolio_configuration_feed.Start();
  resources_projects_feed.Start();
  risks_projects_feed.Start();
  configuration_projects_feed.Start();
  methodology_feed.Start();

  pmo::grpcserver::ServiceHostOptions options;
  options.listen_address = absl::GetFlag(FLAGS_listen);
  pmo::grpcserver::ApplySecurityFlags(options);  // --insecure, TLS, bearer tokens
  options.log_requests = absl::GetFlag(FLAGS_log_requests);
  options.metrics = &(*ops)->request_metrics();
  std::vector<grpc::Service*> services = (*projects)->grpc_services();
  services.push_back((*projection)->grpc_service.get());
  services.push_back((*projection)->views_service.get());
  for (grpc::Service* s : (*resources)->grpc_services()) services.push_back(s);
  services.push_back((*risks)->grpc_service.get());
  for (grpc::Service* s : (*configuration)->grpc_services()) services.push_back(s);
  for (grpc::Service* s : (*reporting)->grpc_services()) services.push_back(s);
  // --dashboard_listen: the reporting service's web dashboard (docs/dashboard.md).
  auto dashboard = pmo::reporting::DashboardServer::StartFromFlag(
      "pmo", options, *(*reporting)->views, (*reporting)->views_seen_by());
  if (!dashboard.ok()) {
    std::fprintf(stderr, "pmo: %s\n", dashboard.status().ToString().c_str());
    return 2;
  }
  std::fprintf(stderr, "pmo: data in %s\n", data_dir.c_str());
  return pmo::grpcserver::ServeUntilTerminated("pmo", options, services, [&] {
    (*ops)->Stop();      // health NOT_SERVING first
    dashboard->reset();  // stops serving pages before the views go
    // Let the view take in what the last calls stored.
    portfolio_feed.WaitUntilCaughtUp(absl::Seconds(5));
    portfolio_feed.Stop();
    portfolio_risks_feed.Stop();
    portfolio_resources_feed.Stop();
    portfolio_configuration_feed.Stop();
    resources_projects_feed.Stop();
    risks_projects_feed.Stop();
    configuration_projects_feed.Stop();
    methodology_feed.Stop();
    (*reporting)->distribution->Stop();
  });
}
