// pmo-resources: the shared resource pool as its own process. Commands are
// stored in <data_dir>/resources-events.db and relayed to Kafka topic
// pmo.resources.events.v1; which projects exist is learnt from
// pmo.projects.events.v1.

#include <cstdio>

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
#include "services/resources/resources_module.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50063", "gRPC listen address (port 0: any free port)");
ABSL_FLAG(std::string, data_dir, "./pmo-data/resources", "Folder of the SQLite files");
ABSL_FLAG(std::string, kafka_brokers, "", "Kafka bootstrap servers (host:port,...); required");
ABSL_FLAG(std::string, group_id, "",
          "Kafka consumer group for the projects view; default pmo-resources-<hostname> "
          "(each replica keeps a whole view)");
ABSL_FLAG(bool, log_requests, true, "Log one line per RPC on stderr");

int main(int argc, char** argv) {
  pmo::grpcserver::BlockTerminationSignals();
  absl::SetProgramUsageMessage("The PMO resources service.");
  absl::ParseCommandLine(argc, argv);
  const std::string brokers = absl::GetFlag(FLAGS_kafka_brokers);
  if (brokers.empty()) {
    std::fprintf(stderr, "pmo-resources: --kafka_brokers is required (the all-in-one `pmo` "
                         "runs without Kafka)\n");
    return 2;
  }
  auto module = pmo::resources::ResourcesModule::Open(absl::GetFlag(FLAGS_data_dir));
  if (!module.ok()) {
    std::fprintf(stderr, "pmo-resources: %s\n", module.status().ToString().c_str());
    return 1;
  }
  // Topics checked or created before anything reads or writes them.
  auto ops = pmo::operability::ServiceOperability::Start(
      "resources", {brokers, {"resources"}, {"projects"}, true});
  if (!ops.ok()) {
    std::fprintf(stderr, "pmo-resources: %s\n", ops.status().ToString().c_str());
    return 2;
  }
  auto producer = pmo::outbox::KafkaEventProducer::Create(brokers, "resources");
  if (!producer.ok()) {
    std::fprintf(stderr, "pmo-resources: %s\n", producer.status().ToString().c_str());
    return 2;
  }
  pmo::outbox::OutboxRelay relay(*(*module)->store, *(*module)->checkpoints,
                                 *std::move(producer),
                                 {.leadership = (*module)->relay_leadership.get()});
  relay.Start();
  (*ops)->WatchRelay("resources", relay, *(*module)->store);

  const auto sub = pmo::subscription::ServiceConsumerOptions(
      "resources", brokers, absl::GetFlag(FLAGS_group_id),
      {pmo::cloudevents::EventsTopic("projects")});
  auto projects_feed = pmo::subscription::KafkaSubscription::Create(sub, *(*module)->projects);
  if (!projects_feed.ok()) {
    std::fprintf(stderr, "pmo-resources: %s\n", projects_feed.status().ToString().c_str());
    return 2;
  }
  (*projects_feed)->Start();
  (*ops)->WatchConsumer(**projects_feed);

  pmo::grpcserver::ServiceHostOptions options;
  options.listen_address = absl::GetFlag(FLAGS_listen);
  pmo::grpcserver::ApplySecurityFlags(options);  // --insecure, TLS, bearer tokens
  options.log_requests = absl::GetFlag(FLAGS_log_requests);
  options.metrics = &(*ops)->request_metrics();
  return pmo::grpcserver::ServeUntilTerminated("pmo-resources", options,
                                               (*module)->grpc_services(), [&] {
                                                 (*ops)->Stop();  // before what it reads stops
                                                 (*projects_feed)->Stop();
                                                 relay.Stop(absl::Seconds(10));
                                               });
}
