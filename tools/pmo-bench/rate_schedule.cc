#include "tools/pmo-bench/rate_schedule.h"

#include <cmath>

#include "libs/base/check.h"

namespace pmo::bench {

RateSchedule::RateSchedule(absl::Time start, double rate_per_second,
                           absl::Duration duration)
    : start_(start),
      rate_per_second_(rate_per_second),
      duration_nanos_(absl::ToInt64Nanoseconds(duration)) {
  PMO_CHECK(rate_per_second > 0, "a schedule needs a positive rate");
  PMO_CHECK(duration_nanos_ >= 0, "a schedule needs a non-negative duration");
  // size = how many i have OffsetNanos(i) < duration. Start from the real
  // quotient and correct the floating-point edge by looking at the offsets
  // themselves, so size() and DueTime() can never disagree.
  int64_t n = static_cast<int64_t>(
      std::ceil(static_cast<double>(duration_nanos_) * rate_per_second_ / 1e9));
  while (n > 0 && OffsetNanos(n - 1) >= duration_nanos_) --n;
  while (OffsetNanos(n) < duration_nanos_) ++n;
  size_ = n;
}

int64_t RateSchedule::OffsetNanos(int64_t i) const {
  return static_cast<int64_t>(
      std::floor(static_cast<double>(i) * 1e9 / rate_per_second_));
}

std::optional<absl::Time> RateSchedule::DueTime(int64_t i) const {
  if (i < 0 || i >= size_) return std::nullopt;
  return start_ + absl::Nanoseconds(OffsetNanos(i));
}

}  // namespace pmo::bench
