#pragma once

// Runs one service module as its own Kafka-connected binary
// (pmo-<context>): its store relayed to its events topic by the outbox
// relay, a Kafka consumer for the topics of its declared feeds, the
// operability endpoints (topics checked or created first), its gRPC
// services, its jobs, and an orderly stop.

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "libs/servicehost/service_module.h"

namespace pmo::servicehost {

struct BinaryOptions {
  // "pmo-resources": the prefix of every line this runner prints.
  std::string program;
  std::string kafka_brokers;
  // The consumer group (--group_id); empty: pmo-<context>-<hostname>.
  std::string group_id;
  std::string listen_address;
  bool log_requests = true;
  // Printed after "<program>: --kafka_brokers is required" when there are
  // no brokers.
  std::string kafka_required_hint =
      " (the all-in-one `pmo` runs without Kafka)";
};

// In order: --kafka_brokers checked (exit 2), the module opened with
// `open` (exit 1), operability started with the module's topics (exit 2),
// the relay started when the module publishes, one consumer for its feeds
// (exit 2; every feed of a binary goes to one handler, as one consumer
// group delivers to one), the gRPC host's options, the jobs (exit 2), then
// serving until SIGTERM or SIGINT. The stop: health, the jobs that stop
// before the feeds, the consumer, the other jobs, the relay (10 s grace).
// grpcserver::BlockTerminationSignals() first thing in main().
int RunServiceBinary(
    const BinaryOptions& options,
    const std::function<absl::StatusOr<ServiceModule>()>& open);

}  // namespace pmo::servicehost
