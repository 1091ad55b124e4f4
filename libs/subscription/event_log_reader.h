#pragma once

// A reader of a whole event log from its first offset, for a read model
// rebuilt from scratch beside the live one (the projection's rebuild from
// the topics, docs/adr/0010). Unlike a subscription it keeps no position of
// its own anywhere (no consumer group offsets): whoever reads decides what
// to do with each delivery and where it got to.

#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/subscription/event_handler.h"

namespace pmo::subscription {

class EventLogReader {
 public:
  virtual ~EventLogReader() = default;
  // Up to `max` deliveries, each partition's in offset order, waiting at
  // most `wait` for the first one; empty when none came in time.
  // Undecodable messages come with `undecodable_reason` set (they are not
  // dead-lettered again: the live subscription did that).
  virtual absl::StatusOr<std::vector<Delivery>> Read(absl::Duration wait,
                                                     int max) = 0;
};

}  // namespace pmo::subscription
