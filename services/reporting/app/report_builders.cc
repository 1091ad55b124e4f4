#include "services/reporting/app/report_builders.h"

#include <algorithm>
#include <map>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace pmo::reporting {
namespace {

std::optional<double> RatioOf(int64_t numerator, int64_t denominator) {
  if (denominator == 0) return std::nullopt;
  return static_cast<double>(numerator) / static_cast<double>(denominator);
}

std::string DayLabel(absl::CivilDay d) { return absl::FormatCivilTime(d); }

// The earned value columns both the project rows and the total share.
std::vector<Column> EarnedValueColumns() {
  return {{"budget_at_completion_minor", "BAC"},
          {"planned_value_minor", "PV"},
          {"earned_value_minor", "EV"},
          {"actual_cost_minor", "AC"},
          {"schedule_variance_minor", "SV"},
          {"cost_variance_minor", "CV"},
          {"spi", "SPI"},
          {"cpi", "CPI"}};
}

void AddEarnedValueCells(std::vector<Cell>& row, const EarnedValuePoint& ev) {
  row.push_back(Cell::Money(ev.budget_at_completion));
  row.push_back(Cell::Money(ev.planned_value));
  row.push_back(Cell::Money(ev.earned_value));
  row.push_back(Cell::Money(ev.actual_cost));
  row.push_back(Cell::Money(ev.earned_value - ev.planned_value));
  row.push_back(Cell::Money(ev.earned_value - ev.actual_cost));
  row.push_back(Cell::Ratio(ev.spi));
  row.push_back(Cell::Ratio(ev.cpi));
}

// The scope's totals: sums, and ratios of the sums (not averages of ratios).
EarnedValuePoint Total(const std::vector<ProjectFigures>& projects) {
  EarnedValuePoint t;
  for (const ProjectFigures& p : projects) {
    t.budget_at_completion += p.earned_value.budget_at_completion;
    t.planned_value += p.earned_value.planned_value;
    t.earned_value += p.earned_value.earned_value;
    t.actual_cost += p.earned_value.actual_cost;
  }
  t.spi = RatioOf(t.earned_value, t.planned_value);
  t.cpi = RatioOf(t.earned_value, t.actual_cost);
  return t;
}

Section RollUpSection(std::string key, std::string title,
                      const std::vector<RollUpFigures>& ups) {
  Section s{std::move(key), std::move(title), {}, {}, {}, {}};
  s.table.columns = {{"code", "Code"},
                     {"projects", "Projects"},
                     {"health", "Health"},
                     {"spi", "SPI"},
                     {"cpi", "CPI"},
                     {"open_risks", "Open risks"},
                     {"overdue_risks", "Overdue risks"},
                     {"risk_exposure_minor", "Risk exposure"},
                     {"open_issues", "Open issues"}};
  for (const RollUpFigures& r : ups) {
    s.table.rows.push_back(
        {Cell::Text(r.code.empty() ? "(none)" : r.code),
         Cell::Integer(r.projects), Cell::Text(r.health),
         Cell::Ratio(r.earned_value.spi), Cell::Ratio(r.earned_value.cpi),
         Cell::Integer(r.open_risks), Cell::Integer(r.overdue_risks),
         Cell::Money(r.risk_exposure), Cell::Integer(r.open_issues)});
  }
  return s;
}

ReportDocument Document(std::string type, const std::string& title,
                        const std::string& scope, absl::CivilDay status_date) {
  ReportDocument d;
  d.type = std::move(type);
  d.title = absl::StrCat(title, " - ", scope, " - ", DayLabel(status_date));
  d.scope = scope;
  d.status_date = status_date;
  return d;
}

}  // namespace

Cell Cell::Day(std::optional<absl::CivilDay> d) {
  return d ? Cell::Text(absl::FormatCivilTime(*d)) : Cell{};
}

