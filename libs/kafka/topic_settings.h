#pragma once

// The Kafka topics the services create or expect, and the settings they must
// have (docs/kafka.md, "Topic settings"). A service calls EnsureTopics at
// start-up with the topics it produces to and reads from:
//
//   topic missing            -> created with the spec (CreateTopics)
//   topic exists             -> its settings are compared with the spec:
//     a guarded setting differs  -> FAILED_PRECONDITION, the service refuses
//                                   to start (events would be lost)
//     anything else differs      -> a warning in the result
//
// Guarded: an events topic is the public history of a context and the
// source of every rebuild (a consumer from offset 0 must see every event),
// so retention.ms and retention.bytes must be -1 and cleanup.policy must be
// "delete" (compaction keeps only the last event per key, i.e. per
// aggregate). Partition count and replication are the operator's choice: a
// different value only warns.

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "libs/kafka/kafka_config.h"

namespace pmo::kafka {

// Cluster-wide choices for the topics the services create.
struct TopicLayout {
  // Partitions of an events topic. Order is per aggregate (the key), so
  // more partitions only spread aggregates; changing it later re-homes keys.
  int events_partitions = 6;
  // Dead letters are few and read by people: one partition keeps them in
  // the order they failed.
  int dead_letter_partitions = 1;
  // -1: the broker's default.replication.factor. Production: 3, which
  // also sets min.insync.replicas=2 so acks=all survives one broker down.
  int replication_factor = -1;
};

struct TopicSpec {
  std::string name;
  int partitions = -1;          // -1: the broker's default
  int replication_factor = -1;  // -1: the broker's default
  // Topic-level configs set at creation and compared on an existing topic.
  std::map<std::string, std::string> configs;
  // The keys of `configs` an existing topic must match exactly.
  std::set<std::string> guarded;
};

// pmo.<context>.events.v1: kept forever, never compacted.
TopicSpec EventsTopicSpec(absl::string_view context, const TopicLayout& layout);
// pmo.<service>.deadletter.v1: kept forever too (a dead letter waits for a
// person), but only cleanup.policy is guarded: an operator may choose to
// expire dead letters.
TopicSpec DeadLetterTopicSpec(absl::string_view service,
                              const TopicLayout& layout);

struct TopicOutcome {
  std::string topic;
  bool created = false;
  // Differences that do not stop the service, one sentence each.
  std::vector<std::string> warnings;
};

// Creates the missing topics and checks the existing ones (see the top of
// this file). `client` holds librdkafka properties: bootstrap.servers and
// any security settings. UNAVAILABLE when the cluster does not answer
// within `timeout`; FAILED_PRECONDITION naming the topic and the setting
// when a topic cannot be created or a guarded setting differs. Without the
// right to create topics (the platform's operator made them, e.g. as
// Strimzi KafkaTopic resources) existing topics are only checked.
absl::StatusOr<std::vector<TopicOutcome>> EnsureTopics(
    const Properties& client, const std::vector<TopicSpec>& topics,
    absl::Duration timeout);

}  // namespace pmo::kafka
