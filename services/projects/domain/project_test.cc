#include "services/projects/domain/project.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/errors.h"
#include "libs/base/testing/status_matchers.h"

namespace pmo::projects {
namespace {

using ::pmo::testing::StatusIs;
using ::testing::HasSubstr;

ProjectCharter Charter() {
  return {"ERP-2027", "ERP replacement", "alice", absl::CivilDay(2027, 1, 4),
          absl::CivilDay(2027, 12, 17)};
}

Project Fold(const eventsourcing::Decision& d, Project p = {}) {
  for (const auto& e : d.events) p.Apply(*e, absl::FromUnixSeconds(100));
  return p;
}

TEST(Project, CreateRecordsAProposedProjectAndClaimsItsCode) {
  ASSERT_OK_AND_ASSIGN(auto decision, Project().Create("p1", Charter()));
  ASSERT_EQ(decision.events.size(), 1u);
  ASSERT_EQ(decision.unique_values.size(), 1u);
  EXPECT_EQ(decision.unique_values[0].value, "ERP-2027");
  Project p = Fold(decision);
  EXPECT_EQ(p.id(), "p1");
  EXPECT_EQ(p.state().status(), v1::PROJECT_STATUS_PROPOSED);
  EXPECT_EQ(dates::Day(p.state().planned_end()), absl::CivilDay(2027, 12, 17));
  EXPECT_EQ(p.state().priority(), 3);
  EXPECT_THAT(p.Create("p1", Charter()),
              StatusIs(absl::StatusCode::kAlreadyExists));
}

TEST(Project, CharterViolationsNameEachField) {
  ProjectCharter bad{"x", "", "alice", absl::CivilDay(2027, 2, 1),
                     absl::CivilDay(2027, 1, 1)};
  absl::Status s = ValidateCharter(bad);
  std::vector<std::string> fields;
  for (const auto& v : FieldViolationsOf(s)) fields.push_back(v.field);
  EXPECT_THAT(fields, ::testing::ElementsAre("code", "name", "planned_end"));
}

TEST(Project, LifecycleIsEnforcedWithTheRuleNamed) {
  ASSERT_OK_AND_ASSIGN(auto created, Project().Create("p1", Charter()));
  Project p = Fold(created);
  absl::Status skip = p.ChangeStatus(v1::PROJECT_STATUS_ACTIVE, "go").status();
  EXPECT_THAT(skip, StatusIs(absl::StatusCode::kFailedPrecondition,
                             HasSubstr("PROPOSED to PROJECT_STATUS_ACTIVE")));
  RuleViolation rule;
  ASSERT_TRUE(RuleViolationOf(skip, &rule));
  EXPECT_EQ(rule.rule, "PROJECT_LIFECYCLE");

  for (auto to : {v1::PROJECT_STATUS_APPROVED, v1::PROJECT_STATUS_ACTIVE,
                  v1::PROJECT_STATUS_ON_HOLD, v1::PROJECT_STATUS_ACTIVE,
                  v1::PROJECT_STATUS_CLOSED}) {
    ASSERT_OK_AND_ASSIGN(auto d, p.ChangeStatus(to, "board decision"));
    p = Fold(d, p);
    EXPECT_EQ(p.state().status(), to);
  }
  EXPECT_EQ(p.state().status_reason(), "board decision");
  EXPECT_THAT(p.ChangeStatus(v1::PROJECT_STATUS_ACTIVE, "reopen"),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(p.ChangeStatus(v1::PROJECT_STATUS_CANCELLED, ""),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

// The fold keeps the answer's project: each command's event shows in the
// state as GetProject answers it, and what no answer shows stays beside it.
TEST(Project, TheFoldKeepsTheAnswersProject) {
  Project p;
  auto fold = [&](absl::StatusOr<eventsourcing::Decision> d, int64_t at) {
    ASSERT_TRUE(d.ok()) << d.status();
    for (const auto& e : d->events) p.Apply(*e, absl::FromUnixSeconds(at));
  };
  fold(p.Create("p1", Charter()), 100);
  fold(p.AddTask("t1", {"Design", 10, false, absl::CivilDay(2027, 2, 1)}), 200);
  fold(p.AddTask("t2", {"Go-live", 0, true, std::nullopt}), 300);
  fold(p.RecordTaskProgress("t1", {100, absl::CivilDay(2027, 2, 1),
                                   absl::CivilDay(2027, 2, 12)}),
       400);
  // A new plan without a start constraint drops the old one.
  fold(p.ChangeTaskPlan("t1", 12, std::nullopt), 500);
  fold(p.AddDependency(
           {{"p1", "t1"}, "t2", v1::DEPENDENCY_TYPE_FINISH_TO_START, 2}),
       600);
  fold(p.SetBudget({"EUR", 100, {{absl::CivilDay(2027, 3, 1), 100}}, {}}), 700);
  fold(p.SetBudget({"EUR", 250, {{absl::CivilDay(2027, 3, 1), 250}}, {}}), 800);
  fold(p.CaptureBaseline({"approved", {}, absl::CivilDay(2027, 12, 17)}), 900);
  fold(p.AssignToProgramme("pg1"), 1000);

  const v1::Project& s = p.state();
  EXPECT_EQ(s.project_id(), "p1");
  EXPECT_EQ(s.code(), "ERP-2027");
  EXPECT_EQ(s.manager(), "alice");
  EXPECT_EQ(s.create_time().seconds(), 100);
  EXPECT_EQ(s.update_time().seconds(), 1000);
  ASSERT_EQ(s.tasks_size(), 2);
  EXPECT_EQ(s.tasks(0).duration_days(), 12);
  EXPECT_FALSE(s.tasks(0).has_not_before());
  EXPECT_EQ(s.tasks(0).percent_complete(), 100);
  EXPECT_EQ(dates::Day(s.tasks(0).actual_finish()),
            absl::CivilDay(2027, 2, 12));
  EXPECT_TRUE(s.tasks(1).milestone());
  EXPECT_FALSE(s.tasks(1).has_actual_start());
  ASSERT_EQ(s.dependencies_size(), 1);
  EXPECT_EQ(s.dependencies(0).predecessor().task_id(), "t1");
  EXPECT_EQ(s.dependencies(0).lag_days(), 2);
  EXPECT_EQ(s.budget().budget_at_completion_minor(), 250);
  EXPECT_THAT(s.baseline_names(), ::testing::ElementsAre("approved"));
  EXPECT_EQ(s.programme_id(), "pg1");
  EXPECT_EQ(s.version(), 0);  // set by the answer, not the fold
  // Beside the state: every budget with the day it was recorded.
  ASSERT_EQ(p.budgets().size(), 2u);
  EXPECT_EQ(p.budgets()[0].budget_at_completion_minor, 100);
  ASSERT_NE(p.FindBaseline("approved"), nullptr);
  EXPECT_EQ(p.FindBaseline("approved")->finish, absl::CivilDay(2027, 12, 17));
  // The rules read the state: a second link the same way is refused.
  EXPECT_THAT(p.AddDependency(
                  {{"p1", "t1"}, "t2", v1::DEPENDENCY_TYPE_FINISH_TO_START, 0}),
              StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_THAT(p.AddTask("t1", {"Again", 1, false, std::nullopt}),
              StatusIs(absl::StatusCode::kAlreadyExists));
}

TEST(Project, EventsBeforePrioritiesFoldToTheDefaultPriority) {
  v1::ProjectCreated created;
  created.set_project_id("p1");
  created.set_code("OLD-1");
  created.set_status(v1::PROJECT_STATUS_PROPOSED);
  Project p;
  p.Apply(created, absl::FromUnixSeconds(1));
  EXPECT_EQ(p.state().priority(), 3);
}

TEST(Project, CivilDayFromDateRefusesUnrealDays) {
  absl::CivilDay d;
  EXPECT_TRUE(CivilDayFromDate(2028, 2, 29, &d));
  EXPECT_FALSE(CivilDayFromDate(2027, 2, 29, &d));
  EXPECT_FALSE(CivilDayFromDate(2027, 4, 31, &d));
  EXPECT_FALSE(CivilDayFromDate(0, 1, 1, &d));
  EXPECT_FALSE(CivilDayFromDate(2027, 13, 1, &d));
}

}  // namespace
}  // namespace pmo::projects
