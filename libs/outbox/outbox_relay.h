#pragma once

// The transactional outbox relay: publishes the store's events, in store
// order, through an EventProducer, and moves its checkpoint only past events
// the producer reports delivered. At-least-once: after a crash or a failed
// delivery, events after the checkpoint are sent again (consumers drop the
// duplicates by stream version).
//
//   loop: batch = store.ReadAll(checkpoint, N)
//         delivered = producer.Produce(batch)        (waits for reports)
//         checkpoint = batch[delivered - 1].position (durable)
//         if delivered < batch.size(): back off, retry from the checkpoint
//
// Replicas sharing a store relay once: with a RelayLeadership only its
// holder runs the loop; a standby asks again every standby_poll and, when it
// takes over, starts from the checkpoint the old leader saved. Events the old
// leader sent but had not checkpointed go out again (duplicates, not loss).

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "absl/time/time.h"
#include "libs/eventstore/checkpoint_store.h"
#include "libs/eventstore/event_store.h"
#include "libs/outbox/event_producer.h"
#include "libs/outbox/relay_leadership.h"

namespace pmo::outbox {

class OutboxRelay {
 public:
  struct Options {
    std::string checkpoint_name = "outbox-relay";
    int batch_size = 1000;
    // How long one batch may wait for its delivery reports.
    absl::Duration delivery_timeout = absl::Seconds(30);
    absl::Duration retry_backoff = absl::Milliseconds(500);
    // Null: this process alone relays (SQLite). Not owned.
    RelayLeadership* leadership = nullptr;
    absl::Duration standby_poll = absl::Milliseconds(500);
  };

  OutboxRelay(eventstore::EventStore& store,
              eventstore::CheckpointStore& checkpoints,
              std::unique_ptr<EventProducer> producer, Options options);
  ~OutboxRelay();  // Stop(absl::Seconds(5))

  void Start();
  // Finishes the batch in hand (waiting up to `grace` for its deliveries,
  // which flushes what the store held when the batch was read) and stops.
  void Stop(absl::Duration grace);
  // Blocks until everything the store holds now is published, or timeout.
  bool WaitUntilPublished(absl::Duration timeout);

  int64_t published_position() const { return published_.load(); }
  // Whether this relay led (and so published) at its last turn.
  bool leading() const { return leading_.load(); }

 private:
  void Run();
  // The saved checkpoint, retried until it loads; nullopt when stopping.
  std::optional<int64_t> LoadCheckpoint();

  eventstore::EventStore& store_;
  eventstore::CheckpointStore& checkpoints_;
  std::unique_ptr<EventProducer> producer_;
  const Options options_;
  std::atomic<int64_t> published_{0};
  std::atomic<bool> leading_{false};
  std::atomic<bool> stopping_{false};
  std::atomic<int64_t> stop_deadline_us_{0};
  std::thread thread_;
};

}  // namespace pmo::outbox
