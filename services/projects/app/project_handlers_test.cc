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
  static eventsourcing::CommandContext Ctx(std::string request_id,
                                           std::optional<int64_t> expected = {}) {
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
  ASSERT_OK_AND_ASSIGN(auto first, handlers_->CreateProject(Charter("A1"), Ctx("r1")));
  ASSERT_OK_AND_ASSIGN(auto retry, handlers_->CreateProject(Charter("A1"), Ctx("r1")));
  EXPECT_EQ(retry.state.id(), first.state.id());
  EXPECT_EQ(retry.version, 1);
  EXPECT_EQ(store_->HeadPosition(), 1);
}

TEST_F(ProjectHandlersTest, ARequestIdReusedForAnotherProjectIsRefused) {
  ASSERT_OK_AND_ASSIGN(auto a, handlers_->CreateProject(Charter("A1"), Ctx("r1")));
  ASSERT_OK_AND_ASSIGN(auto b, handlers_->CreateProject(Charter("B1"), Ctx("r2")));
  ASSERT_OK(handlers_->ChangeProjectStatus(a.state.id(), v1::PROJECT_STATUS_APPROVED,
                                           "ok", Ctx("same")).status());
  EXPECT_THAT(handlers_->ChangeProjectStatus(b.state.id(), v1::PROJECT_STATUS_APPROVED,
                                             "ok", Ctx("same")),
              StatusIs(absl::StatusCode::kInvalidArgument, ::testing::HasSubstr("request_id")));
  ASSERT_OK_AND_ASSIGN(auto b_now, handlers_->GetProject(b.state.id()));
  EXPECT_EQ(b_now.state.status(), v1::PROJECT_STATUS_PROPOSED);
}

TEST_F(ProjectHandlersTest, DuplicateCodeIsAlreadyExists) {
  ASSERT_OK(handlers_->CreateProject(Charter("A1"), Ctx("r1")).status());
  EXPECT_THAT(handlers_->CreateProject(Charter("A1"), Ctx("r2")),
              StatusIs(absl::StatusCode::kAlreadyExists));
}

TEST_F(ProjectHandlersTest, ExpectedVersionMismatchIsAborted) {
  ASSERT_OK_AND_ASSIGN(auto p, handlers_->CreateProject(Charter("A1"), Ctx("r1")));
  ASSERT_OK(handlers_->ChangeProjectStatus(p.state.id(), v1::PROJECT_STATUS_APPROVED,
                                           "ok", Ctx("r2", 1)).status());
  auto stale = handlers_->ChangeProjectStatus(
      p.state.id(), v1::PROJECT_STATUS_CANCELLED, "no", Ctx("r3", 1));
  EXPECT_THAT(stale, StatusIs(absl::StatusCode::kAborted));
  EXPECT_EQ(eventstore::CurrentVersionOf(stale.status()), 2);
  // A retry of r2 answers with r2's result, not today's state.
  ASSERT_OK_AND_ASSIGN(auto replay, handlers_->ChangeProjectStatus(
      p.state.id(), v1::PROJECT_STATUS_APPROVED, "ok", Ctx("r2", 1)));
  EXPECT_EQ(replay.version, 2);
}

TEST_F(ProjectHandlersTest, ConcurrentChangesWithoutExpectedVersionAllLand) {
  ASSERT_OK_AND_ASSIGN(auto p, handlers_->CreateProject(Charter("A1"), Ctx("r1")));
  ASSERT_OK(handlers_->ChangeProjectStatus(p.state.id(), v1::PROJECT_STATUS_APPROVED,
                                           "ok", Ctx("r2")).status());
  ASSERT_OK(handlers_->ChangeProjectStatus(p.state.id(), v1::PROJECT_STATUS_ACTIVE,
                                           "go", Ctx("r3")).status());
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      // ACTIVE <-> ON_HOLD toggles: each decides on what it loaded.
      auto s = handlers_->GetProject(p.state.id());
      auto to = s->state.status() == v1::PROJECT_STATUS_ACTIVE
                    ? v1::PROJECT_STATUS_ON_HOLD
                    : v1::PROJECT_STATUS_ACTIVE;
      if (handlers_->ChangeProjectStatus(p.state.id(), to, "toggle",
                                         Ctx("t" + std::to_string(i))).ok()) {
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
    ASSERT_OK(handlers_->CreateProject(Charter("P" + std::to_string(i)),
                                       Ctx("c" + std::to_string(i))).status());
  }
  ASSERT_OK_AND_ASSIGN(auto page1, handlers_->ListProjects(2, ""));
  ASSERT_EQ(page1.projects.size(), 2u);
  EXPECT_EQ(page1.projects[0].state.charter().code, "P0");
  ASSERT_FALSE(page1.next_page_token.empty());
  ASSERT_OK_AND_ASSIGN(auto page2, handlers_->ListProjects(2, page1.next_page_token));
  EXPECT_EQ(page2.projects[0].state.charter().code, "P2");
  ASSERT_OK_AND_ASSIGN(auto page3, handlers_->ListProjects(2, page2.next_page_token));
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
  std::string Task(const std::string& project, const std::string& name, int days) {
    auto added = handlers_->AddTask(project, {name, days, days == 0, std::nullopt},
                                    Ctx("task-" + project + name));
    EXPECT_TRUE(added.ok()) << added.status();
    return added->second;
  }
  absl::Status Link(const std::string& pred_project, const std::string& pred,
                    const std::string& succ_project, const std::string& succ) {
    DependencyLink link{{pred_project, pred}, succ, v1::DEPENDENCY_TYPE_FINISH_TO_START, 0};
    return handlers_->AddDependency(succ_project, link, Ctx("dep-" + pred + succ)).status();
  }
};