std::string ScopeLabel(const ViewScope& scope,
                       const PortfolioSnapshot& snapshot) {
  for (const ProjectFigures& p : snapshot.projects) {
    switch (scope.level) {
      case ScopeLevel::kEnterprise:
        return "Enterprise";
      case ScopeLevel::kPortfolio:
        if (p.portfolio_id == scope.id)
          return absl::StrCat("Portfolio ", p.portfolio_code);
        break;
      case ScopeLevel::kProgramme:
        if (p.programme_id == scope.id)
          return absl::StrCat("Programme ", p.programme_code);
        break;
      case ScopeLevel::kProject:
        if (p.project_id == scope.id) return absl::StrCat("Project ", p.code);
        break;
    }
  }
  switch (scope.level) {
    case ScopeLevel::kEnterprise:
      return "Enterprise";
    case ScopeLevel::kPortfolio:
      return absl::StrCat("Portfolio ", scope.id);
    case ScopeLevel::kProgramme:
      return absl::StrCat("Programme ", scope.id);
    case ScopeLevel::kProject:
      return absl::StrCat("Project ", scope.id);
  }
  return scope.id;
}

ReportDocument BuildPortfolioStatus(const PortfolioSnapshot& snapshot,
                                    const std::string& scope) {
  ReportDocument d = Document("PORTFOLIO_STATUS", "Portfolio status", scope,
                              snapshot.status_date);
  Section projects{"projects", "Projects", {}, {}, {}, {}};
  projects.table.columns = {
      {"code", "Code"},
      {"name", "Name"},
      {"manager", "Manager"},
      {"status", "Status"},
      {"phase", "Phase"},
      {"health", "Health"},
      {"reported_health", "Reported health"},
      {"spi", "SPI"},
      {"cpi", "CPI"},
      {"next_milestone", "Next milestone"},
      {"next_milestone_date", "Due"},
      {"open_risks", "Open risks"},
      {"overdue_risks", "Overdue risks"},
      {"open_issues", "Open issues"},
      {"over_allocated_resources", "Over-allocated resources"},
      {"open_change_requests", "Open change requests"},
      {"compliance", "Compliance"}};
  // Health bars: how many projects are GREEN, AMBER, RED, or not yet rated.
  std::map<std::string, int> by_health;
  for (const ProjectFigures& p : snapshot.projects) {
    projects.table.rows.push_back(
        {Cell::Text(p.code), Cell::Text(p.name), Cell::Text(p.manager),
         Cell::Text(p.status), Cell::Text(p.phase), Cell::Text(p.health),
         Cell::Text(p.reported_health), Cell::Ratio(p.earned_value.spi),
         Cell::Ratio(p.earned_value.cpi), Cell::Text(p.next_milestone),
         Cell::Day(p.next_milestone_date), Cell::Integer(p.open_risks),
         Cell::Integer(p.overdue_risks), Cell::Integer(p.open_issues),
         Cell::Integer(p.over_allocated_resources),
         Cell::Integer(p.open_change_requests), Cell::Text(p.compliance)});
    ++by_health[p.health.empty() ? "UNRATED" : p.health];
  }
  BarChart bars;
  bars.unit = "projects";
  for (const char* h : {"GREEN", "AMBER", "RED", "UNRATED"}) {
    bars.labels.push_back(h);
    bars.values.push_back(by_health[h]);
  }
  projects.bar_chart = std::move(bars);
  d.sections.push_back(std::move(projects));
  d.sections.push_back(
      RollUpSection("programmes", "Programmes", snapshot.programmes));
  d.sections.push_back(
      RollUpSection("portfolios", "Portfolios", snapshot.portfolios));
  return d;
}

std::vector<absl::CivilDay> SCurvePeriodEnds(absl::CivilDay status_date,
                                             int periods) {
  std::vector<absl::CivilDay> ends;
  if (periods <= 0) return ends;
  ends.push_back(status_date);
  // The last day of the month before: the first of this month, minus one.
  absl::CivilDay month_end = absl::CivilDay(absl::CivilMonth(status_date)) - 1;
  while (static_cast<int>(ends.size()) < periods) {
    ends.push_back(month_end);
    month_end = absl::CivilDay(absl::CivilMonth(month_end)) - 1;
  }
  std::reverse(ends.begin(), ends.end());
  return ends;
}

