// The consolidated views beside the overview (views.h): each a question put
// to the facts Consolidation folded, at a status date.

#include <algorithm>

#include "pmo/configuration/v1/tools.pb.h"
#include "pmo/risks/v1/risk.pb.h"
#include "services/projection/app/consolidation.h"

namespace pmo::projection {
namespace {

namespace kv1 = ::pmo::risks::v1;
namespace cv1 = ::pmo::configuration::v1;

void AddShare(std::vector<LoadShare>& shares, const std::string& project_id,
              double hours) {
  auto it = std::lower_bound(shares.begin(), shares.end(), project_id,
                             [](const LoadShare& s, const std::string& id) {
                               return s.project_id < id;
                             });
  if (it == shares.end() || it->project_id != project_id)
    it = shares.insert(it, {project_id, "", 0});
  it->hours += hours;
}

}  // namespace

std::vector<ResourceLoad> Consolidation::ResourceLoads(
    const ResourceLoadQuery& query, absl::CivilDay status_date) const {
  std::vector<ResourceLoad> out;
  const int days = 7 * query.weeks;
  const absl::CivilDay last = query.first_week + (days - 1);
  std::vector<double> capacity(days);
  for (const auto& [id, r] : resources_) {
    if (!query.resource_id.empty() && id != query.resource_id) continue;
    bool on_project = query.project_id.empty();
    for (const auto& [allocation_id, a] : r.allocations) {
      on_project |= a.booked && a.booking.project_id == query.project_id &&
                    a.booking.from <= last && a.booking.to >= query.first_week;
    }
    if (!on_project) continue;
    ResourceLoad& load = out.emplace_back();
    load.resource_id = id;
    load.name = r.name;
    capacity::FillCapacityHours(r.calendar, query.first_week, capacity);
    for (int w = 0; w < query.weeks; ++w) {
      WeekLoad& week = load.weeks.emplace_back();
      week.week_start = query.first_week + 7 * int64_t{w};
      for (int d = 0; d < 7; ++d) week.capacity_hours += capacity[7 * w + d];
    }
    for (const auto& [allocation_id, a] : r.allocations) {
      if (!a.booked) continue;
      const absl::CivilDay from = std::max(a.booking.from, query.first_week);
      const absl::CivilDay to = std::min(a.booking.to, last);
      for (absl::CivilDay day = from; day <= to; ++day) {
        const double hours = capacity::LoadHours(r.calendar, a.booking, day);
        if (hours <= 0) continue;
        WeekLoad& week = load.weeks[(day - query.first_week) / 7];
        week.load_hours += hours;
        AddShare(week.shares, a.booking.project_id, hours);
      }
    }
    for (auto it = r.over_allocated.lower_bound(status_date);
         it != r.over_allocated.end(); ++it) {
      OverAllocation& o = load.over_allocations.emplace_back();
      o.day = it->first;
      o.capacity_hours = it->second.capacity_hours;
      o.load_hours = it->second.load_hours;
      o.excess_hours = it->second.excess_hours;
      for (const auto& [project, hours] : it->second.shares)
        AddShare(o.shares, project, hours);
    }
    for (WeekLoad& week : load.weeks) {
      for (LoadShare& s : week.shares) s.project_code = CodeOf(s.project_id);
    }
    for (OverAllocation& o : load.over_allocations) {
      for (LoadShare& s : o.shares) s.project_code = CodeOf(s.project_id);
    }
  }
  return out;
}

Register Consolidation::RiskRegister(const RegisterQuery& query,
                                     absl::CivilDay status_date) const {
  // A scope is in a portfolio when it is the portfolio, one of its
  // programmes, or a project of one.
  auto in_scope = [&](const std::string& scope_id) {
    if (!query.project_id.empty() && scope_id != query.project_id) return false;
    if (query.portfolio_id.empty() || scope_id == query.portfolio_id)
      return true;
    if (auto g = programmes_.find(scope_id); g != programmes_.end())
      return g->second.parent_id == query.portfolio_id;
    return PortfolioOf(scope_id) == query.portfolio_id;
  };
  Register out;
  // Counts every match; builds only the entries of the page asked for.
  auto take = [&](RegisterEntryKind kind, bool open, int64_t value,
                  const std::string& scope_id) {
    if (scope_id.empty() || (!open && !query.include_closed) ||
        (query.kind && *query.kind != kind) || !in_scope(scope_id)) {
      return false;
    }
    if (open && kind == RegisterEntryKind::kThreat)
      out.risk_exposure_minor += value;
    if (open && kind == RegisterEntryKind::kOpportunity)
      out.opportunity_value_minor += value;
    const size_t index = out.total++;
    return index >= query.offset && index - query.offset < query.limit;
  };
  for (const auto& [id, r] : risks_) {
    const RegisterEntryKind kind =
        r.threat ? RegisterEntryKind::kThreat : RegisterEntryKind::kOpportunity;
    if (!take(kind, r.open, r.current().ev, r.scope_id)) continue;
    RegisterEntry& e = out.entries.emplace_back();
    e.id = id;
    e.kind = kind;
    e.level = r.level;
    e.scope_id = r.scope_id;
    e.project_code = CodeOf(r.scope_id);
    e.title = r.title;
    e.category = r.category;
    e.owner = r.owner;
    e.status = r.status;
    e.open = r.open;
    const Rating& rating = r.current();
    e.probability = rating.probability;
    e.impact = rating.impact;
    e.score = rating.score;
    e.rating = rating.rating;
    e.expected_value_minor = rating.ev;
    e.next_review = r.next_review;
    const std::optional<absl::CivilDay> due = r.FirstDue();
    e.overdue = r.open && due && *due < status_date;
    e.combined_risk_id = r.combined_risk_id;
  }
  for (const auto& [id, i] : issues_) {
    if (!take(RegisterEntryKind::kIssue, i.open, 0, i.scope_id)) continue;
    RegisterEntry& e = out.entries.emplace_back();
    e.id = id;
    e.kind = RegisterEntryKind::kIssue;
    e.level = i.level;
    e.scope_id = i.scope_id;
    e.project_code = CodeOf(i.scope_id);
    e.title = i.title;
    e.owner = i.owner;
    e.status = i.open ? kv1::ISSUE_STATUS_OPEN : kv1::ISSUE_STATUS_RESOLVED;
    e.open = i.open;
    e.priority = i.priority;
    e.risk_id = i.risk_id;
    e.raised_on = i.raised_on;
    e.resolved_on = i.resolved_on;
  }
  for (const auto& [id, c] : combined_risks_) {
    if (c.entry.scope_id.empty() || !query.project_id.empty() ||
        !in_scope(c.entry.scope_id))
      continue;
    CombinedRiskEntry& e = out.combined.emplace_back(c.entry);
    e.id = id;
  }
  return out;
}

std::vector<ExposurePoint> Consolidation::ExposureHistory(
    const ExposureQuery& query, absl::CivilDay status_date) const {
  // The changes of every project in scope, merged by day.
  std::map<absl::CivilDay, std::pair<int64_t, int64_t>> changes;
  // Counters are kept per scope: a project, or a programme or portfolio
  // for the risks raised at that level, which count in their own series.
  for (const auto& [scope_id, c] : counters_) {
    if (!query.project_id.empty() && scope_id != query.project_id) continue;
    if (!query.programme_id.empty() && scope_id != query.programme_id) {
      auto p = projects_.find(scope_id);
      if (p == projects_.end() || p->second.programme_id != query.programme_id)
        continue;
    }
    if (!query.portfolio_id.empty() && scope_id != query.portfolio_id) {
      auto g = programmes_.find(scope_id);
      const std::string portfolio =
          g != programmes_.end() ? g->second.parent_id : PortfolioOf(scope_id);
      if (portfolio != query.portfolio_id) continue;
    }
    for (const auto& [day, change] : c.exposure_changes) {
      changes[day].first += change.first;
      changes[day].second += change.second;
    }
  }
  std::vector<ExposurePoint> out;
  ExposurePoint running{query.from, 0, 0};
  auto next = changes.begin();
  auto advance_to = [&](absl::CivilDay day) {
    for (; next != changes.end() && next->first <= day; ++next) {
      running.risk_exposure_minor += next->second.first;
      running.opportunity_value_minor += next->second.second;
    }
    running.day = day;
    out.push_back(running);
  };
  for (absl::CivilDay day = query.from; day < status_date;
       day += query.interval_days)
    advance_to(day);
  advance_to(status_date);
  return out;
}

DependencyGraph Consolidation::Dependencies(
    const std::string& project_id) const {
  DependencyGraph out;
  for (const auto& [id, p] : projects_) {
    for (const Dependency& d : p.dependencies) {
      if (d.predecessor_project_id.empty() || d.predecessor_project_id == id)
        continue;
      if (!project_id.empty() && project_id != id &&
          project_id != d.predecessor_project_id)
        continue;
      out.edges.push_back({d.predecessor_project_id,
                           CodeOf(d.predecessor_project_id),
                           d.predecessor_task_id, id, p.code,
                           d.successor_task_id, d.type, d.lag_days});
    }
    for (const Slip& s : p.slips) {
      if (!project_id.empty() && project_id != id &&
          project_id != s.moved_project_id)
        continue;
      out.slips.push_back({s.moved_project_id, CodeOf(s.moved_project_id),
                           s.moved_task_id, s.slip_days, id, p.code,
                           s.tasks_at_risk, s.reported_on});
    }
  }
  std::stable_sort(out.slips.begin(), out.slips.end(),
                   [](const SlipImpact& a, const SlipImpact& b) {
                     return a.reported_on > b.reported_on;
                   });
  return out;
}

ConfigurationLists Consolidation::ConfigurationAcrossProjects(
    const std::string& project_id, absl::CivilDay status_date) const {
  auto wanted = [&](const std::string& id) {
    return !id.empty() && (project_id.empty() || id == project_id);
  };
  ConfigurationLists out;
  for (const auto& [id, q] : change_requests_) {
    if (!wanted(q.project_id)) continue;
    out.change_requests.push_back(
        {id, q.project_id, CodeOf(q.project_id), q.title, q.requester, q.status,
         q.open, q.schedule_days, q.cost_minor, q.submitted_on});
  }
  for (const auto& [id, b] : baselines_) {
    if (!wanted(b.project_id)) continue;
    out.baselines.push_back({id, b.project_id, CodeOf(b.project_id), b.name,
                             false, b.items, std::nullopt, b.established_on});
  }
  for (const auto& [id, p] : projects_) {
    if (!wanted(id)) continue;
    for (const ScheduleBaseline& b : p.baselines) {
      out.baselines.push_back(
          {"", id, p.code, b.name, true, b.tasks, b.finish, b.captured_on});
    }
  }
  for (const auto& [id, t] : tools_) {
    if (t.name.empty()) continue;
    ToolLicenceEntry entry;
    entry.tool_id = id;
    entry.name = t.name;
    entry.vendor = t.vendor;
    entry.licence_model = t.licence_model;
    entry.licence_count = t.licence_count;
    entry.licence_expiry = t.licence_expiry;
    entry.retired = t.retired;
    for (const auto& [project, seats] : t.seats) {
      entry.seats_used += seats;
      if (wanted(project))
        entry.uses.push_back({project, CodeOf(project), seats});
    }
    if (!project_id.empty() && entry.uses.empty()) continue;
    const bool counted = t.licence_model == cv1::LICENCE_MODEL_PER_USER ||
                         t.licence_model == cv1::LICENCE_MODEL_CONCURRENT;
    entry.over_used = counted && entry.seats_used > t.licence_count;
    entry.expired = t.licence_model != cv1::LICENCE_MODEL_OPEN_SOURCE &&
                    t.licence_expiry && *t.licence_expiry < status_date;
    out.tools.push_back(std::move(entry));
  }
  for (const auto& [id, a] : audits_) {
    if (!wanted(a.project_id)) continue;
    for (const auto& [finding_id, f] : a.findings) {
      out.findings.push_back(
          {id, finding_id, a.project_id, CodeOf(a.project_id), a.standard_id,
           f.clause, f.description, f.severity, f.open, f.recorded_on});
    }
  }
  return out;
}

}  // namespace pmo::projection
