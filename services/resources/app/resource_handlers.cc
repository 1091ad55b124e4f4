#include "services/resources/app/resource_handlers.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "libs/base/errors.h"
#include "libs/base/ids.h"
#include "libs/capacity/calendar.h"
#include "libs/capacity/over_allocation.h"

namespace pmo::resources {
namespace {

absl::CivilDay Day(const google::type::Date& d) { return absl::CivilDay(d.year(), d.month(), d.day()); }

google::type::Date ToDate(absl::CivilDay day) {
  google::type::Date d;
  d.set_year(static_cast<int>(day.year()));
  d.set_month(day.month());
  d.set_day(day.day());
  return d;
}

bool IsSet(const google::type::Date& d) { return d.year() != 0 || d.month() != 0 || d.day() != 0; }

capacity::WorkingCalendar ToCalendar(const v1::WorkingCalendar& c) {
  capacity::WorkingCalendar out;
  for (int i = 0; i < 7 && i < c.working_weekdays_size(); ++i) {
    out.working_weekdays[i] = c.working_weekdays(i);
  }
  out.hours_per_day = c.hours_per_day();
  for (const auto& h : c.holidays()) out.holidays.push_back(Day(h));
  for (const auto& a : c.absences()) out.absences.push_back({Day(a.from()), Day(a.to()), a.hours_per_day()});
  if (IsSet(c.employed_from())) out.employed_from = Day(c.employed_from());
  if (IsSet(c.employed_to())) out.employed_to = Day(c.employed_to());
  return out;
}

capacity::Allocation ToAllocation(const v1::Allocation& a) {
  return {a.allocation_id(), a.project_id(), Day(a.from()), Day(a.to()),
          a.unit() == v1::ALLOCATION_UNIT_PERCENT ? capacity::AllocationUnit::kPercent
                                                  : capacity::AllocationUnit::kHoursPerDay,
          a.amount()};
}

std::vector<capacity::Allocation> ToAllocations(const v1::Resource& r) {
  std::vector<capacity::Allocation> out;
  for (const v1::Allocation& a : r.allocations()) out.push_back(ToAllocation(a));
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

// Days over-allocated after a change that were not, or were less, before.
std::vector<v1::OverAllocatedDay> Worsened(const std::vector<capacity::OverAllocatedDay>& before,
                                           const std::vector<capacity::OverAllocatedDay>& after) {
  std::map<absl::CivilDay, double> was;
  for (const auto& d : before) was[d.day] = d.excess_hours;
  std::vector<v1::OverAllocatedDay> out;
  for (const auto& d : after) {
    auto it = was.find(d.day);
    if (it == was.end() || d.excess_hours > it->second + capacity::kOverAllocationToleranceHours) {
      out.push_back(ToProto(d));
    }
  }
  return out;
}

}  // namespace

absl::StatusOr<VersionedResource> ResourceHandlers::RegisterResource(
    v1::ResourceRegistered registration, eventsourcing::CommandContext context) {
  RETURN_IF_ERROR(ValidateRegistration(registration));
  RETURN_IF_ERROR(capacity::ValidateCalendar(ToCalendar(registration.calendar())));
  if (context.occurred_at == absl::Time()) context.occurred_at = clock_.Now();
  const std::string id = NewUuid();
  registration.set_resource_id(id);
  return eventsourcing::ExecuteCommand<Resource>(
      store_, id, context,
      [&](const VersionedResource& r) { return r.state.Register(registration); },
      eventsourcing::StreamIdentity::kNew);
}

absl::StatusOr<VersionedResource> ResourceHandlers::GetResource(const std::string& resource_id) {
  ASSIGN_OR_RETURN(VersionedResource r, eventsourcing::LoadAggregate<Resource>(store_, resource_id));
  if (!r.state.exists()) return absl::NotFoundError(absl::StrCat("resource ", resource_id, " not found"));
  return r;
}

absl::StatusOr<AbsenceOutcome> ResourceHandlers::RecordAbsence(
    const std::string& resource_id, const v1::Absence& absence,
    eventsourcing::CommandContext context) {
  if (context.occurred_at == absl::Time()) context.occurred_at = clock_.Now();
  AbsenceOutcome outcome;
  ASSIGN_OR_RETURN(
      outcome.resource,
      eventsourcing::ExecuteCommand<Resource>(
          store_, resource_id, context,
          [&](const VersionedResource& r) -> absl::StatusOr<eventsourcing::Decision> {
            if (!r.state.exists()) return absl::NotFoundError("resource not found");
            std::vector<v1::OverAllocatedDay> newly_over;
            if (IsSet(absence.from()) && IsSet(absence.to()) && Day(absence.from()) <= Day(absence.to())) {
              const std::vector<capacity::Allocation> allocations = ToAllocations(r.state.state());
              capacity::WorkingCalendar calendar = ToCalendar(r.state.state().calendar());
              auto before = capacity::FindOverAllocations(calendar, allocations, Day(absence.from()),
                                                          Day(absence.to()));
              calendar.absences.push_back(
                  {Day(absence.from()), Day(absence.to()), absence.hours_per_day()});
              auto after = capacity::FindOverAllocations(calendar, allocations, Day(absence.from()),
                                                         Day(absence.to()));
              newly_over = Worsened(before, after);
            }
            outcome.newly_over_allocated = newly_over;
            return r.state.RecordAbsence(absence, newly_over);
          }));
  return outcome;
}

absl::StatusOr<AllocationOutcome> ResourceHandlers::Allocate(
    const std::string& resource_id, v1::Allocation allocation,
    eventsourcing::CommandContext context) {
  RETURN_IF_ERROR(ValidateAllocationShape(allocation));
  RETURN_IF_ERROR(projects_.CheckOpenForAllocation(allocation.project_id()));
  if (context.occurred_at == absl::Time()) context.occurred_at = clock_.Now();
  allocation.set_allocation_id(NewUuid());
  AllocationOutcome outcome;
  ASSIGN_OR_RETURN(
      outcome.resource,
      eventsourcing::ExecuteCommand<Resource>(
          store_, resource_id, context,
          [&](const VersionedResource& r) -> absl::StatusOr<eventsourcing::Decision> {
            if (!r.state.exists()) return absl::NotFoundError("resource not found");
            std::vector<capacity::Allocation> allocations = ToAllocations(r.state.state());
            const capacity::WorkingCalendar calendar = ToCalendar(r.state.state().calendar());
            const absl::CivilDay from = Day(allocation.from()), to = Day(allocation.to());
            auto before = capacity::FindOverAllocations(calendar, allocations, from, to);
            allocations.push_back(ToAllocation(allocation));
            auto after = capacity::FindOverAllocations(calendar, allocations, from, to);
            outcome.newly_over_allocated = Worsened(before, after);
            return r.state.Allocate(allocation, outcome.newly_over_allocated);
          }));
  // On a retried request: the booking it made, and what it reported.
  for (const v1::Allocation& a : outcome.resource.state.state().allocations()) {
    outcome.allocation_id = a.allocation_id();
  }
  return outcome;
}

absl::StatusOr<CancellationOutcome> ResourceHandlers::CancelAllocation(
    const std::string& resource_id, const std::string& allocation_id, const std::string& reason,
    eventsourcing::CommandContext context) {
  if (context.occurred_at == absl::Time()) context.occurred_at = clock_.Now();
  CancellationOutcome outcome;
  ASSIGN_OR_RETURN(
      outcome.resource,
      eventsourcing::ExecuteCommand<Resource>(
          store_, resource_id, context,
          [&](const VersionedResource& r) -> absl::StatusOr<eventsourcing::Decision> {
            if (!r.state.exists()) return absl::NotFoundError("resource not found");
            const v1::Allocation* cancelled = r.state.FindAllocation(allocation_id);
            std::vector<google::type::Date> resolved;
            outcome.resolved_days.clear();
            if (cancelled) {
              std::vector<capacity::Allocation> allocations = ToAllocations(r.state.state());
              const capacity::WorkingCalendar calendar = ToCalendar(r.state.state().calendar());
              const absl::CivilDay from = Day(cancelled->from()), to = Day(cancelled->to());
              auto before = capacity::FindOverAllocations(calendar, allocations, from, to);
              std::erase_if(allocations, [&](const capacity::Allocation& a) {
                return a.allocation_id == allocation_id;
              });
              auto after = capacity::FindOverAllocations(calendar, allocations, from, to);
              std::map<absl::CivilDay, bool> still;
              for (const auto& d : after) still[d.day] = true;
              for (const auto& d : before) {
                if (!still.count(d.day)) {
                  resolved.push_back(ToDate(d.day));
                  outcome.resolved_days.push_back(d.day);
                }
              }
            }
            return r.state.CancelAllocation(allocation_id, reason, resolved);
          }));
  return outcome;
}

absl::StatusOr<ResourceLoad> ResourceHandlers::GetLoad(const std::string& resource_id,
                                                       absl::CivilDay from, absl::CivilDay to) {
  if (to < from || to - from > 3 * 366) {
    FieldViolations v;
    v.Add("to", to < from ? "must not be before from" : "at most 3 years after from");
    return v.ToStatus();
  }
  ASSIGN_OR_RETURN(VersionedResource r, GetResource(resource_id));
  const capacity::WorkingCalendar calendar = ToCalendar(r.state.state().calendar());
  const std::vector<capacity::Allocation> allocations = ToAllocations(r.state.state());
  ResourceLoad load;
  for (absl::CivilDay day = from; day <= to; ++day) {
    v1::DayLoad out;
    *out.mutable_day() = ToDate(day);
    out.set_capacity_hours(capacity::CapacityHours(calendar, day));
    std::map<std::string, double> shares;
    double total = 0;
    for (const capacity::Allocation& a : allocations) {
      const double hours = capacity::LoadHours(calendar, a, day);
      if (hours <= 0) continue;
      shares[a.project_id] += hours;
      total += hours;
    }
    out.set_load_hours(total);
    for (const auto& [project, hours] : shares) {
      v1::ProjectShare* share = out.add_shares();
      share->set_project_id(project);
      share->set_hours(hours);
    }
    load.days.push_back(std::move(out));
  }
  for (const auto& d : capacity::FindOverAllocations(calendar, allocations, from, to)) {
    load.over_allocated.push_back(ToProto(d));
  }
  return load;
}

}  // namespace pmo::resources
