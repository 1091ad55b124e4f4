#include "services/projection/api/views_answers.h"

#include <algorithm>
#include <iterator>

#include "libs/base/errors.h"
#include "libs/base/page_token.h"
#include "libs/dates/calendar_dates.h"
#include "libs/grpcserver/request_checks.h"

namespace pmo::projection {
namespace {

namespace kv1 = ::pmo::risks::v1;
namespace cv1 = ::pmo::configuration::v1;
namespace pv1 = ::pmo::projects::v1;

constexpr int kMaxExposurePoints = 1000;

std::optional<absl::CivilDay> OptionalDay(bool present,
                                          const google::type::Date& d) {
  return present ? dates::ToCivilDay(d) : std::nullopt;
}

void SetDay(const std::optional<absl::CivilDay>& day, google::type::Date* out) {
  if (day) *out = dates::ToDate(*day);
}

template <typename Shares>
void AddShares(const std::vector<LoadShare>& shares, Shares* out) {
  for (const LoadShare& s : shares) {
    v1::ProjectLoadShare* share = out->Add();
    share->set_project_id(s.project_id);
    share->set_project_code(s.project_code);
    share->set_hours(s.hours);
  }
}

v1::RegisterEntryKind ToProto(RegisterEntryKind kind) {
  switch (kind) {
    case RegisterEntryKind::kThreat:
      return v1::REGISTER_ENTRY_KIND_THREAT;
    case RegisterEntryKind::kOpportunity:
      return v1::REGISTER_ENTRY_KIND_OPPORTUNITY;
    case RegisterEntryKind::kIssue:
      return v1::REGISTER_ENTRY_KIND_ISSUE;
  }
  return v1::REGISTER_ENTRY_KIND_UNSPECIFIED;
}

v1::RegisterEntry ToProto(const RegisterEntry& e) {
  v1::RegisterEntry out;
  out.set_id(e.id);
  out.set_kind(ToProto(e.kind));
  out.set_level(static_cast<kv1::RiskLevel>(e.level));
  out.set_scope_id(e.scope_id);
  out.set_project_code(e.project_code);
  out.set_title(e.title);
  out.set_owner(e.owner);
  out.set_open(e.open);
  if (e.kind == RegisterEntryKind::kIssue) {
    out.set_issue_status(static_cast<kv1::IssueStatus>(e.status));
    out.set_priority(static_cast<kv1::IssuePriority>(e.priority));
    out.set_risk_id(e.risk_id);
    SetDay(e.raised_on, out.mutable_raised_on());
    SetDay(e.resolved_on, out.mutable_resolved_on());
    return out;
  }
  out.set_risk_status(static_cast<kv1::RiskStatus>(e.status));
  out.set_category(e.category);
  out.set_probability(e.probability);
  out.set_impact(e.impact);
  out.set_score(e.score);
  out.set_rating(e.rating);
  out.set_expected_value_minor(e.expected_value_minor);
  SetDay(e.next_review, out.mutable_next_review());
  out.set_overdue(e.overdue);
  out.set_combined_risk_id(e.combined_risk_id);
  return out;
}

// A manager's view of a shared resource's hours: their projects' shares,
// and the rest as one share with no project id ("other projects", last),
// so they see how loaded the resource is without seeing whose bookings the
// rest are. True when one of the shares is theirs.
bool NarrowShares(const auth::ProjectScope& scope,
                  std::vector<LoadShare>& shares) {
  std::vector<LoadShare> seen;
  double others = 0;
  for (LoadShare& s : shares) {
    if (scope.Includes(s.project_id)) {
      seen.push_back(std::move(s));
    } else {
      others += s.hours;
    }
  }
  const bool theirs = !seen.empty();
  if (others > 0) seen.push_back({"", "", others});
  shares = std::move(seen);
  return theirs;
}

// The resources a manager's projects book within the weeks (or on an
// over-allocated day), each with its shares narrowed.
void NarrowLoads(const auth::ProjectScope& scope,
                 std::vector<ResourceLoad>& loads) {
  std::vector<ResourceLoad> seen;
  for (ResourceLoad& load : loads) {
    bool theirs = false;
    for (WeekLoad& week : load.weeks)
      theirs |= NarrowShares(scope, week.shares);
    for (OverAllocation& day : load.over_allocations)
      theirs |= NarrowShares(scope, day.shares);
    if (theirs) seen.push_back(std::move(load));
  }
  loads = std::move(seen);
}

// A manager's register: the entries whose scope is one of their projects
// (not programme or portfolio risks), totals and the page taken over those,
// and no combined risks (their members and figures are other projects').
// `reg` must hold every matching entry (no paging asked of the consolidation).
void NarrowRegister(const auth::ProjectScope& scope, const PageRequest& page,
                    Register& reg) {
  std::vector<RegisterEntry> seen;
  reg.risk_exposure_minor = 0;
  reg.opportunity_value_minor = 0;
  for (RegisterEntry& e : reg.entries) {
    if (!scope.Includes(e.scope_id)) continue;
    if (e.open && e.kind == RegisterEntryKind::kThreat)
      reg.risk_exposure_minor += e.expected_value_minor;
    if (e.open && e.kind == RegisterEntryKind::kOpportunity) {
      reg.opportunity_value_minor += e.expected_value_minor;
    }
    seen.push_back(std::move(e));
  }
  reg.total = seen.size();
  reg.combined.clear();
  const PageRange range = PageOf(page, seen.size(), "register");
  reg.entries.assign(std::make_move_iterator(seen.begin() + range.begin),
                     std::make_move_iterator(seen.begin() + range.end));
}

// A manager's exposure history with no project asked: the sum of their
// projects' series (within the programme or portfolio asked), never a
// programme's or portfolio's own risks nor another project's.
std::vector<ExposurePoint> ExposureOfProjects(const Consolidation& c,
                                              const auth::ProjectScope& scope,
                                              ExposureQuery query,
                                              absl::CivilDay status_date) {
  std::vector<ExposurePoint> sum;
  for (absl::CivilDay day = query.from; day < status_date;
       day += query.interval_days) {
    sum.push_back({day, 0, 0});
  }
  sum.push_back({status_date, 0, 0});
  for (const std::string& project_id : scope.projects()) {
    query.project_id = project_id;
    const std::vector<ExposurePoint> points =
        c.ExposureHistory(query, status_date);
    for (size_t i = 0; i < sum.size() && i < points.size(); ++i) {
      sum[i].risk_exposure_minor += points[i].risk_exposure_minor;
      sum[i].opportunity_value_minor += points[i].opportunity_value_minor;
    }
  }
  return sum;
}

// Keeps the elements for which `theirs` holds.
template <typename T, typename Pred>
void KeepOnly(std::vector<T>& items, Pred theirs) {
  std::erase_if(items, [&](const T& t) { return !theirs(t); });
}

}  // namespace

absl::CivilDay WeekStart(absl::CivilDay day) {
  return day - (static_cast<int>(absl::GetWeekday(day)) -
                static_cast<int>(absl::Weekday::monday));
}

absl::Status CheckRequest(const v1::GetResourceLoadRequest& request) {
  FieldViolations v;
  std::optional<absl::CivilDay> day;
  grpcserver::ReadOptionalDate(v, "first_week", request.has_first_week(),
                               request.first_week(), &day);
  if (request.weeks() < 0 || request.weeks() > 53)
    v.Add("weeks", "must be between 0 and 53");
  ReadPageRequest(v, request.page_size(), request.page_token(),
                  "resource-load");
  return v.ToStatus();
}

void Answer(const Consolidation& c, absl::CivilDay status_date,
            const v1::GetResourceLoadRequest& request,
            const auth::ProjectScope& scope,
            v1::GetResourceLoadResponse* response) {
  ResourceLoadQuery query;
  query.first_week =
      WeekStart(OptionalDay(request.has_first_week(), request.first_week())
                    .value_or(status_date));
  query.weeks = request.weeks() == 0 ? 4 : request.weeks();
  query.resource_id = request.resource_id();
  query.project_id = request.project_id();
  std::vector<ResourceLoad> loads = c.ResourceLoads(query, status_date);
  if (!scope.IsEverything()) NarrowLoads(scope, loads);
  FieldViolations checked;
  const PageRange range =
      PageOf(ReadPageRequest(checked, request.page_size(), request.page_token(),
                             "resource-load"),
             loads.size(), "resource-load");
  *response->mutable_status_date() = dates::ToDate(status_date);
  response->set_total_resources(static_cast<int32_t>(loads.size()));
  for (const ResourceLoad& load : loads) {
    response->set_over_allocated_resources(
        response->over_allocated_resources() + !load.over_allocations.empty());
  }
  for (size_t i = range.begin; i < range.end; ++i) {
    const ResourceLoad& load = loads[i];
    v1::ResourceLoad* out = response->add_resources();
    out->set_resource_id(load.resource_id);
    out->set_name(load.name);
    for (const WeekLoad& week : load.weeks) {
      v1::WeekLoad* w = out->add_weeks();
      *w->mutable_week_start() = dates::ToDate(week.week_start);
      w->set_capacity_hours(week.capacity_hours);
      w->set_load_hours(week.load_hours);
      AddShares(week.shares, w->mutable_shares());
    }
    for (const OverAllocation& o : load.over_allocations) {
      v1::ResourceOverAllocation* d = out->add_over_allocations();
      *d->mutable_day() = dates::ToDate(o.day);
      d->set_capacity_hours(o.capacity_hours);
      d->set_load_hours(o.load_hours);
      d->set_excess_hours(o.excess_hours);
      AddShares(o.shares, d->mutable_shares());
    }
  }
  response->set_next_page_token(range.next_page_token);
}

absl::Status CheckRequest(const v1::ListRiskRegisterRequest& request) {
  FieldViolations v;
  if (!v1::RegisterEntryKind_IsValid(request.kind()))
    v.Add("kind", "is not a register entry kind");
  ReadPageRequest(v, request.page_size(), request.page_token(), "register");
  return v.ToStatus();
}

void Answer(const Consolidation& c, absl::CivilDay status_date,
            const v1::ListRiskRegisterRequest& request,
            const auth::ProjectScope& scope,
            v1::ListRiskRegisterResponse* response) {
  FieldViolations checked;
  const PageRequest page = ReadPageRequest(checked, request.page_size(),
                                           request.page_token(), "register");
  RegisterQuery query;
  query.project_id = request.project_id();
  query.portfolio_id = request.portfolio_id();
  query.include_closed = request.include_closed();
  switch (request.kind()) {
    case v1::REGISTER_ENTRY_KIND_THREAT:
      query.kind = RegisterEntryKind::kThreat;
      break;
    case v1::REGISTER_ENTRY_KIND_OPPORTUNITY:
      query.kind = RegisterEntryKind::kOpportunity;
      break;
    case v1::REGISTER_ENTRY_KIND_ISSUE:
      query.kind = RegisterEntryKind::kIssue;
      break;
    default:
      break;
  }
  if (scope.IsEverything()) {
    query.offset = static_cast<size_t>(page.position);
    query.limit = static_cast<size_t>(page.page_size);
  }
  Register reg = c.RiskRegister(query, status_date);
  if (!scope.IsEverything()) NarrowRegister(scope, page, reg);
  *response->mutable_status_date() = dates::ToDate(status_date);
  response->set_total_entries(static_cast<int32_t>(reg.total));
  response->set_risk_exposure_minor(reg.risk_exposure_minor);
  response->set_opportunity_value_minor(reg.opportunity_value_minor);
  for (const RegisterEntry& e : reg.entries)
    *response->add_entries() = ToProto(e);
  response->set_next_page_token(
      PageOf(page, reg.total, "register").next_page_token);
  for (const CombinedRiskEntry& e : reg.combined) {
    v1::CombinedRiskEntry* out = response->add_combined_risks();
    out->set_combined_risk_id(e.id);
    out->set_level(static_cast<kv1::RiskLevel>(e.level));
    out->set_scope_id(e.scope_id);
    out->set_title(e.title);
    out->set_category(e.category);
    out->set_owner(e.owner);
    for (const std::string& m : e.member_risk_ids) out->add_member_risk_ids(m);
    kv1::CombinedExposure* x = out->mutable_exposure();
    x->set_probability_any(e.probability_any);
    x->set_expected_value_minor(e.expected_value_minor);
    x->set_worst_case_minor(e.worst_case_minor);
    x->set_max_score(e.max_score);
    x->set_max_rating(e.max_rating);
  }
}

absl::Status CheckRequest(const v1::GetRiskExposureHistoryRequest& request,
                          absl::CivilDay status_date) {
  FieldViolations v;
  std::optional<absl::CivilDay> from;
  grpcserver::ReadOptionalDate(v, "from", request.has_from(), request.from(),
                               &from);
  const int scopes = !request.project_id().empty() +
                     !request.programme_id().empty() +
                     !request.portfolio_id().empty();
  if (scopes > 1)
    v.Add("project_id",
          "at most one of project_id, programme_id and portfolio_id");
  if (request.interval_days() < 0 || request.interval_days() > 366) {
    v.Add("interval_days", "must be between 0 and 366");
  } else if (from) {
    const int interval =
        request.interval_days() == 0 ? 7 : request.interval_days();
    if (*from > status_date) {
      v.Add("from", "must not be after the status date");
    } else if ((status_date - *from) / interval + 1 > kMaxExposurePoints) {
      v.Add("from", "gives more than 1000 points at this interval_days");
    }
  }
  return v.ToStatus();
}

void Answer(const Consolidation& c, absl::CivilDay status_date,
            const v1::GetRiskExposureHistoryRequest& request,
            const auth::ProjectScope& scope,
            v1::GetRiskExposureHistoryResponse* response) {
  ExposureQuery query;
  query.project_id = request.project_id();
  query.programme_id = request.programme_id();
  query.portfolio_id = request.portfolio_id();
  query.from = OptionalDay(request.has_from(), request.from())
                   .value_or(status_date - 364);
  query.interval_days =
      request.interval_days() == 0 ? 7 : request.interval_days();
  *response->mutable_status_date() = dates::ToDate(status_date);
  // A project asked for is the manager's own (the method guard checked).
  const bool narrow = !scope.IsEverything() && query.project_id.empty();
  for (const ExposurePoint& p :
       narrow ? ExposureOfProjects(c, scope, query, status_date)
              : c.ExposureHistory(query, status_date)) {
    v1::ExposurePoint* out = response->add_points();
    *out->mutable_day() = dates::ToDate(p.day);
    out->set_risk_exposure_minor(p.risk_exposure_minor);
    out->set_opportunity_value_minor(p.opportunity_value_minor);
  }
}

void Answer(const Consolidation& c, absl::CivilDay status_date,
            const v1::GetDependencyGraphRequest& request,
            const auth::ProjectScope& scope,
            v1::GetDependencyGraphResponse* response) {
  DependencyGraph graph = c.Dependencies(request.project_id());
  // A manager sees the links touching their projects, with the other end's
  // project id and code: that is what the dependency is.
  KeepOnly(graph.edges, [&](const DependencyEdge& e) {
    return scope.Includes(e.predecessor_project_id) ||
           scope.Includes(e.successor_project_id);
  });
  KeepOnly(graph.slips, [&](const SlipImpact& s) {
    return scope.Includes(s.slipped_project_id) ||
           scope.Includes(s.project_at_risk_id);
  });
  *response->mutable_status_date() = dates::ToDate(status_date);
  for (const DependencyEdge& e : graph.edges) {
    v1::ProjectDependency* out = response->add_dependencies();
    out->set_predecessor_project_id(e.predecessor_project_id);
    out->set_predecessor_project_code(e.predecessor_project_code);
    out->set_predecessor_task_id(e.predecessor_task_id);
    out->set_successor_project_id(e.successor_project_id);
    out->set_successor_project_code(e.successor_project_code);
    out->set_successor_task_id(e.successor_task_id);
    out->set_type(static_cast<pv1::DependencyType>(e.type));
    out->set_lag_days(e.lag_days);
  }
  for (const SlipImpact& s : graph.slips) {
    v1::SlipImpact* out = response->add_slips();
    out->set_slipped_project_id(s.slipped_project_id);
    out->set_slipped_project_code(s.slipped_project_code);
    out->set_slipped_task_id(s.slipped_task_id);
    out->set_slip_days(s.slip_days);
    out->set_project_at_risk_id(s.project_at_risk_id);
    out->set_project_at_risk_code(s.project_at_risk_code);
    for (const TaskAtRisk& t : s.tasks_at_risk) {
      v1::TaskAtRisk* task = out->add_tasks_at_risk();
      task->set_task_id(t.task_id);
      SetDay(t.early_finish, task->mutable_early_finish());
      task->set_delay_days(t.delay_days);
    }
    *out->mutable_reported_on() = dates::ToDate(s.reported_on);
  }
}

void Answer(const Consolidation& c, absl::CivilDay status_date,
            const v1::GetConfigurationAcrossProjectsRequest& request,
            const auth::ProjectScope& scope,
            v1::GetConfigurationAcrossProjectsResponse* response) {
  ConfigurationLists lists =
      c.ConfigurationAcrossProjects(request.project_id(), status_date);
  auto of_theirs = [&](const auto& line) {
    return scope.Includes(line.project_id);
  };
  KeepOnly(lists.change_requests, of_theirs);
  KeepOnly(lists.baselines, of_theirs);
  KeepOnly(lists.findings, of_theirs);
  // A tool licence is shared like a resource: a manager sees the tools their
  // projects use, only their own uses listed, and the licence's totals
  // (seats used by every project, over-used) as the one anonymous figure.
  for (ToolLicenceEntry& t : lists.tools) KeepOnly(t.uses, of_theirs);
  KeepOnly(lists.tools, [&](const ToolLicenceEntry& t) {
    return scope.IsEverything() || !t.uses.empty();
  });
  *response->mutable_status_date() = dates::ToDate(status_date);
  for (const ChangeRequestEntry& q : lists.change_requests) {
    v1::ChangeRequestLine* out = response->add_change_requests();
    out->set_change_request_id(q.id);
    out->set_project_id(q.project_id);
    out->set_project_code(q.project_code);
    out->set_title(q.title);
    out->set_requester(q.requester);
    out->set_status(static_cast<cv1::ChangeRequestStatus>(q.status));
    out->set_open(q.open);
    out->set_schedule_days(q.schedule_days);
    out->set_cost_minor(q.cost_minor);
    *out->mutable_submitted_on() = dates::ToDate(q.submitted_on);
  }
  for (const BaselineEntry& b : lists.baselines) {
    v1::BaselineLine* out = response->add_baselines();
    out->set_baseline_id(b.id);
    out->set_kind(b.schedule ? v1::BASELINE_KIND_SCHEDULE
                             : v1::BASELINE_KIND_CONFIGURATION);
    out->set_project_id(b.project_id);
    out->set_project_code(b.project_code);
    out->set_name(b.name);
    out->set_entries(b.items);
    SetDay(b.finish, out->mutable_finish());
    *out->mutable_established_on() = dates::ToDate(b.established_on);
  }
  for (const ToolLicenceEntry& t : lists.tools) {
    v1::ToolLicenceLine* out = response->add_tools();
    out->set_tool_id(t.tool_id);
    out->set_name(t.name);
    out->set_vendor(t.vendor);
    out->set_licence_model(static_cast<cv1::LicenceModel>(t.licence_model));
    out->set_licence_count(t.licence_count);
    SetDay(t.licence_expiry, out->mutable_licence_expiry());
    for (const ToolLicenceEntry::Use& use : t.uses) {
      cv1::ToolAssignment* a = out->add_uses();
      a->set_project_id(use.project_id);
      a->set_seats(use.seats);
    }
    out->set_seats_used(t.seats_used);
    out->set_over_used(t.over_used);
    out->set_expired(t.expired);
    out->set_retired(t.retired);
  }
  for (const FindingEntry& f : lists.findings) {
    v1::FindingLine* out = response->add_findings();
    out->set_audit_id(f.audit_id);
    out->set_finding_id(f.finding_id);
    out->set_project_id(f.project_id);
    out->set_project_code(f.project_code);
    out->set_standard_id(f.standard_id);
    out->set_clause(f.clause);
    out->set_description(f.description);
    out->set_severity(static_cast<cv1::FindingSeverity>(f.severity));
    out->set_open(f.open);
    *out->mutable_recorded_on() = dates::ToDate(f.recorded_on);
  }
}

}  // namespace pmo::projection