TEST_F(ScheduleHandlersTest, TasksProgressAndDependenciesAreRecorded) {
  const std::string p = NewProject("SCH");
  const std::string design = Task(p, "Design", 10);
  const std::string build = Task(p, "Build", 20);
  ASSERT_OK(Link(p, design, p, build));
  ASSERT_OK(handlers_->RecordTaskProgress(
      p, design, {100, absl::CivilDay(2027, 1, 4), absl::CivilDay(2027, 1, 15)},
      Ctx("progress-1")).status());
  ASSERT_OK_AND_ASSIGN(auto project, handlers_->GetProject(p));
  ASSERT_EQ(project.state.tasks().size(), 2u);
  EXPECT_EQ(project.state.tasks()[0].progress.percent_complete, 100);
  ASSERT_EQ(project.state.dependencies().size(), 1u);
  EXPECT_EQ(project.state.dependencies()[0].successor_task_id, build);
  EXPECT_EQ(project.version, 5);
  // The same link again, by a new request: refused.
  DependencyLink again{{p, design}, build, v1::DEPENDENCY_TYPE_FINISH_TO_START, 0};
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
  EXPECT_THAT(cycle, StatusIs(absl::StatusCode::kFailedPrecondition,
                              ::testing::HasSubstr(
                                  "ERP:Go-live -> CRM:Build -> ERP:Test -> ERP:Go-live")));
  ASSERT_OK_AND_ASSIGN(auto project, handlers_->GetProject(erp));
  EXPECT_EQ(project.state.dependencies().size(), 1u);  // nothing appended
}

TEST_F(ScheduleHandlersTest, BadScheduleInputNamesTheFieldOrRule) {
  const std::string p = NewProject("BAD");
  const std::string t = Task(p, "Work", 3);
  EXPECT_THAT(handlers_->AddTask(p, {"", -1, false, std::nullopt}, Ctx("bad-task")),
              StatusIs(absl::StatusCode::kInvalidArgument, ::testing::HasSubstr("duration_days")));
  EXPECT_THAT(handlers_->AddTask(p, {"Gate", 3, true, std::nullopt}, Ctx("bad-ms")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       ::testing::HasSubstr("must be 0 for a milestone")));
  EXPECT_THAT(Link(p, t, p, t), StatusIs(absl::StatusCode::kInvalidArgument,
                                         ::testing::HasSubstr("cannot depend on itself")));
  EXPECT_THAT(Link(p, "no-such-task", p, t), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(Link("00000000-0000-4000-8000-000000000000", "x", p, t),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(handlers_->RecordTaskProgress(p, t, {120, std::nullopt, std::nullopt},
                                            Ctx("bad-progress")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       ::testing::HasSubstr("percent_complete")));
  EXPECT_THAT(handlers_->RecordTaskProgress(
                  p, t, {100, absl::CivilDay(2027, 2, 1), absl::CivilDay(2027, 1, 1)},
                  Ctx("bad-dates")),
              StatusIs(absl::StatusCode::kInvalidArgument, ::testing::HasSubstr("actual_finish")));
  // A cancelled project's schedule is frozen.
  ASSERT_OK(handlers_->ChangeProjectStatus(p, v1::PROJECT_STATUS_CANCELLED, "stopped",
                                           Ctx("cancel")).status());
  EXPECT_THAT(handlers_->AddTask(p, {"Late", 1, false, std::nullopt}, Ctx("late")),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       ::testing::HasSubstr("cannot change")));
}

TEST_F(ScheduleHandlersTest, RetriedAddTaskReturnsTheSameTask) {
  const std::string p = NewProject("RETRY");
  ASSERT_OK_AND_ASSIGN(auto first, handlers_->AddTask(p, {"A", 1, false, std::nullopt},
                                                      Ctx("add-a")));
  ASSERT_OK(handlers_->AddTask(p, {"B", 1, false, std::nullopt}, Ctx("add-b")).status());
  ASSERT_OK_AND_ASSIGN(auto retry, handlers_->AddTask(p, {"A", 1, false, std::nullopt},
                                                      Ctx("add-a")));
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
//   Critical path A -> C -> M; last day of work 2027-01-10.
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
  EXPECT_EQ(s.tasks[3].early_start, start + 7);  // reached when C is done
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