ReportDocument BuildEarnedValue(const PortfolioSnapshot& at,
                                const std::vector<PortfolioSnapshot>& curve,
                                const std::string& scope) {
  ReportDocument d =
      Document("EARNED_VALUE", "Earned value", scope, at.status_date);
  Section projects{"projects", "Earned value by project", {}, {}, {}, {}};
  projects.table.columns = {
      {"code", "Code"}, {"name", "Name"}, {"health", "Health"}};
  for (Column& c : EarnedValueColumns())
    projects.table.columns.push_back(std::move(c));
  for (const ProjectFigures& p : at.projects) {
    std::vector<Cell> row = {Cell::Text(p.code), Cell::Text(p.name),
                             Cell::Text(p.health)};
    AddEarnedValueCells(row, p.earned_value);
    projects.table.rows.push_back(std::move(row));
  }
  std::vector<Cell> total = {Cell::Text("TOTAL"), Cell::Text(scope), Cell{}};
  AddEarnedValueCells(total, Total(at.projects));
  projects.table.rows.push_back(std::move(total));
  d.sections.push_back(std::move(projects));

  Section s_curve{"s_curve", "S-curve (cumulative PV, EV, AC)", {}, {}, {}, {}};
  s_curve.table.columns = {{"period_end", "Period end"},
                           {"planned_value_minor", "PV"},
                           {"earned_value_minor", "EV"},
                           {"actual_cost_minor", "AC"},
                           {"spi", "SPI"},
                           {"cpi", "CPI"}};
  LineChart chart;
  chart.series = {{"PV", {}}, {"EV", {}}, {"AC", {}}};
  for (const PortfolioSnapshot& period : curve) {
    const EarnedValuePoint t = Total(period.projects);
    s_curve.table.rows.push_back(
        {Cell::Day(period.status_date), Cell::Money(t.planned_value),
         Cell::Money(t.earned_value), Cell::Money(t.actual_cost),
         Cell::Ratio(t.spi), Cell::Ratio(t.cpi)});
    chart.x_labels.push_back(DayLabel(period.status_date));
    chart.series[0].values.push_back(static_cast<double>(t.planned_value));
    chart.series[1].values.push_back(static_cast<double>(t.earned_value));
    chart.series[2].values.push_back(static_cast<double>(t.actual_cost));
  }
  s_curve.line_chart = std::move(chart);
  d.sections.push_back(std::move(s_curve));
  return d;
}

ReportDocument BuildChangeControl(const PortfolioSnapshot& snapshot,
                                  const std::string& scope) {
  ReportDocument d =
      Document("CHANGE_CONTROL", "Change control", scope, snapshot.status_date);
  Section s{"open_change_requests",
            "Open change requests by project",
            {},
            {},
            {},
            {}};
  s.table.columns = {
      {"code", "Code"}, {"name", "Name"}, {"open_change_requests", "Open CRs"}};
  BarChart bars;
  bars.unit = "open change requests";
  int64_t total = 0;
  for (const ProjectFigures& p : snapshot.projects) {
    s.table.rows.push_back({Cell::Text(p.code), Cell::Text(p.name),
                            Cell::Integer(p.open_change_requests)});
    bars.labels.push_back(p.code);
    bars.values.push_back(p.open_change_requests);
    total += p.open_change_requests;
  }
  s.table.rows.push_back(
      {Cell::Text("TOTAL"), Cell::Text(scope), Cell::Integer(total)});
  s.bar_chart = std::move(bars);
  d.sections.push_back(std::move(s));
  return d;
}

ReportDocument BuildCompliance(const PortfolioSnapshot& snapshot,
                               const std::string& scope) {
  ReportDocument d =
      Document("COMPLIANCE", "Compliance", scope, snapshot.status_date);
  Section s{"projects", "Compliance by project", {}, {}, {}, {}};
  s.table.columns = {{"code", "Code"},
                     {"name", "Name"},
                     {"compliance", "Compliance"},
                     {"open_findings", "Open findings"}};
  std::map<std::string, int> by_status;
  for (const ProjectFigures& p : snapshot.projects) {
    const std::string status =
        p.compliance.empty() ? "NOT_AUDITED" : p.compliance;
    s.table.rows.push_back({Cell::Text(p.code), Cell::Text(p.name),
                            Cell::Text(status),
                            Cell::Integer(p.open_findings)});
    ++by_status[status];
  }
  BarChart bars;
  bars.unit = "projects";
  for (const char* c : {"COMPLIANT", "COMPLIANT_WITH_FINDINGS", "NON_COMPLIANT",
                        "NOT_AUDITED"}) {
    bars.labels.push_back(c);
    bars.values.push_back(by_status[c]);
  }
  s.bar_chart = std::move(bars);
  d.sections.push_back(std::move(s));
  return d;
}

