// pmo-reporting: reports and communication plans as their own process.
// Reports read the projection's consolidated views over gRPC
// (--projection_addr); commands are stored in <data_dir>/reporting-events.db
// and relayed to Kafka topic pmo.reporting.events.v1; scheduled reports and
// webhooks go out every --distribution_interval.

#include <cstdio>
#include <string>

#include <grpcpp/create_channel.h>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "libs/grpcclient/client_security.h"
#include "libs/operability/service_operability.h"
#include "libs/grpcserver/security_flags.h"
#include "libs/grpcserver/service_host.h"
#include "libs/outbox/kafka_event_producer.h"
#include "libs/outbox/outbox_relay.h"
#include "services/reporting/reporting_module.h"
#include "services/reporting/web/dashboard_server.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50066", "gRPC listen address (port 0: any free port)");
ABSL_FLAG(std::string, data_dir, "./pmo-data/reporting", "Folder of the SQLite files");
ABSL_FLAG(std::string, kafka_brokers, "", "Kafka bootstrap servers (host:port,...); required");
ABSL_FLAG(std::string, projection_addr, "127.0.0.1:50062",
          "The projection service (pmo-projection) the reports read, host:port");
ABSL_FLAG(absl::Duration, distribution_interval, absl::Seconds(30),
          "How often due scheduled reports and webhook retries are looked for");
ABSL_FLAG(bool, log_requests, true, "Log one line per RPC on stderr");

int main(int argc, char** argv) {
  pmo::grpcserver::BlockTerminationSignals();
  absl::SetProgramUsageMessage("The PMO reporting service.");
  absl::ParseCommandLine(argc, argv);
  const std::string brokers = absl::GetFlag(FLAGS_kafka_brokers);
  if (brokers.empty()) {
    std::fprintf(stderr, "pmo-reporting: --kafka_brokers is required (the all-in-one `pmo` runs "
                         "without Kafka)\n");
    return 2;
  }
  const absl::Duration interval = absl::GetFlag(FLAGS_distribution_interval);
  if (interval < absl::Milliseconds(100)) {
    std::fprintf(stderr, "pmo-reporting: --distribution_interval must be at least 100ms\n");
    return 2;
  }
  // --client_tls_*, --client_token_file: TLS and the service token. The
  // dashboard's readers use a second channel with the same TLS and no token
  // of its own: each of their calls carries the reader's token instead.
  const pmo::grpcclient::ClientSecurity security = pmo::grpcclient::ClientSecurityFromFlags();
  pmo::grpcclient::ClientSecurity readers_security = security;
  readers_security.tls = security.UsesTls();
  readers_security.token_file.clear();
  const std::string projection = absl::GetFlag(FLAGS_projection_addr);
  auto module = pmo::reporting::ReportingModule::Open(
      absl::GetFlag(FLAGS_data_dir),
      pmo::reporting::ProjectionOverChannel(pmo::grpcclient::ChannelTo(projection, security),
                                            pmo::grpcclient::ChannelTo(projection, readers_security)));
  if (!module.ok()) {
    std::fprintf(stderr, "pmo-reporting: %s\n", module.status().ToString().c_str());
    return 1;
  }
  // Topics checked or created before anything reads or writes them.
  auto ops = pmo::operability::ServiceOperability::Start(
      "reporting", {brokers, {"reporting"}, {}, false});
  if (!ops.ok()) {
    std::fprintf(stderr, "pmo-reporting: %s\n", ops.status().ToString().c_str());
    return 2;
  }
  auto producer = pmo::outbox::KafkaEventProducer::Create(brokers, "reporting");
  if (!producer.ok()) {
    std::fprintf(stderr, "pmo-reporting: %s\n", producer.status().ToString().c_str());
    return 2;
  }
  pmo::outbox::OutboxRelay relay(*(*module)->store, *(*module)->checkpoints,
                                 *std::move(producer),
                                 {.leadership = (*module)->relay_leadership.get()});
  relay.Start();
  (*ops)->WatchRelay("reporting", relay, *(*module)->store);
  (*module)->distribution->Start(interval);

  pmo::grpcserver::ServiceHostOptions options;
  options.listen_address = absl::GetFlag(FLAGS_listen);
  pmo::grpcserver::ApplySecurityFlags(options);  // --insecure, TLS, bearer tokens
  options.log_requests = absl::GetFlag(FLAGS_log_requests);
  options.metrics = &(*ops)->request_metrics();
  // --dashboard_listen: the web dashboard over the same views (docs/dashboard.md).
  auto dashboard = pmo::reporting::DashboardServer::StartFromFlag(
      "pmo-reporting", options, *(*module)->views, (*module)->views_seen_by());
  if (!dashboard.ok()) {
    std::fprintf(stderr, "pmo-reporting: %s\n", dashboard.status().ToString().c_str());
    return 2;
  }
  return pmo::grpcserver::ServeUntilTerminated("pmo-reporting", options,
                                               (*module)->grpc_services(), [&] {
                                                 dashboard->reset();  // before the views go
                                                 (*ops)->Stop();  // before what it reads stops
                                                 (*module)->distribution->Stop();
                                                 relay.Stop(absl::Seconds(10));
                                               });
}
