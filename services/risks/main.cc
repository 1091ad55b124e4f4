// pmo-risks: the risk register as its own process. Commands are stored in
// <data_dir>/risks-events.db and relayed to Kafka topic pmo.risks.events.v1;
// the portfolio structure (which project is in which programme and
// portfolio) is learnt from pmo.projects.events.v1.

#include <cstdio>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "libs/cloudevents/cloud_events.h"
#include "libs/grpcserver/security_flags.h"
#include "libs/grpcserver/service_host.h"
#include "libs/operability/service_operability.h"
#include "libs/outbox/kafka_event_producer.h"
#include "libs/outbox/outbox_relay.h"
#include "libs/subscription/kafka_subscription.h"
#include "services/risks/risks_module.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50064", "gRPC listen address (port 0: any free port)");
ABSL_FLAG(std::string, data_dir, "./pmo-data/risks", "Folder of the SQLite files");
ABSL_FLAG(std::string, kafka_brokers, "", "Kafka bootstrap servers (host:port,...); required");
ABSL_FLAG(std::string, group_id, "",
          "Kafka consumer group for the portfolio structure view; default pmo-risks-<hostname> "
          "(each replica keeps a whole view)");
ABSL_FLAG(bool, log_requests, true, "Log one line per RPC on stderr");

int main(int argc, char** argv) {
  pmo::grpcserver::BlockTerminationSignals();
  absl::SetProgramUsageMessage("The PMO risks service.");
  absl::ParseCommandLine(argc, argv);
  const std::string brokers = absl::GetFlag(FLAGS_kafka_brokers);
  if (brokers.empty()) {
    std::fprintf(stderr, "pmo-risks: --kafka_brokers is required (the all-in-one `pmo` runs "
                         "without Kafka)\n");
    return 2;
  }
  auto module = pmo::risks::RisksModule::Open(absl::GetFlag(FLAGS_data_dir));
  if (!module.ok()) {
    std::fprintf(stderr, "pmo-risks: %s\n", module.status().ToString().c_str());
    return 1;
  }
  // Topics checked or created before anything reads or writes them.
  auto ops = pmo::operability::ServiceOperability::Start(
      "risks", {brokers, {"risks"}, {"projects"}, true});
  if (!ops.ok()) {
    std::fprintf(stderr, "pmo-risks: %s\n", ops.status().ToString().c_str());
    return 2;
  }
  auto producer = pmo::outbox::KafkaEventProducer::Create(brokers, "risks");
  if (!producer.ok()) {
    std::fprintf(stderr, "pmo-risks: %s\n", producer.status().ToString().c_str());
    return 2;
  }
  pmo::outbox::OutboxRelay relay(*(*module)->store, *(*module)->checkpoints,
                                 *std::move(producer),
                                 {.leadership = (*module)->relay_leadership.get()});
  relay.Start();
  (*ops)->WatchRelay("risks", relay, *(*module)->store);

  const auto sub = pmo::subscription::ServiceConsumerOptions(
      "risks", brokers, absl::GetFlag(FLAGS_group_id),
      {pmo::cloudevents::EventsTopic("projects")});
  auto projects_feed = pmo::subscription::KafkaSubscription::Create(sub, *(*module)->projects);
  if (!projects_feed.ok()) {
    std::fprintf(stderr, "pmo-risks: %s\n", projects_feed.status().ToString().c_str());
    return 2;
  }
  (*projects_feed)->Start();
  (*ops)->WatchConsumer(**projects_feed);

  pmo::grpcserver::ServiceHostOptions options;
  options.listen_address = absl::GetFlag(FLAGS_listen);
  pmo::grpcserver::ApplySecurityFlags(options);  // --insecure, TLS, bearer tokens
  options.log_requests = absl::GetFlag(FLAGS_log_requests);
  options.metrics = &(*ops)->request_metrics();
  return pmo::grpcserver::ServeUntilTerminated("pmo-risks", options, {(*module)->grpc_service.get()},
                                               [&] {
                                                 (*ops)->Stop();  // before what it reads stops
                                                 (*projects_feed)->Stop();
                                                 relay.Stop(absl::Seconds(10));
                                               });
}
