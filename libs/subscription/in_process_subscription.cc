#include "libs/subscription/in_process_subscription.h"

#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace pmo::subscription {

InProcessSubscription::InProcessSubscription(eventstore::EventStore& store,
                                             const std::string& source_name,
                                             EventHandler& handler,
                                             int batch_size)
    : store_(store),
      source_(absl::StrCat("store:", source_name)),
      handler_(handler),
      batch_size_(batch_size) {}

InProcessSubscription::~InProcessSubscription() { Stop(); }

void InProcessSubscription::Start() {
  thread_ = std::thread([this] { Run(); });
}

void InProcessSubscription::Stop() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
}

bool InProcessSubscription::WaitUntilCaughtUp(absl::Duration timeout) {
  const int64_t target = store_.HeadPosition();
  const absl::Time deadline = absl::Now() + timeout;
  while (handled_.load() < target) {
    if (absl::Now() > deadline) return false;
    absl::SleepFor(absl::Milliseconds(5));
  }
  return true;
}

void InProcessSubscription::Run() {
  int64_t position = -1;
  while (!stopping_) {
    if (position < 0) {
      // Offsets hold "next to read"; a position is "last read".
      absl::StatusOr<std::optional<int64_t>> resume =
          handler_.ResumeOffset(source_, 0);
      if (!resume.ok()) {
        std::fprintf(stderr, "subscription %s: %s\n", source_.c_str(),
                     resume.status().ToString().c_str());
        absl::SleepFor(absl::Milliseconds(500));
        continue;
      }
      position = resume->has_value() ? **resume - 1 : 0;
      handled_ = position;
    }
    absl::StatusOr<std::vector<eventstore::RecordedEvent>> events =
        store_.ReadAll(position, batch_size_);
    if (!events.ok() || events->empty()) {
      if (!events.ok()) {
        std::fprintf(stderr, "subscription %s: %s\n", source_.c_str(),
                     events.status().ToString().c_str());
      }
      store_.WaitForEventsAfter(position, absl::Milliseconds(100));
      continue;
    }
    std::vector<Delivery> batch;
    batch.reserve(events->size());
    for (eventstore::RecordedEvent& e : *events) {
      const int64_t offset = e.position;
      batch.push_back({std::move(e), source_, 0, offset, ""});
    }
    if (absl::Status s = handler_.Handle(batch); !s.ok()) {
      std::fprintf(stderr, "subscription %s: handler failed: %s\n",
                   source_.c_str(), s.ToString().c_str());
      position = -1;  // re-read where the handler really is
      absl::SleepFor(absl::Milliseconds(200));
      continue;
    }
    position = batch.back().offset;
    handled_ = position;
  }
}

}  // namespace pmo::subscription
