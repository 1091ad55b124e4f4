#include "services/projects/app/project_handlers.h"

#include <thread>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/testing/status_matchers.h"
#include "libs/base/testing/temp_dir.h"
#include "libs/eventstore/sqlite_event_store.h"

namespace pmo::projects {
namespace {

using ::pmo::testing::StatusIs;
using ::pmo::testing::ViolatesRule;

class ProjectHandlersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = eventstore::SqliteEventStore::Open(dir_.File("projects.db"));
    ASSERT_TRUE(store.ok());
    store_ = *std::move(store);
    handlers_ = std::make_unique<ProjectHandlers>(*store_);
  }
  static ProjectCharter Charter(std::string code) {
    return {std::move(code), "Project", "alice", absl::CivilDay(2027, 1, 1),
            absl::CivilDay(2027, 6, 30)};
  }
  static eventsourcing::CommandContext Ctx(
      std::string request_id, std::optional<int64_t> expected = {}) {
    eventsourcing::CommandContext c;
    c.request_id = std::move(request_id);
    c.expected_version = expected;
    c.metadata.actor = "alice";
    return c;
  }
  pmo::testing::TempDir dir_;
  std::unique_ptr<eventstore::SqliteEventStore> store_;
  std::unique_ptr<ProjectHandlers> handlers_;
};

TEST_F(ProjectHandlersTest, RetriedCreateReturnsTheFirstProject) {
  ASSERT_OK_AND_ASSIGN(auto first,
                       handlers_->CreateProject(Charter("A1"), Ctx("r1")));
  ASSERT_OK_AND_ASSIGN(auto retry,
                       handlers_->CreateProject(Charter("A1"), Ctx("r1")));
  EXPECT_EQ(retry.state.id(), first.state.id());
  EXPECT_EQ(retry.version, 1);
  EXPECT_EQ(store_->HeadPosition(), 1);
}

TEST_F(ProjectHandlersTest, ARequestIdReusedForAnotherProjectIsRefused) {
  ASSERT_OK_AND_ASSIGN(auto a,
                       handlers_->CreateProject(Charter("A1"), Ctx("r1")));
  ASSERT_OK_AND_ASSIGN(auto b,
                       handlers_->CreateProject(Charter("B1"), Ctx("r2")));
  ASSERT_OK(handlers_
                ->ChangeProjectStatus(a.state.id(), v1::PROJECT_STATUS_APPROVED,
                                      "ok", Ctx("same"))
                .status());
  EXPECT_THAT(handlers_->ChangeProjectStatus(
                  b.state.id(), v1::PROJECT_STATUS_APPROVED, "ok", Ctx("same")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       ::testing::HasSubstr("request_id")));
  ASSERT_OK_AND_ASSIGN(auto b_now, handlers_->GetProject(b.state.id()));
  EXPECT_EQ(b_now.state.state().status(), v1::PROJECT_STATUS_PROPOSED);
}

TEST_F(ProjectHandlersTest, DuplicateCodeIsAlreadyExists) {
  ASSERT_OK(handlers_->CreateProject(Charter("A1"), Ctx("r1")).status());
  EXPECT_THAT(handlers_->CreateProject(Charter("A1"), Ctx("r2")),
              StatusIs(absl::StatusCode::kAlreadyExists));
}

TEST_F(ProjectHandlersTest, ExpectedVersionMismatchIsAborted) {
  ASSERT_OK_AND_ASSIGN(auto p,
                       handlers_->CreateProject(Charter("A1"), Ctx("r1")));
  ASSERT_OK(handlers_
                ->ChangeProjectStatus(p.state.id(), v1::PROJECT_STATUS_APPROVED,
                                      "ok", Ctx("r2", 1))
                .status());
  auto stale = handlers_->ChangeProjectStatus(
      p.state.id(), v1::PROJECT_STATUS_CANCELLED, "no", Ctx("r3", 1));
  EXPECT_THAT(stale, StatusIs(absl::StatusCode::kAborted));
  EXPECT_EQ(eventstore::CurrentVersionOf(stale.status()), 2);
  // A retry of r2 answers with r2's result, not today's state.
  ASSERT_OK_AND_ASSIGN(
      auto replay,
      handlers_->ChangeProjectStatus(p.state.id(), v1::PROJECT_STATUS_APPROVED,
                                     "ok", Ctx("r2", 1)));
  EXPECT_EQ(replay.version, 2);
}

TEST_F(ProjectHandlersTest, ConcurrentChangesWithoutExpectedVersionAllLand) {
  ASSERT_OK_AND_ASSIGN(auto p,
                       handlers_->CreateProject(Charter("A1"), Ctx("r1")));
  ASSERT_OK(handlers_
                ->ChangeProjectStatus(p.state.id(), v1::PROJECT_STATUS_APPROVED,
                                      "ok", Ctx("r2"))
                .status());
  ASSERT_OK(handlers_
                ->ChangeProjectStatus(p.state.id(), v1::PROJECT_STATUS_ACTIVE,
                                      "go", Ctx("r3"))
                .status());
  std::vector<std::thread> threads;
  threads.reserve(4);
  std::atomic<int> ok{0};
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      // ACTIVE <-> ON_HOLD toggles: each decides on what it loaded.
      auto s = handlers_->GetProject(p.state.id());
      auto to = s->state.state().status() == v1::PROJECT_STATUS_ACTIVE
                    ? v1::PROJECT_STATUS_ON_HOLD
                    : v1::PROJECT_STATUS_ACTIVE;
      if (handlers_
              ->ChangeProjectStatus(p.state.id(), to, "toggle",
                                    Ctx("t" + std::to_string(i)))
              .ok()) {
        ok.fetch_add(1);
      }
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_OK_AND_ASSIGN(auto now, handlers_->GetProject(p.state.id()));
  EXPECT_EQ(now.version, 3 + ok.load());
}

