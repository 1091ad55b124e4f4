#pragma once

// When a distribution is due. Slots start at the plan's `starts_at` and
// repeat with the frequency: daily and weekly every 24 h / 7 x 24 h,
// monthly on the same day of the month at the same UTC time, clamped to
// the month's last day (31 January, 28 February, 31 March...).
//
// Catch-up once: after downtime several slots may have passed; only the
// latest is due, once, and the ones before it are counted as skipped:
//
//   last delivered        now
//        |                 |
//   -----S1----S2----S3----S4--S5(future)
//              skipped  skipped  due: S4, skipped_slots 2

#include <cstdint>
#include <optional>

#include "absl/time/time.h"
#include "pmo/reporting/v1/reporting.pb.h"

namespace pmo::reporting {

// Slot `index` (0: starts_at). `frequency` must be DAILY, WEEKLY or MONTHLY.
absl::Time SlotAt(absl::Time starts_at, v1::Frequency frequency, int64_t index);

// The index of the latest slot at or before `t`; -1 when `t` is before the
// first.
int64_t LatestSlotIndex(absl::Time starts_at, v1::Frequency frequency,
                        absl::Time t);

struct DueRun {
  absl::Time slot;
  int32_t skipped_slots = 0;
};

// The run due at `now` after `last_slot` (nullopt: none delivered yet), or
// nullopt when the latest slot was delivered or the first is in the future.
std::optional<DueRun> DueRunAt(absl::Time starts_at, v1::Frequency frequency,
                               std::optional<absl::Time> last_slot,
                               absl::Time now);

}  // namespace pmo::reporting
