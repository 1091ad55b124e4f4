#include "services/projection/app/consolidation.h"

#include <openssl/evp.h>

#include <algorithm>
#include <limits>
#include <unordered_map>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "libs/base/log_line.h"
#include "libs/dates/calendar_dates.h"
#include "libs/eventsourcing/event_codec.h"
#include "pmo/configuration/v1/events.pb.h"
#include "pmo/projects/v1/events.pb.h"
#include "pmo/resources/v1/events.pb.h"
#include "pmo/risks/v1/events.pb.h"

namespace pmo::projection {
namespace {

namespace pv1 = ::pmo::projects::v1;
namespace kv1 = ::pmo::risks::v1;
namespace rv1 = ::pmo::resources::v1;
namespace cv1 = ::pmo::configuration::v1;

std::optional<absl::CivilDay> DayOf(const google::type::Date& d) {
  return dates::ToCivilDay(d);
}

// Canonical text for the digest: every value length-prefixed, so no value
// can forge a separator.
class Canonical {
 public:
  Canonical& operator()(const std::string& s) {
    absl::StrAppend(&out_, s.size(), ":", s, ";");
    return *this;
  }
  Canonical& operator()(int64_t v) { return (*this)(absl::StrCat(v)); }
  Canonical& operator()(double v) { return (*this)(absl::StrCat(v)); }
  Canonical& operator()(absl::CivilDay d) {
    return (*this)(absl::FormatCivilTime(d));
  }
  Canonical& operator()(const std::optional<absl::CivilDay>& d) {
    return d ? (*this)(*d) : (*this)(std::string("-"));
  }
  void Line() { out_.push_back('\n'); }
  const std::string& text() const { return out_; }

