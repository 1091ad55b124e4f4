#pragma once

// The event envelope: what the store keeps around every domain event, and
// what travels with it to Kafka (as CloudEvents headers) and to projections.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace pmo::eventstore {

// Who and what caused a command, recorded on every event it produces.
struct CommandMetadata {
  // The acting principal (user or service name); never a credential.
  std::string actor;
  // The command's request_id, or the id of the event that caused it.
  std::string causation_id;
  // Shared by everything one business transaction caused.
  std::string correlation_id;
  // W3C trace context of the call, "00-<trace>-<span>-<flags>", or empty.
  std::string traceparent;
};

// A domain event about to be appended.
struct NewEvent {
  std::string event_id;  // a UUID chosen by the writer
  std::string
      event_type;  // full protobuf name, e.g. pmo.projects.v1.ProjectCreated
  std::string payload;     // the event message, protobuf binary
  absl::Time occurred_at;  // business time: when it happened in the world
};

// A domain event as stored.
struct RecordedEvent {
  std::string event_id;
  std::string stream_id;       // the aggregate id
  std::string stream_type;     // the aggregate type, e.g. "project"
  int64_t stream_version = 0;  // 1, 2, 3... within the stream, no gaps
  int64_t position = 0;        // 1, 2, 3... across the store, commit order
  absl::Time occurred_at;
  absl::Time recorded_at;
  CommandMetadata metadata;
  std::string event_type;
  std::string payload;
};

// Claims a value unique within a scope (e.g. a project code) for a stream,
// atomically with the append. Another stream's claim of the same value makes
// the append fail with ALREADY_EXISTS.
struct UniqueClaim {
  std::string scope;
  std::string value;
};

struct AppendRequest {
  std::string stream_id;
  std::string stream_type;
  // nullopt: append whatever the stream's version; 0: the stream must not
  // exist yet; n: the stream must be at exactly version n.
  std::optional<int64_t> expected_version;
  std::vector<NewEvent> events;
  // When set, a second append with the same request_id appends nothing and
  // returns the first append's result.
  std::string request_id;
  // A digest of the command the request_id was sent with (empty: not
  // known). A second append with the same request_id but another
  // fingerprint is refused (RequestReusedError) instead of answered.
  std::string request_fingerprint;
  CommandMetadata metadata;
  std::vector<UniqueClaim> unique_claims;
};

struct AppendResult {
  std::string stream_id;
  int64_t first_version = 0;
  int64_t last_version = 0;
  int64_t first_position = 0;
  int64_t last_position = 0;
  // True when this is the stored result of an earlier append with the same
  // request_id.
  bool replayed = false;
  // The fingerprint stored with that request_id (FindRequest only).
  std::string request_fingerprint;

  bool operator==(const AppendResult&) const = default;
};

}  // namespace pmo::eventstore
