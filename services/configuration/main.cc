// pmo-configuration: configuration management, change control and the PMO
// library as their own process. Commands are stored in
// <data_dir>/configuration-events.db and relayed to Kafka topic
// pmo.configuration.events.v1; the projects (commands naming an unknown
// project are refused) are learnt from pmo.projects.events.v1.

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
#include "services/configuration/configuration_module.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50065", "gRPC listen address (port 0: any free port)");
ABSL_FLAG(std::string, data_dir, "./pmo-data/configuration", "Folder of the event store file");
ABSL_FLAG(std::string, kafka_brokers, "", "Kafka bootstrap servers (host:port,...); required");
ABSL_FLAG(std::string, group_id, "",
          "Kafka consumer group for the projects view; default pmo-configuration-<hostname> "
          "(each replica keeps a whole view)");
ABSL_FLAG(bool, log_requests, true, "Log one line per RPC on stderr");

int main(int argc, char** argv) {
  pmo::grpcserver::BlockTerminationSignals();
  absl::SetProgramUsageMessage("The PMO configuration service.");
  absl::ParseCommandLine(argc, argv);
  if (absl::GetFlag(FLAGS_kafka_brokers).empty()) {
    std::fprintf(stderr, "pmo-configuration: --kafka_brokers is required (the all-in-one `pmo` "
                         "runs without Kafka)\n");
    return 2;
  }
  auto module = pmo::configuration::ConfigurationModule::Open(absl::GetFlag(FLAGS_data_dir));
  if (!module.ok()) {
    std::fprintf(stderr, "pmo-configuration: %s\n", module.status().ToString().c_str());
    return 1;
  }
  // Topics checked or created before anything reads or writes them.
  auto ops = pmo::operability::ServiceOperability::Start(
      "configuration", {absl::GetFlag(FLAGS_kafka_brokers), {"configuration"}, {"projects"}, true});
  if (!ops.ok()) {
    std::fprintf(stderr, "pmo-configuration: %s\n", ops.status().ToString().c_str());
    return 2;
  }
  auto producer =
      pmo::outbox::KafkaEventProducer::Create(absl::GetFlag(FLAGS_kafka_brokers), "configuration");
  if (!producer.ok()) {
    std::fprintf(stderr, "pmo-configuration: %s\n", producer.status().ToString().c_str());
    return 2;
  }
  pmo::outbox::OutboxRelay relay(*(*module)->store, *(*module)->checkpoints, *std::move(producer),
                                 {.leadership = (*module)->relay_leadership.get()});
  relay.Start();
  (*ops)->WatchRelay("configuration", relay, *(*module)->store);

  const auto sub = pmo::subscription::ServiceConsumerOptions(
      "configuration", absl::GetFlag(FLAGS_kafka_brokers), absl::GetFlag(FLAGS_group_id),
      {pmo::cloudevents::EventsTopic("projects")});
  auto projects_feed = pmo::subscription::KafkaSubscription::Create(sub, *(*module)->projects);
  if (!projects_feed.ok()) {
    std::fprintf(stderr, "pmo-configuration: %s\n", projects_feed.status().ToString().c_str());
    return 2;
  }
  (*projects_feed)->Start();
  (*ops)->WatchConsumer(**projects_feed);

  pmo::grpcserver::ServiceHostOptions options;
  options.listen_address = absl::GetFlag(FLAGS_listen);
  pmo::grpcserver::ApplySecurityFlags(options);  // --insecure, TLS, bearer tokens
  options.log_requests = absl::GetFlag(FLAGS_log_requests);
  options.metrics = &(*ops)->request_metrics();
  return pmo::grpcserver::ServeUntilTerminated("pmo-configuration", options,
                                               (*module)->grpc_services(),
                                               [&] {
                                                 (*ops)->Stop();  // before what it reads stops
                                                 (*projects_feed)->Stop();
                                                 relay.Stop(absl::Seconds(10));
                                               });
}
