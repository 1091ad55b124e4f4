#pragma once

// When each request of an open-loop run should start.
//
// An open-loop run fixes the schedule before it starts: request i is due at
// start + i / rate, whatever happened to earlier requests. Its latency is
// measured from that due time, not from when a worker got round to sending
// it, so time spent waiting for a free worker (queueing behind a slow
// server) counts. Measuring from the send time instead would hide exactly
// the stalls a load test is for ("coordinated omission").
//
//   RateSchedule schedule(start, /*rate_per_second=*/500, absl::Seconds(10));
//   // schedule.size() == 5000; schedule.DueTime(1) == start + 2ms
//
// Workers share one RequestTickets to claim request numbers, so each due
// time is sent once.

#include <atomic>
#include <cstdint>
#include <optional>

#include "absl/time/time.h"

namespace pmo::bench {

class RateSchedule {
 public:
  // rate_per_second > 0; duration >= 0.
  RateSchedule(absl::Time start, double rate_per_second,
               absl::Duration duration);

  // Requests due before start + duration.
  int64_t size() const { return size_; }
  // When request i is due: start + floor(i x 1e9 / rate) ns. nullopt when
  // i < 0 or i >= size().
  std::optional<absl::Time> DueTime(int64_t i) const;

 private:
  int64_t OffsetNanos(int64_t i) const;

  absl::Time start_;
  double rate_per_second_;
  int64_t duration_nanos_;
  int64_t size_ = 0;
};

// Hands out request numbers 0, 1, 2, ... to concurrent workers, up to an
// optional limit (the run's --requests bound).
class RequestTickets {
 public:
  // limit <= 0: no limit.
  explicit RequestTickets(int64_t limit) : limit_(limit) {}
  // The next request number, or nullopt once the limit is reached.
  std::optional<int64_t> Next() {
    const int64_t n = next_.fetch_add(1, std::memory_order_relaxed);
    if (limit_ > 0 && n >= limit_) return std::nullopt;
    return n;
  }
  // Numbers handed out so far (never above the limit).
  int64_t issued() const {
    const int64_t n = next_.load(std::memory_order_relaxed);
    return limit_ > 0 && n > limit_ ? limit_ : n;
  }

 private:
  const int64_t limit_;
  std::atomic<int64_t> next_{0};
};

}  // namespace pmo::bench
