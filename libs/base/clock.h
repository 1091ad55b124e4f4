#pragma once

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace pmo {

// The source of "now", injected so tests can pin time (recorded-at times,
// deadlines) without sleeping.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() const = 0;

  // The process-wide wall clock.
  static const Clock& Real();
};

// A clock tests set by hand.
class ManualClock : public Clock {
 public:
  explicit ManualClock(absl::Time start) : now_(start) {}
  absl::Time Now() const override { return now_; }
  void Advance(absl::Duration d) { now_ += d; }
  void Set(absl::Time t) { now_ = t; }

 private:
  absl::Time now_;
};

}  // namespace pmo
