#include "services/resources/app/resource_handlers.h"

#include <functional>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "libs/base/errors.h"
#include "libs/base/ids.h"
#include "libs/capacity/calendar.h"
#include "libs/capacity/over_allocation.h"
#include "libs/eventsourcing/event_codec.h"
#include "libs/eventsourcing/request_ids.h"
#include "services/resources/app/capacity_conversions.h"

namespace pmo::resources {
namespace {

// Days over-allocated after a change that were not, or were less, before.
std::vector<v1::OverAllocatedDay> Worsened(
    const std::vector<capacity::OverAllocatedDay>& before,
    const std::vector<capacity::OverAllocatedDay>& after) {
  std::map<absl::CivilDay, double> was;
  for (const auto& d : before) was[d.day] = d.excess_hours;
  std::vector<v1::OverAllocatedDay> out;
  for (const auto& d : after) {
    auto it = was.find(d.day);
    if (it == was.end() ||
        d.excess_hours > it->second + capacity::kOverAllocationToleranceHours) {
      out.push_back(ToProto(d));
    }
  }
  return out;
}

// What a change does to the over-allocation of [from, to]: `change` edits a
// copy of the resource's calendar and bookings; the days it makes worse and
// the days it clears are compared before and after.
struct OverAllocationShift {
  std::vector<v1::OverAllocatedDay> worsened;
  std::vector<absl::CivilDay> resolved;
};

OverAllocationShift ShiftOf(
    const v1::Resource& resource, absl::CivilDay from, absl::CivilDay to,
    const std::function<void(capacity::WorkingCalendar&,
                             std::vector<capacity::Allocation>&)>& change) {
  capacity::WorkingCalendar calendar = ToCalendar(resource.calendar());
  std::vector<capacity::Allocation> allocations = ToAllocations(resource);
  const auto before =
      capacity::FindOverAllocations(calendar, allocations, from, to);
  change(calendar, allocations);
  const auto after =
      capacity::FindOverAllocations(calendar, allocations, from, to);
  OverAllocationShift shift;
  shift.worsened = Worsened(before, after);
  std::set<absl::CivilDay> still;
  for (const auto& d : after) still.insert(d.day);
  for (const auto& d : before) {
    if (!still.count(d.day)) shift.resolved.push_back(d.day);
  }
  return shift;
}

// What an earlier request with this id appended to the resource, so a retry
// answers as the first call did (the decision is not run again).
struct Replay {
  VersionedResource resource;
  std::string allocation_id;
  std::vector<v1::OverAllocatedDay> newly_over;
  std::vector<absl::CivilDay> resolved;
};

absl::StatusOr<std::optional<Replay>> ReplayOf(
    eventstore::EventStore& store, const eventsourcing::CommandContext& context,
    const std::string& resource_id) {
  ASSIGN_OR_RETURN(std::optional<eventstore::AppendResult> earlier,
                   eventsourcing::FindEarlierRequest(store, context));
  if (!earlier) return std::nullopt;
  if (earlier->stream_id != resource_id) {
    FieldViolations v;
    v.Add("request_id", "was already used for a change to another record");
    return v.ToStatus();
  }
  Replay replay;
  ASSIGN_OR_RETURN(replay.resource,
                   eventsourcing::LoadAggregate<Resource>(
                       store, resource_id, earlier->last_version));
  ASSIGN_OR_RETURN(std::vector<eventstore::RecordedEvent> events,
                   store.ReadStream(resource_id, earlier->first_version,
                                    earlier->last_version));
  for (const eventstore::RecordedEvent& e : events) {
    ASSIGN_OR_RETURN(std::unique_ptr<google::protobuf::Message> m,
                     eventsourcing::DecodeEvent(e.event_type, e.payload));
    if (const auto* made = dynamic_cast<const v1::AllocationMade*>(m.get())) {
      replay.allocation_id = made->allocation().allocation_id();
    } else if (const auto* over =
                   dynamic_cast<const v1::ResourceOverAllocated*>(m.get())) {
      replay.newly_over.assign(over->days().begin(), over->days().end());
    } else if (const auto* resolved =
                   dynamic_cast<const v1::ResourceOverAllocationResolved*>(
                       m.get())) {
      for (const auto& d : resolved->days()) replay.resolved.push_back(Day(d));
    }
  }
  return replay;
}

}  // namespace

absl::StatusOr<VersionedResource> ResourceHandlers::RegisterResource(
    v1::ResourceRegistered registration,
    eventsourcing::CommandContext context) {
  RETURN_IF_ERROR(ValidateRegistration(registration));
  RETURN_IF_ERROR(
      capacity::ValidateCalendar(ToCalendar(registration.calendar())));
  if (context.occurred_at == absl::Time()) context.occurred_at = clock_.Now();
  const std::string id = NewUuid();
  registration.set_resource_id(id);
  return eventsourcing::ExecuteCommand<Resource>(
      store_, id, context,
      [&](const VersionedResource& r) {
        return r.state.Register(registration);
      },
      eventsourcing::StreamIdentity::kNew);
}

absl::StatusOr<VersionedResource> ResourceHandlers::GetResource(
    const std::string& resource_id) {
  ASSIGN_OR_RETURN(VersionedResource r,
                   eventsourcing::LoadAggregate<Resource>(store_, resource_id));
  if (!r.state.exists())
    return absl::NotFoundError(
        absl::StrCat("resource ", resource_id, " not found"));
  return r;
}

absl::StatusOr<AbsenceOutcome> ResourceHandlers::RecordAbsence(
    const std::string& resource_id, const v1::Absence& absence,
    eventsourcing::CommandContext context) {
  ASSIGN_OR_RETURN(std::optional<Replay> replay,
                   ReplayOf(store_, context, resource_id));
  if (replay)
    return AbsenceOutcome{std::move(replay->resource),
                          std::move(replay->newly_over)};
  if (context.occurred_at == absl::Time()) context.occurred_at = clock_.Now();
  AbsenceOutcome outcome;
  ASSIGN_OR_RETURN(
      outcome.resource,
      eventsourcing::ExecuteCommand<Resource>(
          store_, resource_id, context,
          [&](const VersionedResource& r)
              -> absl::StatusOr<eventsourcing::Decision> {
            if (!r.state.exists())
              return absl::NotFoundError("resource not found");
            std::vector<v1::OverAllocatedDay> newly_over;
            if (dates::IsRealDate(absence.from()) &&
                dates::IsRealDate(absence.to()) &&
                Day(absence.from()) <= Day(absence.to())) {
              const absl::CivilDay from = Day(absence.from()),
                                   to = Day(absence.to());
              newly_over =
                  ShiftOf(r.state.state(), from, to,
                          [&](capacity::WorkingCalendar& calendar, auto&) {
                            calendar.absences.push_back(
                                {from, to, absence.hours_per_day()});
                          })
                      .worsened;
            }
            outcome.newly_over_allocated = newly_over;
            return r.state.RecordAbsence(absence, newly_over);
          }));
  return outcome;
}

absl::StatusOr<VersionedResource> ResourceHandlers::AddCostRate(
    const std::string& resource_id, const v1::CostRate& rate,
    eventsourcing::CommandContext context) {
  if (context.occurred_at == absl::Time()) context.occurred_at = clock_.Now();
  return eventsourcing::ExecuteCommand<Resource>(
      store_, resource_id, context,
      [&](const VersionedResource& r) { return r.state.AddCostRate(rate); });
}

absl::StatusOr<CancellationOutcome> ResourceHandlers::AddHoliday(
    const std::string& resource_id, const google::type::Date& holiday,
    eventsourcing::CommandContext context) {
  ASSIGN_OR_RETURN(std::optional<Replay> replay,
                   ReplayOf(store_, context, resource_id));
  if (replay)
    return CancellationOutcome{std::move(replay->resource),
                               std::move(replay->resolved)};
  if (context.occurred_at == absl::Time()) context.occurred_at = clock_.Now();
  CancellationOutcome outcome;
  ASSIGN_OR_RETURN(
      outcome.resource,
      eventsourcing::ExecuteCommand<Resource>(
          store_, resource_id, context,
          [&](const VersionedResource& r)
              -> absl::StatusOr<eventsourcing::Decision> {
            if (!r.state.exists())
              return absl::NotFoundError("resource not found");
            std::vector<google::type::Date> resolved;
            outcome.resolved_days.clear();
            if (dates::IsRealDate(holiday)) {
              const absl::CivilDay day = Day(holiday);
              outcome.resolved_days =
                  ShiftOf(r.state.state(), day, day,
                          [&](capacity::WorkingCalendar& calendar, auto&) {
                            calendar.holidays.push_back(day);
                          })
                      .resolved;
              for (absl::CivilDay d : outcome.resolved_days)
                resolved.push_back(ToDate(d));
            }
            return r.state.AddHoliday(holiday, resolved);
          }));
  return outcome;
}

absl::StatusOr<AllocationOutcome> ResourceHandlers::Allocate(
    const std::string& resource_id, v1::Allocation allocation,
    eventsourcing::CommandContext context) {
  AllocationOutcome outcome;
  // A retry answers with the first call's booking, even if the project has
  // closed since.
  ASSIGN_OR_RETURN(std::optional<Replay> replay,
                   ReplayOf(store_, context, resource_id));
  if (replay) {
    if (replay->allocation_id.empty()) {
      FieldViolations v;
      v.Add("request_id",
            "was already used for another change to this resource");
      return v.ToStatus();
    }
    return AllocationOutcome{std::move(replay->resource), replay->allocation_id,
                             std::move(replay->newly_over)};
  }
  RETURN_IF_ERROR(ValidateAllocationShape(allocation));
  RETURN_IF_ERROR(projects_.CheckOpenForAllocation(allocation.project_id()));
  if (context.occurred_at == absl::Time()) context.occurred_at = clock_.Now();
  allocation.set_allocation_id(NewUuid());
  ASSIGN_OR_RETURN(
      outcome.resource,
      eventsourcing::ExecuteCommand<Resource>(
          store_, resource_id, context,
          [&](const VersionedResource& r)
              -> absl::StatusOr<eventsourcing::Decision> {
            if (!r.state.exists())
              return absl::NotFoundError("resource not found");
            outcome.newly_over_allocated =
                ShiftOf(
                    r.state.state(), Day(allocation.from()),
                    Day(allocation.to()),
                    [&](auto&, std::vector<capacity::Allocation>& allocations) {
                      allocations.push_back(ToAllocation(allocation));
                    })
                    .worsened;
            return r.state.Allocate(allocation, outcome.newly_over_allocated);
          }));
  outcome.allocation_id = allocation.allocation_id();
  return outcome;
}

absl::StatusOr<CancellationOutcome> ResourceHandlers::CancelAllocation(
    const std::string& resource_id, const std::string& allocation_id,
    const std::string& reason, eventsourcing::CommandContext context) {
  ASSIGN_OR_RETURN(std::optional<Replay> replay,
                   ReplayOf(store_, context, resource_id));
  if (replay)
    return CancellationOutcome{std::move(replay->resource),
                               std::move(replay->resolved)};
  if (context.occurred_at == absl::Time()) context.occurred_at = clock_.Now();
  CancellationOutcome outcome;
  ASSIGN_OR_RETURN(
      outcome.resource,
      eventsourcing::ExecuteCommand<Resource>(
          store_, resource_id, context,
          [&](const VersionedResource& r)
              -> absl::StatusOr<eventsourcing::Decision> {
            if (!r.state.exists())
              return absl::NotFoundError("resource not found");
            const v1::Allocation* cancelled =
                r.state.FindAllocation(allocation_id);
            std::vector<google::type::Date> resolved;
            outcome.resolved_days.clear();
            if (cancelled) {
              outcome.resolved_days =
                  ShiftOf(r.state.state(), Day(cancelled->from()),
                          Day(cancelled->to()),
                          [&](auto&,
                              std::vector<capacity::Allocation>& allocations) {
                            std::erase_if(allocations,
                                          [&](const capacity::Allocation& a) {
                                            return a.allocation_id ==
                                                   allocation_id;
                                          });
                          })
                      .resolved;
              for (absl::CivilDay day : outcome.resolved_days)
                resolved.push_back(ToDate(day));
            }
            return r.state.CancelAllocation(allocation_id, reason, resolved);
          }));
  return outcome;
}

absl::StatusOr<ResourceLoad> ResourceHandlers::GetLoad(
    const std::string& resource_id, absl::CivilDay from, absl::CivilDay to) {
  if (to < from || to - from > int64_t{3} * 366) {
    FieldViolations v;
    v.Add("to",
          to < from ? "must not be before from" : "at most 3 years after from");
    return v.ToStatus();
  }
  ASSIGN_OR_RETURN(VersionedResource r, GetResource(resource_id));
  const capacity::WorkingCalendar calendar =
      ToCalendar(r.state.state().calendar());
  const std::vector<capacity::Allocation> allocations =
      ToAllocations(r.state.state());
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
  for (const auto& d :
       capacity::FindOverAllocations(calendar, allocations, from, to)) {
    load.over_allocated.push_back(ToProto(d));
  }
  return load;
}

}  // namespace pmo::resources

