// The views beside the overview (views.h) against the hand-built history
// (hand_built_history.h) plus, 2027:
//
//   Bob (Mon-Fri 8 h, holiday Wed 10 Mar): 60 % on ERP 1-5 Mar (4.8 h a
//   day), 4 h a day on CRM 1-12 Mar.
//     week of 1 Mar: capacity 40, load 5 x 4.8 + 5 x 4 = 44 (ERP 24, CRM 20)
//     week of 8 Mar: capacity 32 (the holiday), load 4 x 4 = 16 (CRM)
//   The resources service found 1-5 Mar over-allocated (8.8 h of 8).
//   Exposure: the threat's 5,000 from 1 Mar, the opportunity's 700 from
//   2 Mar; the threat closed on 15 Apr.
//   CRM's cut-over (FS, lag 2) waits for ERP's go-live, which slipped 5
//   days on 1 Apr: the cut-over is 5 days late.
//   ERP: a change request (10 days, 5,000) approved, a configuration
//   baseline of 2 items and a schedule baseline; a per-user tool with 2
//   licences expiring 15 Mar used by ERP (2 seats) and CRM (1); an audit
//   with a major finding.

#include <algorithm>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/testing/status_matchers.h"
#include "libs/base/testing/temp_dir.h"
#include "pmo/configuration/v1/events.pb.h"
#include "services/projection/app/consolidation.h"
#include "services/projection/app/hand_built_history.h"
#include "services/projection/app/portfolio_view.h"
#include "services/projection/app/testing/view_engine.h"

