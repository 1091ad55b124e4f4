#pragma once

// Reads any context's SQLite event store file directly (as a second
// connection), so a fault test can count what is on disk without trusting
// the service it just killed: every event in store order, and which events
// each client request_id caused.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "tests/support/kafka_broker.h"

namespace pmo::testing {

struct StoredEvent {
  int64_t position = 0;
  std::string event_id;
  std::string stream_id;
  int64_t stream_version = 0;
  std::string event_type;  // full proto name
  std::string payload;
};

// What a client request_id wrote: the events whose causation id it is,
// from the first to the last (a command applied twice spans both).
struct StoredRequest {
  std::string stream_id;
  int64_t first_version = 0, last_version = 0;
  int64_t first_position = 0, last_position = 0;
};

struct StoredEvents {
  std::vector<StoredEvent> events;  // in store order
  std::map<std::string, StoredRequest> requests;

  // The events `request_id` caused in its stream, in order; empty when
  // the store holds none.
  std::vector<const StoredEvent*> EventsOf(const std::string& request_id) const;
  // Highest stream version per stream.
  std::map<std::string, int64_t> Versions() const;
};

absl::StatusOr<StoredEvents> ReadStoredEvents(const std::string& store_path);

// What a topic holds against what the store holds, by CloudEvents id.
struct TopicTally {
  int64_t records = 0;
  // Records of an event id already seen: the relay sent it again after a
  // kill fell between delivery and its checkpoint (at-least-once).
  int64_t resent = 0;
};

// Checks that every stored event is on the topic (records' `ce_id`), in its
// stream's key (`ce_subject` and the record key equal the stream id), and
// that the topic holds no event the store does not; counts the resends.
absl::StatusOr<TopicTally> CheckTopicAgainstStore(
    const StoredEvents& stored, const std::vector<KafkaRecord>& records);

// Reads `topic` at `bootstrap` until it holds at least as many records as
// the store has events (60 s at most), then CheckTopicAgainstStore.
absl::StatusOr<TopicTally> ReadTopicAndCheckAgainstStore(
    const std::string& bootstrap, const std::string& topic,
    const StoredEvents& stored);

}  // namespace pmo::testing
