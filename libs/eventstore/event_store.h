#pragma once

// The event store port. Adapters: SqliteEventStore (embedded default) and
// PostgresEventStore (scale-out: replicas sharing one database).
//
// Guarantees every adapter keeps:
//  - Append is atomic and durable when it returns OK (on disk, fsynced).
//  - Optimistic concurrency: a wrong expected_version is ABORTED, with the
//    current version attached (CurrentVersionOf(status)).
//  - A repeated request_id appends nothing and returns the first result;
//    with another request fingerprint it is refused (CheckSameCommand).
//  - Positions grow in commit order; ReadAll never shows a later position
//    before an earlier one is visible.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "libs/eventstore/recorded_event.h"

namespace pmo::eventstore {

// The first event of a stream, for listing aggregates of one type.
struct StreamStart {
  std::string stream_id;
  int64_t position = 0;  // position of the stream's first event
};

class EventStore {
 public:
  virtual ~EventStore() = default;

  virtual absl::StatusOr<AppendResult> Append(AppendRequest request) = 0;

  // The stored result of an earlier append with this request_id, if any.
  virtual absl::StatusOr<std::optional<AppendResult>> FindRequest(
      absl::string_view request_id) = 0;

  // Events of one stream with from_version <= version <= to_version, in
  // version order. An unknown stream gives an empty list.
  virtual absl::StatusOr<std::vector<RecordedEvent>> ReadStream(
      absl::string_view stream_id, int64_t from_version = 1,
      int64_t to_version = INT64_MAX) = 0;

  // Up to max_count events with position > after_position, in order.
  virtual absl::StatusOr<std::vector<RecordedEvent>> ReadAll(
      int64_t after_position, int max_count) = 0;

  // Streams of one type in the order they were started, after the given
  // position of a first event.
  virtual absl::StatusOr<std::vector<StreamStart>> ListStreams(
      absl::string_view stream_type, int64_t after_position, int limit) = 0;

  // The position of the last committed event (0 when empty).
  virtual int64_t HeadPosition() const = 0;

  // Blocks until HeadPosition() > position or the timeout passes; returns
  // whether it did. Catch-up readers use it instead of polling.
  virtual bool WaitForEventsAfter(int64_t position, absl::Duration timeout) = 0;
};

// INVALID_ARGUMENT naming the field when `request` cannot be appended by any
// adapter (no stream id or type, no events, a negative expected version, an
// event without id or type).
absl::Status ValidateAppendRequest(const AppendRequest& request);

// ABORTED for a version conflict, carrying the current version.
absl::Status VersionConflictError(absl::string_view stream_id,
                                  int64_t current_version,
                                  int64_t expected_version);

// The current version carried by a VersionConflictError, if `status` is one.
std::optional<int64_t> CurrentVersionOf(const absl::Status& status);

// OK when `earlier` (the stored result of a request_id) may answer the
// command whose fingerprint is `fingerprint`: the same command, or one of
// the two fingerprints unknown (stored before fingerprints were kept, or
// sent by the service itself). Otherwise INVALID_ARGUMENT naming
// request_id, which says nothing of the earlier command.
absl::Status CheckSameCommand(const AppendResult& earlier,
                              absl::string_view fingerprint);

}  // namespace pmo::eventstore
