#pragma once

// Kafka adapter of EventProducer: librdkafka's idempotent producer
// (enable.idempotence=true, acks=all; no compression codec older brokers
// would need), key = aggregate id, value = the event message, CloudEvents
// binary-mode headers.

#include <librdkafka/rdkafkacpp.h>

#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "libs/outbox/event_producer.h"

namespace pmo::outbox {

class KafkaEventProducer : public EventProducer {
 public:
  // `context` names the bounded context: topic pmo.<context>.events.v1 and
  // ce_source /pmo/<context>. `overrides` are extra librdkafka properties.
  static absl::StatusOr<std::unique_ptr<KafkaEventProducer>> Create(
      const std::string& bootstrap_servers, const std::string& context,
      const std::map<std::string, std::string>& overrides = {});
  ~KafkaEventProducer() override;

  size_t Produce(const std::vector<eventstore::RecordedEvent>& events,
                 absl::Time deadline) override;

  const std::string& topic() const { return topic_; }

 private:
  class DeliveryReports;
  KafkaEventProducer() = default;
  std::string context_;
  std::string topic_;
  std::unique_ptr<DeliveryReports> reports_;
  std::unique_ptr<RdKafka::Producer> producer_;
};

}  // namespace pmo::outbox
