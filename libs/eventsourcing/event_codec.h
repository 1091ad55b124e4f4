#pragma once

// Domain events are protobuf messages; the store keeps their full type name
// and binary form. Decoding looks the type up in the generated descriptor
// pool, so any linked event message decodes without a registry to maintain.

#include <memory>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/message.h"
#include "libs/eventstore/recorded_event.h"

namespace pmo::eventsourcing {

// A new event with a fresh id, the message's full name and binary payload.
eventstore::NewEvent EncodeEvent(const google::protobuf::Message& event,
                                 absl::Time occurred_at);

// NOT_FOUND for a type this binary does not know; DATA_LOSS for a payload
// that does not parse.
absl::StatusOr<std::unique_ptr<google::protobuf::Message>> DecodeEvent(
    absl::string_view event_type, absl::string_view payload);

}  // namespace pmo::eventsourcing
