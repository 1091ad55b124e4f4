#include "services/resources/app/capacity_conversions.h"

namespace pmo::resources {

capacity::WorkingCalendar ToCalendar(const v1::WorkingCalendar& c) {
  capacity::WorkingCalendar out;
  for (int i = 0; i < 7 && i < c.working_weekdays_size(); ++i) {
    out.working_weekdays[i] = c.working_weekdays(i);
  }
  out.hours_per_day = c.hours_per_day();
  for (const auto& h : c.holidays()) out.holidays.push_back(Day(h));
  for (const auto& a : c.absences())
    out.absences.push_back({Day(a.from()), Day(a.to()), a.hours_per_day()});
  if (IsSet(c.employed_from())) out.employed_from = Day(c.employed_from());
  if (IsSet(c.employed_to())) out.employed_to = Day(c.employed_to());
  return out;
}

capacity::Allocation ToAllocation(const v1::Allocation& a) {
  return {a.allocation_id(),
          a.project_id(),
          Day(a.from()),
          Day(a.to()),
          a.unit() == v1::ALLOCATION_UNIT_PERCENT
              ? capacity::AllocationUnit::kPercent
              : capacity::AllocationUnit::kHoursPerDay,
          a.amount()};
}

std::vector<capacity::Allocation> ToAllocations(const v1::Resource& r) {
  std::vector<capacity::Allocation> out;
  for (const v1::Allocation& a : r.allocations()) {
    if (a.status() != v1::ALLOCATION_STATUS_CANCELLED)
      out.push_back(ToAllocation(a));
  }
  return out;
}

v1::OverAllocatedDay ToProto(const capacity::OverAllocatedDay& d) {
  v1::OverAllocatedDay out;
  *out.mutable_day() = ToDate(d.day);
  out.set_capacity_hours(d.capacity_hours);
  out.set_load_hours(d.load_hours);
  out.set_excess_hours(d.excess_hours);
  for (const capacity::ProjectShare& s : d.shares) {
    v1::ProjectShare* share = out.add_shares();
    share->set_project_id(s.project_id);
    share->set_hours(s.hours);
  }
  return out;
}

}  // namespace pmo::resources
