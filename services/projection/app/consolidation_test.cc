// The consolidated view against a hand-built history of three contexts
// (hand_built_history.h):
//
// Project ERP (programme DIGITAL, portfolio CORP), 2027, money in minor units:
//   budget 100,000: planned 30,000 by 31 Mar and 70,000 by 30 Jun
//   costs 20,000 on 15 Mar, 15,000 on 10 Apr
//   progress 25 % measured 31 Mar
//   -> as of 31 Mar: PV 30,000, EV 25,000, AC 20,000, SPI 0.8333 (RED below
//      0.85), CPI 1.25
//   threat EV 5,000 with its review due 20 Mar (overdue on 31 Mar);
//   opportunity EV 700; one open issue;
//   Alice booked on ERP, over-allocated on 2 Apr (coming on 31 Mar, past
//   on 5 Apr).
// Project CRM in the same programme: budget 50,000 planned 10,000 by 31 Mar,
//   cost 10,000 on 20 Mar, progress 20 % (EV 10,000): SPI 1, CPI 1.
//   Programme roll-up on 31 Mar: PV 40,000, EV 35,000, AC 30,000 ->
//   SPI 0.875 (AMBER), CPI 1.1667.

#include "services/projection/app/consolidation.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/testing/status_matchers.h"
#include "libs/base/testing/temp_dir.h"
#include "libs/dates/calendar_dates.h"
#include "libs/eventsourcing/event_codec.h"
#include "pmo/configuration/v1/events.pb.h"
#include "pmo/projects/v1/events.pb.h"
#include "pmo/resources/v1/events.pb.h"
#include "pmo/risks/v1/events.pb.h"
#include "services/projection/app/hand_built_history.h"
#include "services/projection/app/portfolio_view.h"
#include "services/projection/app/testing/view_engine.h"