TEST_F(ProjectHandlersTest, ListPagesInCreationOrder) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_OK(handlers_
                  ->CreateProject(Charter("P" + std::to_string(i)),
                                  Ctx("c" + std::to_string(i)))
                  .status());
  }
  ASSERT_OK_AND_ASSIGN(auto page1, handlers_->ListProjects(2, ""));
  ASSERT_EQ(page1.projects.size(), 2u);
  EXPECT_EQ(page1.projects[0].state.state().code(), "P0");
  ASSERT_FALSE(page1.next_page_token.empty());
  ASSERT_OK_AND_ASSIGN(auto page2,
                       handlers_->ListProjects(2, page1.next_page_token));
  EXPECT_EQ(page2.projects[0].state.state().code(), "P2");
  ASSERT_OK_AND_ASSIGN(auto page3,
                       handlers_->ListProjects(2, page2.next_page_token));
  EXPECT_EQ(page3.projects.size(), 1u);
  EXPECT_TRUE(page3.next_page_token.empty());
  EXPECT_THAT(handlers_->ListProjects(2, "garbage"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(handlers_->ListProjects(5000, ""),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace pmo::projects

namespace pmo::projects {
namespace {

class ScheduleHandlersTest : public ProjectHandlersTest {
 protected:
  std::string NewProject(const std::string& code) {
    auto p = handlers_->CreateProject(Charter(code), Ctx("create-" + code));
    EXPECT_TRUE(p.ok()) << p.status();
    return p->state.id();
  }
  std::string Task(const std::string& project, const std::string& name,
                   int days) {
    auto added =
        handlers_->AddTask(project, {name, days, days == 0, std::nullopt},
                           Ctx("task-" + project + name));
    EXPECT_TRUE(added.ok()) << added.status();
    return added->second;
  }
  absl::Status Link(const std::string& pred_project, const std::string& pred,
                    const std::string& succ_project, const std::string& succ) {
    DependencyLink link{
        {pred_project, pred}, succ, v1::DEPENDENCY_TYPE_FINISH_TO_START, 0};
    return handlers_
        ->AddDependency(succ_project, link, Ctx("dep-" + pred + succ))
        .status();
  }
};

TEST_F(ScheduleHandlersTest, TasksProgressAndDependenciesAreRecorded) {
  const std::string p = NewProject("SCH");
  const std::string design = Task(p, "Design", 10);
  const std::string build = Task(p, "Build", 20);
  ASSERT_OK(Link(p, design, p, build));
  ASSERT_OK(handlers_
                ->RecordTaskProgress(p, design,
                                     {100, absl::CivilDay(2027, 1, 4),
                                      absl::CivilDay(2027, 1, 15)},
                                     Ctx("progress-1"))
                .status());
  ASSERT_OK_AND_ASSIGN(auto project, handlers_->GetProject(p));
  ASSERT_EQ(project.state.state().tasks_size(), 2);
  EXPECT_EQ(project.state.state().tasks(0).percent_complete(), 100);
  ASSERT_EQ(project.state.state().dependencies_size(), 1);
  EXPECT_EQ(project.state.state().dependencies(0).successor_task_id(), build);
  EXPECT_EQ(project.version, 5);
  // The same link again, by a new request: refused.
  DependencyLink again{
      {p, design}, build, v1::DEPENDENCY_TYPE_FINISH_TO_START, 0};
  EXPECT_THAT(handlers_->AddDependency(p, again, Ctx("dep-again")),
              StatusIs(absl::StatusCode::kAlreadyExists));
}

TEST_F(ScheduleHandlersTest, ACycleAcrossProjectsIsRefusedAndNamed) {
  const std::string erp = NewProject("ERP");
  const std::string crm = NewProject("CRM");
  const std::string erp_golive = Task(erp, "Go-live", 0);
  const std::string crm_build = Task(crm, "Build", 15);
  const std::string erp_test = Task(erp, "Test", 5);
  // ERP:Go-live -> CRM:Build -> ERP:Test
  ASSERT_OK(Link(erp, erp_golive, crm, crm_build));
  ASSERT_OK(Link(crm, crm_build, erp, erp_test));
  // ERP:Test -> ERP:Go-live would close the loop.
  absl::Status cycle = Link(erp, erp_test, erp, erp_golive);
  EXPECT_THAT(
      cycle,
      StatusIs(absl::StatusCode::kFailedPrecondition,
               ::testing::HasSubstr(
                   "ERP:Go-live -> CRM:Build -> ERP:Test -> ERP:Go-live")));
  ASSERT_OK_AND_ASSIGN(auto project, handlers_->GetProject(erp));
  EXPECT_EQ(project.state.state().dependencies_size(), 1);  // nothing appended
}

TEST_F(ScheduleHandlersTest, BadScheduleInputNamesTheFieldOrRule) {
  const std::string p = NewProject("BAD");
  const std::string t = Task(p, "Work", 3);
  EXPECT_THAT(
      handlers_->AddTask(p, {"", -1, false, std::nullopt}, Ctx("bad-task")),
      StatusIs(absl::StatusCode::kInvalidArgument,
               ::testing::HasSubstr("duration_days")));
  EXPECT_THAT(
      handlers_->AddTask(p, {"Gate", 3, true, std::nullopt}, Ctx("bad-ms")),
      StatusIs(absl::StatusCode::kInvalidArgument,
               ::testing::HasSubstr("must be 0 for a milestone")));
  EXPECT_THAT(Link(p, t, p, t),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       ::testing::HasSubstr("cannot depend on itself")));
  EXPECT_THAT(Link(p, "no-such-task", p, t),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(Link("00000000-0000-4000-8000-000000000000", "x", p, t),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(handlers_->RecordTaskProgress(
                  p, t, {120, std::nullopt, std::nullopt}, Ctx("bad-progress")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       ::testing::HasSubstr("percent_complete")));
  EXPECT_THAT(
      handlers_->RecordTaskProgress(
          p, t, {100, absl::CivilDay(2027, 2, 1), absl::CivilDay(2027, 1, 1)},
          Ctx("bad-dates")),
      StatusIs(absl::StatusCode::kInvalidArgument,
               ::testing::HasSubstr("actual_finish")));
  // A cancelled project's schedule is frozen.
  ASSERT_OK(handlers_
                ->ChangeProjectStatus(p, v1::PROJECT_STATUS_CANCELLED,
                                      "stopped", Ctx("cancel"))
                .status());
  EXPECT_THAT(
      handlers_->AddTask(p, {"Late", 1, false, std::nullopt}, Ctx("late")),
      StatusIs(absl::StatusCode::kFailedPrecondition,
               ::testing::HasSubstr("cannot change")));
}

TEST_F(ScheduleHandlersTest, RetriedAddTaskReturnsTheSameTask) {
  const std::string p = NewProject("RETRY");
  ASSERT_OK_AND_ASSIGN(
      auto first,
      handlers_->AddTask(p, {"A", 1, false, std::nullopt}, Ctx("add-a")));
  ASSERT_OK(handlers_->AddTask(p, {"B", 1, false, std::nullopt}, Ctx("add-b"))
                .status());
  ASSERT_OK_AND_ASSIGN(
      auto retry,
      handlers_->AddTask(p, {"A", 1, false, std::nullopt}, Ctx("add-a")));
  EXPECT_EQ(retry.second, first.second);
  EXPECT_EQ(retry.first.version, 2);
}

}  // namespace
}  // namespace pmo::projects

namespace pmo::projects {
namespace {

// A network worked by hand (forward and backward pass, calendar days from
// the planned start, 2027-01-01):
//   A 3d; B 2d after A; C 4d after A; M milestone after B and C (all FS).
//   ES/EF: A 0/3, B 3/5, C 3/7, M 7/7; finish 7.
//   LS/LF: A 0/3, B 5/7, C 3/7, M 7/7.
//   Total float: A 0, B 2, C 0, M 0; free float of B: 7 - 5 = 2.
//   Critical path A -> C -> M; the last day of work is day 6 (C ends), and
//   M, reached when C is done, is dated that day too.
TEST_F(ScheduleHandlersTest, CriticalPathOfAHandWorkedNetwork) {
  const std::string p = NewProject("CPM");
  const std::string a = Task(p, "A", 3);
  const std::string b = Task(p, "B", 2);
  const std::string c = Task(p, "C", 4);
  const std::string m = Task(p, "M", 0);
  ASSERT_OK(Link(p, a, p, b));
  ASSERT_OK(Link(p, a, p, c));
  ASSERT_OK(Link(p, b, p, m));
  ASSERT_OK(Link(p, c, p, m));
  ASSERT_OK_AND_ASSIGN(ProjectSchedule s, handlers_->GetProjectSchedule(p));
  ASSERT_EQ(s.tasks.size(), 4u);
  const absl::CivilDay start(2027, 1, 1);  // Charter() starts 2027-01-01
  EXPECT_EQ(s.tasks[0].early_start, start);
  EXPECT_EQ(s.tasks[0].early_finish, start + 2);  // days 0..2
  EXPECT_EQ(s.tasks[1].early_start, start + 3);
  EXPECT_EQ(s.tasks[1].late_start, start + 5);
  EXPECT_EQ(s.tasks[1].total_float_days, 2);
  EXPECT_EQ(s.tasks[1].free_float_days, 2);
  EXPECT_FALSE(s.tasks[1].critical);
  EXPECT_TRUE(s.tasks[2].critical);
  EXPECT_EQ(s.tasks[3].early_start, start + 6);  // reached when C is done
  EXPECT_EQ(s.tasks[3].early_finish, start + 6);
  EXPECT_EQ(s.finish, start + 6);
  EXPECT_THAT(s.critical_path, ::testing::ElementsAre(a, c, m));
}

TEST_F(ScheduleHandlersTest, AnotherProjectsMilestoneHoldsATaskBack) {
  const std::string supplier = NewProject("SUPPLY");
  const std::string delivery = Task(supplier, "Delivery", 10);
  const std::string delivered = Task(supplier, "Delivered", 0);
  ASSERT_OK(Link(supplier, delivery, supplier, delivered));
  const std::string p = NewProject("INSTALL");
  const std::string install = Task(p, "Install", 4);
  ASSERT_OK(Link(supplier, delivered, p, install));
  ASSERT_OK_AND_ASSIGN(ProjectSchedule s, handlers_->GetProjectSchedule(p));
  ASSERT_EQ(s.tasks.size(), 1u);  // the other project's milestone is not listed
  const absl::CivilDay start(2027, 1, 1);
  EXPECT_EQ(s.tasks[0].early_start, start + 10);
  EXPECT_EQ(s.finish, start + 13);
}

}  // namespace
}  // namespace pmo::projects

namespace pmo::projects {
namespace {

// Earned value as of a date, with a ManualClock deciding when each record
// was recorded. Figures worked by hand (PMBOK Guide formulas; amounts in
// whole currency units here, cents in the store):
//   BAC 100,000, planned 25,000 at the end of each month January..April.
//   By 28 Feb: PV 50,000; 40 % done -> EV 40,000; AC 30,000 (an invoice
//   dated 25 Feb but recorded on 5 Mar is not yet known).
//     SV -10,000, CV +10,000, SPI 0.8 (< 0.85: RED), CPI 1.333.
//   By 10 Mar: AC 45,000; CPI 40/45 = 0.8889.
//     EAC = BAC/CPI = 112,500;  AC + (BAC - EV) = 105,000;
//     AC + (BAC - EV)/(CPI x SPI) = 45,000 + 60,000/0.7111 = 129,375.
//     ETC 67,500 / 60,000 / 84,375;  VAC -12,500 / -5,000 / -29,375.
//     TCPI = (BAC - EV)/(BAC - AC) = 60,000/55,000 = 1.0909.
class EarnedValueHandlersTest : public ProjectHandlersTest {
 protected:
  static absl::Time At(int month, int day) {
    return absl::FromCivil(absl::CivilSecond(2027, month, day, 12, 0, 0),
                           absl::UTCTimeZone());
  }
  static constexpr int64_t kUnit = 100;  // cents
};

TEST_F(EarnedValueHandlersTest, MeasuresAsOfADateUseOnlyWhatWasKnownThen) {
  ManualClock clock(At(1, 2));
  ProjectHandlers handlers(*store_, clock);
  ASSERT_OK_AND_ASSIGN(auto p,
                       handlers.CreateProject(Charter("EV"), Ctx("ev-create")));
  const std::string id = p.state.id();
  ProjectBudget budget{"EUR", 100000 * kUnit, {}, {}};
  for (int month = 1; month <= 4; ++month) {
    budget.planned_values.push_back(
        {absl::CivilDay(absl::CivilMonth(2027, month + 1)) - 1, 25000 * kUnit});
  }
  ASSERT_OK(handlers.SetBudget(id, budget, Ctx("ev-budget")).status());
  clock.Set(At(2, 20));
  ASSERT_OK(
      handlers
          .RecordActualCost(
              id,
              {absl::CivilDay(2027, 2, 15), 30000 * kUnit, "labour", "", {}},
              Ctx("ev-cost-1"))
          .status());
  ASSERT_OK(handlers
                .ReportProgress(id, {absl::CivilDay(2027, 2, 20), 40, {}},
                                Ctx("ev-progress"))
                .status());
  clock.Set(At(2, 27));
  ASSERT_OK(handlers
                .SubmitStatusReport(id,
                                    {absl::CivilDay(2027, 2, 27),
                                     v1::HEALTH_AMBER,
                                     "vendor is slow",
                                     {}},
                                    Ctx("ev-report"))
                .status());
  clock.Set(At(3, 5));
  ASSERT_OK(handlers
                .RecordActualCost(id,
                                  {absl::CivilDay(2027, 2, 25),
                                   15000 * kUnit,
                                   "licences",
                                   "late invoice",
                                   {}},
                                  Ctx("ev-cost-2"))
                .status());

  ASSERT_OK_AND_ASSIGN(
      EarnedValueReport feb,
      handlers.GetEarnedValue(id, absl::CivilDay(2027, 2, 28), {}));
  EXPECT_EQ(feb.currency, "EUR");
  EXPECT_EQ(feb.measures.pv, 50000 * kUnit);
  EXPECT_EQ(feb.measures.ev, 40000 * kUnit);
  EXPECT_EQ(feb.measures.ac,
            30000 * kUnit);  // the late invoice is not known yet
  EXPECT_EQ(feb.measures.sv, -10000 * kUnit);
  EXPECT_EQ(feb.measures.cv, 10000 * kUnit);
  EXPECT_DOUBLE_EQ(*feb.measures.spi, 0.8);
  EXPECT_NEAR(*feb.measures.cpi, 4.0 / 3.0, 1e-12);
  EXPECT_EQ(feb.computed_health, earnedvalue::Health::kRed);
  ASSERT_TRUE(feb.reported.has_value());
  EXPECT_EQ(feb.reported->health, v1::HEALTH_AMBER);

  ASSERT_OK_AND_ASSIGN(
      EarnedValueReport mar,
      handlers.GetEarnedValue(id, absl::CivilDay(2027, 3, 10), {}));
  EXPECT_EQ(mar.measures.ac, 45000 * kUnit);
  EXPECT_EQ(mar.measures.forecast_cpi->eac, 112500 * kUnit);
  EXPECT_EQ(mar.measures.forecast_atypical.eac, 105000 * kUnit);
  EXPECT_EQ(mar.measures.forecast_composite->eac, 129375 * kUnit);
  EXPECT_EQ(mar.measures.forecast_cpi->etc, 67500 * kUnit);
  EXPECT_EQ(mar.measures.forecast_composite->vac, -29375 * kUnit);
  EXPECT_NEAR(*mar.measures.tcpi_bac, 60000.0 / 55000.0, 1e-12);

  // Asked again later, 28 February still answers the same.
  clock.Set(At(4, 1));
  ASSERT_OK_AND_ASSIGN(
      EarnedValueReport again,
      handlers.GetEarnedValue(id, absl::CivilDay(2027, 2, 28), {}));
  EXPECT_EQ(again.measures, feb.measures);
  // Before any budget was recorded there is nothing to measure against.
  EXPECT_THAT(handlers.GetEarnedValue(id, absl::CivilDay(2027, 1, 1), {}),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       ::testing::HasSubstr("no budget")));
}

TEST_F(EarnedValueHandlersTest, BadMoneyInputNamesTheField) {
  ASSERT_OK_AND_ASSIGN(
      auto p, handlers_->CreateProject(Charter("MONEY"), Ctx("m-create")));
  const std::string id = p.state.id();
  EXPECT_THAT(handlers_->RecordActualCost(
                  id, {absl::CivilDay(2027, 1, 5), -500, "labour", "", {}},
                  Ctx("m-cost")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       ::testing::HasSubstr("amount_minor")));
  ProjectBudget unbalanced{
      "EUR", 1000, {{absl::CivilDay(2027, 1, 31), 600}}, {}};
  EXPECT_THAT(handlers_->SetBudget(id, unbalanced, Ctx("m-budget")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       ::testing::HasSubstr(
                           "must equal the sum of the planned values (600)")));
  ProjectBudget bad_currency{"euro", 0, {}, {}};
  EXPECT_THAT(handlers_->SetBudget(id, bad_currency, Ctx("m-currency")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       ::testing::HasSubstr("currency")));
  EXPECT_THAT(handlers_->ReportProgress(
                  id, {absl::CivilDay(2027, 1, 5), 101, {}}, Ctx("m-progress")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       ::testing::HasSubstr("percent_complete")));
  EXPECT_THAT(handlers_->RecordActualCost(
                  "00000000-0000-4000-8000-000000000000",
                  {absl::CivilDay(2027, 1, 5), 500, "labour", "", {}},
                  Ctx("m-unknown")),
              StatusIs(absl::StatusCode::kNotFound));
}

}  // namespace
}  // namespace pmo::projects

namespace pmo::projects {
namespace {

TEST_F(ScheduleHandlersTest, BaselinesAndVarianceAgainstAnyOfThem) {
  const std::string p = NewProject("BASE");
  const std::string design = Task(p, "Design", 5);
  const std::string build = Task(p, "Build", 10);
  ASSERT_OK(Link(p, design, p, build));
  ASSERT_OK(
      handlers_->CaptureBaseline(p, "approved", Ctx("baseline-1")).status());
  ASSERT_OK(
      handlers_
          ->ChangeTaskPlan(p, design, 8, std::nullopt, Ctx("longer-design"))
          .status());
  ASSERT_OK(
      handlers_->CaptureBaseline(p, "re-plan", Ctx("baseline-2")).status());
  ASSERT_OK(
      handlers_->ChangeTaskPlan(p, build, 12, std::nullopt, Ctx("longer-build"))
          .status());

  ASSERT_OK_AND_ASSIGN(ScheduleVariance v1,
                       handlers_->GetScheduleVariance(p, "approved"));
  ASSERT_EQ(v1.tasks.size(), 2u);
  EXPECT_EQ(v1.tasks[0].finish_variance_days, 3);  // design 5 -> 8 days
  EXPECT_EQ(v1.tasks[1].start_variance_days, 3);
  EXPECT_EQ(v1.tasks[1].finish_variance_days, 5);  // +3 start, +2 duration
  EXPECT_EQ(v1.finish_variance_days, 5);
  ASSERT_OK_AND_ASSIGN(ScheduleVariance v2,
                       handlers_->GetScheduleVariance(p, "re-plan"));
  EXPECT_EQ(v2.finish_variance_days, 2);
  EXPECT_THAT(handlers_->CaptureBaseline(p, "approved", Ctx("baseline-again")),
              StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_THAT(handlers_->GetScheduleVariance(p, "nope"),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(ScheduleHandlersTest, AMilestoneSlipTellsEveryDependentProject) {
  const std::string platform = NewProject("PLATFORM");
  const std::string api = Task(platform, "API", 10);
  const std::string api_ready = Task(platform, "API ready", 0);
  ASSERT_OK(Link(platform, api, platform, api_ready));
  const std::string web = NewProject("WEB");
  const std::string frontend = Task(web, "Frontend", 6);
  ASSERT_OK(Link(platform, api_ready, web, frontend));
  const std::string unrelated = NewProject("HR");
  Task(unrelated, "Payroll", 3);

  ASSERT_OK_AND_ASSIGN(
      TaskPlanChange change,
      handlers_->ChangeTaskPlan(platform, api, 14, std::nullopt, Ctx("slip")));
  EXPECT_THAT(change.affected_project_ids, ::testing::ElementsAre(web));
  ASSERT_OK_AND_ASSIGN(auto told, handlers_->GetProject(web));
  ASSERT_EQ(told.state.dates_at_risk().size(), 1u);
  const DatesAtRiskNotice& notice = told.state.dates_at_risk()[0];
  EXPECT_EQ(notice.moved_task.task_id, api_ready);
  EXPECT_EQ(notice.slip_days, 4);
  ASSERT_EQ(notice.tasks_at_risk.size(), 1u);
  EXPECT_EQ(notice.tasks_at_risk[0].task_id, frontend);
  EXPECT_EQ(notice.tasks_at_risk[0].delay_days, 4);
  // A retry of the same change tells no one again.
  ASSERT_OK(
      handlers_->ChangeTaskPlan(platform, api, 14, std::nullopt, Ctx("slip"))
          .status());
  ASSERT_OK_AND_ASSIGN(auto still, handlers_->GetProject(web));
  EXPECT_EQ(still.state.dates_at_risk().size(), 1u);
  // Shortening the work puts nothing at risk.
  ASSERT_OK_AND_ASSIGN(
      TaskPlanChange earlier,
      handlers_->ChangeTaskPlan(platform, api, 9, std::nullopt, Ctx("faster")));
  EXPECT_TRUE(earlier.affected_project_ids.empty());
}

}  // namespace
}  // namespace pmo::projects

namespace pmo::projects {
namespace {

google::protobuf::RepeatedPtrField<v1::Phase> ThreePhases() {
  google::protobuf::RepeatedPtrField<v1::Phase> phases;
  for (const char* name : {"Initiate", "Plan", "Execute"}) {
    v1::Phase* phase = phases.Add();
    phase->set_name(name);
    phase->mutable_gate()->set_name(std::string(name) + " gate");
    phase->mutable_gate()->add_deliverables("Document for " +
                                            std::string(name));
    phase->mutable_gate()->add_criteria("Sponsor sign-off");
  }
  return phases;
}

// Methodology ids as the configuration service gives them.
constexpr char kWaterfall[] = "b0000000-0000-4000-8000-000000000001";
constexpr char kAgile[] = "b0000000-0000-4000-8000-000000000003";

v1::GateReview Review(v1::GateDecision decision) {
  v1::GateReview r;
  r.set_decision(decision);
  r.set_reviewer("pmo-board");
  r.mutable_review_date()->set_year(2027);
  r.mutable_review_date()->set_month(2);
  r.mutable_review_date()->set_day(1);
  if (decision == v1::GATE_DECISION_APPROVE_WITH_CONDITIONS)
    r.add_conditions("Risk log updated");
  return r;
}

TEST_F(ProjectHandlersTest, StageGatesHoldTheNextPhaseUntilApproved) {
  ASSERT_OK_AND_ASSIGN(
      std::string methodology,
      handlers_->RegisterMethodology(kWaterfall, "Waterfall", "2027.1",
                                     ThreePhases(), Ctx("register")));
  // One registration per name and version.
  EXPECT_THAT(handlers_->RegisterMethodology(
                  "b0000000-0000-4000-8000-000000000002", "Waterfall", "2027.1",
                  ThreePhases(), Ctx("register-again")),
              StatusIs(absl::StatusCode::kAlreadyExists));
  ASSERT_OK_AND_ASSIGN(
      auto p, handlers_->CreateProject(Charter("GATED"), Ctx("create")));
  const std::string id = p.state.id();
  ASSERT_OK(
      handlers_->ApplyMethodology(id, methodology, Ctx("apply")).status());

  EXPECT_THAT(handlers_->EnterNextPhase(id, Ctx("too-early")),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       ::testing::HasSubstr(
                           "gate 'Initiate gate' has not been approved")));
  ASSERT_OK(
      handlers_
          ->RecordGateReview(id, Review(v1::GATE_DECISION_REJECT), Ctx("r1"))
          .status());
  EXPECT_THAT(handlers_->EnterNextPhase(id, Ctx("after-reject")),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       ::testing::HasSubstr("rejected")));
  ASSERT_OK(
      handlers_
          ->RecordGateReview(
              id, Review(v1::GATE_DECISION_APPROVE_WITH_CONDITIONS), Ctx("r2"))
          .status());
  ASSERT_OK_AND_ASSIGN(auto planning,
                       handlers_->EnterNextPhase(id, Ctx("to-plan")));
  EXPECT_EQ(planning.state.state().current_phase_index(), 1);
  // The Plan gate is a new gate: the Initiate approval does not carry over.
  EXPECT_THAT(handlers_->EnterNextPhase(id, Ctx("to-execute")),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       ::testing::HasSubstr("'Plan gate'")));
  ASSERT_OK(
      handlers_
          ->RecordGateReview(id, Review(v1::GATE_DECISION_APPROVE), Ctx("r3"))
          .status());
  ASSERT_OK(handlers_->EnterNextPhase(id, Ctx("to-execute-2")).status());
  ASSERT_OK(
      handlers_
          ->RecordGateReview(id, Review(v1::GATE_DECISION_APPROVE), Ctx("r4"))
          .status());
  EXPECT_THAT(handlers_->EnterNextPhase(id, Ctx("beyond")),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       ::testing::HasSubstr("last phase")));

  ASSERT_OK_AND_ASSIGN(auto now, handlers_->GetProject(id));
  ASSERT_EQ(now.state.state().gate_reviews_size(), 4);
  EXPECT_EQ(now.state.state().gate_reviews(2).gate_name(), "Plan gate");
  EXPECT_EQ(now.state.state().methodology().version(), "2027.1");
  EXPECT_THAT(handlers_->ApplyMethodology(id, methodology, Ctx("apply-again")),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST_F(ProjectHandlersTest, MethodologyAndReviewInputIsChecked) {
  google::protobuf::RepeatedPtrField<v1::Phase> phases = ThreePhases();
  phases.Mutable(1)->mutable_gate()->set_name("");
  EXPECT_THAT(
      handlers_->RegisterMethodology(kAgile, "Agile", "", phases, Ctx("bad")),
      StatusIs(absl::StatusCode::kInvalidArgument,
               ::testing::AllOf(::testing::HasSubstr("version"),
                                ::testing::HasSubstr("phases[1].gate.name"))));
  ASSERT_OK_AND_ASSIGN(
      std::string m, handlers_->RegisterMethodology(kAgile, "Agile", "1",
                                                    ThreePhases(), Ctx("ok")));
  ASSERT_OK_AND_ASSIGN(
      auto p, handlers_->CreateProject(Charter("AGILE"), Ctx("create")));
  EXPECT_THAT(handlers_->RecordGateReview(p.state.id(),
                                          Review(v1::GATE_DECISION_APPROVE),
                                          Ctx("no-methodology")),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  ASSERT_OK(
      handlers_->ApplyMethodology(p.state.id(), m, Ctx("apply")).status());
  v1::GateReview conditional =
      Review(v1::GATE_DECISION_APPROVE_WITH_CONDITIONS);
  conditional.clear_conditions();
  EXPECT_THAT(handlers_->RecordGateReview(p.state.id(), conditional,
                                          Ctx("no-conditions")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       ::testing::HasSubstr("conditions")));
  EXPECT_THAT(
      handlers_->ApplyMethodology(
          p.state.id(), "00000000-0000-4000-8000-000000000000", Ctx("unknown")),
      StatusIs(absl::StatusCode::kNotFound));
}

}  // namespace
}  // namespace pmo::projects

namespace pmo::projects {
namespace {

TEST_F(ScheduleHandlersTest,
       AnotherProjectsTaskBoundsButDoesNotJoinTheNetwork) {
  // SUPPLY's 100-day task starts the day INSTALL's 5-day task may start
  // (start-to-start): INSTALL still finishes after 5 days, its task stays
  // critical, and its finish is its own.
  const std::string supplier = NewProject("SUPPLY");
  const std::string long_task = Task(supplier, "Manufacture", 100);
  const std::string p = NewProject("INSTALL");
  const std::string install = Task(p, "Install", 5);
  DependencyLink ss{
      {supplier, long_task}, install, v1::DEPENDENCY_TYPE_START_TO_START, 0};
  ASSERT_OK(handlers_->AddDependency(p, ss, Ctx("ss")).status());
  ASSERT_OK_AND_ASSIGN(ProjectSchedule s, handlers_->GetProjectSchedule(p));
  const absl::CivilDay start(2027, 1, 1);
  EXPECT_EQ(s.finish, start + 4);
  EXPECT_TRUE(s.tasks[0].critical);
  EXPECT_THAT(s.critical_path, ::testing::ElementsAre(install));
}

TEST_F(ScheduleHandlersTest,
       SlipsReachProjectsThatDependThroughOthersAndActualsMoveDates) {
  // PLATFORM:API -> WEB:Frontend -> MOBILE:App (finish-to-start links).
  const std::string platform = NewProject("PLATFORM");
  const std::string api = Task(platform, "API", 10);
  const std::string web = NewProject("WEB");
  const std::string frontend = Task(web, "Frontend", 6);
  ASSERT_OK(Link(platform, api, web, frontend));
  const std::string mobile = NewProject("MOBILE");
  const std::string app = Task(mobile, "App", 3);
  ASSERT_OK(Link(web, frontend, mobile, app));

  // The API really started 2 days late and took 12 days: 4 days later.
  ASSERT_OK_AND_ASSIGN(auto progress, handlers_->RecordTaskProgress(
                                          platform, api,
                                          {100, absl::CivilDay(2027, 1, 3),
                                           absl::CivilDay(2027, 1, 14)},
                                          Ctx("api-done")));
  (void)progress;
  ASSERT_OK_AND_ASSIGN(auto w, handlers_->GetProject(web));
  ASSERT_OK_AND_ASSIGN(auto m, handlers_->GetProject(mobile));
  ASSERT_EQ(w.state.dates_at_risk().size(), 1u);
  ASSERT_EQ(m.state.dates_at_risk().size(), 1u);
  EXPECT_EQ(w.state.dates_at_risk()[0].slip_days, 4);
  EXPECT_EQ(w.state.dates_at_risk()[0].tasks_at_risk[0].delay_days, 4);
  EXPECT_EQ(m.state.dates_at_risk()[0].moved_task.task_id, api);
  EXPECT_EQ(m.state.dates_at_risk()[0].tasks_at_risk[0].task_id, app);
  EXPECT_EQ(m.state.dates_at_risk()[0].tasks_at_risk[0].delay_days, 4);
  ASSERT_OK_AND_ASSIGN(ProjectSchedule s,
                       handlers_->GetProjectSchedule(mobile));
  // API ends 14 Jan, Frontend 15-20 Jan, App 21-23 Jan.
  EXPECT_EQ(s.tasks[0].early_start, absl::CivilDay(2027, 1, 21));
  EXPECT_EQ(s.finish, absl::CivilDay(2027, 1, 23));
}

}  // namespace
}  // namespace pmo::projects

namespace pmo::projects {
namespace {

constexpr int64_t k2To53 = int64_t{1} << 53;

// Two costs of 2^53 minor units used to be taken, after which the
// project's earned value was INVALID_ARGUMENT for good. Now no amount is
// over 10^15 and the costs together stay within it too.
TEST_F(EarnedValueHandlersTest,
       TwoCostsOf2To53AreRefusedAndEarnedValueStaysAnswerable) {
  ASSERT_OK_AND_ASSIGN(
      auto p, handlers_->CreateProject(Charter("BIG"), Ctx("big-create")));
  const std::string id = p.state.id();
  ASSERT_OK(
      handlers_
          ->SetBudget(id,
                      {"EUR", 1000, {{absl::CivilDay(2027, 1, 31), 1000}}, {}},
                      Ctx("big-budget"))
          .status());
  const int64_t head = store_->HeadPosition();
  for (const char* request : {"big-cost-1", "big-cost-2"}) {
    EXPECT_THAT(handlers_->RecordActualCost(
                    id, {absl::CivilDay(2027, 1, 5), k2To53, "labour", "", {}},
                    Ctx(request)),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         ::testing::AllOf(::testing::HasSubstr("amount_minor"),
                                          ::testing::HasSubstr("10^15"))));
  }
  EXPECT_EQ(store_->HeadPosition(), head);
  ASSERT_OK(
      handlers_->GetEarnedValue(id, absl::CivilDay(2027, 12, 31), {}).status());

  // Each within the bound, but together beyond it: the second is refused by
  // rule, naming the field, and nothing is appended.
  const int64_t six_tenths = kMaxAmountMinor / 10 * 6;
  ASSERT_OK(handlers_
                ->RecordActualCost(
                    id,
                    {absl::CivilDay(2027, 1, 5), six_tenths, "labour", "", {}},
                    Ctx("big-3"))
                .status());
  const int64_t after_first = store_->HeadPosition();
  EXPECT_THAT(
      handlers_->RecordActualCost(
          id, {absl::CivilDay(2027, 1, 6), six_tenths, "labour", "", {}},
          Ctx("big-4")),
      ::testing::AllOf(ViolatesRule("AMOUNT_LIMIT"),
                       StatusIs(absl::StatusCode::kFailedPrecondition,
                                ::testing::HasSubstr("amount_minor"))));
  EXPECT_EQ(store_->HeadPosition(), after_first);
  // Up to the bound exactly is fine.
  ASSERT_OK(handlers_
                ->RecordActualCost(id,
                                   {absl::CivilDay(2027, 1, 6),
                                    kMaxAmountMinor - six_tenths,
                                    "labour",
                                    "",
                                    {}},
                                   Ctx("big-5"))
                .status());
  ASSERT_OK_AND_ASSIGN(
      EarnedValueReport ev,
      handlers_->GetEarnedValue(id, absl::CivilDay(2027, 12, 31), {}));
  EXPECT_EQ(ev.measures.ac, kMaxAmountMinor);
}

TEST_F(EarnedValueHandlersTest, BudgetAmountsAndTheirSumAreBounded) {
  ASSERT_OK_AND_ASSIGN(
      auto p, handlers_->CreateProject(Charter("BUDGET"), Ctx("b-create")));
  const std::string id = p.state.id();
  const int64_t head = store_->HeadPosition();
  EXPECT_THAT(
      handlers_->SetBudget(
          id,
          {"EUR",
           kMaxAmountMinor + 1,
           {{absl::CivilDay(2027, 1, 31), kMaxAmountMinor + 1}},
           {}},
          Ctx("b-1")),
      StatusIs(
          absl::StatusCode::kInvalidArgument,
          ::testing::AllOf(
              ::testing::HasSubstr("budget.budget_at_completion_minor"),
              ::testing::HasSubstr("budget.planned_values[0].amount_minor"))));
  // 10000 periods at the bound would overflow an int64 sum (10^19): the
  // sum is refused, not wrapped round to a "balanced" BAC.
  ProjectBudget huge{"EUR", kMaxAmountMinor, {}, {}};
  for (int i = 0; i < 10000; ++i) {
    huge.planned_values.push_back(
        {absl::CivilDay(2027, 1, 1) + i, kMaxAmountMinor});
  }
  EXPECT_THAT(handlers_->SetBudget(id, huge, Ctx("b-2")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       ::testing::HasSubstr(
                           "budget.planned_values: amounts add up to more")));
  EXPECT_EQ(store_->HeadPosition(), head);
  ASSERT_OK(handlers_
                ->SetBudget(id,
                            {"EUR",
                             kMaxAmountMinor,
                             {{absl::CivilDay(2027, 1, 31), kMaxAmountMinor}},
                             {}},
                            Ctx("b-3"))
                .status());
  ASSERT_OK(handlers_
                ->ReportProgress(id, {absl::CivilDay(2027, 2, 1), 100, {}},
                                 Ctx("b-4"))
                .status());
  ASSERT_OK_AND_ASSIGN(
      EarnedValueReport ev,
      handlers_->GetEarnedValue(id, absl::CivilDay(2027, 12, 31), {}));
  EXPECT_EQ(ev.measures.ev, kMaxAmountMinor);
}

// A project whose costs were taken before the bound (two of 2^53, written
// straight to the store as the old service did) is a broken rule of the
// stream, not a bad request: FAILED_PRECONDITION, never INVALID_ARGUMENT.
TEST_F(EarnedValueHandlersTest,
       AmountsRecordedBeforeTheBoundAreAFailedPrecondition) {
  ASSERT_OK_AND_ASSIGN(
      auto p, handlers_->CreateProject(Charter("OLD"), Ctx("o-create")));
  const std::string id = p.state.id();
  ASSERT_OK(
      handlers_
          ->SetBudget(id,
                      {"EUR", 1000, {{absl::CivilDay(2027, 1, 31), 1000}}, {}},
                      Ctx("o-budget"))
          .status());
  eventstore::AppendRequest old;
  old.stream_id = id;
  old.stream_type = Project::kStreamType;
  for (int i = 0; i < 2; ++i) {
    v1::ActualCostRecorded cost;
    cost.set_project_id(id);
    *cost.mutable_cost_date() = ToDate(absl::CivilDay(2027, 1, 5));
    cost.set_amount_minor(k2To53);
    cost.set_category("labour");
    old.events.push_back(eventsourcing::EncodeEvent(cost, absl::Now()));
  }
  ASSERT_OK(store_->Append(std::move(old)).status());
  EXPECT_THAT(handlers_->GetEarnedValue(id, absl::CivilDay(2099, 12, 31), {}),
              ViolatesRule("AMOUNT_LIMIT"));
  // And no further cost is taken: the total is already beyond the bound.
  EXPECT_THAT(
      handlers_->RecordActualCost(
          id, {absl::CivilDay(2027, 1, 6), 1, "labour", "", {}}, Ctx("o-more")),
      ViolatesRule("AMOUNT_LIMIT"));
}

// Separation of duties: the project's manager (alice, by the charter, or
// anyone whose token lists the project) may not review its gate, approve
// its proposal or, in PortfolioHandlers, score it.
TEST_F(ProjectHandlersTest, AManagerMayNotReviewOrApproveTheirOwnProject) {
  ASSERT_OK_AND_ASSIGN(
      std::string methodology,
      handlers_->RegisterMethodology(kWaterfall, "Waterfall", "2027.1",
                                     ThreePhases(), Ctx("register")));
  ASSERT_OK_AND_ASSIGN(auto p,
                       handlers_->CreateProject(Charter("SOD"), Ctx("create")));
  const std::string id = p.state.id();
  ASSERT_OK(
      handlers_->ApplyMethodology(id, methodology, Ctx("apply")).status());
  const int64_t head = store_->HeadPosition();

  v1::GateReview review = Review(v1::GATE_DECISION_APPROVE);
  review.set_reviewer_display_name("The PMO board");
  EXPECT_THAT(
      handlers_->RecordGateReview(id, review, Ctx("by-alice"),
                                  {"alice", false}),
      ::testing::AllOf(
          ViolatesRule("SEPARATION_OF_DUTIES"),
          StatusIs(absl::StatusCode::kFailedPrecondition,
                   ::testing::HasSubstr("alice manages this project"))));
  // A co-manager by token, though not the charter's manager.
  EXPECT_THAT(
      handlers_->RecordGateReview(id, review, Ctx("by-carol"), {"carol", true}),
      ViolatesRule("SEPARATION_OF_DUTIES"));
  // The typed name never stands in for the caller: "pmo-board" typed by
  // alice is still alice.
  EXPECT_THAT(handlers_->RecordGateReview(id, Review(v1::GATE_DECISION_APPROVE),
                                          Ctx("typed"), {"alice", false}),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(
      handlers_->ChangeProjectStatus(id, v1::PROJECT_STATUS_APPROVED, "go",
                                     Ctx("approve-own"), {"alice", false}),
      ViolatesRule("SEPARATION_OF_DUTIES"));
  EXPECT_EQ(store_->HeadPosition(), head);

  ASSERT_OK_AND_ASSIGN(
      auto reviewed,
      handlers_->RecordGateReview(id, review, Ctx("by-dana"), {"dana", false}));
  ASSERT_EQ(reviewed.state.state().gate_reviews_size(), 1);
  EXPECT_EQ(reviewed.state.state().gate_reviews(0).reviewer(), "dana");
  EXPECT_EQ(reviewed.state.state().gate_reviews(0).reviewer_display_name(),
            "The PMO board");
  // Her own steps stay hers: once approved by another, alice moves it on.
  ASSERT_OK(handlers_
                ->ChangeProjectStatus(id, v1::PROJECT_STATUS_APPROVED, "go",
                                      Ctx("approve"), {"sponsor-sam", false})
                .status());
  ASSERT_OK(handlers_
                ->ChangeProjectStatus(id, v1::PROJECT_STATUS_ACTIVE, "start",
                                      Ctx("start"), {"alice", true})
                .status());
  ASSERT_OK(handlers_->EnterNextPhase(id, Ctx("next")).status());
}

TEST_F(ProjectHandlersTest, NamesAndCodesHoldNoLineBreaksOrControlCharacters) {
  ProjectCharter charter = Charter("CTRL");
  charter.name = "Evil\r\nX-Injected: 1";
  charter.manager = "alice\x01";
  charter.sponsor = "bob\x7f";
  EXPECT_THAT(
      handlers_->CreateProject(charter, Ctx("ctrl")),
      StatusIs(absl::StatusCode::kInvalidArgument,
               ::testing::AllOf(::testing::HasSubstr("name: must be one line"),
                                ::testing::HasSubstr("manager"),
                                ::testing::HasSubstr("sponsor"))));
  EXPECT_EQ(store_->HeadPosition(), 0);
  ASSERT_OK_AND_ASSIGN(auto p,
                       handlers_->CreateProject(Charter("CTRL"), Ctx("ok")));
  EXPECT_THAT(handlers_->AddTask(p.state.id(), {"Design\nphase", 3, false, {}},
                                 Ctx("task")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       ::testing::HasSubstr("name")));
  EXPECT_THAT(
      handlers_->RecordActualCost(
          p.state.id(), {absl::CivilDay(2027, 1, 5), 5, "lab\tour", "", {}},
          Ctx("cost")),
      StatusIs(absl::StatusCode::kInvalidArgument,
               ::testing::HasSubstr("category")));
  EXPECT_THAT(
      handlers_->CaptureBaseline(p.state.id(), "plan\r", Ctx("baseline")),
      StatusIs(absl::StatusCode::kInvalidArgument,
               ::testing::HasSubstr("name")));
  // A C1 control character (U+0085, next line) in UTF-8.
  EXPECT_THAT(handlers_->CaptureBaseline(p.state.id(), "plan\xc2\x85",
                                         Ctx("baseline-2")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       ::testing::HasSubstr("name")));
  // Remarks may run over several lines.
  ASSERT_OK(handlers_
                ->RecordActualCost(p.state.id(),
                                   {absl::CivilDay(2027, 1, 5),
                                    5,
                                    "labour",
                                    "line one\r\nline two\tend",
                                    {}},
                                   Ctx("cost-ok"))
                .status());
  EXPECT_EQ(store_->HeadPosition(), 2);
}

}  // namespace
}  // namespace pmo::projects