namespace pmo::resources {
namespace {

absl::Status CheckQueryPeriod(absl::CivilDay from, absl::CivilDay to) {
  if (to < from || to - from > int64_t{3} * 366) {
    FieldViolations v;
    v.Add("to",
          to < from ? "must not be before from" : "at most 3 years after from");
    return v.ToStatus();
  }
  return absl::OkStatus();
}

int SkillLevel(const v1::Resource& r, const std::string& skill) {
  for (const v1::Skill& s : r.skills()) {
    if (s.name() == skill) return s.level();
  }
  return 0;
}

}  // namespace

absl::StatusOr<VersionedCapacityRequest> ResourceHandlers::RequestCapacity(
    v1::CapacityRequested request, eventsourcing::CommandContext context) {
  if (!context.request_id.empty()) {
    ASSIGN_OR_RETURN(std::optional<eventstore::AppendResult> earlier,
                     eventsourcing::FindEarlierRequest(store_, context));
    if (earlier) {
      return eventsourcing::LoadAggregate<CapacityRequestAggregate>(
          store_, earlier->stream_id, earlier->last_version);
    }
  }
  RETURN_IF_ERROR(projects_.CheckOpenForAllocation(request.project_id()));
  if (context.occurred_at == absl::Time()) context.occurred_at = clock_.Now();
  const std::string id = NewUuid();
  request.set_capacity_request_id(id);
  return eventsourcing::ExecuteCommand<CapacityRequestAggregate>(
      store_, id, context,
      [&](const VersionedCapacityRequest& r) {
        return r.state.Request(request);
      },
      eventsourcing::StreamIdentity::kNew);
}

absl::StatusOr<VersionedCapacityRequest>
ResourceHandlers::DecideCapacityRequest(const std::string& capacity_request_id,
                                        v1::CapacityDecision decision,
                                        const std::string& reason,
                                        eventsourcing::CommandContext context) {
  if (decision != v1::CAPACITY_DECISION_APPROVE &&
      decision != v1::CAPACITY_DECISION_REJECT) {
    FieldViolations v;
    v.Add("decision", "must be APPROVE or REJECT");
    return v.ToStatus();
  }
  if (context.occurred_at == absl::Time()) context.occurred_at = clock_.Now();
  return eventsourcing::ExecuteCommand<CapacityRequestAggregate>(
      store_, capacity_request_id, context,
      [&](const VersionedCapacityRequest& r)
          -> absl::StatusOr<eventsourcing::Decision> {
        if (r.state.exists()) {
          // Separation of duties: the one who asked does not also decide.
          ASSIGN_OR_RETURN(std::vector<eventstore::RecordedEvent> first,
                           store_.ReadStream(capacity_request_id, 1, 1));
          const std::string& decider = context.metadata.actor;
          if (!decider.empty() &&
              ((!first.empty() && first.front().metadata.actor == decider) ||
               r.state.state().requested_by() == decider)) {
            return RuleViolationError(
                "SEPARATION_OF_DUTIES",
                absl::StrCat("capacity-requests/", capacity_request_id),
                absl::StrCat(
                    decider,
                    " asked for this capacity and may not also decide it"));
          }
        }
        return decision == v1::CAPACITY_DECISION_APPROVE
                   ? r.state.Approve(reason)
                   : r.state.Reject(reason);
      });
}

absl::StatusOr<VersionedCapacityRequest> ResourceHandlers::GetCapacityRequest(
    const std::string& capacity_request_id) {
  ASSIGN_OR_RETURN(VersionedCapacityRequest r,
                   eventsourcing::LoadAggregate<CapacityRequestAggregate>(
                       store_, capacity_request_id));
  if (!r.state.exists()) {
    return absl::NotFoundError(
        absl::StrCat("capacity request ", capacity_request_id, " not found"));
  }
  return r;
}

absl::StatusOr<FulfilmentOutcome> ResourceHandlers::FulfilCapacityRequest(
    const std::string& capacity_request_id, const std::string& resource_id,
    const eventsourcing::CommandContext& context) {
  if (context.request_id.empty()) {
    FieldViolations v;
    v.Add("request_id",
          "is required: the booking and the request are two appends");
    return v.ToStatus();
  }
  // Two appends, each with a request id derived from this one and the
  // capacity request, so a retry completes what a crash interrupted,
  // repeats nothing, and cannot book a second resource.
  eventsourcing::CommandContext book = context;
  book.request_id = eventsourcing::DerivedRequestId(
      context.request_id, "fulfil-booking", capacity_request_id);
  book.expected_version = std::nullopt;
  eventsourcing::CommandContext mark = context;
  mark.request_id = eventsourcing::DerivedRequestId(
      context.request_id, "fulfil-request", capacity_request_id);
  ASSIGN_OR_RETURN(std::optional<eventstore::AppendResult> marked,
                   eventsourcing::FindEarlierRequest(store_, mark));
  ASSIGN_OR_RETURN(std::optional<eventstore::AppendResult> booked_before,
                   eventsourcing::FindEarlierRequest(store_, book));
  if (booked_before && booked_before->stream_id != resource_id) {
    FieldViolations v;
    v.Add("resource_id",
          "differs from the resource this request already booked");
    return v.ToStatus();
  }

  ASSIGN_OR_RETURN(VersionedCapacityRequest request,
                   eventsourcing::LoadAggregate<CapacityRequestAggregate>(
                       store_, capacity_request_id));
  if (!request.state.exists()) {
    return absl::NotFoundError(
        absl::StrCat("capacity request ", capacity_request_id, " not found"));
  }
  FulfilmentOutcome outcome;
  if (marked) {
    outcome.request = std::move(request);
    return outcome;
  }
  if (!booked_before) {
    // Checked before anything is booked, so a refused fulfilment leaves no
    // booking behind.
    RETURN_IF_ERROR(request.state.Fulfil(resource_id, "check").status());
    const v1::CapacityRequest& wanted = request.state.state();
    ASSIGN_OR_RETURN(VersionedResource resource, GetResource(resource_id));
    if (SkillLevel(resource.state.state(), wanted.skill().name()) <
        wanted.skill().level()) {
      return RuleViolationError(
          "SKILL_MISMATCH", absl::StrCat("resources/", resource_id),
          absl::StrCat(resource.state.state().name(), " does not have ",
                       wanted.skill().name(), " at level ",
                       wanted.skill().level()));
    }
  }
  const v1::CapacityRequest& wanted = request.state.state();
  v1::Allocation booking;
  booking.set_project_id(wanted.project_id());
  *booking.mutable_from() = wanted.from();
  *booking.mutable_to() = wanted.to();
  booking.set_unit(wanted.unit());
  booking.set_amount(wanted.amount());
  *booking.mutable_required_skill() = wanted.skill();
  ASSIGN_OR_RETURN(AllocationOutcome booked,
                   Allocate(resource_id, std::move(booking), book));
  outcome.newly_over_allocated = std::move(booked.newly_over_allocated);
  if (mark.occurred_at == absl::Time()) mark.occurred_at = clock_.Now();
  ASSIGN_OR_RETURN(outcome.request,
                   eventsourcing::ExecuteCommand<CapacityRequestAggregate>(
                       store_, capacity_request_id, mark,
                       [&](const VersionedCapacityRequest& r) {
                         return r.state.Fulfil(resource_id,
                                               booked.allocation_id);
                       }));
  return outcome;
}

absl::StatusOr<std::vector<v1::FreeResource>>
ResourceHandlers::FindFreeResources(const v1::Skill& skill, absl::CivilDay from,
                                    absl::CivilDay to, double hours_per_day) {
  RETURN_IF_ERROR(CheckQueryPeriod(from, to));
  ASSIGN_OR_RETURN(std::vector<VersionedResource> pool,
                   eventsourcing::LoadAllOfType<Resource>(store_));
  std::vector<v1::FreeResource> out;
  for (const VersionedResource& r : pool) {
    const v1::Resource& state = r.state.state();
    const int level = SkillLevel(state, skill.name());
    if (level < std::max(1, skill.level())) continue;
    const capacity::WorkingCalendar calendar = ToCalendar(state.calendar());
    const std::vector<capacity::Allocation> allocations = ToAllocations(state);
    double min_free = -1, total = 0;
    bool fits = true;
    for (absl::CivilDay day = from; day <= to && fits; ++day) {
      if (!capacity::IsWorkingDay(calendar, day)) continue;
      double load = 0;
      for (const capacity::Allocation& a : allocations)
        load += capacity::LoadHours(calendar, a, day);
      const double free =
          std::max(0.0, capacity::CapacityHours(calendar, day) - load);
      fits = free + capacity::kOverAllocationToleranceHours >= hours_per_day;
      min_free = min_free < 0 ? free : std::min(min_free, free);
      total += free;
    }
    if (!fits || min_free < 0) continue;
    v1::FreeResource f;
    f.set_resource_id(state.resource_id());
    f.set_name(state.name());
    f.set_skill_level(level);
    f.set_min_free_hours_per_day(min_free);
    f.set_free_hours_total(total);
    out.push_back(std::move(f));
  }
  std::sort(out.begin(), out.end(),
            [](const v1::FreeResource& a, const v1::FreeResource& b) {
              if (a.free_hours_total() != b.free_hours_total())
                return a.free_hours_total() > b.free_hours_total();
              return a.resource_id() < b.resource_id();
            });
  return out;
}

absl::StatusOr<std::vector<v1::UtilisationRow>>
ResourceHandlers::GetUtilisation(absl::CivilDay from, absl::CivilDay to,
                                 v1::UtilisationGrouping group_by) {
  RETURN_IF_ERROR(CheckQueryPeriod(from, to));
  if (group_by == v1::UTILISATION_GROUPING_UNSPECIFIED ||
      !v1::UtilisationGrouping_IsValid(group_by)) {
    FieldViolations v;
    v.Add("group_by", "must be RESOURCE, ORGANISATION_UNIT or SKILL");
    return v.ToStatus();
  }
  ASSIGN_OR_RETURN(std::vector<VersionedResource> pool,
                   eventsourcing::LoadAllOfType<Resource>(store_));
  std::map<std::string, std::pair<double, double>>
      rows;  // key -> capacity, booked
  for (const VersionedResource& r : pool) {
    const v1::Resource& state = r.state.state();
    const capacity::WorkingCalendar calendar = ToCalendar(state.calendar());
    const std::vector<capacity::Allocation> allocations = ToAllocations(state);
    double cap = 0, booked = 0;
    for (absl::CivilDay day = from; day <= to; ++day) {
      cap += capacity::CapacityHours(calendar, day);
      for (const capacity::Allocation& a : allocations)
        booked += capacity::LoadHours(calendar, a, day);
    }
    std::vector<std::string> keys;
    if (group_by == v1::UTILISATION_GROUPING_RESOURCE)
      keys = {state.resource_id()};
    if (group_by == v1::UTILISATION_GROUPING_ORGANISATION_UNIT)
      keys = {state.organisation_unit()};
    if (group_by == v1::UTILISATION_GROUPING_SKILL) {
      for (const v1::Skill& s : state.skills()) keys.push_back(s.name());
    }
    for (const std::string& key : keys) {
      rows[key].first += cap;
      rows[key].second += booked;
    }
  }
  std::vector<v1::UtilisationRow> out;
  for (const auto& [key, totals] : rows) {
    v1::UtilisationRow row;
    row.set_key(key);
    row.set_capacity_hours(totals.first);
    row.set_booked_hours(totals.second);
    if (totals.first > 0) row.set_utilisation(totals.second / totals.first);
    out.push_back(std::move(row));
  }
  return out;
}

absl::StatusOr<std::vector<v1::SkillBalance>>
ResourceHandlers::GetCapacityVersusDemand(absl::CivilDay from,
                                          absl::CivilDay to) {
  RETURN_IF_ERROR(CheckQueryPeriod(from, to));
  ASSIGN_OR_RETURN(std::vector<VersionedResource> pool,
                   eventsourcing::LoadAllOfType<Resource>(store_));
  ASSIGN_OR_RETURN(
      std::vector<VersionedCapacityRequest> requests,
      eventsourcing::LoadAllOfType<CapacityRequestAggregate>(store_));
  std::map<std::string, std::pair<double, double>> skills;  // capacity, demand
  for (const VersionedResource& r : pool) {
    const capacity::WorkingCalendar calendar =
        ToCalendar(r.state.state().calendar());
    double hours = 0;
    for (absl::CivilDay day = from; day <= to; ++day)
      hours += capacity::CapacityHours(calendar, day);
    for (const v1::Skill& s : r.state.state().skills())
      skills[s.name()].first += hours;
  }
  // Demand is what is asked and not yet met by a booking: requested and
  // approved requests, in hours on a standard 8-hour, Monday-Friday week.
  const capacity::WorkingCalendar standard;
  for (const VersionedCapacityRequest& r : requests) {
    const v1::CapacityRequest& q = r.state.state();
    if (q.status() != v1::CAPACITY_REQUEST_STATUS_REQUESTED &&
        q.status() != v1::CAPACITY_REQUEST_STATUS_APPROVED) {
      continue;
    }
    v1::Allocation shape;
    *shape.mutable_from() = q.from();
    *shape.mutable_to() = q.to();
    shape.set_unit(q.unit());
    shape.set_amount(q.amount());
    const capacity::Allocation a = ToAllocation(shape);
    double hours = 0;
    for (absl::CivilDay day = std::max(from, a.from); day <= std::min(to, a.to);
         ++day) {
      hours += capacity::LoadHours(standard, a, day);
    }
    skills[q.skill().name()].second += hours;
  }
  std::vector<v1::SkillBalance> out;
  for (const auto& [name, totals] : skills) {
    v1::SkillBalance b;
    b.set_skill(name);
    b.set_capacity_hours(totals.first);
    b.set_demand_hours(totals.second);
    b.set_balance_hours(totals.first - totals.second);
    out.push_back(std::move(b));
  }
  return out;
}

}  // namespace pmo::resources
