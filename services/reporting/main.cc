// pmo-reporting: reports and communication plans as their own process.
// Reports read the projection's consolidated views over gRPC
// (--projection_addr); commands are stored in <data_dir>/reporting-events.db
// and relayed to Kafka topic pmo.reporting.events.v1; scheduled reports and
// webhooks go out every --distribution_interval.

#include <cstdio>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "libs/grpcclient/client_security.h"
#include "libs/grpcserver/service_host.h"
#include "libs/servicehost/kafka_binary.h"
#include "services/reporting/reporting_module.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50066",
          "gRPC listen address (port 0: any free port)");
ABSL_FLAG(std::string, data_dir, "./pmo-data/reporting",
          "Folder of the SQLite files");
ABSL_FLAG(std::string, kafka_brokers, "",
          "Kafka bootstrap servers (host:port,...); required");
ABSL_FLAG(
    std::string, projection_addr, "127.0.0.1:50062",
    "The projection service (pmo-projection) the reports read, host:port");
ABSL_FLAG(bool, log_requests, true, "Log one line per RPC on stderr");

int main(int argc, char** argv) {
  pmo::grpcserver::BlockTerminationSignals();
  absl::SetProgramUsageMessage("The PMO reporting service.");
  absl::ParseCommandLine(argc, argv);
  const absl::StatusOr<absl::Duration> interval =
      pmo::reporting::DistributionIntervalFromFlag();
  if (!absl::GetFlag(FLAGS_kafka_brokers).empty() && !interval.ok()) {
    std::fprintf(stderr, "pmo-reporting: %s\n",
                 std::string(interval.status().message()).c_str());
    return 2;
  }
  return pmo::servicehost::RunServiceBinary(
      {.program = "pmo-reporting",
       .kafka_brokers = absl::GetFlag(FLAGS_kafka_brokers),
       .listen_address = absl::GetFlag(FLAGS_listen),
       .log_requests = absl::GetFlag(FLAGS_log_requests)},
      [&]() -> absl::StatusOr<pmo::servicehost::ServiceModule> {
        // --client_tls_*, --client_token_file: TLS and the service token.
        // The dashboard's readers use a second channel with the same TLS and
        // no token of its own: each of their calls carries the reader's
        // token instead.
        const pmo::grpcclient::ClientSecurity security =
            pmo::grpcclient::ClientSecurityFromFlags();
        pmo::grpcclient::ClientSecurity readers_security = security;
        readers_security.tls = security.UsesTls();
        readers_security.token_file.clear();
        const std::string projection = absl::GetFlag(FLAGS_projection_addr);
        auto module = pmo::reporting::ReportingModule::Open(
            absl::GetFlag(FLAGS_data_dir),
            pmo::reporting::ProjectionOverChannel(
                pmo::grpcclient::ChannelTo(projection, security),
                pmo::grpcclient::ChannelTo(projection, readers_security)));
        if (!module.ok()) return module.status();
        return pmo::reporting::AsServiceModule(*std::move(module), *interval);
      });
}
