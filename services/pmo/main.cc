// pmo: the whole platform in one process, the embedded default. Every
// service on one gRPC port, every store a SQLite file in --data_dir, events
// delivered in-process (no Kafka). Restarting keeps everything. The
// services are the same modules the separate binaries run
// (libs/servicehost): each declares its store, the events it is fed, its
// gRPC services and its jobs; the wiring follows from the list.

#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "libs/grpcserver/service_host.h"
#include "libs/servicehost/in_process.h"
#include "services/configuration/configuration_module.h"
#include "services/projection/projection_module.h"
#include "services/projects/projects_module.h"
#include "services/reporting/reporting_module.h"
#include "services/resources/resources_module.h"
#include "services/risks/risks_module.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50051",
          "gRPC listen address (port 0: any free port)");
ABSL_FLAG(std::string, data_dir, "./pmo-data", "Folder of the SQLite files");
ABSL_FLAG(bool, log_requests, true, "Log one line per RPC on stderr");

namespace {

// Every service, opened on `data_dir` in the order they depend on each
// other: reporting reads the projection's views through its gRPC handlers,
// called in-process (no network hop, the same answers).
absl::StatusOr<std::vector<pmo::servicehost::ServiceModule>> OpenAll(
    const std::string& data_dir, absl::Duration distribution_interval) {
  std::vector<pmo::servicehost::ServiceModule> modules;
  auto projects = pmo::projects::ProjectsModule::Open(data_dir);
  if (!projects.ok()) return projects.status();
  modules.push_back(pmo::projects::AsServiceModule(*std::move(projects)));
  auto projection = pmo::projection::ProjectionModule::Open(data_dir);
  if (!projection.ok()) return projection.status();
  const pmo::reporting::ProjectionCalls projection_calls =
      pmo::reporting::ProjectionInProcess(*(*projection)->grpc_service,
                                          *(*projection)->views_service);
  modules.push_back(pmo::projection::AsServiceModule(*std::move(projection)));
  auto resources = pmo::resources::ResourcesModule::Open(data_dir);
  if (!resources.ok()) return resources.status();
  modules.push_back(pmo::resources::AsServiceModule(*std::move(resources)));
  auto risks = pmo::risks::RisksModule::Open(data_dir);
  if (!risks.ok()) return risks.status();
  modules.push_back(pmo::risks::AsServiceModule(*std::move(risks)));
  auto configuration = pmo::configuration::ConfigurationModule::Open(data_dir);
  if (!configuration.ok()) return configuration.status();
  modules.push_back(
      pmo::configuration::AsServiceModule(*std::move(configuration)));
  auto reporting =
      pmo::reporting::ReportingModule::Open(data_dir, projection_calls);
  if (!reporting.ok()) return reporting.status();
  modules.push_back(pmo::reporting::AsServiceModule(*std::move(reporting),
                                                    distribution_interval));
  return modules;
}

}  // namespace

int main(int argc, char** argv) {
  pmo::grpcserver::BlockTerminationSignals();
  absl::SetProgramUsageMessage(
      "The PMO platform, all services in one process.");
  absl::ParseCommandLine(argc, argv);
  const std::string data_dir = absl::GetFlag(FLAGS_data_dir);
  const absl::StatusOr<absl::Duration> interval =
      pmo::reporting::DistributionIntervalFromFlag();
  if (!interval.ok()) {
    std::fprintf(stderr, "pmo: %s\n",
                 std::string(interval.status().message()).c_str());
    return 2;
  }
  return pmo::servicehost::RunInProcess(
      {.program = "pmo",
       .listen_address = absl::GetFlag(FLAGS_listen),
       .log_requests = absl::GetFlag(FLAGS_log_requests),
       .before_serving =
           [&] {
             std::fprintf(stderr, "pmo: data in %s\n", data_dir.c_str());
           }},
      [&] { return OpenAll(data_dir, *interval); });
}
