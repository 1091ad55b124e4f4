#pragma once

// EventLogReader over Kafka: every partition of the given topics from its
// first offset, with a consumer of its own. Partitions are assigned
// explicitly (never subscribed), so it joins no group, takes no partition
// from a live consumer and reads and commits no group offsets.
//
//   auto reader = KafkaLogReader::Open({brokers, {"pmo.projects.events.v1"}});
//   auto batch = (*reader)->Read(absl::Milliseconds(100), 500);

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/subscription/event_log_reader.h"

namespace RdKafka {
class KafkaConsumer;
}  // namespace RdKafka

namespace pmo::subscription {

class KafkaLogReader final : public EventLogReader {
 public:
  struct Options {
    std::string bootstrap_servers;
    // Each must exist: UNAVAILABLE naming the topic when the broker does
    // not know it (yet).
    std::vector<std::string> topics;
    std::map<std::string, std::string> overrides;  // librdkafka properties
  };

  static absl::StatusOr<std::unique_ptr<KafkaLogReader>> Open(
      const Options& options);
  ~KafkaLogReader() override;

  absl::StatusOr<std::vector<Delivery>> Read(absl::Duration wait,
                                             int max) override;

  struct Partition {
    std::string topic;
    int32_t partition = 0;
  };
  // The partitions read, by topic then number.
  const std::vector<Partition>& partitions() const { return partitions_; }

 private:
  KafkaLogReader() = default;
  std::unique_ptr<RdKafka::KafkaConsumer> consumer_;
  std::vector<Partition> partitions_;
};

}  // namespace pmo::subscription
