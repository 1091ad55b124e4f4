#include "services/reporting/app/report_builders.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace pmo::reporting {
namespace {

using ::testing::ElementsAre;

ProjectFigures Project(const std::string& code, int64_t bac, int64_t pv,
                       int64_t ev, int64_t ac) {
  ProjectFigures p;
  p.project_id = "id-" + code;
  p.code = code;
  p.name = "Project " + code;
  p.portfolio_id = "pf-1";
  p.portfolio_code = "CORP";
  p.earned_value = {bac, pv, ev, ac, std::nullopt, std::nullopt};
  if (pv) p.earned_value.spi = static_cast<double>(ev) / pv;
  if (ac) p.earned_value.cpi = static_cast<double>(ev) / ac;
  return p;
}

const Cell& CellAt(const Section& s, size_t row, const std::string& key) {
  for (size_t c = 0; c < s.table.columns.size(); ++c) {
    if (s.table.columns[c].key == key) return s.table.rows.at(row).at(c);
  }
  ADD_FAILURE() << "no column " << key;
  static Cell empty;
  return empty;
}

TEST(EarnedValueReport, ProjectRowsAndTheTotalAreRatiosOfSums) {
  // Hand-worked: A PV 400,000 EV 300,000 AC 350,000; B PV 100,000 EV
  // 120,000 AC 100,000. Total PV 500,000 EV 420,000 AC 450,000, so SV
  // -80,000, CV -30,000, SPI 420/500 = 0.84, CPI 420/450 = 0.9333 (not the
  // mean of 0.75 and 1.2, nor of 0.857 and 1.2).
  PortfolioSnapshot at;
  at.status_date = absl::CivilDay(2027, 3, 15);
  at.projects = {Project("A", 1'000'000, 400'000, 300'000, 350'000),
                 Project("B", 500'000, 100'000, 120'000, 100'000)};
  const ReportDocument d = BuildEarnedValue(at, {at}, "Portfolio CORP");
  EXPECT_EQ(d.title, "Earned value - Portfolio CORP - 2027-03-15");
  const Section& projects = d.sections.at(0);
  ASSERT_EQ(projects.table.rows.size(), 3u);
  EXPECT_EQ(CellAt(projects, 0, "schedule_variance_minor").integer, -100'000);
  EXPECT_EQ(CellAt(projects, 0, "cost_variance_minor").integer, -50'000);
  EXPECT_DOUBLE_EQ(CellAt(projects, 0, "spi").number, 0.75);
  EXPECT_EQ(CellAt(projects, 2, "code").text, "TOTAL");
  EXPECT_EQ(CellAt(projects, 2, "budget_at_completion_minor").integer,
            1'500'000);
  EXPECT_EQ(CellAt(projects, 2, "planned_value_minor").integer, 500'000);
  EXPECT_EQ(CellAt(projects, 2, "earned_value_minor").integer, 420'000);
  EXPECT_EQ(CellAt(projects, 2, "actual_cost_minor").integer, 450'000);
  EXPECT_EQ(CellAt(projects, 2, "schedule_variance_minor").integer, -80'000);
  EXPECT_EQ(CellAt(projects, 2, "cost_variance_minor").integer, -30'000);
  EXPECT_DOUBLE_EQ(CellAt(projects, 2, "spi").number, 0.84);
  EXPECT_NEAR(CellAt(projects, 2, "cpi").number, 0.933333, 1e-6);
}

TEST(EarnedValueReport, TheSCurveSumsTheScopeAtEachPeriodEnd) {
  PortfolioSnapshot jan, feb, mar;
  jan.status_date = absl::CivilDay(2027, 1, 31);
  jan.projects = {Project("A", 1'000'000, 100'000, 80'000, 90'000)};
  feb.status_date = absl::CivilDay(2027, 2, 28);
  feb.projects = {Project("A", 1'000'000, 250'000, 200'000, 260'000),
                  Project("B", 500'000, 0, 0, 0)};
  mar.status_date = absl::CivilDay(2027, 3, 15);
  mar.projects = {Project("A", 1'000'000, 400'000, 300'000, 350'000),
                  Project("B", 500'000, 100'000, 120'000, 100'000)};
  const ReportDocument d = BuildEarnedValue(mar, {jan, feb, mar}, "Enterprise");
  const Section& curve = d.sections.at(1);
  ASSERT_TRUE(curve.line_chart.has_value());
  EXPECT_THAT(curve.line_chart->x_labels,
              ElementsAre("2027-01-31", "2027-02-28", "2027-03-15"));
  EXPECT_THAT(curve.line_chart->series[0].values,
              ElementsAre(100'000, 250'000, 500'000));  // PV
  EXPECT_THAT(curve.line_chart->series[1].values,
              ElementsAre(80'000, 200'000, 420'000));  // EV
  EXPECT_THAT(curve.line_chart->series[2].values,
              ElementsAre(90'000, 260'000, 450'000));  // AC
  EXPECT_DOUBLE_EQ(CellAt(curve, 1, "spi").number, 0.8);
  // No PV and no AC yet: the ratios are absent, not zero or infinite.
  PortfolioSnapshot empty;
  empty.status_date = absl::CivilDay(2026, 12, 31);
  empty.projects = {Project("A", 1'000'000, 0, 0, 0)};
  const ReportDocument early = BuildEarnedValue(empty, {empty}, "Enterprise");
  EXPECT_EQ(CellAt(early.sections[1], 0, "spi").kind, Cell::Kind::kEmpty);
  EXPECT_EQ(CellAt(early.sections[1], 0, "cpi").kind, Cell::Kind::kEmpty);
}

TEST(EarnedValueReport, PeriodEndsAreMonthEndsThenTheStatusDate) {
  EXPECT_THAT(
      SCurvePeriodEnds(absl::CivilDay(2027, 3, 15), 3),
      ElementsAre(absl::CivilDay(2027, 1, 31), absl::CivilDay(2027, 2, 28),
                  absl::CivilDay(2027, 3, 15)));
  EXPECT_THAT(
      SCurvePeriodEnds(absl::CivilDay(2024, 3, 31), 3),
      ElementsAre(absl::CivilDay(2024, 1, 31), absl::CivilDay(2024, 2, 29),
                  absl::CivilDay(2024, 3, 31)));
  EXPECT_THAT(
      SCurvePeriodEnds(absl::CivilDay(2027, 1, 10), 2),
      ElementsAre(absl::CivilDay(2026, 12, 31), absl::CivilDay(2027, 1, 10)));
  EXPECT_TRUE(SCurvePeriodEnds(absl::CivilDay(2027, 1, 10), 0).empty());
}

TEST(PortfolioStatusReport, ListsProjectsRollUpsAndCountsHealth) {
  PortfolioSnapshot s;
  s.status_date = absl::CivilDay(2027, 3, 15);
  s.projects = {Project("A", 1, 1, 1, 1), Project("B", 1, 1, 1, 1),
                Project("C", 1, 1, 1, 1)};
  s.projects[0].health = "GREEN";
  s.projects[1].health = "RED";
  s.projects[1].next_milestone = "Go-live";
  s.projects[1].next_milestone_date = absl::CivilDay(2027, 6, 30);
  s.projects[1].open_risks = 4;
  s.portfolios = {{"pf-1", "CORP", 3, {}, "AMBER", 4, 1, 900, 2}};
  const ReportDocument d = BuildPortfolioStatus(s, "Portfolio CORP");
  ASSERT_EQ(d.sections.size(), 3u);
  const Section& projects = d.sections[0];
  ASSERT_EQ(projects.table.rows.size(), 3u);
  EXPECT_EQ(CellAt(projects, 1, "next_milestone_date").text, "2027-06-30");
  EXPECT_EQ(CellAt(projects, 1, "open_risks").integer, 4);
  EXPECT_EQ(CellAt(projects, 0, "next_milestone_date").kind,
            Cell::Kind::kEmpty);
  ASSERT_TRUE(projects.bar_chart.has_value());
  EXPECT_THAT(projects.bar_chart->labels,
              ElementsAre("GREEN", "AMBER", "RED", "UNRATED"));
  EXPECT_THAT(projects.bar_chart->values, ElementsAre(1, 0, 1, 1));
  EXPECT_EQ(CellAt(d.sections[2], 0, "code").text, "CORP");
  EXPECT_EQ(CellAt(d.sections[2], 0, "risk_exposure_minor").integer, 900);
}

TEST(ChangeControlAndComplianceReports, CountPerProjectAndInTotal) {
  PortfolioSnapshot s;
  s.status_date = absl::CivilDay(2027, 3, 15);
  s.projects = {Project("A", 1, 1, 1, 1), Project("B", 1, 1, 1, 1)};
  s.projects[0].open_change_requests = 2;
  s.projects[1].open_change_requests = 3;
  s.projects[0].compliance = "NON_COMPLIANT";
  s.projects[0].open_findings = 2;
  const ReportDocument cc = BuildChangeControl(s, "Enterprise");
  EXPECT_EQ(CellAt(cc.sections[0], 2, "open_change_requests").integer, 5);
  const ReportDocument co = BuildCompliance(s, "Enterprise");
  EXPECT_EQ(CellAt(co.sections[0], 1, "compliance").text, "NOT_AUDITED");
  EXPECT_THAT(co.sections[0].bar_chart->values, ElementsAre(0, 0, 1, 1));
}

TEST(ScopeLabels, NameTheScopeByItsCode) {
  PortfolioSnapshot s;
  s.projects = {Project("ERP", 1, 1, 1, 1)};
  s.projects[0].programme_id = "pg-1";
  s.projects[0].programme_code = "TRANSFORM";
  EXPECT_EQ(ScopeLabel({ScopeLevel::kEnterprise, ""}, s), "Enterprise");
  EXPECT_EQ(ScopeLabel({ScopeLevel::kPortfolio, "pf-1"}, s), "Portfolio CORP");
  EXPECT_EQ(ScopeLabel({ScopeLevel::kProgramme, "pg-1"}, s),
            "Programme TRANSFORM");
  EXPECT_EQ(ScopeLabel({ScopeLevel::kProject, "id-ERP"}, s), "Project ERP");
  EXPECT_EQ(ScopeLabel({ScopeLevel::kProject, "gone"}, s), "Project gone");
}

TEST(RiskReport, HeatMapCountsOpenThreatsTopExposuresAndTrend) {
  RiskRegister r;
  r.status_date = absl::CivilDay(2027, 3, 15);
  r.matrix_size = 5;
  r.open_risks = {{"r1", "Supplier fails", "ERP", 3, 4, 500, false},
                  {"r2", "Key staff leave", "CRM", 3, 4, 300, false},
                  {"r3", "Regulator rejects", "ERP", 5, 5, 900, false},
                  {"r4", "Early delivery", "ERP", 2, 2, 400, true},
                  {"r5", "Printer jams", "HR", 1, 1, 10, false}};
  r.trend = {{absl::CivilDay(2027, 2, 28), 1200, 0},
             {absl::CivilDay(2027, 3, 15), 1710, 400}};
  const ReportDocument d = BuildRiskReport(r, "Enterprise", 2);
  const HeatMap& map = *d.sections[0].heat_map;
  EXPECT_THAT(map.row_labels,
              ElementsAre("5", "4", "3", "2", "1"));       // impact, high first
  EXPECT_THAT(map.counts[0], ElementsAre(0, 0, 0, 0, 1));  // impact 5: P5
  EXPECT_THAT(map.counts[1], ElementsAre(0, 0, 2, 0, 0));  // impact 4: P3 twice
  EXPECT_THAT(map.counts[3],
              ElementsAre(0, 0, 0, 0, 0));  // the opportunity is not a threat
  EXPECT_THAT(map.counts[4], ElementsAre(1, 0, 0, 0, 0));
  const Section& top = d.sections[1];
  ASSERT_EQ(top.table.rows.size(), 2u);
  EXPECT_EQ(CellAt(top, 0, "title").text, "Regulator rejects");
  EXPECT_EQ(CellAt(top, 1, "exposure_minor").integer, 500);
  EXPECT_THAT(d.sections[2].line_chart->series[0].values,
              ElementsAre(1200, 1710));
}

TEST(ResourceUtilisationReport, PercentagesPerWeekAndOverAllocations) {
  // Week 1: 44 h booked of 40 = 110 %, 4 h over; week 2: 20 of 40 = 50 %;
  // average 64 / 80 = 80 %. A week without capacity shows no percentage.
  ResourceLoad load;
  load.status_date = absl::CivilDay(2027, 3, 15);
  load.week_starts = {absl::CivilDay(2027, 3, 1), absl::CivilDay(2027, 3, 8),
                      absl::CivilDay(2027, 3, 15)};
  load.resources = {{"res-1", "Alice", {{40, 44}, {40, 20}, {0, 0}}}};
  const ReportDocument d = BuildResourceUtilisation(load, "Enterprise");
  const Section& weeks = d.sections[0];
  EXPECT_DOUBLE_EQ(CellAt(weeks, 0, "week_2027-03-01").number, 110);
  EXPECT_DOUBLE_EQ(CellAt(weeks, 0, "week_2027-03-08").number, 50);
  EXPECT_EQ(CellAt(weeks, 0, "week_2027-03-15").kind, Cell::Kind::kEmpty);
  EXPECT_DOUBLE_EQ(CellAt(weeks, 0, "average_percent").number, 80);
  EXPECT_EQ(weeks.bar_chart->limit, 100);
  const Section& over = d.sections[1];
  ASSERT_EQ(over.table.rows.size(), 1u);
  EXPECT_EQ(CellAt(over, 0, "week").text, "2027-03-01");
  EXPECT_DOUBLE_EQ(CellAt(over, 0, "excess_hours").number, 4);
}

TEST(DependenciesReport, AtRiskFirstAndCountsPerProject) {
  DependencyGraph g;
  g.status_date = absl::CivilDay(2027, 3, 15);
  g.dependencies = {
      {"ERP", "Data model", "CRM", "Integration", "FS", 0, false},
      {"ERP", "Go-live", "HR", "Payroll cut-over", "FS", 5, true}};
  const ReportDocument d = BuildDependencies(g, "Enterprise");
  EXPECT_EQ(CellAt(d.sections[0], 0, "to_project").text, "HR");
  EXPECT_EQ(CellAt(d.sections[0], 0, "at_risk").text, "yes");
  const Section& counts = d.sections[1];  // by project code
  EXPECT_EQ(CellAt(counts, 1, "project").text, "ERP");
  EXPECT_EQ(CellAt(counts, 1, "depended_on_by").integer, 2);
  EXPECT_EQ(CellAt(counts, 2, "project").text, "HR");
  EXPECT_EQ(CellAt(counts, 2, "at_risk").integer, 1);
}

}  // namespace
}  // namespace pmo::reporting
