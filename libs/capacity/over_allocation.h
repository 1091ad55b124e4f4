#pragma once

// Allocations of a resource to projects, the hours they book, and the days on
// which they book more than the resource can work.
//
//   WorkingCalendar cal;  // Monday..Friday, 8 h
//   std::vector<Allocation> allocations = {
//       {"AL-1", "ERP", from, to, AllocationUnit::kPercent, 50},      // 4 h
//       {"AL-2", "CRM", from, to, AllocationUnit::kPercent, 40},      // 3.2 h
//       {"AL-3", "WEB", from, to, AllocationUnit::kHoursPerDay, 3}};  // 3 h
//   for (const OverAllocatedDay& d :
//        FindOverAllocations(cal, allocations, from, to)) {
//     // every working day: load 10.2 h, capacity 8 h, excess 2.2 h, with
//     // shares CRM 3.2, ERP 4, WEB 3
//   }
//
// An allocation books on every working day of its period (a working weekday
// that is no holiday of the resource's calendar; see calendar.h):
//   kHoursPerDay: `amount` hours;
//   kPercent:     amount% of the calendar's hours_per_day.
// It is NOT reduced by absences or by the end of employment: those lower the
// capacity only, so leave that collides with an allocation shows up as
// over-allocation, which is what a PMO wants to see.
//
// A day is over-allocated when load > capacity + kOverAllocationToleranceHours.

#include <span>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "libs/capacity/calendar.h"

namespace pmo::capacity {

// Absorbs floating-point noise (40% of 8 h plus 60% of 8 h is 8 h); far
// below any real amount of work.
inline constexpr double kOverAllocationToleranceHours = 1e-9;

inline bool IsOverAllocated(double load_hours, double capacity_hours) {
  return load_hours > capacity_hours + kOverAllocationToleranceHours;
}

enum class AllocationUnit {
  kHoursPerDay,  // amount in (0, 24]
  kPercent,      // amount in (0, 100] of the calendar's hours_per_day
};

struct Allocation {
  std::string allocation_id;  // non-empty; unique per resource
  std::string project_id;     // non-empty
  absl::CivilDay from;        // inclusive
  absl::CivilDay to;          // inclusive
  AllocationUnit unit = AllocationUnit::kHoursPerDay;
  double amount = 0;
};

// OK, or INVALID_ARGUMENT with a pmo::FieldViolations entry per bad field:
//   "allocation_id", "project_id"  empty
//   "to"                           before from
//   "amount"                       percent not in (0, 100], hours not in
//                                  (0, 24], or NaN
//   "unit"                         not an AllocationUnit
absl::Status ValidateAllocation(const Allocation& allocation);

// The hours `allocation` books on each working day of its period.
double HoursPerWorkingDay(const WorkingCalendar& calendar,
                          const Allocation& allocation);

// The hours `allocation` books on `day`: HoursPerWorkingDay on a working day
// of its period, else 0.
double LoadHours(const WorkingCalendar& calendar, const Allocation& allocation,
                 absl::CivilDay day);

// A project's part of a day's load (all its allocations on that day).
struct ProjectShare {
  std::string project_id;
  double hours = 0;

  friend bool operator==(const ProjectShare&, const ProjectShare&) = default;
};

struct OverAllocatedDay {
  absl::CivilDay day;
  double capacity_hours = 0;
  double load_hours = 0;
  double excess_hours = 0;  // load_hours - capacity_hours, > 0
  // Every project booking hours on the day, sorted by project_id.
  std::vector<ProjectShare> shares;

  friend bool operator==(const OverAllocatedDay&,
                         const OverAllocatedDay&) = default;
};

// The over-allocated days in [from, to] (none if to < from), in day order,
// for one resource with `calendar` and `allocations` (any order; each
// expected to pass ValidateAllocation). Runs in
// O(days + holidays + absences + booked allocation-days + shares), with days
// limited to those some allocation covers.
std::vector<OverAllocatedDay> FindOverAllocations(
    const WorkingCalendar& calendar, std::span<const Allocation> allocations,
    absl::CivilDay from, absl::CivilDay to);

}  // namespace pmo::capacity
