#pragma once

// Load-decide-append, the same for every aggregate.
//
// An aggregate type A provides:
//   static constexpr char kStreamType[];            e.g. "project"
//   void Apply(const google::protobuf::Message& e, absl::Time occurred_at);
//                                                   the fold, one event
// and its command methods (pure) return a Decision (decision.h, the only
// part of event sourcing the domain layer sees).
//
//   ASSIGN_OR_RETURN(auto project, ExecuteCommand<Project>(store, id, ctx,
//       [&](const Versioned<Project>& p) { return p.state.ChangeStatus(...);
//       }));

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/message.h"
#include "libs/base/errors.h"
#include "libs/base/status_macros.h"
#include "libs/eventsourcing/decision.h"
#include "libs/eventsourcing/event_codec.h"
#include "libs/eventstore/event_store.h"

namespace pmo::eventsourcing {

// Everything about a command that is not its business content.
struct CommandContext {
  // The key the store keeps the request under: for a client's command the
  // caller-scoped form of its request_id (CallerScopedRequestId), so one
  // caller's id never answers another's command.
  std::string request_id;
  // A digest of the client's whole request (empty: not known); a request_id
  // replayed with another request is refused (eventstore::CheckSameCommand).
  std::string request_fingerprint;
  // The version the caller saw; nullopt to accept any.
  std::optional<int64_t> expected_version;
  eventstore::CommandMetadata metadata;
  // Business time of the change (when it happened).
  absl::Time occurred_at;
};

// The store's claims for a decision's unique values.
inline std::vector<eventstore::UniqueClaim> ToUniqueClaims(
    std::vector<UniqueValue> values) {
  std::vector<eventstore::UniqueClaim> claims;
  claims.reserve(values.size());
  for (UniqueValue& v : values) {
    claims.push_back({std::move(v.scope), std::move(v.value)});
  }
  return claims;
}

// Folds the stream's events up to `to_version`.
template <typename A>
absl::StatusOr<Versioned<A>> LoadAggregate(eventstore::EventStore& store,
                                           absl::string_view stream_id,
                                           int64_t to_version = INT64_MAX) {
  ASSIGN_OR_RETURN(std::vector<eventstore::RecordedEvent> events,
                   store.ReadStream(stream_id, 1, to_version));
  Versioned<A> out;
  for (const eventstore::RecordedEvent& e : events) {
    ASSIGN_OR_RETURN(std::unique_ptr<google::protobuf::Message> message,
                     DecodeEvent(e.event_type, e.payload));
    out.state.Apply(*message, e.occurred_at);
    out.version = e.stream_version;
  }
  return out;
}

// The stored result of an earlier command with `context`'s request_id, if
// any; INVALID_ARGUMENT naming request_id when that id came with another
// request.
inline absl::StatusOr<std::optional<eventstore::AppendResult>>
FindEarlierRequest(eventstore::EventStore& store,
                   const CommandContext& context) {
  if (context.request_id.empty()) return std::nullopt;
  ASSIGN_OR_RETURN(std::optional<eventstore::AppendResult> earlier,
                   store.FindRequest(context.request_id));
  if (earlier) {
    RETURN_IF_ERROR(
        eventstore::CheckSameCommand(*earlier, context.request_fingerprint));
  }
  return earlier;
}

// Every aggregate of A's stream type, in the order the streams started.
// For queries over all aggregates of a kind until a read model serves them.
template <typename A>
absl::StatusOr<std::vector<Versioned<A>>> LoadAllOfType(
    eventstore::EventStore& store) {
  std::vector<Versioned<A>> out;
  int64_t after = 0;
  while (true) {
    ASSIGN_OR_RETURN(std::vector<eventstore::StreamStart> page,
                     store.ListStreams(A::kStreamType, after, 500));
    if (page.empty()) break;
    for (const eventstore::StreamStart& start : page) {
      ASSIGN_OR_RETURN(Versioned<A> loaded,
                       LoadAggregate<A>(store, start.stream_id));
      out.push_back(std::move(loaded));
    }
    after = page.back().position;
  }
  return out;
}

// Runs a command against one aggregate:
//  1. a request_id seen before returns the aggregate as that request left it;
//  2. load, and refuse with ABORTED when the caller's expected_version is
//     not the current one;
//  3. decide; append with the loaded version as the expected one;
//  4. if another writer got in between and the caller did not pin a version,
//     load and decide again (bounded).
// Returns the aggregate at the version this command produced.
// Whether the command names its aggregate (kExisting) or the handler made a
// fresh id for a new one (kNew): a retried creation gets another fresh id,
// so only for kExisting must a replayed request_id match the stream.
enum class StreamIdentity { kExisting, kNew };

template <typename A>
absl::StatusOr<Versioned<A>> ExecuteCommand(
    eventstore::EventStore& store, const std::string& stream_id,
    const CommandContext& context,
    const std::function<absl::StatusOr<Decision>(const Versioned<A>&)>& decide,
    StreamIdentity identity = StreamIdentity::kExisting) {
  constexpr int kMaxAttempts = 5;
  {
    ASSIGN_OR_RETURN(std::optional<eventstore::AppendResult> earlier,
                     FindEarlierRequest(store, context));
    if (earlier) {
      if (identity == StreamIdentity::kExisting &&
          earlier->stream_id != stream_id) {
        FieldViolations v;
        v.Add("request_id", "was already used for a change to another record");
        return v.ToStatus();
      }
      return LoadAggregate<A>(store, earlier->stream_id, earlier->last_version);
    }
  }
  absl::Status last_conflict;
  for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
    ASSIGN_OR_RETURN(Versioned<A> current, LoadAggregate<A>(store, stream_id));
    if (context.expected_version &&
        *context.expected_version != current.version) {
      return eventstore::VersionConflictError(stream_id, current.version,
                                              *context.expected_version);
    }
    ASSIGN_OR_RETURN(Decision decision, decide(current));
    if (decision.events.empty()) return current;  // nothing to change

    eventstore::AppendRequest request;
    request.stream_id = stream_id;
    request.stream_type = A::kStreamType;
    request.expected_version = current.version;
    request.request_id = context.request_id;
    request.request_fingerprint = context.request_fingerprint;
    request.metadata = context.metadata;
    request.unique_claims = ToUniqueClaims(std::move(decision.unique_values));
    for (const auto& event : decision.events) {
      request.events.push_back(EncodeEvent(*event, context.occurred_at));
    }
    absl::StatusOr<eventstore::AppendResult> appended =
        store.Append(std::move(request));
    if (appended.ok()) {
      if (appended->replayed) {
        // A concurrent retry of the same request won: answer with its result.
        return LoadAggregate<A>(store, appended->stream_id,
                                appended->last_version);
      }
      for (const auto& event : decision.events) {
        current.state.Apply(*event, context.occurred_at);
      }
      current.version = appended->last_version;
      return current;
    }
    if (appended.status().code() != absl::StatusCode::kAborted ||
        context.expected_version) {
      return appended.status();
    }
    last_conflict = appended.status();
  }
  return last_conflict;
}

}  // namespace pmo::eventsourcing
