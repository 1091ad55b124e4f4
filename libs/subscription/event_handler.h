#pragma once

// The consumer side of events: a subscription delivers batches, a handler
// (a projection) applies them and stores where it got to in the same
// transaction as its own writes, so a crash can never separate the two.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "libs/eventstore/recorded_event.h"

namespace pmo::subscription {

// One event as delivered, with where it came from.
struct Delivery {
  eventstore::RecordedEvent event;
  // Kafka topic, or "store:<name>" for an in-process subscription.
  std::string source;
  int32_t partition = 0;
  // Kafka offset, or store position.
  int64_t offset = 0;
  // Set when the message could not be read as an event (it went to the
  // dead-letter topic); the handler only moves its offset past it.
  std::string undecodable_reason;
};

class EventHandler {
 public:
  virtual ~EventHandler() = default;
  // The next offset to read from (source, partition), or nullopt to start at
  // the beginning.
  virtual absl::StatusOr<std::optional<int64_t>> ResumeOffset(
      const std::string& source, int32_t partition) = 0;
  // Applies the batch and records offset + 1 of each delivery, atomically.
  // On error nothing of the batch is kept; the subscription delivers again.
  virtual absl::Status Handle(const std::vector<Delivery>& batch) = 0;
};

}  // namespace pmo::subscription
