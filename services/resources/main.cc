// pmo-resources: the shared resource pool as its own process. Commands are
// stored in <data_dir>/resources-events.db and relayed to Kafka topic
// pmo.resources.events.v1; which projects exist is learnt from
// pmo.projects.events.v1.

#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "libs/grpcserver/service_host.h"
#include "libs/servicehost/kafka_binary.h"
#include "services/resources/resources_module.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50063",
          "gRPC listen address (port 0: any free port)");
ABSL_FLAG(std::string, data_dir, "./pmo-data/resources",
          "Folder of the SQLite files");
ABSL_FLAG(std::string, kafka_brokers, "",
          "Kafka bootstrap servers (host:port,...); required");
ABSL_FLAG(std::string, group_id, "",
          "Kafka consumer group for the projects view; default "
          "pmo-resources-<hostname> "
          "(each replica keeps a whole view)");
ABSL_FLAG(bool, log_requests, true, "Log one line per RPC on stderr");

int main(int argc, char** argv) {
  pmo::grpcserver::BlockTerminationSignals();
  absl::SetProgramUsageMessage("The PMO resources service.");
  absl::ParseCommandLine(argc, argv);
  return pmo::servicehost::RunServiceBinary(
      {.program = "pmo-resources",
       .kafka_brokers = absl::GetFlag(FLAGS_kafka_brokers),
       .group_id = absl::GetFlag(FLAGS_group_id),
       .listen_address = absl::GetFlag(FLAGS_listen),
       .log_requests = absl::GetFlag(FLAGS_log_requests)},
      []() -> absl::StatusOr<pmo::servicehost::ServiceModule> {
        auto module = pmo::resources::ResourcesModule::Open(
            absl::GetFlag(FLAGS_data_dir));
        if (!module.ok()) return module.status();
        return pmo::resources::AsServiceModule(*std::move(module));
      });
}
