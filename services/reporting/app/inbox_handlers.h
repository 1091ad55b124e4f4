#pragma once

// Deliveries into the stakeholders' inboxes, reading them, and waiting for
// the next one (the WatchInbox stream).

#include <cstdint>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "libs/base/clock.h"
#include "libs/eventsourcing/command_handling.h"
#include "libs/eventstore/event_store.h"
#include "services/reporting/domain/stakeholder_inbox.h"

namespace pmo::reporting {

// Wakes the watchers when any inbox changes: a generation counter each
// delivery bumps. Watchers re-read their inbox; a spurious wake costs one
// read.
class InboxNotifier {
 public:
  uint64_t generation() const;
  void Notify();
  // Returns when the generation differs from `seen`, or after `timeout`.
  uint64_t WaitForChange(uint64_t seen, absl::Duration timeout) const;

 private:
  mutable absl::Mutex mu_;
  uint64_t generation_ ABSL_GUARDED_BY(mu_) = 0;
};

class InboxHandlers {
 public:
  InboxHandlers(eventstore::EventStore& store,
                const Clock& clock = Clock::Real())
      : store_(store), clock_(clock) {}

  // Delivers `item` (its item_id set by the caller, stable across retries)
  // to the stakeholder's inbox; the item as the inbox holds it (the first
  // delivery's when it was already there).
  absl::StatusOr<v1::InboxItem> Deliver(const std::string& stakeholder_id,
                                        v1::InboxItem item,
                                        eventsourcing::CommandContext context);
  // Up to `limit` items after `after_sequence`, oldest first.
  absl::StatusOr<std::vector<v1::InboxItem>> List(
      const std::string& stakeholder_id, int64_t after_sequence, int limit);

  InboxNotifier& notifier() { return notifier_; }

 private:
  eventstore::EventStore& store_;
  const Clock& clock_;
  InboxNotifier notifier_;
};

}  // namespace pmo::reporting
