#pragma once

// Pieces FindOverAllocations and LoadLedger share; not part of the public
// API of pmo::capacity.

#include <algorithm>
#include <cstdint>
#include <span>
#include <vector>

#include "absl/time/civil_time.h"
#include "libs/capacity/calendar.h"
#include "libs/capacity/over_allocation.h"

namespace pmo::capacity::internal {

// Indices [begin, end) of a day table (index i answers start + i, size days)
// that fall within [from, to]; begin == end when none do.
struct IndexRange {
  int64_t begin = 0;
  int64_t end = 0;
};
inline IndexRange Overlap(absl::CivilDay start, int64_t size,
                          absl::CivilDay from, absl::CivilDay to) {
  const int64_t begin = std::clamp<int64_t>(from - start, 0, size);
  const int64_t end = std::clamp<int64_t>(to - start + 1, 0, size);
  return {begin, std::max(begin, end)};
}

// The second half of FillCapacityHours, for a table already holding
// hours_per_day on working days and 0 elsewhere: zeroes the days outside
// employment and subtracts the absences.
void ApplyEmploymentAndAbsences(const WorkingCalendar& calendar,
                                absl::CivilDay start,
                                std::span<double> capacity);

// Appends, in day order, an OverAllocatedDay for every index i with
// IsOverAllocated(load[i], capacity[i]) of a day table starting at `start`,
// with the shares of `allocations` on it (booked on days with working[i]).
// The three tables have the same size. O(days + booked allocation-days).
void AppendOverAllocatedDays(const WorkingCalendar& calendar,
                             std::span<const Allocation> allocations,
                             absl::CivilDay start,
                             std::span<const double> capacity,
                             std::span<const double> load,
                             std::span<const uint8_t> working,
                             std::vector<OverAllocatedDay>* out);

}  // namespace pmo::capacity::internal
