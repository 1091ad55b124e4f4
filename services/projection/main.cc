// pmo-projection: consumes the events topics through a Kafka consumer group
// and serves the consolidated portfolio view. The view and its offsets live
// in <data_dir>/portfolio-view.db, or the generation that replaced it
// (named in <data_dir>/portfolio-view.current); StartViewRebuild reads the
// topics from offset 0 into a fresh generation and switches to it
// (docs/adr/0010). A fresh data_dir also rebuilds from offset 0.

#include <memory>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "libs/cloudevents/cloud_events.h"
#include "libs/grpcserver/service_host.h"
#include "libs/servicehost/kafka_binary.h"
#include "libs/subscription/kafka_log_reader.h"
#include "libs/subscription/kafka_subscription.h"
#include "services/projection/app/topics_rebuild.h"
#include "services/projection/projection_module.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50062",
          "gRPC listen address (port 0: any free port)");
ABSL_FLAG(std::string, data_dir, "./pmo-data/projection",
          "Folder of the view file");
ABSL_FLAG(std::string, kafka_brokers, "",
          "Kafka bootstrap servers (host:port,...); required");
ABSL_FLAG(
    std::string, group_id, "",
    "Kafka consumer group; default pmo-projection-<hostname>. Each replica "
    "keeps a whole view, so replicas must not share a group");
ABSL_FLAG(bool, log_requests, true, "Log one line per RPC on stderr");

int main(int argc, char** argv) {
  pmo::grpcserver::BlockTerminationSignals();
  absl::SetProgramUsageMessage("The PMO projection service.");
  absl::ParseCommandLine(argc, argv);
  return pmo::servicehost::RunServiceBinary(
      {.program = "pmo-projection",
       .kafka_brokers = absl::GetFlag(FLAGS_kafka_brokers),
       .group_id = absl::GetFlag(FLAGS_group_id),
       .listen_address = absl::GetFlag(FLAGS_listen),
       .log_requests = absl::GetFlag(FLAGS_log_requests),
       .kafka_required_hint = ""},
      []() -> absl::StatusOr<pmo::servicehost::ServiceModule> {
        // A rebuild reads the same topics (every partition) as the
        // subscription, with a reader of its own.
        std::vector<std::string> topics;
        for (const std::string& source : pmo::projection::ProjectionSources()) {
          topics.push_back(pmo::cloudevents::EventsTopic(source));
        }
        const auto sub = pmo::subscription::ServiceConsumerOptions(
            "projection", absl::GetFlag(FLAGS_kafka_brokers),
            absl::GetFlag(FLAGS_group_id), topics);
        auto module = pmo::projection::ProjectionModule::Open(
            absl::GetFlag(FLAGS_data_dir),
            [sub](pmo::projection::ServedView& served,
                  std::shared_ptr<const pmo::projection::ViewGenerations>
                      generations) {
              const pmo::subscription::KafkaLogReader::Options log{
                  sub.bootstrap_servers, sub.topics, sub.overrides};
              return std::make_unique<pmo::projection::TopicsRebuild>(
                  served, std::move(generations),
                  [log]()
                      -> absl::StatusOr<
                          std::unique_ptr<pmo::subscription::EventLogReader>> {
                    auto reader = pmo::subscription::KafkaLogReader::Open(log);
                    if (!reader.ok()) return reader.status();
                    return std::unique_ptr<pmo::subscription::EventLogReader>(
                        std::move(*reader));
                  });
            });
        if (!module.ok()) return module.status();
        return pmo::projection::AsServiceModule(*std::move(module));
      });
}
