#include "libs/outbox/outbox_relay.h"

#include <cstdio>

#include "absl/time/clock.h"

namespace pmo::outbox {

OutboxRelay::OutboxRelay(eventstore::EventStore& store,
                         eventstore::CheckpointStore& checkpoints,
                         std::unique_ptr<EventProducer> producer,
                         Options options)
    : store_(store),
      checkpoints_(checkpoints),
      producer_(std::move(producer)),
      options_(std::move(options)) {}

OutboxRelay::~OutboxRelay() { Stop(absl::Seconds(5)); }

void OutboxRelay::Start() {
  thread_ = std::thread([this] { Run(); });
}

void OutboxRelay::Stop(absl::Duration grace) {
  if (!thread_.joinable()) return;
  stop_deadline_us_ = absl::ToUnixMicros(absl::Now() + grace);
  stopping_ = true;
  thread_.join();
}

bool OutboxRelay::WaitUntilPublished(absl::Duration timeout) {
  const int64_t target = store_.HeadPosition();
  const absl::Time deadline = absl::Now() + timeout;
  while (published_.load() < target) {
    if (absl::Now() > deadline) return false;
    absl::SleepFor(absl::Milliseconds(10));
  }
  return true;
}

std::optional<int64_t> OutboxRelay::LoadCheckpoint() {
  absl::StatusOr<int64_t> loaded = checkpoints_.Load(options_.checkpoint_name);
  while (!loaded.ok()) {
    std::fprintf(stderr, "relay: cannot load checkpoint: %s\n",
                 loaded.status().ToString().c_str());
    if (stopping_) return std::nullopt;
    absl::SleepFor(options_.retry_backoff);
    loaded = checkpoints_.Load(options_.checkpoint_name);
  }
  return *loaded;
}

void OutboxRelay::Run() {
  int64_t checkpoint = 0;
  if (options_.leadership == nullptr) {
    std::optional<int64_t> loaded = LoadCheckpoint();
    if (!loaded) return;
    checkpoint = *loaded;
    published_ = checkpoint;
    leading_ = true;
  }

  while (true) {
    // On stop: one last pass publishes what is already stored, then exits.
    const bool last_pass = stopping_.load();
    if (options_.leadership != nullptr) {
      if (!options_.leadership->TryLead()) {
        leading_ = false;
        if (last_pass) return;
        absl::SleepFor(options_.standby_poll);
        continue;
      }
      if (!leading_.load()) {
        // Taken over (or first taken): the last leader's progress is ours.
        std::optional<int64_t> loaded = LoadCheckpoint();
        if (!loaded) return;
        checkpoint = *loaded;
        published_ = checkpoint;
        leading_ = true;
        std::fprintf(stderr, "relay: leading from position %lld\n",
                     static_cast<long long>(checkpoint));
      }
    }
    absl::StatusOr<std::vector<eventstore::RecordedEvent>> batch =
        store_.ReadAll(checkpoint, options_.batch_size);
    if (!batch.ok()) {
      std::fprintf(stderr, "relay: read failed: %s\n",
                   batch.status().ToString().c_str());
      if (last_pass) return;
      absl::SleepFor(options_.retry_backoff);
      continue;
    }
    if (batch->empty()) {
      if (last_pass) return;
      store_.WaitForEventsAfter(checkpoint, absl::Milliseconds(200));
      continue;
    }
    absl::Time deadline = absl::Now() + options_.delivery_timeout;
    if (last_pass) deadline = absl::FromUnixMicros(stop_deadline_us_.load());
    const size_t delivered = producer_->Produce(*batch, deadline);
    if (delivered > 0) {
      const int64_t position = (*batch)[delivered - 1].position;
      if (absl::Status s =
              checkpoints_.Save(options_.checkpoint_name, position);
          !s.ok()) {
        // Not saved: those events go out again later. Duplicates, not loss.
        std::fprintf(stderr, "relay: checkpoint not saved: %s\n",
                     s.ToString().c_str());
      } else {
        checkpoint = position;
        published_ = position;
      }
    }
    if (last_pass && (delivered < batch->size() || absl::Now() > deadline)) {
      return;
    }
    if (delivered < batch->size() && !last_pass) {
      absl::SleepFor(options_.retry_backoff);
    }
  }
}

}  // namespace pmo::outbox