ReportDocument BuildResourceUtilisation(const ResourceLoad& load,
                                        const std::string& scope) {
  ReportDocument d = Document("RESOURCE_UTILISATION", "Resource utilisation",
                              scope, load.status_date);
  Section weeks{
      "utilisation", "Utilisation by resource and week", {}, {}, {}, {}};
  weeks.table.columns = {{"resource", "Resource"}};
  for (absl::CivilDay w : load.week_starts) {
    const std::string label = DayLabel(w);
    weeks.table.columns.push_back({absl::StrCat("week_", label), label});
  }
  weeks.table.columns.push_back({"average_percent", "Average"});
  Section over{
      "over_allocations", "Over-allocated resource-weeks", {}, {}, {}, {}};
  over.table.columns = {{"resource", "Resource"},
                        {"week", "Week"},
                        {"capacity_hours", "Capacity (h)"},
                        {"booked_hours", "Booked (h)"},
                        {"excess_hours", "Excess (h)"}};
  BarChart bars;
  bars.unit = "%";
  bars.limit = 100;
  for (const ResourceLoadRow& r : load.resources) {
    std::vector<Cell> row = {Cell::Text(r.name)};
    double capacity = 0, booked = 0;
    for (size_t i = 0; i < r.weeks.size(); ++i) {
      const ResourceWeekLoad& w = r.weeks[i];
      // A week without capacity (holiday, absence) shows no percentage; a
      // booking in it is still an over-allocation.
      row.push_back(w.capacity_hours > 0
                        ? Cell::Percent(100 * w.booked_hours / w.capacity_hours)
                        : Cell{});
      capacity += w.capacity_hours;
      booked += w.booked_hours;
      if (w.booked_hours > w.capacity_hours && i < load.week_starts.size()) {
        over.table.rows.push_back(
            {Cell::Text(r.name), Cell::Day(load.week_starts[i]),
             Cell::Number(w.capacity_hours), Cell::Number(w.booked_hours),
             Cell::Number(w.booked_hours - w.capacity_hours)});
      }
    }
    const double average = capacity > 0 ? 100 * booked / capacity : 0;
    row.push_back(capacity > 0 ? Cell::Percent(average) : Cell{});
    weeks.table.rows.push_back(std::move(row));
    bars.labels.push_back(r.name);
    bars.values.push_back(average);
  }
  weeks.bar_chart = std::move(bars);
  d.sections.push_back(std::move(weeks));
  d.sections.push_back(std::move(over));
  return d;
}

ReportDocument BuildRiskReport(const RiskRegister& risks,
                               const std::string& scope, int top_n) {
  ReportDocument d = Document("RISK", "Risk", scope, risks.status_date);
  const int n = std::max(1, risks.matrix_size);
  Section heat{"heat_map", "Open threats by probability and impact", {}, {}, {},
               {}};
  HeatMap map;
  map.row_axis = "Impact";
  map.column_axis = "Probability";
  map.counts.assign(n, std::vector<int64_t>(n, 0));
  for (int i = n; i >= 1; --i) map.row_labels.push_back(absl::StrCat(i));
  for (int p = 1; p <= n; ++p) map.column_labels.push_back(absl::StrCat(p));
  for (const RiskLine& r : risks.open_risks) {
    if (r.opportunity || r.probability < 1 || r.probability > n ||
        r.impact < 1 || r.impact > n) {
      continue;
    }
    ++map.counts[n - r.impact][r.probability - 1];
  }
  heat.table.columns = {{"impact", "Impact"}};
  for (int p = 1; p <= n; ++p) {
    heat.table.columns.push_back(
        {absl::StrCat("probability_", p), absl::StrCat("P", p)});
  }
  for (int row = 0; row < n; ++row) {
    std::vector<Cell> cells = {Cell::Integer(n - row)};
    for (int64_t c : map.counts[row]) cells.push_back(Cell::Integer(c));
    heat.table.rows.push_back(std::move(cells));
  }
  heat.heat_map = std::move(map);
  d.sections.push_back(std::move(heat));

  Section top{"top_exposures", "Top exposures", {}, {}, {}, {}};
  top.table.columns = {{"rank", "#"},      {"title", "Risk"},
                       {"scope", "Scope"}, {"probability", "P"},
                       {"impact", "I"},    {"exposure_minor", "Exposure"}};
  std::vector<const RiskLine*> threats;
  for (const RiskLine& r : risks.open_risks) {
    if (!r.opportunity) threats.push_back(&r);
  }
  // Highest exposure first; ties by title, then id, so the order is stable.
  std::sort(threats.begin(), threats.end(),
            [](const RiskLine* a, const RiskLine* b) {
              if (a->exposure != b->exposure) return a->exposure > b->exposure;
              if (a->title != b->title) return a->title < b->title;
              return a->risk_id < b->risk_id;
            });
  for (int i = 0; i < static_cast<int>(threats.size()) && i < top_n; ++i) {
    const RiskLine& r = *threats[i];
    top.table.rows.push_back(
        {Cell::Integer(i + 1), Cell::Text(r.title), Cell::Text(r.project_code),
         Cell::Integer(r.probability), Cell::Integer(r.impact),
         Cell::Money(r.exposure)});
  }
  d.sections.push_back(std::move(top));

  Section trend{"trend", "Exposure trend", {}, {}, {}, {}};
  trend.table.columns = {{"day", "Day"},
                         {"threat_exposure_minor", "Threat exposure"},
                         {"opportunity_value_minor", "Opportunity value"}};
  LineChart chart;
  chart.series = {{"Threats", {}}, {"Opportunities", {}}};
  for (const ExposurePoint& e : risks.trend) {
    trend.table.rows.push_back({Cell::Day(e.day),
                                Cell::Money(e.threat_exposure),
                                Cell::Money(e.opportunity_value)});
    chart.x_labels.push_back(DayLabel(e.day));
    chart.series[0].values.push_back(static_cast<double>(e.threat_exposure));
    chart.series[1].values.push_back(static_cast<double>(e.opportunity_value));
  }
  trend.line_chart = std::move(chart);
  d.sections.push_back(std::move(trend));
  return d;
}