namespace pmo::projection {
namespace {

namespace pv1 = ::pmo::projects::v1;
namespace kv1 = ::pmo::risks::v1;
namespace rv1 = ::pmo::resources::v1;
using history::D;
using history::Deliveries;
using history::History;
using history::Portfolio;
using history::Sourced;

const ProjectOverview& Line(const Overview& o, const std::string& code) {
  for (const ProjectOverview& p : o.projects) {
    if (p.code == code) return p;
  }
  ADD_FAILURE() << "no line for " << code;
  static const ProjectOverview none;
  return none;
}

TEST(ConsolidationTest, AnswersTheHandWorkedPortfolio) {
  const History history = Portfolio();
  Consolidation c;
  for (const Sourced& s : history.events()) c.Apply(s.event);
  const Overview o = c.Compute(absl::CivilDay(2027, 3, 31));
  const ProjectOverview& erp = Line(o, "ERP");
  EXPECT_EQ(erp.programme_code, "DIGITAL");
  EXPECT_EQ(erp.portfolio_code, "CORP");
  EXPECT_EQ(erp.earned_value.pv, 30'000);
  EXPECT_EQ(erp.earned_value.ev, 25'000);
  EXPECT_EQ(erp.earned_value.ac, 20'000);  // the April cost is not counted yet
  EXPECT_NEAR(*erp.earned_value.spi, 25.0 / 30.0, 1e-12);
  EXPECT_NEAR(*erp.earned_value.cpi, 1.25, 1e-12);
  EXPECT_EQ(erp.health, earnedvalue::Health::kRed);
  EXPECT_EQ(erp.next_milestone, "Go-live");
  EXPECT_EQ(erp.open_risks, 2);
  EXPECT_EQ(erp.overdue_risks, 1);
  EXPECT_EQ(erp.risk_exposure_minor, 5'000);
  EXPECT_EQ(erp.opportunity_value_minor, 700);
  EXPECT_EQ(erp.open_issues, 1);
  EXPECT_EQ(erp.bookings, 1);
  EXPECT_EQ(erp.resources_booked, 1);
  EXPECT_EQ(erp.over_allocated_resources, 1);
  ASSERT_EQ(o.programmes.size(), 1u);
  EXPECT_EQ(o.programmes[0].projects, 2);
  EXPECT_EQ(o.programmes[0].earned_value.pv, 40'000);
  EXPECT_NEAR(*o.programmes[0].earned_value.spi, 35.0 / 40.0, 1e-12);
  EXPECT_EQ(o.programmes[0].health, earnedvalue::Health::kAmber);
  ASSERT_EQ(o.portfolios.size(), 1u);
  EXPECT_EQ(o.portfolios[0].code, "CORP");
  EXPECT_EQ(o.portfolios[0].risk_exposure_minor, 5'000);

  // Five days later the over-allocated day has passed.
  EXPECT_EQ(Line(c.Compute(absl::CivilDay(2027, 4, 5)), "ERP")
                .over_allocated_resources,
            0);
}

// ERP: one change request open, an audit with an open major finding ->
// NON_COMPLIANT. CRM: a rejected change request, a completed audit whose
// minor finding was closed -> COMPLIANT.
TEST(ConsolidationTest,
     ChangeRequestsAndComplianceComeFromTheConfigurationEvents) {
  namespace cv1 = ::pmo::configuration::v1;
  History h = Portfolio();
  const absl::CivilDay day(2027, 3, 10);
  for (auto [id, project] :
       {std::tuple{"cr-1", "erp"}, std::tuple{"cr-2", "crm"}}) {
    cv1::ChangeRequestSubmitted submitted;
    submitted.set_project_id(project);
    h.Add("configuration", "change_request", id, day, submitted);
  }
  cv1::ChangeRequestDecided rejected;
  rejected.set_decision(cv1::BOARD_DECISION_REJECT);
  h.Add("configuration", "change_request", "cr-2", day, rejected);
  for (auto [id, project, severity] :
       {std::tuple{"audit-1", "erp", cv1::FINDING_SEVERITY_MAJOR},
        std::tuple{"audit-2", "crm", cv1::FINDING_SEVERITY_MINOR}}) {
    cv1::AuditPlanned planned;
    planned.set_project_id(project);
    h.Add("configuration", "audit", id, day, planned);
    cv1::AuditFindingRecorded finding;
    finding.set_finding_id("F1");
    finding.set_severity(severity);
    h.Add("configuration", "audit", id, day, finding);
  }
  cv1::AuditFindingClosed closed;
  closed.set_finding_id("F1");
  h.Add("configuration", "audit", "audit-2", day, closed);
  cv1::AuditCompleted completed;
  h.Add("configuration", "audit", "audit-2", day, completed);

  Consolidation c;
  for (const Sourced& s : h.events()) c.Apply(s.event);
  const Overview o = c.Compute(absl::CivilDay(2027, 3, 31));
  EXPECT_EQ(Line(o, "ERP").open_change_requests, 1);
  EXPECT_EQ(Line(o, "ERP").open_findings, 1);
  EXPECT_EQ(Line(o, "ERP").compliance, Compliance::kNonCompliant);
  EXPECT_EQ(Line(o, "CRM").open_change_requests, 0);
  EXPECT_EQ(Line(o, "CRM").open_findings, 0);
  EXPECT_EQ(Line(o, "CRM").compliance, Compliance::kCompliant);
}

TEST(ConsolidationTest, TheTopicsInterleavingDoesNotChangeTheAnswer) {
  const History history = Portfolio();
  const std::vector<Sourced>& events = history.events();
  Consolidation in_order, by_context;
  for (const Sourced& s : events) in_order.Apply(s.event);
  // Every resources event first, then risks, then projects: each stream
  // still in its own order, the contexts in the opposite order.
  for (const char* topic : {"pmo.resources.events.v1", "pmo.risks.events.v1",
                            "pmo.projects.events.v1"}) {
    for (const Sourced& s : events) {
      if (s.source == topic) by_context.Apply(s.event);
    }
  }
  EXPECT_EQ(in_order.Digest(), by_context.Digest());
  EXPECT_EQ(Line(by_context.Compute(absl::CivilDay(2027, 3, 31)), "ERP")
                .risk_exposure_minor,
            5'000);
}

// The same, kept by a view: its journal, on every engine.
class ViewJournalTest : public testing::ViewEngineTest {};

TEST_P(ViewJournalTest, TheViewAnswersAsOfAPastDayFromItsJournal) {
  ASSERT_OK_AND_ASSIGN(auto view, OpenView("view"));
  History h = Portfolio();
  kv1::RiskStatusChanged closed;
  closed.set_status(kv1::RISK_STATUS_CLOSED);
  h.Add("risks", "risk", "r-threat", absl::CivilDay(2027, 4, 15), closed);
  const std::vector<subscription::Delivery> all = Deliveries(h.events());
  ASSERT_OK(view->Handle(all));
  ASSERT_OK(view->Handle(all));  // redelivered: every event a duplicate
  EXPECT_THAT(view->JournalSize(),
              ::pmo::testing::IsOkAndHolds(static_cast<int64_t>(all.size())));

  // Today (live): the threat is closed and April's cost counted.
  ASSERT_OK_AND_ASSIGN(
      Overview now, view->ComputeOverview(absl::CivilDay(2027, 5, 1), false));
  EXPECT_EQ(Line(now, "ERP").risk_exposure_minor, 0);
  EXPECT_EQ(Line(now, "ERP").earned_value.ac, 35'000);
  // As of 31 March: the history up to then, the same answer as on that day.
  ASSERT_OK_AND_ASSIGN(
      Overview then, view->ComputeOverview(absl::CivilDay(2027, 3, 31), true));
  EXPECT_EQ(Line(then, "ERP").risk_exposure_minor, 5'000);
  EXPECT_EQ(Line(then, "ERP").earned_value.ac, 20'000);
  Consolidation on_the_day;
  for (const Sourced& s : h.events()) {
    if (s.event.occurred_at <
        absl::FromCivil(absl::CivilDay(2027, 4, 1), absl::UTCTimeZone())) {
      on_the_day.Apply(s.event);
    }
  }
  const ProjectOverview& expected =
      Line(on_the_day.Compute(absl::CivilDay(2027, 3, 31)), "ERP");
  EXPECT_EQ(Line(then, "ERP").earned_value, expected.earned_value);
  EXPECT_EQ(Line(then, "ERP").open_risks, expected.open_risks);
  // Before the project existed there is nothing to show.
  ASSERT_OK_AND_ASSIGN(
      Overview before,
      view->ComputeOverview(absl::CivilDay(2026, 12, 31), true));
  EXPECT_TRUE(before.projects.empty());

  // Reopened, the live view is rebuilt from the journal: same digest.
  ASSERT_OK_AND_ASSIGN(std::string digest, view->Digest());
  view.reset();
  ASSERT_OK_AND_ASSIGN(auto reopened, OpenView("view"));
  EXPECT_THAT(reopened->Digest(), ::pmo::testing::IsOkAndHolds(digest));
}

TEST_P(ViewJournalTest, StreamsOfTwoContextsWithOneIdDoNotCollide) {
  // A portfolio and its risk matrix share the portfolio's id.
  ASSERT_OK_AND_ASSIGN(auto view, OpenView("view"));
  History h;
  pv1::PortfolioCreated corp;
  corp.set_code("CORP");
  h.Add("projects", "portfolio", "same-id", absl::CivilDay(2027, 1, 1), corp);
  kv1::RiskMatrixConfigured matrix;
  h.Add("risks", "risk_matrix", "same-id", absl::CivilDay(2027, 1, 1), matrix);
  h.Add("risks", "risk_matrix", "same-id", absl::CivilDay(2027, 1, 2), matrix);
  ASSERT_OK(view->Handle(Deliveries(h.events())));
  EXPECT_THAT(view->JournalSize(), ::pmo::testing::IsOkAndHolds(3));
  EXPECT_THAT(view->ParkedCount(), ::pmo::testing::IsOkAndHolds(0));
}

PMO_INSTANTIATE_VIEW_SUITE(ViewJournalTest);

// History from before the projects service bounded amounts: two costs of
// 2^53 minor units. The line shows no earned value, and the log says so
// when the event arrives instead of dropping it silently.
TEST(ConsolidationTest,
     SaysSoWhenAProjectsCostsAreBeyondWhatEarnedValueTotals) {
  history::History h;
  pv1::ProjectCreated created;
  created.set_project_id("big");
  created.set_code("BIG");
  h.Add("projects", "project", "big", absl::CivilDay(2027, 1, 1), created);
  pv1::BudgetSet budget;
  budget.set_project_id("big");
  budget.mutable_budget()->set_currency("EUR");
  budget.mutable_budget()->set_budget_at_completion_minor(1000);
  pv1::PlannedAmount* planned = budget.mutable_budget()->add_planned_values();
  *planned->mutable_date() = D(2027, 1, 31);
  planned->set_amount_minor(1000);
  h.Add("projects", "project", "big", absl::CivilDay(2027, 1, 1), budget);
  pv1::ActualCostRecorded cost;
  cost.set_project_id("big");
  *cost.mutable_cost_date() = D(2027, 1, 5);
  cost.set_amount_minor(int64_t{1} << 53);
  h.Add("projects", "project", "big", absl::CivilDay(2027, 1, 5), cost);
  h.Add("projects", "project", "big", absl::CivilDay(2027, 1, 5), cost);

  Consolidation c;
  ::testing::internal::CaptureStderr();
  for (const Sourced& s : h.events()) c.Apply(s.event);
  const std::string log = ::testing::internal::GetCapturedStderr();
  EXPECT_THAT(log, ::testing::HasSubstr("earned_value_left_out"));
  EXPECT_THAT(log, ::testing::HasSubstr("project_id=big"));
  EXPECT_THAT(log, ::testing::HasSubstr("stream_version=4"));
  EXPECT_THAT(log, ::testing::Not(::testing::HasSubstr("stream_version=3")));
  const Overview o = c.Compute(absl::CivilDay(2027, 3, 31));
  EXPECT_EQ(Line(o, "BIG").earned_value.ac, 0);
}

}  // namespace
}  // namespace pmo::projection
