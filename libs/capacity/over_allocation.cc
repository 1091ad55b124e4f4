#include "libs/capacity/over_allocation.h"

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <span>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "libs/base/errors.h"
#include "libs/capacity/calendar.h"
#include "libs/capacity/internal.h"

namespace pmo::capacity {

absl::Status ValidateAllocation(const Allocation& allocation) {
  FieldViolations violations;
  if (allocation.allocation_id.empty()) {
    violations.Add("allocation_id", "must not be empty");
  }
  if (allocation.project_id.empty()) {
    violations.Add("project_id", "must not be empty");
  }
  if (allocation.to < allocation.from) {
    violations.Add("to", "must not be before from");
  }
  // Written so that NaN fails.
  const double amount = allocation.amount;
  switch (allocation.unit) {
    case AllocationUnit::kPercent:
      if (!(amount > 0 && amount <= 100)) {
        violations.Add("amount",
                       "a percentage must be more than 0 and at most 100");
      }
      break;
    case AllocationUnit::kHoursPerDay:
      if (!(amount > 0 && amount <= 24)) {
        violations.Add("amount",
                       "hours per day must be more than 0 and at most 24");
      }
      break;
    default:
      violations.Add("unit", "unknown allocation unit");
  }
  return violations.ToStatus();
}

double HoursPerWorkingDay(const WorkingCalendar& calendar,
                          const Allocation& allocation) {
  // amount x hours / 100 rather than amount / 100 x hours: 40 x 8 / 100 is
  // exactly the double nearest 3.2, 0.4 x 8 is not.
  return allocation.unit == AllocationUnit::kPercent
             ? allocation.amount * calendar.hours_per_day / 100
             : allocation.amount;
}

double LoadHours(const WorkingCalendar& calendar, const Allocation& allocation,
                 absl::CivilDay day) {
  if (day < allocation.from || day > allocation.to) return 0;
  if (!IsWorkingDay(calendar, day)) return 0;
  return HoursPerWorkingDay(calendar, allocation);
}

std::vector<OverAllocatedDay> FindOverAllocations(
    const WorkingCalendar& calendar, std::span<const Allocation> allocations,
    absl::CivilDay from, absl::CivilDay to) {
  std::vector<OverAllocatedDay> out;
  if (allocations.empty() || to < from) return out;
  // Load is 0 outside every allocation's period, and capacity is never
  // negative, so only days some allocation covers can be over-allocated.
  absl::CivilDay first = allocations.front().from;
  absl::CivilDay last = allocations.front().to;
  for (const Allocation& a : allocations) {
    first = std::min(first, a.from);
    last = std::max(last, a.to);
  }
  from = std::max(from, first);
  to = std::min(to, last);
  if (to < from) return out;

  const int64_t days = to - from + 1;
  std::vector<uint8_t> working(days);
  std::vector<double> capacity(days);
  std::vector<double> load(days, 0.0);
  FillWorkingDays(calendar, from, working);
  FillCapacityHours(calendar, from, capacity);
  for (const Allocation& a : allocations) {
    const double hours = HoursPerWorkingDay(calendar, a);
    const internal::IndexRange r = internal::Overlap(from, days, a.from, a.to);
    for (int64_t i = r.begin; i < r.end; ++i) {
      if (working[i]) load[i] += hours;
    }
  }
  internal::AppendOverAllocatedDays(calendar, allocations, from, capacity, load,
                                    working, &out);
  return out;
}

namespace internal {

void AppendOverAllocatedDays(const WorkingCalendar& calendar,
                             std::span<const Allocation> allocations,
                             absl::CivilDay start,
                             std::span<const double> capacity,
                             std::span<const double> load,
                             std::span<const uint8_t> working,
                             std::vector<OverAllocatedDay>* out) {
  const int64_t days = static_cast<int64_t>(load.size());
  const size_t base = out->size();
  // Position in *out of each day's entry, -1 if the day is not over.
  std::vector<int64_t> entry(days, -1);
  for (int64_t i = 0; i < days; ++i) {
    if (!IsOverAllocated(load[i], capacity[i])) continue;
    entry[i] = static_cast<int64_t>(out->size());
    out->push_back({.day = start + i,
                    .capacity_hours = capacity[i],
                    .load_hours = load[i],
                    .excess_hours = load[i] - capacity[i]});
  }
  if (out->size() == base) return;

  // Visiting allocations in project order appends every day's shares already
  // sorted, with a project's several allocations next to each other.
  std::vector<int> order(allocations.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    return allocations[a].project_id < allocations[b].project_id;
  });
  for (int k : order) {
    const Allocation& a = allocations[k];
    const double hours = HoursPerWorkingDay(calendar, a);
    if (hours <= 0) continue;  // a percentage of a 0-hour day books nothing
    const IndexRange r = Overlap(start, days, a.from, a.to);
    for (int64_t i = r.begin; i < r.end; ++i) {
      if (entry[i] < 0 || !working[i]) continue;
      std::vector<ProjectShare>& shares = (*out)[entry[i]].shares;
      if (!shares.empty() && shares.back().project_id == a.project_id) {
        shares.back().hours += hours;
      } else {
        shares.push_back({a.project_id, hours});
      }
    }
  }
}

}  // namespace internal
}  // namespace pmo::capacity