 private:
  std::string out_;
};

absl::CivilDay BusinessDay(const eventstore::RecordedEvent& e) {
  return absl::ToCivilDay(e.occurred_at, absl::UTCTimeZone());
}

// The resources context's calendar, as the capacity library reads it (the
// same reading as the resources service's own).
capacity::WorkingCalendar ToCalendar(const rv1::WorkingCalendar& c) {
  capacity::WorkingCalendar out;
  for (int i = 0; i < 7 && i < c.working_weekdays_size(); ++i)
    out.working_weekdays[i] = c.working_weekdays(i);
  out.hours_per_day = c.hours_per_day();
  for (const auto& h : c.holidays()) {
    if (auto day = DayOf(h)) out.holidays.push_back(*day);
  }
  for (const auto& a : c.absences()) {
    auto from = DayOf(a.from()), to = DayOf(a.to());
    if (from && to) out.absences.push_back({*from, *to, a.hours_per_day()});
  }
  out.employed_from = DayOf(c.employed_from());
  out.employed_to = DayOf(c.employed_to());
  return out;
}

int ChangeRequestStatusAfter(cv1::BoardDecision d) {
  switch (d) {
    case cv1::BOARD_DECISION_APPROVE:
      return cv1::CHANGE_REQUEST_STATUS_APPROVED;
    case cv1::BOARD_DECISION_REJECT:
      return cv1::CHANGE_REQUEST_STATUS_REJECTED;
    case cv1::BOARD_DECISION_DEFER:
      return cv1::CHANGE_REQUEST_STATUS_DEFERRED;
    default:
      return cv1::CHANGE_REQUEST_STATUS_ASSESSED;
  }
}

}  // namespace

std::optional<absl::CivilDay> Consolidation::Risk::FirstDue() const {
  std::optional<absl::CivilDay> first = next_review;
  for (const auto& [id, action] : actions) {
    if (!action.second && (!first || action.first < *first))
      first = action.first;
  }
  return first;
}

void Consolidation::Contribute(const Risk& r, int sign, absl::CivilDay day) {
  if (r.scope_id.empty() || !r.open) return;
  Counters& c = counters_[r.scope_id];
  c.open_risks += sign;
  const int64_t value = sign * r.current().ev;
  auto& change = c.exposure_changes[day];
  if (r.threat) {
    c.risk_exposure_minor += value;
    change.first += value;
  } else {
    c.opportunity_value_minor += value;
    change.second += value;
  }
  if (change == std::pair<int64_t, int64_t>{0, 0})
    c.exposure_changes.erase(day);
  if (auto due = r.FirstDue()) {
    auto at = std::lower_bound(c.risks_due.begin(), c.risks_due.end(), *due);
    if (sign > 0) {
      c.risks_due.insert(at, *due);
    } else {
      c.risks_due.erase(at);  // it was put in with the same day
    }
  }
}

void Consolidation::Contribute(const Issue& i, int sign) {
  if (!i.scope_id.empty() && i.open) counters_[i.scope_id].open_issues += sign;
}

void Consolidation::Contribute(Resource& r, const Allocation& a, int sign) {
  if (!a.booked || a.booking.project_id.empty()) return;
  Counters& c = counters_[a.booking.project_id];
  c.bookings += sign;
  if ((c.booked_resources[&r] += sign) == 0) c.booked_resources.erase(&r);
  if ((r.booked_projects[a.booking.project_id] += sign) == 0)
    r.booked_projects.erase(a.booking.project_id);
}

void Consolidation::Contribute(const CapacityRequest& q, int sign) {
  if (!q.project_id.empty() && q.open)
    counters_[q.project_id].open_capacity_requests += sign;
}

void Consolidation::Contribute(const ChangeRequest& q, int sign) {
  if (!q.project_id.empty() && q.open)
    counters_[q.project_id].open_change_requests += sign;
}

void Consolidation::Contribute(const Audit& a, int sign) {
  if (a.project_id.empty()) return;
  Counters& c = counters_[a.project_id];
  c.completed_audits += sign * a.completed;
  for (const auto& [id, f] : a.findings) {
    if (!f.open) continue;
    c.open_findings += sign;
    if (f.severity >= cv1::FINDING_SEVERITY_MAJOR) {
      c.open_major_findings += sign;
    } else if (f.severity == cv1::FINDING_SEVERITY_MINOR) {
      c.open_minor_findings += sign;
    }
  }
}

void Consolidation::Apply(const eventstore::RecordedEvent& e) {
  absl::StatusOr<std::unique_ptr<google::protobuf::Message>> decoded =
      eventsourcing::DecodeEvent(e.event_type, e.payload);
  if (!decoded.ok()) return;  // recorded as a dead letter by the caller's view
  Apply(e, **decoded);
}

namespace {

bool InAmountRange(int64_t amount) {
  return amount >= 0 && amount <= earnedvalue::kMaxAmount;
}

// Never overflows: saturates at INT64_MAX (and at INT64_MIN for a negative
// amount, which InAmountRange reports).
int64_t SaturatingAdd(int64_t total, int64_t amount) {
  if (amount > 0 && total > INT64_MAX - amount) return INT64_MAX;
  if (amount < 0 && total < INT64_MIN - amount) return INT64_MIN;
  return total + amount;
}

// The projects service bounds amounts (10^15 minor units, each and per
// project), so this is only for history recorded before it did: the
// project's line then shows no earned value, and the log says why, once
// per event that broke the bound.
void ReportEarnedValueLeftOut(const eventstore::RecordedEvent& e,
                              absl::string_view reason) {
  LogLine("warning", "earned_value_left_out",
          {{"project_id", e.stream_id},
           {"event_type", e.event_type},
           {"stream_version", absl::StrCat(e.stream_version)},
           {"reason", std::string(reason)}});
}

}  // namespace

void Consolidation::Apply(const eventstore::RecordedEvent& event,
                          const google::protobuf::Message& decoded) {
  const std::string& package = decoded.GetDescriptor()->file()->package();
  if (package == "pmo.projects.v1") {
    ApplyProjects(event, decoded);
  } else if (package == "pmo.risks.v1") {
    ApplyRisks(event, decoded);
  } else if (package == "pmo.resources.v1") {
    ApplyResources(event, decoded);
  } else if (package == "pmo.configuration.v1") {
    ApplyConfiguration(event, decoded);
  }
}

void Consolidation::ApplyProjects(const eventstore::RecordedEvent& e,
                                  const google::protobuf::Message& m) {
  if (const auto* c = dynamic_cast<const pv1::PortfolioCreated*>(&m)) {
    portfolios_[e.stream_id] = {c->code(), c->name(), ""};
    return;
  }
  if (const auto* c = dynamic_cast<const pv1::ProgrammeCreated*>(&m)) {
    programmes_[e.stream_id] = {c->code(), c->name(), c->portfolio_id()};
    return;
  }
  if (e.stream_type != "project") return;
  Project& p = projects_[e.stream_id];
  if (const auto* c = dynamic_cast<const pv1::ProjectCreated*>(&m)) {
    p.code = c->code();
    p.name = c->name();
    p.manager = c->manager();
    p.status = c->status();
  } else if (const auto* s =
                 dynamic_cast<const pv1::ProjectStatusChanged*>(&m)) {
    p.status = s->status();
  } else if (const auto* a =
                 dynamic_cast<const pv1::ProjectAssignedToProgramme*>(&m)) {
    p.programme_id = a->programme_id();
  } else if (const auto* applied =
                 dynamic_cast<const pv1::MethodologyApplied*>(&m)) {
    if (applied->methodology().phases_size() > 0)
      p.phase = applied->methodology().phases(0).name();
  } else if (const auto* phase = dynamic_cast<const pv1::PhaseEntered*>(&m)) {
    p.phase = phase->phase_name();
  } else if (const auto* b = dynamic_cast<const pv1::BudgetSet*>(&m)) {
    p.records.budget_at_completion = b->budget().budget_at_completion_minor();
    p.records.planned_values.clear();
    bool in_range = InAmountRange(p.records.budget_at_completion);
    int64_t planned = 0;
    for (const pv1::PlannedAmount& pa : b->budget().planned_values()) {
      if (auto day = DayOf(pa.date()))
        p.records.planned_values.push_back({*day, pa.amount_minor()});
      in_range = in_range && InAmountRange(pa.amount_minor());
      planned = SaturatingAdd(planned, pa.amount_minor());
    }
    if (!in_range || planned > earnedvalue::kMaxAmount) {
      ReportEarnedValueLeftOut(
          e, "the budget's amounts are outside 0..2^53 minor units");
    }
  } else if (const auto* cost =
                 dynamic_cast<const pv1::ActualCostRecorded*>(&m)) {
    if (auto day = DayOf(cost->cost_date())) {
      p.records.actual_costs.push_back(
          {*day, std::nullopt, cost->amount_minor(), cost->category()});
      auto at = std::lower_bound(p.cost_totals.begin(), p.cost_totals.end(),
                                 std::pair(*day, INT64_MIN));
      if (at == p.cost_totals.end() || at->first != *day) {
        at = p.cost_totals.insert(
            at,
            {*day, at == p.cost_totals.begin() ? 0 : std::prev(at)->second});
      }
      // Saturating: a total past 2^53 is refused by earned value anyway,
      // and must not wrap round into a plausible figure.
      for (; at != p.cost_totals.end(); ++at)
        at->second = SaturatingAdd(at->second, cost->amount_minor());
      if (!InAmountRange(cost->amount_minor()) ||
          p.cost_totals.back().second > earnedvalue::kMaxAmount) {
        ReportEarnedValueLeftOut(
            e, "the project's actual costs are outside 0..2^53 minor units");
      }
    }
  } else if (const auto* progress =
                 dynamic_cast<const pv1::ProgressReported*>(&m)) {
    if (auto day = DayOf(progress->measured_on())) {
      earnedvalue::ProgressReport report;
      report.date = *day;
      report.percent_complete = progress->percent_complete();
      p.records.progress.push_back(report);
      // A later report measured on the same day supersedes the earlier.
      auto at =
          std::lower_bound(p.latest_progress.begin(), p.latest_progress.end(),
                           std::pair(*day, size_t{0}));
      if (at == p.latest_progress.end() || at->first != *day)
        at = p.latest_progress.insert(at, {*day, 0});
      at->second = p.records.progress.size() - 1;
    }
  } else if (const auto* report =
                 dynamic_cast<const pv1::StatusReportSubmitted*>(&m)) {
    if (auto day = DayOf(report->report_date()))
      p.reports.emplace_back(*day, report->health());
  } else if (const auto* task = dynamic_cast<const pv1::TaskAdded*>(&m)) {
    if (task->milestone())
      p.milestones[task->task_id()] = {task->name(), DayOf(task->not_before()),
                                       false};
  } else if (const auto* plan = dynamic_cast<const pv1::TaskPlanChanged*>(&m)) {
    auto it = p.milestones.find(plan->task_id());
    if (it != p.milestones.end())
      it->second.not_before = DayOf(plan->not_before());
  } else if (const auto* done =
                 dynamic_cast<const pv1::TaskProgressRecorded*>(&m)) {
    auto it = p.milestones.find(done->task_id());
    if (it != p.milestones.end())
      it->second.done = done->percent_complete() >= 100;
  } else if (const auto* dependency =
                 dynamic_cast<const pv1::DependencyAdded*>(&m)) {
    // Within the project too: the graph shows only the cross-project ones.
    p.dependencies.push_back({dependency->predecessor_project_id(),
                              dependency->predecessor_task_id(),
                              dependency->successor_task_id(),
                              dependency->type(), dependency->lag_days()});
  } else if (const auto* at_risk =
                 dynamic_cast<const pv1::DependentDatesAtRisk*>(&m)) {
    Slip slip{at_risk->moved_task().project_id(),
              at_risk->moved_task().task_id(),
              at_risk->slip_days(),
              {},
              BusinessDay(e)};
    for (const pv1::TaskAtRisk& t : at_risk->tasks_at_risk()) {
      slip.tasks_at_risk.push_back(
          {t.task_id(), DayOf(t.early_finish()), t.delay_days()});
    }
    p.slips.push_back(std::move(slip));
  } else if (const auto* baseline =
                 dynamic_cast<const pv1::BaselineCaptured*>(&m)) {
    p.baselines.push_back({baseline->name(), baseline->tasks_size(),
                           DayOf(baseline->finish()), BusinessDay(e)});
  }
}

void Consolidation::ApplyRisks(const eventstore::RecordedEvent& e,
                               const google::protobuf::Message& m) {
  if (e.stream_type == "issue") {
    Issue& i = issues_[e.stream_id];
    Contribute(i, -1);
    if (const auto* raised = dynamic_cast<const kv1::IssueRaised*>(&m)) {
      i.scope_id = raised->scope_id();
      i.open = true;
      i.level = raised->level();
      i.priority = raised->priority();
      i.title = raised->title();
      i.owner = raised->owner();
      i.risk_id = raised->risk_id();
      i.raised_on = DayOf(raised->raised_on());
      if (!i.raised_on) i.raised_on = BusinessDay(e);
    } else if (const auto* reassigned =
                   dynamic_cast<const kv1::IssueReassigned*>(&m)) {
      i.priority = reassigned->priority();
      i.owner = reassigned->owner();
    } else if (const auto* resolved =
                   dynamic_cast<const kv1::IssueResolved*>(&m)) {
      i.open = false;
      i.resolved_on = DayOf(resolved->resolved_on());
      if (!i.resolved_on) i.resolved_on = BusinessDay(e);
    }
    Contribute(i, +1);
    return;
  }
  if (e.stream_type == "combined_risk") {
    CombinedRiskEntry& c = combined_risks_[e.stream_id].entry;
    auto exposure = [&c](const kv1::CombinedExposure& x) {
      c.probability_any = x.probability_any();
      c.expected_value_minor = x.expected_value_minor();
      c.worst_case_minor = x.worst_case_minor();
      c.max_score = x.max_score();
      c.max_rating = x.max_rating();
    };
    if (const auto* combined = dynamic_cast<const kv1::RisksCombined*>(&m)) {
      c.level = combined->level();
      c.scope_id = combined->scope_id();
      c.title = combined->title();
      c.category = combined->category();
      c.owner = combined->owner();
      c.member_risk_ids.assign(combined->member_risk_ids().begin(),
                               combined->member_risk_ids().end());
      exposure(combined->exposure());
    } else if (const auto* changed =
                   dynamic_cast<const kv1::CombinedExposureChanged*>(&m)) {
      exposure(changed->exposure());
    }
    return;
  }
  if (e.stream_type != "risk") return;
  Risk& r = risks_[e.stream_id];
  const absl::CivilDay day = BusinessDay(e);
  Contribute(r, -1, day);
  ApplyRisk(e, m, r);
  Contribute(r, +1, day);
}

void Consolidation::ApplyRisk(const eventstore::RecordedEvent& e,
                              const google::protobuf::Message& m, Risk& r) {
  auto rating = [](const kv1::Rating& from, Rating& to) {
    to = {from.probability(), from.impact(), from.score(), from.rating(),
          from.expected_value_minor()};
  };
  if (const auto* identified = dynamic_cast<const kv1::RiskIdentified*>(&m)) {
    r.scope_id = identified->scope_id();
    r.level = identified->level();
    r.threat = identified->kind() != kv1::RISK_KIND_OPPORTUNITY;
    r.status = kv1::RISK_STATUS_IDENTIFIED;
    r.title = identified->title();
    r.category = identified->category();
    r.owner = identified->owner();
    if (identified->has_next_review())
      r.next_review = DayOf(identified->next_review());
  } else if (const auto* assessed =
                 dynamic_cast<const kv1::RiskAssessed*>(&m)) {
    if (assessed->stage() == kv1::ASSESSMENT_STAGE_RESIDUAL) {
      r.has_residual = true;
      rating(assessed->rating(), r.residual);
    } else {
      rating(assessed->rating(), r.inherent);
    }
    if (r.status == kv1::RISK_STATUS_IDENTIFIED)
      r.status = kv1::RISK_STATUS_ASSESSED;
    if (assessed->has_next_review())
      r.next_review = DayOf(assessed->next_review());
  } else if (const auto* rerated = dynamic_cast<const kv1::RiskRerated*>(&m)) {
    rating(rerated->rating(), rerated->stage() == kv1::ASSESSMENT_STAGE_RESIDUAL
                                  ? r.residual
                                  : r.inherent);
  } else if (const auto* status =
                 dynamic_cast<const kv1::RiskStatusChanged*>(&m)) {
    r.status = status->status();
    r.open = status->status() != kv1::RISK_STATUS_CLOSED &&
             status->status() != kv1::RISK_STATUS_OCCURRED;
  } else if (const auto* planned =
                 dynamic_cast<const kv1::ResponsePlanned*>(&m)) {
    r.actions.clear();
    for (const kv1::ResponseAction& a : planned->actions()) {
      if (auto due = DayOf(a.due()))
        r.actions[a.action_id()] = {*due, a.done()};
    }
  } else if (const auto* completed =
                 dynamic_cast<const kv1::ResponseActionCompleted*>(&m)) {
    auto it = r.actions.find(completed->action_id());
    if (it != r.actions.end()) it->second.second = true;
  } else if (const auto* joined =
                 dynamic_cast<const kv1::RiskJoinedCombination*>(&m)) {
    r.combined_risk_id = joined->combined_risk_id();
  }
}

void Consolidation::ApplyResources(const eventstore::RecordedEvent& e,
                                   const google::protobuf::Message& m) {
  if (e.stream_type == "capacity_request") {
    CapacityRequest& q = capacity_requests_[e.stream_id];
    Contribute(q, -1);
    if (const auto* requested =
            dynamic_cast<const rv1::CapacityRequested*>(&m)) {
      q = {requested->project_id(), true};
    } else if (dynamic_cast<const rv1::CapacityRequestRejected*>(&m) ||
               dynamic_cast<const rv1::CapacityRequestFulfilled*>(&m)) {
      q.open = false;
    }
    Contribute(q, +1);
    return;
  }
  if (e.stream_type != "resource") return;
  ApplyResource(m, resources_[e.stream_id]);
}

void Consolidation::ApplyResource(const google::protobuf::Message& m,
                                  Resource& r) {
  if (const auto* registered =
          dynamic_cast<const rv1::ResourceRegistered*>(&m)) {
    r.name = registered->name();
    r.calendar = ToCalendar(registered->calendar());
  } else if (const auto* absence =
                 dynamic_cast<const rv1::AbsenceRecorded*>(&m)) {
    auto from = DayOf(absence->absence().from()),
         to = DayOf(absence->absence().to());
    if (from && to)
      r.calendar.absences.push_back(
          {*from, *to, absence->absence().hours_per_day()});
  } else if (const auto* holiday = dynamic_cast<const rv1::HolidayAdded*>(&m)) {
    if (auto day = DayOf(holiday->holiday()))
      r.calendar.holidays.push_back(*day);
  } else if (const auto* made = dynamic_cast<const rv1::AllocationMade*>(&m)) {
    const rv1::Allocation& a = made->allocation();
    Allocation& slot = r.allocations[a.allocation_id()];
    Contribute(r, slot, -1);
    slot.booking = {a.allocation_id(),
                    a.project_id(),
                    DayOf(a.from()).value_or(absl::CivilDay()),
                    DayOf(a.to()).value_or(absl::CivilDay()),
                    a.unit() == rv1::ALLOCATION_UNIT_PERCENT
                        ? capacity::AllocationUnit::kPercent
                        : capacity::AllocationUnit::kHoursPerDay,
                    a.amount()};
    slot.booked = a.status() == rv1::ALLOCATION_STATUS_UNSPECIFIED ||
                  a.status() == rv1::ALLOCATION_STATUS_BOOKED;
    Contribute(r, slot, +1);
  } else if (const auto* cancelled =
                 dynamic_cast<const rv1::AllocationCancelled*>(&m)) {
    auto it = r.allocations.find(cancelled->allocation_id());
    if (it != r.allocations.end()) {
      Contribute(r, it->second, -1);
      it->second.booked = false;
    }
  } else if (const auto* over =
                 dynamic_cast<const rv1::ResourceOverAllocated*>(&m)) {
    for (const rv1::OverAllocatedDay& d : over->days()) {
      auto day = DayOf(d.day());
      if (!day) continue;
      OverAllocatedDay& facts = r.over_allocated[*day];
      facts = {d.capacity_hours(), d.load_hours(), d.excess_hours(), {}};
      for (const rv1::ProjectShare& s : d.shares())
        facts.shares.emplace_back(s.project_id(), s.hours());
    }
  } else if (const auto* resolved =
                 dynamic_cast<const rv1::ResourceOverAllocationResolved*>(&m)) {
    for (const google::type::Date& d : resolved->days()) {
      if (auto day = DayOf(d)) r.over_allocated.erase(*day);
    }
  }
}

void Consolidation::ApplyConfiguration(const eventstore::RecordedEvent& e,
                                       const google::protobuf::Message& m) {
  const absl::CivilDay day = BusinessDay(e);
  if (e.stream_type == "change_request") {
    ChangeRequest& q = change_requests_[e.stream_id];
    Contribute(q, -1);
    if (const auto* submitted =
            dynamic_cast<const cv1::ChangeRequestSubmitted*>(&m)) {
      q.project_id = submitted->project_id();
      q.title = submitted->title();
      q.requester = submitted->requester();
      q.status = cv1::CHANGE_REQUEST_STATUS_SUBMITTED;
      q.submitted_on = day;
    } else if (const auto* assessed =
                   dynamic_cast<const cv1::ChangeRequestAssessed*>(&m)) {
      q.status = cv1::CHANGE_REQUEST_STATUS_ASSESSED;
      q.schedule_days = assessed->impact().schedule_days();
      q.cost_minor = assessed->impact().cost_minor();
    } else if (const auto* decided =
                   dynamic_cast<const cv1::ChangeRequestDecided*>(&m)) {
      q.status = ChangeRequestStatusAfter(decided->decision());
      if (decided->decision() == cv1::BOARD_DECISION_REJECT) q.open = false;
    } else if (dynamic_cast<const cv1::ChangeRequestImplemented*>(&m)) {
      q.status = cv1::CHANGE_REQUEST_STATUS_IMPLEMENTED;
    } else if (dynamic_cast<const cv1::ChangeRequestVerified*>(&m)) {
      q.status = cv1::CHANGE_REQUEST_STATUS_VERIFIED;
    } else if (dynamic_cast<const cv1::ChangeRequestClosed*>(&m)) {
      q.status = cv1::CHANGE_REQUEST_STATUS_CLOSED;
      q.open = false;
    }
    Contribute(q, +1);
    return;
  }
  if (e.stream_type == "audit") {
    Audit& a = audits_[e.stream_id];
    Contribute(a, -1);
    if (const auto* planned = dynamic_cast<const cv1::AuditPlanned*>(&m)) {
      a.project_id = planned->project_id();
      a.standard_id = planned->standard_id();
    } else if (const auto* finding =
                   dynamic_cast<const cv1::AuditFindingRecorded*>(&m)) {
      a.findings[finding->finding_id()] = {finding->clause(),
                                           finding->description(),
                                           finding->severity(), true, day};
    } else if (const auto* closed =
                   dynamic_cast<const cv1::AuditFindingClosed*>(&m)) {
      if (auto it = a.findings.find(closed->finding_id());
          it != a.findings.end())
        it->second.open = false;
    } else if (dynamic_cast<const cv1::AuditCompleted*>(&m)) {
      a.completed = true;
    }
    Contribute(a, +1);
    return;
  }
  if (const auto* baseline =
          dynamic_cast<const cv1::BaselineEstablished*>(&m)) {
    baselines_[e.stream_id] = {baseline->project_id(), baseline->name(),
                               baseline->entries_size(), day};
    return;
  }
  if (e.stream_type != "tool") return;
  Tool& t = tools_[e.stream_id];
  if (const auto* catalogued = dynamic_cast<const cv1::ToolCatalogued*>(&m)) {
    t.name = catalogued->name();
    t.vendor = catalogued->vendor();
    t.licence_model = catalogued->licence_model();
    t.licence_count = catalogued->licence_count();
    t.licence_expiry = DayOf(catalogued->licence_expiry());
  } else if (const auto* licence =
                 dynamic_cast<const cv1::ToolLicenceChanged*>(&m)) {
    t.licence_count = licence->licence_count();
    t.licence_expiry = DayOf(licence->licence_expiry());
  } else if (const auto* assigned =
                 dynamic_cast<const cv1::ToolAssignedToProject*>(&m)) {
    t.seats[assigned->assignment().project_id()] =
        assigned->assignment().seats();
  } else if (const auto* released =
                 dynamic_cast<const cv1::ToolReleasedFromProject*>(&m)) {
    t.seats.erase(released->project_id());
  } else if (dynamic_cast<const cv1::ToolRetired*>(&m)) {
    t.retired = true;
  }
}

void RollUpProjects(Overview& overview) {
  overview.programmes.clear();
  overview.portfolios.clear();
  std::map<std::string, RollUp> programmes, portfolios;
  std::map<std::string, std::vector<earnedvalue::EarnedValue>> programme_ev,
      portfolio_ev;
  for (const ProjectOverview& o : overview.projects) {
    for (auto [rollups, evs, key, code] :
         {std::tuple{&programmes, &programme_ev, o.programme_id,
                     o.programme_code},
          std::tuple{&portfolios, &portfolio_ev, o.portfolio_id,
                     o.portfolio_code}}) {
      RollUp& r = (*rollups)[key];
      r.id = key;
      r.code = code;
      ++r.projects;
      r.open_risks += o.open_risks;
      r.overdue_risks += o.overdue_risks;
      r.risk_exposure_minor += o.risk_exposure_minor;
      r.opportunity_value_minor += o.opportunity_value_minor;
      r.open_issues += o.open_issues;
      (*evs)[key].push_back(o.earned_value);
    }
  }
  for (auto [rollups, evs, target] :
       {std::tuple{&programmes, &programme_ev, &overview.programmes},
        std::tuple{&portfolios, &portfolio_ev, &overview.portfolios}}) {
    for (auto& [key, r] : *rollups) {
      r.earned_value = earnedvalue::RollUpPortfolio((*evs)[key]);
      r.health =
          earnedvalue::AssessHealth(r.earned_value.spi, r.earned_value.cpi);
      target->push_back(r);
    }
    std::sort(target->begin(), target->end(),
              [](const RollUp& a, const RollUp& b) { return a.code < b.code; });
  }
}

Overview Consolidation::Compute(absl::CivilDay status_date) const {
  Overview out;
  out.projects.reserve(projects_.size());
  static const Counters kNone;
  // Booked resources over-allocated on or after the day, per project: from
  // the resources with such a day, usually few.
  std::unordered_map<std::string, int> over_allocated;
  for (const auto& [id, r] : resources_) {
    if (r.over_allocated.empty() ||
        r.over_allocated.rbegin()->first < status_date)
      continue;
    for (const auto& [project_id, bookings] : r.booked_projects)
      ++over_allocated[project_id];
  }
  for (const auto& [id, p] : projects_) {
    if (p.code.empty()) continue;  // only known through later events
    ProjectOverview& o = out.projects.emplace_back();
    o.project_id = id;
    o.code = p.code;
    o.name = p.name;
    o.manager = p.manager;
    o.status = p.status;
    o.phase = p.phase;
    o.programme_id = p.programme_id;
    if (auto g = programmes_.find(p.programme_id); g != programmes_.end()) {
      o.programme_code = g->second.code;
      o.portfolio_id = g->second.parent_id;
      if (auto f = portfolios_.find(o.portfolio_id); f != portfolios_.end()) {
        o.portfolio_code = f->second.code;
      }
    }
    // Records the projects service accepted are valid; should one not be
    // (history from before it bounded amounts), the line shows no earned
    // value rather than failing the whole view, and the event that broke
    // the bound was logged when it arrived (earned_value_left_out).
    absl::StatusOr<earnedvalue::EarnedValue> ev = EarnedValueAt(p, status_date);
    if (ev.ok()) o.earned_value = *ev;
    o.health =
        earnedvalue::AssessHealth(o.earned_value.spi, o.earned_value.cpi);
    for (const auto& [day, health] : p.reports) {
      if (day <= status_date) o.reported_health = health;
    }
    for (const auto& [task_id, milestone] : p.milestones) {
      if (milestone.done) continue;
      const bool earlier = o.next_milestone.empty() ||
                           (milestone.not_before &&
                            (!o.next_milestone_date ||
                             *milestone.not_before < *o.next_milestone_date));
      if (earlier) {
        o.next_milestone = milestone.name;
        o.next_milestone_date = milestone.not_before;
      }
    }
    auto found = counters_.find(id);
    const Counters& c = found == counters_.end() ? kNone : found->second;
    o.open_risks = c.open_risks;
    o.overdue_risks = static_cast<int>(
        std::lower_bound(c.risks_due.begin(), c.risks_due.end(), status_date) -
        c.risks_due.begin());
    o.risk_exposure_minor = c.risk_exposure_minor;
    o.opportunity_value_minor = c.opportunity_value_minor;
    o.open_issues = c.open_issues;
    o.bookings = c.bookings;
    o.resources_booked = static_cast<int>(c.booked_resources.size());
    if (auto over = over_allocated.find(id); over != over_allocated.end())
      o.over_allocated_resources = over->second;
    o.open_capacity_requests = c.open_capacity_requests;
    o.open_change_requests = c.open_change_requests;
    o.open_findings = c.open_findings;
    o.compliance = c.open_major_findings > 0 ? Compliance::kNonCompliant
                   : c.open_minor_findings > 0
                       ? Compliance::kCompliantWithFindings
                   : c.completed_audits > 0 ? Compliance::kCompliant
                                            : Compliance::kNotAudited;
  }

  // Roll-ups, and the lines ordered by code.
  RollUpProjects(out);
  std::sort(out.projects.begin(), out.projects.end(),
            [](const ProjectOverview& a, const ProjectOverview& b) {
              return a.code < b.code;
            });
  return out;
}

absl::StatusOr<earnedvalue::EarnedValue> Consolidation::EarnedValueAt(
    const Project& p, absl::CivilDay day) {
  // The same answer as over every record: AC is the sum of the costs up to
  // the day, EV follows the latest report on or before it.
  earnedvalue::ProjectRecords known;
  known.budget_at_completion = p.records.budget_at_completion;
  known.planned_values = p.records.planned_values;
  auto cost = std::upper_bound(p.cost_totals.begin(), p.cost_totals.end(),
                               std::pair(day, INT64_MAX));
  if (cost != p.cost_totals.begin())
    known.actual_costs.push_back(
        {day, std::nullopt, std::prev(cost)->second, ""});
  auto report =
      std::upper_bound(p.latest_progress.begin(), p.latest_progress.end(),
                       std::pair(day, std::numeric_limits<size_t>::max()));
  if (report != p.latest_progress.begin())
    known.progress.push_back(p.records.progress[std::prev(report)->second]);
  return earnedvalue::ComputeEarnedValue(known, day);
}

std::string Consolidation::CodeOf(const std::string& project_id) const {
  auto it = projects_.find(project_id);
  return it == projects_.end() ? std::string() : it->second.code;
}

std::string Consolidation::PortfolioOf(const std::string& project_id) const {
  auto p = projects_.find(project_id);
  if (p == projects_.end()) return "";
  auto g = programmes_.find(p->second.programme_id);
  return g == programmes_.end() ? std::string() : g->second.parent_id;
}

std::string Consolidation::Digest() const {
  Canonical c;
  for (const auto& [id, f] : portfolios_) {
    c("portfolio")(id)(f.code)(f.name);
    c.Line();
  }
  for (const auto& [id, g] : programmes_) {
    c("programme")(id)(g.code)(g.name)(g.parent_id);
    c.Line();
  }
  for (const auto& [id, p] : projects_) {
    c("project")(id)(p.code)(p.name)(p.manager)(static_cast<int64_t>(p.status))(
        p.programme_id)(p.phase)(p.records.budget_at_completion);
    for (const auto& pv : p.records.planned_values) c(pv.date)(pv.amount);
    for (const auto& cost : p.records.actual_costs)
      c(cost.date)(cost.amount)(cost.category);
    for (const auto& pr : p.records.progress)
      c(pr.date)(pr.percent_complete.value_or(-1));
    for (const auto& [day, health] : p.reports)
      c(day)(static_cast<int64_t>(health));
    for (const auto& [task, m] : p.milestones)
      c(task)(m.name)(m.not_before)(static_cast<int64_t>(m.done));
    for (const auto& d : p.dependencies) {
      c("dependency")(d.predecessor_project_id)(d.predecessor_task_id)(
          d.successor_task_id)(static_cast<int64_t>(d.type))(
          static_cast<int64_t>(d.lag_days));
    }
    for (const auto& s : p.slips) {
      c("slip")(s.moved_project_id)(s.moved_task_id)(
          static_cast<int64_t>(s.slip_days))(s.reported_on);
      for (const auto& t : s.tasks_at_risk)
        c(t.task_id)(t.early_finish)(static_cast<int64_t>(t.delay_days));
    }
    for (const auto& b : p.baselines)
      c("baseline")(b.name)(static_cast<int64_t>(b.tasks))(b.finish)(
          b.captured_on);
    c.Line();
  }
  auto rating = [&c](const Rating& r) {
    c(static_cast<int64_t>(r.probability))(static_cast<int64_t>(r.impact))(
        static_cast<int64_t>(r.score))(r.rating)(r.ev);
  };
  for (const auto& [id, r] : risks_) {
    c("risk")(id)(r.scope_id)(static_cast<int64_t>(r.level))(
        static_cast<int64_t>(r.threat))(static_cast<int64_t>(r.open))(
        static_cast<int64_t>(r.status))(r.title)(r.category)(r.owner)(
        r.combined_risk_id)(static_cast<int64_t>(r.has_residual))(
        r.next_review);
    rating(r.inherent);
    rating(r.residual);
    for (const auto& [action, a] : r.actions)
      c(action)(a.first)(static_cast<int64_t>(a.second));
    c.Line();
  }
  for (const auto& [id, i] : issues_) {
    c("issue")(id)(i.scope_id)(static_cast<int64_t>(i.open))(
        static_cast<int64_t>(i.level))(static_cast<int64_t>(i.priority))(
        i.title)(i.owner)(i.risk_id)(i.raised_on)(i.resolved_on);
    c.Line();
  }
  for (const auto& [id, x] : combined_risks_) {
    const CombinedRiskEntry& e = x.entry;
    c("combined_risk")(id)(static_cast<int64_t>(e.level))(e.scope_id)(e.title)(
        e.category)(e.owner)(e.probability_any)(e.expected_value_minor)(
        e.worst_case_minor)(static_cast<int64_t>(e.max_score))(e.max_rating);
    for (const std::string& m : e.member_risk_ids) c(m);
    c.Line();
  }
  for (const auto& [id, r] : resources_) {
    const capacity::WorkingCalendar& cal = r.calendar;
    c("resource")(id)(r.name)(cal.hours_per_day)(cal.employed_from)(
        cal.employed_to);
    for (bool w : cal.working_weekdays) c(static_cast<int64_t>(w));
    for (absl::CivilDay h : cal.holidays) c(h);
    for (const auto& a : cal.absences) c(a.from)(a.to)(a.hours_per_day);
    for (const auto& [a, x] : r.allocations) {
      c(a)(x.booking.project_id)(x.booking.from)(x.booking.to)(
          static_cast<int64_t>(x.booking.unit))(x.booking.amount)(
          static_cast<int64_t>(x.booked));
    }
    for (const auto& [d, o] : r.over_allocated) {
      c(d)(o.capacity_hours)(o.load_hours)(o.excess_hours);
      for (const auto& [project, hours] : o.shares) c(project)(hours);
    }
    c.Line();
  }
  for (const auto& [id, q] : capacity_requests_) {
    c("capacity_request")(id)(q.project_id)(static_cast<int64_t>(q.open));
    c.Line();
  }
  for (const auto& [id, q] : change_requests_) {
    c("change_request")(id)(q.project_id)(q.title)(q.requester)(
        static_cast<int64_t>(q.status))(static_cast<int64_t>(q.open))(
        static_cast<int64_t>(q.schedule_days))(q.cost_minor)(q.submitted_on);
    c.Line();
  }
  for (const auto& [id, a] : audits_) {
    c("audit")(id)(a.project_id)(a.standard_id)(
        static_cast<int64_t>(a.completed));
    for (const auto& [f, x] : a.findings) {
      c(f)(x.clause)(x.description)(static_cast<int64_t>(x.severity))(
          static_cast<int64_t>(x.open))(x.recorded_on);
    }
    c.Line();
  }
  for (const auto& [id, b] : baselines_) {
    c("config_baseline")(id)(b.project_id)(b.name)(
        static_cast<int64_t>(b.items))(b.established_on);
    c.Line();
  }
  for (const auto& [id, t] : tools_) {
    c("tool")(id)(t.name)(t.vendor)(static_cast<int64_t>(t.licence_model))(
        static_cast<int64_t>(t.licence_count))(t.licence_expiry)(
        static_cast<int64_t>(t.retired));
    for (const auto& [project, seats] : t.seats)
      c(project)(static_cast<int64_t>(seats));
    c.Line();
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(c.text().data(), c.text().size(), digest, &length, EVP_sha256(),
             nullptr);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), length));
}

}  // namespace pmo::projection
