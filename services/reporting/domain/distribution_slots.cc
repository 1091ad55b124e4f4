#include "services/reporting/domain/distribution_slots.h"

#include <algorithm>

#include "absl/time/civil_time.h"
#include "libs/base/check.h"

namespace pmo::reporting {
namespace {

absl::Duration Period(v1::Frequency frequency) {
  return frequency == v1::FREQUENCY_WEEKLY ? absl::Hours(24 * 7)
                                           : absl::Hours(24);
}

int DaysInMonth(absl::CivilMonth m) {
  return static_cast<int>(absl::CivilDay(m + 1) - absl::CivilDay(m));
}

}  // namespace

absl::Time SlotAt(absl::Time starts_at, v1::Frequency frequency,
                  int64_t index) {
  PMO_CHECK(frequency == v1::FREQUENCY_DAILY ||
                frequency == v1::FREQUENCY_WEEKLY ||
                frequency == v1::FREQUENCY_MONTHLY,
            "a distribution's frequency is checked when it is added");
  if (frequency != v1::FREQUENCY_MONTHLY)
    return starts_at + Period(frequency) * index;
  const absl::TimeZone utc = absl::UTCTimeZone();
  const absl::CivilSecond start = absl::ToCivilSecond(starts_at, utc);
  const absl::CivilMonth month = absl::CivilMonth(start) + index;
  const int day = std::min(start.day(), DaysInMonth(month));
  const absl::CivilSecond at(month.year(), month.month(), day, start.hour(),
                             start.minute(), start.second());
  // Keep the sub-second part of starts_at.
  return absl::FromCivil(at, utc) + (starts_at - absl::FromCivil(start, utc));
}

int64_t LatestSlotIndex(absl::Time starts_at, v1::Frequency frequency,
                        absl::Time t) {
  if (t < starts_at) return -1;
  if (frequency != v1::FREQUENCY_MONTHLY) {
    absl::Duration remainder;
    return absl::IDivDuration(t - starts_at, Period(frequency), &remainder);
  }
  const absl::TimeZone utc = absl::UTCTimeZone();
  int64_t k = absl::CivilMonth(absl::ToCivilSecond(t, utc)) -
              absl::CivilMonth(absl::ToCivilSecond(starts_at, utc));
  while (k > 0 && SlotAt(starts_at, frequency, k) > t) --k;
  return k;
}

std::optional<DueRun> DueRunAt(absl::Time starts_at, v1::Frequency frequency,
                               std::optional<absl::Time> last_slot,
                               absl::Time now) {
  const int64_t latest = LatestSlotIndex(starts_at, frequency, now);
  if (latest < 0) return std::nullopt;
  const int64_t done =
      last_slot ? LatestSlotIndex(starts_at, frequency, *last_slot) : -1;
  if (latest <= done) return std::nullopt;
  return DueRun{SlotAt(starts_at, frequency, latest),
                static_cast<int32_t>(latest - done - 1)};
}

}  // namespace pmo::reporting
