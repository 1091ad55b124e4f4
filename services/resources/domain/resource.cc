#include "services/resources/domain/resource.h"

#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "libs/base/errors.h"
#include "libs/base/status_macros.h"
#include "libs/base/text_checks.h"
#include "libs/dates/calendar_dates.h"

namespace pmo::resources {
namespace {

using dates::Day;
using dates::IsRealDate;
using dates::IsSet;

bool IsCurrency(const std::string& code) {
  return code.size() == 3 && absl::ascii_isupper(code[0]) &&
         absl::ascii_isupper(code[1]) && absl::ascii_isupper(code[2]);
}

void CheckPeriod(FieldViolations& v, const std::string& prefix,
                 const google::type::Date& from, const google::type::Date& to) {
  if (!IsRealDate(from)) v.Add(prefix + "from", "must be a real date");
  if (!IsRealDate(to)) {
    v.Add(prefix + "to", "must be a real date");
  } else if (IsRealDate(from) && Day(to) < Day(from)) {
    v.Add(prefix + "to", "must not be before from");
  }
}

}  // namespace

absl::Status ValidateRegistration(const v1::ResourceRegistered& r) {
  FieldViolations v;
  CheckText(v, "name", r.name(), 200);
  if (r.kind() == v1::RESOURCE_KIND_UNSPECIFIED ||
      !v1::ResourceKind_IsValid(r.kind())) {
    v.Add("kind", "must be PERSON, ROLE or EQUIPMENT");
  }
  CheckOptionalText(v, "organisation_unit", r.organisation_unit(), 200);
  std::set<std::string> skill_names;
  for (int i = 0; i < r.skills_size(); ++i) {
    const std::string at = absl::StrCat("skills[", i, "]");
    FieldViolations name;
    CheckText(name, at + ".name", r.skills(i).name(), 100);
    if (!name.empty()) {
      v.AddAll(name.ToStatus());
    } else if (!skill_names.insert(r.skills(i).name()).second) {
      v.Add(at + ".name", "is listed twice");
    }
    if (r.skills(i).level() < 1 || r.skills(i).level() > 5)
      v.Add(at + ".level", "must be 1-5");
  }
  for (int i = 0; i < r.cost_rates_size(); ++i) {
    const std::string at = absl::StrCat("cost_rates[", i, "]");
    const v1::CostRate& rate = r.cost_rates(i);
    if (!IsRealDate(rate.effective_from()))
      v.Add(at + ".effective_from", "must be a real date");
    if (rate.rate_minor_per_hour() < 0)
      v.Add(at + ".rate_minor_per_hour", "must not be negative");
    if (!IsCurrency(rate.currency()))
      v.Add(at + ".currency", "must be an ISO 4217 code such as EUR");
  }
  const v1::WorkingCalendar& c = r.calendar();
  if (c.working_weekdays_size() != 7)
    v.Add("calendar.working_weekdays", "must have 7 entries, Monday first");
  if (!(c.hours_per_day() > 0 && c.hours_per_day() <= 24)) {
    v.Add("calendar.hours_per_day", "must be more than 0 and at most 24");
  }
  for (int i = 0; i < c.holidays_size(); ++i) {
    if (!IsRealDate(c.holidays(i)))
      v.Add(absl::StrCat("calendar.holidays[", i, "]"), "must be a real date");
  }
  for (int i = 0; i < c.absences_size(); ++i) {
    const std::string at = absl::StrCat("calendar.absences[", i, "].");
    CheckPeriod(v, at, c.absences(i).from(), c.absences(i).to());
    if (!(c.absences(i).hours_per_day() > 0 &&
          c.absences(i).hours_per_day() <= 24)) {
      v.Add(at + "hours_per_day", "must be more than 0 and at most 24");
    }
  }
  if (!IsRealDate(c.employed_from()))
    v.Add("calendar.employed_from", "must be a real date");
  if (IsSet(c.employed_to())) {
    if (!IsRealDate(c.employed_to())) {
      v.Add("calendar.employed_to", "must be a real date");
    } else if (IsRealDate(c.employed_from()) &&
               Day(c.employed_to()) < Day(c.employed_from())) {
      v.Add("calendar.employed_to", "must not be before employed_from");
    }
  }
  return v.ToStatus();
}

absl::Status ValidateAllocationShape(const v1::Allocation& a) {
  FieldViolations v;
  if (a.project_id().empty()) v.Add("project_id", "is required");
  CheckPeriod(v, "", a.from(), a.to());
  if (a.unit() == v1::ALLOCATION_UNIT_PERCENT) {
    if (!(a.amount() > 0 && a.amount() <= 100)) {
      v.Add("amount", "must be more than 0 and at most 100 percent");
    }
  } else if (a.unit() == v1::ALLOCATION_UNIT_HOURS_PER_DAY) {
    if (!(a.amount() > 0 && a.amount() <= 24))
      v.Add("amount", "must be more than 0 and at most 24 hours");
  } else {
    v.Add("unit", "must be HOURS_PER_DAY or PERCENT");
  }
  // An optional window that must hold the booking's period.
  if (IsSet(a.movable_from()) || IsSet(a.movable_to())) {
    if (!IsRealDate(a.movable_from()))
      v.Add("movable_from", "must be a real date");
    if (!IsRealDate(a.movable_to())) v.Add("movable_to", "must be a real date");
    if (IsRealDate(a.movable_from()) && IsRealDate(a.from()) &&
        Day(a.movable_from()) > Day(a.from())) {
      v.Add("movable_from", "must not be after from");
    }
    if (IsRealDate(a.movable_to()) && IsRealDate(a.to()) &&
        Day(a.movable_to()) < Day(a.to())) {
      v.Add("movable_to", "must not be before to");
    }
  }
  return v.ToStatus();
}

void Resource::Apply(const google::protobuf::Message& event, absl::Time) {
  if (const auto* r = dynamic_cast<const v1::ResourceRegistered*>(&event)) {
    state_.set_resource_id(r->resource_id());
    state_.set_name(r->name());
    state_.set_kind(r->kind());
    state_.set_organisation_unit(r->organisation_unit());
    *state_.mutable_skills() = r->skills();
    *state_.mutable_cost_rates() = r->cost_rates();
    *state_.mutable_calendar() = r->calendar();
  } else if (const auto* a = dynamic_cast<const v1::AbsenceRecorded*>(&event)) {
    *state_.mutable_calendar()->add_absences() = a->absence();
  } else if (const auto* rate =
                 dynamic_cast<const v1::CostRateAdded*>(&event)) {
    *state_.add_cost_rates() = rate->cost_rate();
  } else if (const auto* holiday =
                 dynamic_cast<const v1::HolidayAdded*>(&event)) {
    *state_.mutable_calendar()->add_holidays() = holiday->holiday();
  } else if (const auto* made =
                 dynamic_cast<const v1::AllocationMade*>(&event)) {
    v1::Allocation* booked = state_.add_allocations();
    *booked = made->allocation();
    booked->set_status(v1::ALLOCATION_STATUS_BOOKED);
  } else if (const auto* cancelled =
                 dynamic_cast<const v1::AllocationCancelled*>(&event)) {
    for (v1::Allocation& a : *state_.mutable_allocations()) {
      if (a.allocation_id() != cancelled->allocation_id()) continue;
      a.set_status(v1::ALLOCATION_STATUS_CANCELLED);
      a.set_cancellation_reason(cancelled->reason());
    }
  }
  // Over-allocation events describe the state; they change nothing here.
}

const v1::Allocation* Resource::FindAllocation(
    const std::string& allocation_id) const {
  for (const v1::Allocation& a : state_.allocations()) {
    if (a.allocation_id() == allocation_id &&
        a.status() == v1::ALLOCATION_STATUS_BOOKED)
      return &a;
  }
  return nullptr;
}

absl::StatusOr<eventsourcing::Decision> Resource::Register(
    v1::ResourceRegistered r) const {
  if (exists()) return absl::AlreadyExistsError("resource exists");
  RETURN_IF_ERROR(ValidateRegistration(r));
  eventsourcing::Decision decision;
  decision.events.push_back(
      std::make_unique<v1::ResourceRegistered>(std::move(r)));
  return decision;
}

namespace {

void AddOverAllocation(eventsourcing::Decision& decision,
                       const std::string& resource_id,
                       const std::vector<v1::OverAllocatedDay>& newly_over) {
  if (newly_over.empty()) return;
  auto over = std::make_unique<v1::ResourceOverAllocated>();
  over->set_resource_id(resource_id);
  for (const v1::OverAllocatedDay& d : newly_over) *over->add_days() = d;
  decision.events.push_back(std::move(over));
}

}  // namespace

absl::StatusOr<eventsourcing::Decision> Resource::RecordAbsence(
    const v1::Absence& absence,
    const std::vector<v1::OverAllocatedDay>& newly_over) const {
  if (!exists()) return absl::NotFoundError("resource not found");
  FieldViolations v;
  CheckPeriod(v, "absence.", absence.from(), absence.to());
  if (!(absence.hours_per_day() > 0 && absence.hours_per_day() <= 24)) {
    v.Add("absence.hours_per_day", "must be more than 0 and at most 24");
  }
  if (absence.reason().size() > 500)
    v.Add("absence.reason", "at most 500 characters");
  RETURN_IF_ERROR(v.ToStatus());
  auto recorded = std::make_unique<v1::AbsenceRecorded>();
  recorded->set_resource_id(state_.resource_id());
  *recorded->mutable_absence() = absence;
  eventsourcing::Decision decision;
  decision.events.push_back(std::move(recorded));
  AddOverAllocation(decision, state_.resource_id(), newly_over);
  return decision;
}

absl::StatusOr<eventsourcing::Decision> Resource::AddCostRate(
    const v1::CostRate& rate) const {
  if (!exists()) return absl::NotFoundError("resource not found");
  FieldViolations v;
  if (!IsRealDate(rate.effective_from()))
    v.Add("cost_rate.effective_from", "must be a real date");
  if (rate.rate_minor_per_hour() < 0)
    v.Add("cost_rate.rate_minor_per_hour", "must not be negative");
  if (!IsCurrency(rate.currency()))
    v.Add("cost_rate.currency", "must be an ISO 4217 code such as EUR");
  RETURN_IF_ERROR(v.ToStatus());
  auto added = std::make_unique<v1::CostRateAdded>();
  added->set_resource_id(state_.resource_id());
  *added->mutable_cost_rate() = rate;
  eventsourcing::Decision decision;
  decision.events.push_back(std::move(added));
  return decision;
}

absl::StatusOr<eventsourcing::Decision> Resource::AddHoliday(
    const google::type::Date& holiday,
    const std::vector<google::type::Date>& resolved) const {
  if (!exists()) return absl::NotFoundError("resource not found");
  if (!IsRealDate(holiday)) {
    FieldViolations v;
    v.Add("holiday", "must be a real date");
    return v.ToStatus();
  }
  eventsourcing::Decision decision;
  for (const google::type::Date& h : state_.calendar().holidays()) {
    if (Day(h) == Day(holiday)) return decision;  // already a holiday
  }
  auto added = std::make_unique<v1::HolidayAdded>();
  added->set_resource_id(state_.resource_id());
  *added->mutable_holiday() = holiday;
  decision.events.push_back(std::move(added));
  if (!resolved.empty()) {
    auto event = std::make_unique<v1::ResourceOverAllocationResolved>();
    event->set_resource_id(state_.resource_id());
    for (const google::type::Date& d : resolved) *event->add_days() = d;
    decision.events.push_back(std::move(event));
  }
  return decision;
}

absl::StatusOr<eventsourcing::Decision> Resource::Allocate(
    const v1::Allocation& allocation,
    const std::vector<v1::OverAllocatedDay>& newly_over) const {
  if (!exists()) return absl::NotFoundError("resource not found");
  RETURN_IF_ERROR(ValidateAllocationShape(allocation));
  const v1::WorkingCalendar& c = state_.calendar();
  // Bookings only within the employment.
  if (Day(allocation.from()) < Day(c.employed_from()) ||
      (IsSet(c.employed_to()) && Day(allocation.to()) > Day(c.employed_to()))) {
    FieldViolations v;
    v.Add(Day(allocation.from()) < Day(c.employed_from()) ? "from" : "to",
          "is outside the resource's employment");
    return v.ToStatus();
  }
  for (const v1::Allocation& a : state_.allocations()) {
    if (a.allocation_id() == allocation.allocation_id()) {
      return absl::AlreadyExistsError("allocation exists");
    }
  }
  auto made = std::make_unique<v1::AllocationMade>();
  made->set_resource_id(state_.resource_id());
  *made->mutable_allocation() = allocation;
  eventsourcing::Decision decision;
  decision.events.push_back(std::move(made));
  AddOverAllocation(decision, state_.resource_id(), newly_over);
  return decision;
}

absl::StatusOr<eventsourcing::Decision> Resource::CancelAllocation(
    const std::string& allocation_id, const std::string& reason,
    const std::vector<google::type::Date>& resolved) const {
  if (!exists()) return absl::NotFoundError("resource not found");
  if (!FindAllocation(allocation_id)) {
    return absl::NotFoundError(
        absl::StrCat("allocation ", allocation_id, " not found"));
  }
  auto cancelled = std::make_unique<v1::AllocationCancelled>();
  cancelled->set_resource_id(state_.resource_id());
  cancelled->set_allocation_id(allocation_id);
  cancelled->set_reason(reason);
  eventsourcing::Decision decision;
  decision.events.push_back(std::move(cancelled));
  if (!resolved.empty()) {
    auto event = std::make_unique<v1::ResourceOverAllocationResolved>();
    event->set_resource_id(state_.resource_id());
    for (const google::type::Date& d : resolved) *event->add_days() = d;
    decision.events.push_back(std::move(event));
  }
  return decision;
}

}  // namespace pmo::resources
