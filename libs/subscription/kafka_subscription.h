#pragma once

// Subscription to Kafka events topics through a consumer group. Offsets are
// not committed to Kafka: on every assignment each partition starts from
// the offset the handler stored with its view (ResumeOffset), so view and
// position can never disagree. Messages that are not readable CloudEvents
// go to a dead-letter topic with the reason, and the consumer goes on.

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/subscription/event_handler.h"

namespace RdKafka {
class KafkaConsumer;
class Producer;
}  // namespace RdKafka

namespace pmo::subscription {

class KafkaSubscription {
 public:
  struct Options {
    std::string bootstrap_servers;
    std::string group_id;
    std::vector<std::string> topics;
    // Where unreadable messages go, with header pmo_dlq_reason.
    std::string dead_letter_topic;
    int max_batch = 500;
    std::map<std::string, std::string> overrides;  // librdkafka properties
  };

  static absl::StatusOr<std::unique_ptr<KafkaSubscription>> Create(
      Options options, EventHandler& handler);
  ~KafkaSubscription();  // Stop()

  void Start();
  void Stop();
  // Messages handled so far (including dead-lettered ones).
  int64_t handled_count() const { return handled_.load(); }
  int64_t dead_lettered_count() const { return dead_lettered_.load(); }

  // How many messages each assigned partition holds beyond what the handler
  // has taken in (high watermark - position), refreshed about once a second
  // from the consumer's own fetch state (no extra broker round trip).
  struct PartitionLag {
    std::string topic;
    int32_t partition = 0;
    int64_t messages = 0;
  };
  std::vector<PartitionLag> Lags() const;
  const std::string& group_id() const { return options_.group_id; }

 private:
  class Rebalance;
  KafkaSubscription(Options options, EventHandler& handler);
  void Run();
  bool DeadLetter(const Delivery& delivery, const std::string& key,
                  const std::string& payload);
  void Rewind();
  void RefreshLags();

  Options options_;
  EventHandler& handler_;
  std::unique_ptr<Rebalance> rebalance_;
  std::unique_ptr<RdKafka::KafkaConsumer> consumer_;
  std::unique_ptr<RdKafka::Producer> dead_letters_;
  std::atomic<bool> stopping_{false};
  std::atomic<int64_t> handled_{0};
  std::atomic<int64_t> dead_lettered_{0};
  mutable std::mutex lags_mu_;
  std::vector<PartitionLag> lags_;  // guarded by lags_mu_
  std::thread thread_;
};

// The options of one service's consumer: group `group_id`, or when it is
// empty "pmo-<service>-<hostname>" (each replica keeps a whole view, so
// replicas must not share partitions); unreadable messages go to
// pmo.<service>.deadletter.v1.
KafkaSubscription::Options ServiceConsumerOptions(
    const std::string& service, const std::string& bootstrap_servers,
    const std::string& group_id, std::vector<std::string> topics);

}  // namespace pmo::subscription
