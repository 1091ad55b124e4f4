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
  EXPECT_EQ(p.status(), v1::PROJECT_STATUS_PROPOSED);
  EXPECT_EQ(p.charter().planned_end, absl::CivilDay(2027, 12, 17));
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
    EXPECT_EQ(p.status(), to);
  }
  EXPECT_EQ(p.status_reason(), "board decision");
  EXPECT_THAT(p.ChangeStatus(v1::PROJECT_STATUS_ACTIVE, "reopen"),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(p.ChangeStatus(v1::PROJECT_STATUS_CANCELLED, ""),
              StatusIs(absl::StatusCode::kInvalidArgument));
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