ReportDocument BuildDependencies(const DependencyGraph& graph,
                                 const std::string& scope) {
  ReportDocument d =
      Document("DEPENDENCIES", "Dependencies", scope, graph.status_date);
  Section list{"dependencies", "Inter-project dependencies", {}, {}, {}, {}};
  list.table.columns = {{"from_project", "From project"},
                        {"from_task", "From task"},
                        {"to_project", "To project"},
                        {"to_task", "To task"},
                        {"type", "Type"},
                        {"lag_days", "Lag (d)"},
                        {"at_risk", "At risk"}};
  std::vector<const DependencyLine*> lines;
  for (const DependencyLine& l : graph.dependencies) lines.push_back(&l);
  std::stable_sort(lines.begin(), lines.end(),
                   [](const DependencyLine* a, const DependencyLine* b) {
                     return a->at_risk && !b->at_risk;
                   });
  struct Counts {
    int64_t depends_on = 0;
    int64_t depended_on_by = 0;
    int64_t at_risk = 0;
  };
  std::map<std::string, Counts> per_project;
  for (const DependencyLine* l : lines) {
    list.table.rows.push_back(
        {Cell::Text(l->from_project_code), Cell::Text(l->from_task),
         Cell::Text(l->to_project_code), Cell::Text(l->to_task),
         Cell::Text(l->type), Cell::Integer(l->lag_days),
         Cell::Text(l->at_risk ? "yes" : "no")});
    ++per_project[l->to_project_code].depends_on;
    ++per_project[l->from_project_code].depended_on_by;
    if (l->at_risk) ++per_project[l->to_project_code].at_risk;
  }
  d.sections.push_back(std::move(list));
  Section counts{"per_project", "Dependencies per project", {}, {}, {}, {}};
  counts.table.columns = {{"project", "Project"},
                          {"depends_on", "Depends on"},
                          {"depended_on_by", "Depended on by"},
                          {"at_risk", "Incoming at risk"}};
  BarChart bars;
  bars.unit = "incoming dependencies";
  for (const auto& [code, c] : per_project) {
    counts.table.rows.push_back({Cell::Text(code), Cell::Integer(c.depends_on),
                                 Cell::Integer(c.depended_on_by),
                                 Cell::Integer(c.at_risk)});
    bars.labels.push_back(code);
    bars.values.push_back(static_cast<double>(c.depends_on));
  }
  counts.bar_chart = std::move(bars);
  d.sections.push_back(std::move(counts));
  return d;
}

}  // namespace pmo::reporting