namespace pmo::projection {
namespace {

namespace pv1 = ::pmo::projects::v1;
namespace kv1 = ::pmo::risks::v1;
namespace rv1 = ::pmo::resources::v1;
namespace cv1 = ::pmo::configuration::v1;
using history::D;
using history::Deliveries;
using history::History;
using ::testing::ElementsAre;
using ::testing::Field;

History Enterprise() {
  History h = history::Portfolio();
  const absl::CivilDay feb(2027, 2, 1);
  rv1::ResourceRegistered bob;
  bob.set_name("Bob");
  for (bool working : {true, true, true, true, true, false, false}) {
    bob.mutable_calendar()->add_working_weekdays(working);
  }
  bob.mutable_calendar()->set_hours_per_day(8);
  h.Add("resources", "resource", "bob", feb, bob);
  rv1::HolidayAdded holiday;
  *holiday.mutable_holiday() = D(2027, 3, 10);
  h.Add("resources", "resource", "bob", feb, holiday);
  for (auto [id, project, to, unit, amount] :
       {std::tuple{"b-1", "erp", 5, rv1::ALLOCATION_UNIT_PERCENT, 60.0},
        std::tuple{"b-2", "crm", 12, rv1::ALLOCATION_UNIT_HOURS_PER_DAY,
                   4.0}}) {
    rv1::AllocationMade made;
    rv1::Allocation* a = made.mutable_allocation();
    a->set_allocation_id(id);
    a->set_project_id(project);
    *a->mutable_from() = D(2027, 3, 1);
    *a->mutable_to() = D(2027, 3, to);
    a->set_unit(unit);
    a->set_amount(amount);
    h.Add("resources", "resource", "bob", feb, made);
  }
  rv1::ResourceOverAllocated over;
  for (int day = 1; day <= 5; ++day) {
    rv1::OverAllocatedDay* d = over.add_days();
    *d->mutable_day() = D(2027, 3, day);
    d->set_capacity_hours(8);
    d->set_load_hours(8.8);
    d->set_excess_hours(0.8);
    for (auto [project, hours] :
         {std::pair{"erp", 4.8}, std::pair{"crm", 4.0}}) {
      rv1::ProjectShare* s = d->add_shares();
      s->set_project_id(project);
      s->set_hours(hours);
    }
  }
  h.Add("resources", "resource", "bob", feb, over);

  kv1::RisksCombined combined;
  combined.set_scope_id("corp");
  combined.set_title("Supplier Acme");
  combined.add_member_risk_ids("r-threat");
  combined.mutable_exposure()->set_expected_value_minor(5'000);
  h.Add("risks", "combined_risk", "c-1", absl::CivilDay(2027, 3, 5), combined);

  pv1::DependencyAdded within;  // inside CRM: not in the graph
  within.set_predecessor_project_id("crm");
  within.set_predecessor_task_id("t-build");
  within.set_successor_task_id("t-cutover");
  h.Add("projects", "project", "crm", feb, within);
  pv1::DependencyAdded across;
  across.set_predecessor_project_id("erp");
  across.set_predecessor_task_id("t-golive");
  across.set_successor_task_id("t-cutover");
  across.set_type(pv1::DEPENDENCY_TYPE_FINISH_TO_START);
  across.set_lag_days(2);
  h.Add("projects", "project", "crm", feb, across);
  pv1::DependentDatesAtRisk slipped;
  slipped.mutable_moved_task()->set_project_id("erp");
  slipped.mutable_moved_task()->set_task_id("t-golive");
  slipped.set_slip_days(5);
  pv1::TaskAtRisk* late = slipped.add_tasks_at_risk();
  late->set_task_id("t-cutover");
  *late->mutable_early_finish() = D(2027, 6, 10);
  late->set_delay_days(5);
  h.Add("projects", "project", "crm", absl::CivilDay(2027, 4, 1), slipped);
  pv1::BaselineCaptured plan;
  plan.set_name("Plan v1");
  plan.add_tasks()->set_task_id("t-golive");
  *plan.mutable_finish() = D(2027, 6, 30);
  h.Add("projects", "project", "erp", feb, plan);

  const absl::CivilDay mar10(2027, 3, 10);
  cv1::ChangeRequestSubmitted submitted;
  submitted.set_project_id("erp");
  submitted.set_title("Add single sign-on");
  h.Add("configuration", "change_request", "cr-1", mar10, submitted);
  cv1::ChangeRequestAssessed assessed;
  assessed.mutable_impact()->set_schedule_days(10);
  assessed.mutable_impact()->set_cost_minor(5'000);
  h.Add("configuration", "change_request", "cr-1", mar10, assessed);
  cv1::ChangeRequestDecided approved;
  approved.set_decision(cv1::BOARD_DECISION_APPROVE);
  h.Add("configuration", "change_request", "cr-1", mar10, approved);
  cv1::BaselineEstablished baseline;
  baseline.set_project_id("erp");
  baseline.set_name("Functional baseline 1.0");
  baseline.add_entries()->set_item_id("ci-1");
  baseline.add_entries()->set_item_id("ci-2");
  h.Add("configuration", "baseline", "bl-1", mar10, baseline);
  cv1::ToolCatalogued tool;
  tool.set_name("Modeller");
  tool.set_licence_model(cv1::LICENCE_MODEL_PER_USER);
  tool.set_licence_count(2);
  *tool.mutable_licence_expiry() = D(2027, 3, 15);
  h.Add("configuration", "tool", "tool-1", mar10, tool);
  for (auto [project, seats] : {std::pair{"erp", 2}, std::pair{"crm", 1}}) {
    cv1::ToolAssignedToProject assigned;
    assigned.mutable_assignment()->set_project_id(project);
    assigned.mutable_assignment()->set_seats(seats);
    h.Add("configuration", "tool", "tool-1", mar10, assigned);
  }
  cv1::AuditPlanned audit;
  audit.set_project_id("erp");
  audit.set_standard_id("iso-9001");
  h.Add("configuration", "audit", "audit-1", mar10, audit);
  cv1::AuditFindingRecorded finding;
  finding.set_finding_id("F1");
  finding.set_clause("8.5.1");
  finding.set_severity(cv1::FINDING_SEVERITY_MAJOR);
  h.Add("configuration", "audit", "audit-1", mar10, finding);

  kv1::RiskStatusChanged closed;
  closed.set_status(kv1::RISK_STATUS_CLOSED);
  h.Add("risks", "risk", "r-threat", absl::CivilDay(2027, 4, 15), closed);
  return h;
}

void Fold(const History& h, Consolidation& into) {
  for (const history::Sourced& s : h.events()) into.Apply(s.event);
}

const ResourceLoad* Find(const std::vector<ResourceLoad>& loads,
                         const std::string& id) {
  for (const ResourceLoad& l : loads) {
    if (l.resource_id == id) return &l;
  }
  return nullptr;
}

TEST(ResourceLoadTest, WeeksShowCapacityLoadAndEachProjectsShare) {
  Consolidation c;
  Fold(Enterprise(), c);
  ResourceLoadQuery query;
  query.first_week = absl::CivilDay(2027, 3, 1);
  query.weeks = 2;
  const std::vector<ResourceLoad> loads =
      c.ResourceLoads(query, absl::CivilDay(2027, 3, 3));
  const ResourceLoad* bob = Find(loads, "bob");
  ASSERT_NE(bob, nullptr);
  EXPECT_EQ(bob->name, "Bob");
  ASSERT_EQ(bob->weeks.size(), 2u);
  EXPECT_DOUBLE_EQ(bob->weeks[0].capacity_hours, 40);
  EXPECT_NEAR(bob->weeks[0].load_hours, 44, 1e-9);
  ASSERT_EQ(bob->weeks[0].shares.size(), 2u);
  EXPECT_EQ(bob->weeks[0].shares[0].project_code, "CRM");
  EXPECT_NEAR(bob->weeks[0].shares[0].hours, 20, 1e-9);
  EXPECT_EQ(bob->weeks[0].shares[1].project_code, "ERP");
  EXPECT_NEAR(bob->weeks[0].shares[1].hours, 24, 1e-9);
  EXPECT_EQ(bob->weeks[1].week_start, absl::CivilDay(2027, 3, 8));
  EXPECT_DOUBLE_EQ(bob->weeks[1].capacity_hours, 32);
  EXPECT_NEAR(bob->weeks[1].load_hours, 16, 1e-9);
  // From the status date on: 3, 4 and 5 March.
  ASSERT_EQ(bob->over_allocations.size(), 3u);
  EXPECT_EQ(bob->over_allocations[0].day, absl::CivilDay(2027, 3, 3));
  EXPECT_NEAR(bob->over_allocations[0].excess_hours, 0.8, 1e-9);
  EXPECT_THAT(bob->over_allocations[0].shares,
              ElementsAre(Field(&LoadShare::project_code, "CRM"),
                          Field(&LoadShare::project_code, "ERP")));

  // Filters: Alice's ERP booking has no dates in these weeks.
  query.project_id = "erp";
  const std::vector<ResourceLoad> on_erp =
      c.ResourceLoads(query, absl::CivilDay(2027, 3, 3));
  ASSERT_EQ(on_erp.size(), 1u);
  EXPECT_EQ(on_erp[0].resource_id, "bob");
  query.project_id.clear();
  query.resource_id = "alice";
  EXPECT_EQ(c.ResourceLoads(query, absl::CivilDay(2027, 3, 3)).size(), 1u);
}

TEST(ResourceLoadTest, ACancelledBookingLeavesTheLoadAndTheOverviewCounters) {
  History h = Enterprise();
  rv1::AllocationCancelled cancelled;
  cancelled.set_allocation_id("b-2");
  h.Add("resources", "resource", "bob", absl::CivilDay(2027, 2, 2), cancelled);
  Consolidation c;
  Fold(h, c);
  ResourceLoadQuery query;
  query.first_week = absl::CivilDay(2027, 3, 1);
  query.weeks = 1;
  const ResourceLoad* bob =
      Find(c.ResourceLoads(query, absl::CivilDay(2027, 3, 1)), "bob");
  ASSERT_NE(bob, nullptr);
  EXPECT_NEAR(bob->weeks[0].load_hours, 24, 1e-9);
  const Overview o = c.Compute(absl::CivilDay(2027, 3, 1));
  for (const ProjectOverview& p : o.projects) {
    if (p.code == "CRM") {
      EXPECT_EQ(p.bookings, 0);
    }
    if (p.code == "ERP") {
      EXPECT_EQ(p.bookings, 2);  // Alice and Bob
      EXPECT_EQ(p.resources_booked, 2);
    }
  }
}

TEST(RiskRegisterTest, ListsThreatsOpportunitiesIssuesAndCombinedRisks) {
  History h = Enterprise();
  Consolidation before_closing;
  for (const history::Sourced& s : h.events()) {
    if (s.event.occurred_at <
        absl::FromCivil(absl::CivilDay(2027, 4, 1), absl::UTCTimeZone())) {
      before_closing.Apply(s.event);
    }
  }
  const Register reg =
      before_closing.RiskRegister({}, absl::CivilDay(2027, 3, 31));
  ASSERT_EQ(reg.entries.size(), 3u);
  EXPECT_EQ(reg.entries[0].id, "r-gain");
  EXPECT_EQ(reg.entries[0].kind, RegisterEntryKind::kOpportunity);
  EXPECT_EQ(reg.entries[0].expected_value_minor, 700);
  EXPECT_EQ(reg.entries[1].id, "r-threat");
  EXPECT_EQ(reg.entries[1].kind, RegisterEntryKind::kThreat);
  EXPECT_EQ(reg.entries[1].project_code, "ERP");
  EXPECT_TRUE(reg.entries[1].overdue);  // reviewed by 20 Mar
  EXPECT_EQ(reg.entries[1].status, kv1::RISK_STATUS_ASSESSED);
  EXPECT_EQ(reg.entries[2].id, "i-1");
  EXPECT_EQ(reg.entries[2].kind, RegisterEntryKind::kIssue);
  ASSERT_EQ(reg.combined.size(), 1u);
  EXPECT_EQ(reg.combined[0].id, "c-1");
  EXPECT_EQ(reg.combined[0].expected_value_minor, 5'000);

  // A page is the same slice of the whole; the totals count every match.
  RegisterQuery second;
  second.offset = 1;
  second.limit = 1;
  const Register page =
      before_closing.RiskRegister(second, absl::CivilDay(2027, 3, 31));
  ASSERT_EQ(page.entries.size(), 1u);
  EXPECT_EQ(page.entries[0].id, "r-threat");
  EXPECT_EQ(page.total, 3u);
  EXPECT_EQ(page.risk_exposure_minor, 5'000);
  EXPECT_EQ(page.opportunity_value_minor, 700);
  RegisterQuery threats;
  threats.kind = RegisterEntryKind::kThreat;
  EXPECT_EQ(
      before_closing.RiskRegister(threats, absl::CivilDay(2027, 3, 31)).total,
      1u);

  RegisterQuery in_corp;
  in_corp.portfolio_id = "corp";
  EXPECT_EQ(before_closing.RiskRegister(in_corp, absl::CivilDay(2027, 3, 31))
                .entries.size(),
            3u);
  RegisterQuery elsewhere;
  elsewhere.portfolio_id = "other";
  const Register none =
      before_closing.RiskRegister(elsewhere, absl::CivilDay(2027, 3, 31));
  EXPECT_TRUE(none.entries.empty());
  EXPECT_TRUE(none.combined.empty());

  // Once closed, the threat shows only when closed ones are asked for.
  Consolidation now;
  Fold(h, now);
  EXPECT_EQ(now.RiskRegister({}, absl::CivilDay(2027, 5, 1)).entries.size(),
            2u);
  RegisterQuery all;
  all.include_closed = true;
  const Register everything = now.RiskRegister(all, absl::CivilDay(2027, 5, 1));
  ASSERT_EQ(everything.entries.size(), 3u);
  EXPECT_FALSE(everything.entries[1].open);
  EXPECT_FALSE(everything.entries[1].overdue);
}

TEST(RiskRegisterTest, ExposureOverTimeFollowsTheBusinessDays) {
  Consolidation c;
  Fold(Enterprise(), c);
  ExposureQuery query;
  query.from = absl::CivilDay(2027, 2, 22);
  query.interval_days = 7;
  const std::vector<ExposurePoint> points =
      c.ExposureHistory(query, absl::CivilDay(2027, 4, 30));
  ASSERT_EQ(points.size(), 11u);  // 22 Feb .. 26 Apr weekly, and 30 Apr
  auto at = [&](int i) {
    return std::pair{points[i].risk_exposure_minor,
                     points[i].opportunity_value_minor};
  };
  EXPECT_EQ(points[0].day, absl::CivilDay(2027, 2, 22));
  EXPECT_EQ(at(0), (std::pair<int64_t, int64_t>{0, 0}));
  EXPECT_EQ(at(1), (std::pair<int64_t, int64_t>{5'000, 0}));    // 1 Mar
  EXPECT_EQ(at(2), (std::pair<int64_t, int64_t>{5'000, 700}));  // 8 Mar
  EXPECT_EQ(at(7), (std::pair<int64_t, int64_t>{5'000, 700}));  // 12 Apr
  EXPECT_EQ(at(8), (std::pair<int64_t, int64_t>{
                       0, 700}));  // 19 Apr: closed on the 15th
  EXPECT_EQ(points[10].day, absl::CivilDay(2027, 4, 30));
  EXPECT_EQ(at(10), (std::pair<int64_t, int64_t>{0, 700}));

  query.programme_id = "digital";
  EXPECT_EQ(c.ExposureHistory(query, absl::CivilDay(2027, 4, 30)).size(), 11u);
  EXPECT_EQ(c.ExposureHistory(query, absl::CivilDay(2027, 4, 30))[2]
                .risk_exposure_minor,
            5'000);
  // A risk raised on the portfolio itself counts in its series.
  History h = Enterprise();
  kv1::RiskIdentified portfolio_risk;
  portfolio_risk.set_level(kv1::RISK_LEVEL_PORTFOLIO);
  portfolio_risk.set_scope_id("corp");
  h.Add("risks", "risk", "r-corp", absl::CivilDay(2027, 4, 20), portfolio_risk);
  kv1::RiskAssessed assessed;
  assessed.mutable_rating()->set_expected_value_minor(1'000);
  h.Add("risks", "risk", "r-corp", absl::CivilDay(2027, 4, 20), assessed);
  Consolidation with_portfolio_risk;
  Fold(h, with_portfolio_risk);
  ExposureQuery corp = query;
  corp.programme_id.clear();
  corp.portfolio_id = "corp";
  EXPECT_EQ(
      with_portfolio_risk.ExposureHistory(corp, absl::CivilDay(2027, 4, 30))
          .back()
          .risk_exposure_minor,
      1'000);
  EXPECT_EQ(
      with_portfolio_risk.ExposureHistory(query, absl::CivilDay(2027, 4, 30))
          .back()
          .risk_exposure_minor,
      0);  // not in the programme's

  query.programme_id.clear();
  query.project_id = "crm";
  for (const ExposurePoint& p :
       c.ExposureHistory(query, absl::CivilDay(2027, 4, 30))) {
    EXPECT_EQ(p.risk_exposure_minor + p.opportunity_value_minor, 0);
  }
}

TEST(DependencyGraphTest,
     ShowsCrossProjectDependenciesAndWhichSlipPutsWhomAtRisk) {
  Consolidation c;
  Fold(Enterprise(), c);
  const DependencyGraph graph = c.Dependencies("");
  ASSERT_EQ(graph.edges.size(), 1u);
  EXPECT_EQ(graph.edges[0].predecessor_project_code, "ERP");
  EXPECT_EQ(graph.edges[0].successor_project_code, "CRM");
  EXPECT_EQ(graph.edges[0].successor_task_id, "t-cutover");
  EXPECT_EQ(graph.edges[0].lag_days, 2);
  ASSERT_EQ(graph.slips.size(), 1u);
  const SlipImpact& slip = graph.slips[0];
  EXPECT_EQ(slip.slipped_project_code, "ERP");
  EXPECT_EQ(slip.slip_days, 5);
  EXPECT_EQ(slip.project_at_risk_code, "CRM");
  ASSERT_EQ(slip.tasks_at_risk.size(), 1u);
  EXPECT_EQ(slip.tasks_at_risk[0].delay_days, 5);
  EXPECT_EQ(slip.reported_on, absl::CivilDay(2027, 4, 1));
  EXPECT_EQ(c.Dependencies("erp").edges.size(), 1u);
  EXPECT_TRUE(c.Dependencies("elsewhere").edges.empty());
  EXPECT_TRUE(c.Dependencies("elsewhere").slips.empty());
}

TEST(ConfigurationListsTest,
     ChangeRequestsBaselinesLicencesAndFindingsAcrossProjects) {
  Consolidation c;
  Fold(Enterprise(), c);
  const ConfigurationLists lists =
      c.ConfigurationAcrossProjects("", absl::CivilDay(2027, 3, 31));
  ASSERT_EQ(lists.change_requests.size(), 1u);
  EXPECT_EQ(lists.change_requests[0].project_code, "ERP");
  EXPECT_EQ(lists.change_requests[0].status,
            cv1::CHANGE_REQUEST_STATUS_APPROVED);
  EXPECT_TRUE(lists.change_requests[0].open);
  EXPECT_EQ(lists.change_requests[0].schedule_days, 10);
  EXPECT_EQ(lists.change_requests[0].cost_minor, 5'000);
  ASSERT_EQ(lists.baselines.size(), 2u);
  EXPECT_FALSE(lists.baselines[0].schedule);
  EXPECT_EQ(lists.baselines[0].items, 2);
  EXPECT_TRUE(lists.baselines[1].schedule);
  EXPECT_EQ(lists.baselines[1].finish, absl::CivilDay(2027, 6, 30));
  ASSERT_EQ(lists.tools.size(), 1u);
  EXPECT_EQ(lists.tools[0].seats_used, 3);
  EXPECT_TRUE(lists.tools[0].over_used);
  EXPECT_TRUE(lists.tools[0].expired);
  EXPECT_EQ(lists.tools[0].uses.size(), 2u);
  ASSERT_EQ(lists.findings.size(), 1u);
  EXPECT_EQ(lists.findings[0].severity, cv1::FINDING_SEVERITY_MAJOR);
  EXPECT_EQ(lists.findings[0].clause, "8.5.1");

  EXPECT_FALSE(c.ConfigurationAcrossProjects("", absl::CivilDay(2027, 3, 10))
                   .tools[0]
                   .expired);
  const ConfigurationLists crm =
      c.ConfigurationAcrossProjects("crm", absl::CivilDay(2027, 3, 31));
  EXPECT_TRUE(crm.change_requests.empty());
  ASSERT_EQ(crm.tools.size(), 1u);
  ASSERT_EQ(crm.tools[0].uses.size(), 1u);
  EXPECT_EQ(crm.tools[0].uses[0].seats, 1);
  EXPECT_EQ(crm.tools[0].seats_used, 3);  // every project's seats count
}

// The overview's earned value comes from indexes kept by Apply; it must be
// the library's answer over every record, on every day, whatever the order
// and ties of the records (same-day costs, a same-day report correcting an
// earlier one).
TEST(OverviewCountersTest,
     EarnedValueFromTheIndexesEqualsTheLibrarysOverEveryRecord) {
  History h;
  pv1::ProjectCreated created;
  created.set_code("EV");
  h.Add("projects", "project", "ev", absl::CivilDay(2027, 1, 1), created);
  pv1::BudgetSet budget;
  budget.mutable_budget()->set_budget_at_completion_minor(1'000'000);
  for (int month = 1; month <= 12; ++month) {
    auto* pv = budget.mutable_budget()->add_planned_values();
    *pv->mutable_date() = D(2027, month, 28);
    pv->set_amount_minor(80'000 + month);
  }
  h.Add("projects", "project", "ev", absl::CivilDay(2027, 1, 1), budget);
  earnedvalue::ProjectRecords all;
  all.budget_at_completion = 1'000'000;
  for (const auto& pv : budget.budget().planned_values())
    all.planned_values.push_back({dates::Day(pv.date()), pv.amount_minor()});
  uint64_t seed = 11;
  auto next = [&seed] {
    return (seed = seed * 6364136223846793005ULL + 1442695040888963407ULL) >>
           33;
  };
  for (int i = 0; i < 300; ++i) {
    const absl::CivilDay day =
        absl::CivilDay(2027, 1, 1) + static_cast<int>(next() % 365);
    if (i % 3 == 0) {
      pv1::ProgressReported progress;
      *progress.mutable_measured_on() = dates::ToDate(day);
      progress.set_percent_complete(static_cast<double>(next() % 101));
      h.Add("projects", "project", "ev", day, progress);
      earnedvalue::ProgressReport report;
      report.date = day;
      report.percent_complete = progress.percent_complete();
      all.progress.push_back(report);
    } else {
      pv1::ActualCostRecorded cost;
      *cost.mutable_cost_date() = dates::ToDate(day);
      cost.set_amount_minor(static_cast<int64_t>(next() % 10'000));
      h.Add("projects", "project", "ev", day, cost);
      all.actual_costs.push_back({day, std::nullopt, cost.amount_minor(), ""});
    }
  }
  Consolidation c;
  Fold(h, c);
  for (absl::CivilDay day(2026, 12, 30); day <= absl::CivilDay(2028, 1, 2);
       ++day) {
    const Overview o = c.Compute(day);
    ASSERT_EQ(o.projects.size(), 1u);
    ASSERT_OK_AND_ASSIGN(earnedvalue::EarnedValue expected,
                         earnedvalue::ComputeEarnedValue(all, day));
    ASSERT_EQ(o.projects[0].earned_value, expected) << day;
  }
}

// The answers a view gives, for comparing two views.
struct Answers {
  std::string digest;
  size_t register_entries = 0;
  double bob_first_week = 0;
  int64_t erp_exposure = 0;
  bool operator==(const Answers&) const = default;
};

Answers Ask(PortfolioView& view, std::optional<absl::CivilDay> as_of,
            absl::CivilDay day) {
  Answers a;
  EXPECT_OK(view.WithConsolidation(as_of, [&](const Consolidation& c) {
    a.digest = c.Digest();
    a.register_entries = c.RiskRegister({}, day).entries.size();
    ResourceLoadQuery q;
    q.first_week = absl::CivilDay(2027, 3, 1);
    q.weeks = 1;
    const std::vector<ResourceLoad> loads = c.ResourceLoads(q, day);
    if (const ResourceLoad* bob = Find(loads, "bob"))
      a.bob_first_week = bob->weeks[0].load_hours;
    for (const ProjectOverview& p : c.Compute(day).projects) {
      if (p.code == "ERP") a.erp_exposure = p.risk_exposure_minor;
    }
  }));
  return a;
}

class ViewsOnTheJournalTest : public testing::ViewEngineTest {};

TEST_P(ViewsOnTheJournalTest, DuplicatesAndAnyArrivalOrderGiveTheSameViews) {
  const History h = Enterprise();
  const std::vector<subscription::Delivery> in_order = Deliveries(h.events());
  ASSERT_OK_AND_ASSIGN(auto ordered, OpenView("ordered"));
  ASSERT_OK(ordered->Handle(in_order));

  // Every event backwards (each stream's versions arrive last first and
  // are parked until the first), in three batches, then all again.
  std::vector<subscription::Delivery> backwards(in_order.rbegin(),
                                                in_order.rend());
  ASSERT_OK_AND_ASSIGN(auto shuffled, OpenView("shuffled"));
  const size_t third = backwards.size() / 3;
  ASSERT_OK(shuffled->Handle({backwards.begin(), backwards.begin() + third}));
  ASSERT_OK(shuffled->Handle(
      {backwards.begin() + third, backwards.begin() + 2 * third}));
  ASSERT_OK(shuffled->Handle({backwards.begin() + 2 * third, backwards.end()}));
  ASSERT_OK(shuffled->Handle(in_order));
  EXPECT_THAT(shuffled->ParkedCount(), ::pmo::testing::IsOkAndHolds(0));

  const absl::CivilDay day(2027, 5, 1);
  const Answers expected = Ask(*ordered, std::nullopt, day);
  EXPECT_EQ(expected.register_entries, 2u);
  EXPECT_NEAR(expected.bob_first_week, 44, 1e-9);
  EXPECT_EQ(Ask(*shuffled, std::nullopt, day), expected);
  EXPECT_THAT(shuffled->Digest(),
              ::pmo::testing::IsOkAndHolds(*ordered->Digest()));

  // As of 31 March, from the journal: the threat still open, both views alike.
  const Answers then =
      Ask(*shuffled, absl::CivilDay(2027, 3, 31), absl::CivilDay(2027, 3, 31));
  EXPECT_EQ(then.register_entries, 3u);
  EXPECT_EQ(then.erp_exposure, 5'000);
  EXPECT_EQ(
      Ask(*ordered, absl::CivilDay(2027, 3, 31), absl::CivilDay(2027, 3, 31)),
      then);
  // The same answer as a consolidation of the history up to that day.
  Consolidation by_hand;
  for (const history::Sourced& s : h.events()) {
    if (s.event.occurred_at <
        absl::FromCivil(absl::CivilDay(2027, 4, 1), absl::UTCTimeZone())) {
      by_hand.Apply(s.event);
    }
  }
  EXPECT_EQ(then.digest, by_hand.Digest());
}

TEST_P(ViewsOnTheJournalTest, ARebuildSwitchesToAFreshViewWithTheSameDigest) {
  const std::vector<subscription::Delivery> all =
      Deliveries(Enterprise().events());
  ASSERT_OK_AND_ASSIGN(auto view, OpenView("view"));
  EXPECT_EQ(view->Rebuild().phase, PortfolioView::RebuildState::Phase::kIdle);
  ASSERT_OK(view->Handle({all.begin(), all.begin() + all.size() / 2}));
  ASSERT_OK_AND_ASSIGN(std::string half, view->Digest());
  ASSERT_OK(view->StartRebuild());
  // Batches keep coming while it runs: whether a batch lands before the
  // switch (folded by the rebuild) or after (applied to the switched-in
  // view), the end is the same.
  ASSERT_OK(view->Handle({all.begin() + all.size() / 2, all.end()}));
  view->WaitForRebuild();
  const PortfolioView::RebuildState done = view->Rebuild();
  ASSERT_EQ(done.phase, PortfolioView::RebuildState::Phase::kSwitched)
      << done.error;
  EXPECT_GE(done.events_folded, static_cast<int64_t>(all.size() / 2));
  EXPECT_LE(done.events_folded, static_cast<int64_t>(all.size()));
  EXPECT_EQ(done.rebuilt_digest, done.live_digest);
  EXPECT_FALSE(done.rebuilt_digest.empty());

  ASSERT_OK_AND_ASSIGN(auto reference, OpenView("reference"));
  ASSERT_OK(reference->Handle(all));
  ASSERT_OK_AND_ASSIGN(std::string rebuilt, view->Digest());
  EXPECT_THAT(reference->Digest(), ::pmo::testing::IsOkAndHolds(rebuilt));
  EXPECT_NE(rebuilt, half);
  // A second rebuild may start once the first is done.
  ASSERT_OK(view->StartRebuild());
  view->WaitForRebuild();
  EXPECT_EQ(view->Rebuild().phase,
            PortfolioView::RebuildState::Phase::kSwitched);
}

TEST_P(ViewsOnTheJournalTest, TheApplyLagIsMeasuredPerBatch) {
  ASSERT_OK_AND_ASSIGN(auto view, OpenView("view"));
  EXPECT_EQ(view->ApplyLag(), absl::ZeroDuration());
  // The history's events were recorded in 2027, the newest on 15 April at
  // 09:00: applied now, the lag is now minus that moment (negative here;
  // the oldest event would give a lag above -1 year + 4 months).
  const absl::Time before = absl::Now();
  ASSERT_OK(view->Handle(Deliveries(Enterprise().events())));
  const absl::Time newest = absl::FromCivil(
      absl::CivilSecond(2027, 4, 15, 9, 0, 0), absl::UTCTimeZone());
  EXPECT_GE(view->ApplyLag(), before - newest);
  EXPECT_LE(view->ApplyLag(), absl::Now() - newest);
}

PMO_INSTANTIATE_VIEW_SUITE(ViewsOnTheJournalTest);

}  // namespace
}  // namespace pmo::projection
