#pragma once

// What every separately deployed service binary sets up besides its gRPC
// services, from flags all of them share (so a main gains a few lines, not
// a flag block):
//
//   --kafka_topic_partitions, --kafka_topic_replication, --kafka_topics_wait
//       the topics it writes and reads are created or checked at start-up
//       (libs/kafka/topic_settings.h, docs/kafka.md)
//   --metrics_listen
//       Prometheus GET /metrics: RPC counts and latency histograms by
//       method and code, the outbox relay's lag, consumer lag per partition
//   --log_format
//       text or json log lines on stderr (libs/base/log_line.h)
//   --health_listen
//       grpc.health.v1 alone, in plain text, for probes that cannot speak
//       TLS (kubelet's native gRPC probe) while the API port requires it
//
//   auto ops = ServiceOperability::Start("risks", {.brokers = brokers,
//       .produces = {"risks"}, .consumes = {"projects"}, .dead_letters =
//       true});
//   ops->WatchRelay("risks", relay, store);
//   ops->WatchConsumer(*projects_feed);
//   host_options.metrics = &ops->request_metrics();

#include <grpcpp/server.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "libs/eventstore/event_store.h"
#include "libs/grpcserver/request_metrics.h"
#include "libs/operability/metrics_endpoint.h"
#include "libs/outbox/outbox_relay.h"
#include "libs/subscription/kafka_subscription.h"

namespace pmo::operability {

struct ServiceTopics {
  std::string brokers;
  // Contexts whose events topic pmo.<context>.events.v1 the service writes.
  std::vector<std::string> produces;
  // Contexts whose events topic it reads.
  std::vector<std::string> consumes;
  // It consumes, so it writes pmo.<service>.deadletter.v1.
  bool dead_letters = false;
};

class ServiceOperability {
 public:
  // Ensures the topics (waiting up to --kafka_topics_wait for the cluster;
  // none asked, as for the all-in-one "pmo", touches no Kafka), then starts
  // the /metrics endpoint. An error names the topic or flag;
  // a main exits with it.
  static absl::StatusOr<std::unique_ptr<ServiceOperability>> Start(
      const std::string& service, const ServiceTopics& topics);

  grpcserver::RequestMetrics& request_metrics() { return requests_; }
  // Reports how far the relay of `context` is behind its store.
  void WatchRelay(const std::string& context, const outbox::OutboxRelay& relay,
                  eventstore::EventStore& store);
  // Reports the consumer's lag per assigned partition.
  void WatchConsumer(const subscription::KafkaSubscription& consumer);

  // Health goes NOT_SERVING and the endpoints stop; call it before the
  // relay and consumers /metrics reads are stopped and destroyed.
  void Stop();
  ~ServiceOperability();

  // The whole exposition text, as GET /metrics answers it.
  std::string RenderMetrics();
  int metrics_port() const { return endpoint_ ? endpoint_->port() : 0; }
  int health_port() const { return health_port_; }

 private:
  struct Relay {
    std::string context;
    const outbox::OutboxRelay* relay;
    eventstore::EventStore* store;
  };
  ServiceOperability() = default;

  grpcserver::RequestMetrics requests_;
  std::mutex mu_;
  std::vector<Relay> relays_ ABSL_GUARDED_BY(mu_);
  std::vector<const subscription::KafkaSubscription*> consumers_
      ABSL_GUARDED_BY(mu_);
  std::unique_ptr<MetricsEndpoint> endpoint_;
  std::unique_ptr<grpc::Server> health_;
  int health_port_ = 0;
};

}  // namespace pmo::operability
