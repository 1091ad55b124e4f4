// pmo-projects: the projects service as its own process. Commands are stored
// in <data_dir>/projects-events.db and relayed to Kafka topic
// pmo.projects.events.v1. Methodology versions come from the configuration
// service's topic pmo.configuration.events.v1.

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
#include "services/projects/projects_module.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50061", "gRPC listen address (port 0: any free port)");
ABSL_FLAG(std::string, data_dir, "./pmo-data/projects", "Folder of the event store file");
ABSL_FLAG(std::string, kafka_brokers, "", "Kafka bootstrap servers (host:port,...); required");
ABSL_FLAG(std::string, group_id, "",
          "Kafka consumer group for the methodology feed; default pmo-projects-<hostname> "
          "(each replica takes in every published methodology)");
ABSL_FLAG(bool, log_requests, true, "Log one line per RPC on stderr");

int main(int argc, char** argv) {
  pmo::grpcserver::BlockTerminationSignals();
  absl::SetProgramUsageMessage("The PMO projects service.");
  absl::ParseCommandLine(argc, argv);
  if (absl::GetFlag(FLAGS_kafka_brokers).empty()) {
    std::fprintf(stderr, "pmo-projects: --kafka_brokers is required (the all-in-one "
                         "`pmo` runs without Kafka)\n");
    return 2;
  }
  auto module = pmo::projects::ProjectsModule::Open(absl::GetFlag(FLAGS_data_dir));
  if (!module.ok()) {
    std::fprintf(stderr, "pmo-projects: %s\n", module.status().ToString().c_str());
    return 1;
  }
  // Topics checked or created before anything reads or writes them.
  auto ops = pmo::operability::ServiceOperability::Start(
      "projects", {absl::GetFlag(FLAGS_kafka_brokers), {"projects"}, {"configuration"}, true});
  if (!ops.ok()) {
    std::fprintf(stderr, "pmo-projects: %s\n", ops.status().ToString().c_str());
    return 2;
  }
  auto producer = pmo::outbox::KafkaEventProducer::Create(
      absl::GetFlag(FLAGS_kafka_brokers), "projects");
  if (!producer.ok()) {
    std::fprintf(stderr, "pmo-projects: %s\n", producer.status().ToString().c_str());
    return 2;
  }
  pmo::outbox::OutboxRelay relay(*(*module)->store, *(*module)->checkpoints,
                                 *std::move(producer),
                                 {.leadership = (*module)->relay_leadership.get()});
  relay.Start();
  (*ops)->WatchRelay("projects", relay, *(*module)->store);

  const auto sub = pmo::subscription::ServiceConsumerOptions(
      "projects", absl::GetFlag(FLAGS_kafka_brokers), absl::GetFlag(FLAGS_group_id),
      {pmo::cloudevents::EventsTopic("configuration")});
  auto methodology_feed =
      pmo::subscription::KafkaSubscription::Create(sub, *(*module)->methodology_feed);
  if (!methodology_feed.ok()) {
    std::fprintf(stderr, "pmo-projects: %s\n", methodology_feed.status().ToString().c_str());
    return 2;
  }
  (*methodology_feed)->Start();
  (*ops)->WatchConsumer(**methodology_feed);

  pmo::grpcserver::ServiceHostOptions options;
  options.listen_address = absl::GetFlag(FLAGS_listen);
  pmo::grpcserver::ApplySecurityFlags(options);  // --insecure, TLS, bearer tokens
  options.log_requests = absl::GetFlag(FLAGS_log_requests);
  options.metrics = &(*ops)->request_metrics();
  return pmo::grpcserver::ServeUntilTerminated("pmo-projects", options, (*module)->grpc_services(),
                                               [&] {
                                                 (*ops)->Stop();  // before what it reads stops
                                                 (*methodology_feed)->Stop();
                                                 relay.Stop(absl::Seconds(10));
                                               });
}
