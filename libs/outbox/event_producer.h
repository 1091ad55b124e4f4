#pragma once

// Port of the outbox relay: sends stored events to the distribution log.

#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/eventstore/recorded_event.h"

namespace pmo::outbox {

class EventProducer {
 public:
  virtual ~EventProducer() = default;
  // Sends `events` in order and waits for their acknowledgements until
  // `deadline`. Returns how many from the front are durably acknowledged:
  // the relay's checkpoint may move exactly that far.
  virtual size_t Produce(const std::vector<eventstore::RecordedEvent>& events,
                         absl::Time deadline) = 0;
};

}  // namespace pmo::outbox
