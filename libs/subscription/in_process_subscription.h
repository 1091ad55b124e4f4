#pragma once

// Catch-up subscription over a local event store (the all-in-one mode): reads
// by position from where the handler left off, then follows new commits.

#include <atomic>
#include <string>
#include <thread>

#include "absl/time/time.h"
#include "libs/eventstore/event_store.h"
#include "libs/subscription/event_handler.h"

namespace pmo::subscription {

class InProcessSubscription {
 public:
  // `source_name` identifies the store in the handler's offsets
  // (the source is "store:<source_name>", partition 0).
  InProcessSubscription(eventstore::EventStore& store,
                        const std::string& source_name, EventHandler& handler,
                        int batch_size = 500);
  ~InProcessSubscription();  // Stop()

  void Start();
  void Stop();
  // Blocks until every event the store holds now is handled, or timeout.
  bool WaitUntilCaughtUp(absl::Duration timeout);
  int64_t handled_position() const { return handled_.load(); }
  const std::string& source() const { return source_; }

 private:
  void Run();
  eventstore::EventStore& store_;
  const std::string source_;
  EventHandler& handler_;
  const int batch_size_;
  std::atomic<int64_t> handled_{0};
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace pmo::subscription
