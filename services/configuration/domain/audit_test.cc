#include "services/configuration/domain/audit.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/errors.h"
#include "libs/base/testing/status_matchers.h"
#include "libs/dates/calendar_dates.h"

namespace pmo::configuration {
namespace {

using ::pmo::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

google::type::Date On(int month, int day) {
  return dates::ToDate(absl::CivilDay(2027, month, day));
}

v1::QualityStandard Iso9001() {
  v1::QualityStandard s;
  s.set_standard_id("std-1");
  s.set_code("ISO 9001:2015");
  for (const char* clause : {"7.5", "8.5.1", "9.2"})
    s.add_requirements()->set_clause(clause);
  return s;
}

void ApplyAll(AuditAggregate& a,
              const absl::StatusOr<eventsourcing::Decision>& decision) {
  ASSERT_OK(decision.status());
  for (const auto& e : decision->events) a.Apply(*e, absl::Now());
}

std::string RuleOf(const absl::Status& status) {
  RuleViolation rule;
  if (!RuleViolationOf(status, &rule))
    return "(no rule: " + status.ToString() + ")";
  return rule.rule;
}

v1::AuditPlanned Plan(const std::string& id = "audit-1",
                      const std::string& project = "erp") {
  v1::AuditPlanned p;
  p.set_audit_id(id);
  p.set_project_id(project);
  p.set_standard_id("std-1");
  p.set_body(v1::AUDITING_BODY_EXTERNAL);
  p.set_lead_auditor("Certification Ltd");
  *p.mutable_planned_on() = On(3, 1);
  return p;
}

// An audit in `status`, reached by the workflow; IN_PROGRESS and COMPLETED
// ones hold finding F1 (MAJOR, on 8.5.1) with open action A1 owned by bob.
AuditAggregate AuditIn(v1::AuditStatus status) {
  AuditAggregate a;
  ApplyAll(a, a.Plan(Plan()));
  if (status == v1::AUDIT_STATUS_PLANNED) return a;
  ApplyAll(a, a.Start(On(3, 2)));
  ApplyAll(a, a.RecordFinding(Iso9001(), "8.5.1", v1::FINDING_SEVERITY_MAJOR,
                              "releases are not traceable"));
  ApplyAll(
      a, a.AssignCorrectiveAction("F1", "tag every release", "bob", On(4, 1)));
  if (status == v1::AUDIT_STATUS_IN_PROGRESS) return a;
  ApplyAll(a, a.Complete(On(3, 4), "one major non-conformity"));
  return a;
}

absl::StatusOr<eventsourcing::Decision> Take(const AuditAggregate& a,
                                             AuditStep step) {
  switch (step) {
    case AuditStep::kStart:
      return a.Start(On(3, 2));
    case AuditStep::kRecordFinding:
      return a.RecordFinding(Iso9001(), "7.5", v1::FINDING_SEVERITY_MINOR,
                             "unsigned records");
    case AuditStep::kComplete:
      return a.Complete(On(3, 5), "done");
    case AuditStep::kWorkOnFindings:
      return a.CompleteCorrectiveAction("A1", On(3, 20));
  }
  return absl::InternalError("unknown step");
}

TEST(AuditWorkflow, EveryLegalStepIsTakenAndEveryIllegalOneRefusedWithTheRule) {
  const std::vector<std::pair<v1::AuditStatus, std::vector<AuditStep>>> table =
      {
          {v1::AUDIT_STATUS_PLANNED, {AuditStep::kStart}},
          {v1::AUDIT_STATUS_IN_PROGRESS,
           {AuditStep::kRecordFinding, AuditStep::kComplete,
            AuditStep::kWorkOnFindings}},
          {v1::AUDIT_STATUS_COMPLETED, {AuditStep::kWorkOnFindings}},
      };
  const std::vector<AuditStep> all = {
      AuditStep::kStart, AuditStep::kRecordFinding, AuditStep::kComplete,
      AuditStep::kWorkOnFindings};
  int legal = 0;
  int illegal = 0;
  for (const auto& [status, allowed] : table) {
    const AuditAggregate a = AuditIn(status);
    ASSERT_EQ(a.state().status(), status);
    for (AuditStep step : all) {
      SCOPED_TRACE(absl::StrCat(v1::AuditStatus_Name(status), " step ",
                                static_cast<int>(step)));
      const bool expected =
          std::find(allowed.begin(), allowed.end(), step) != allowed.end();
      EXPECT_EQ(AuditStepAllowed(status, step), expected);
      auto result = Take(a, step);
      if (expected) {
        ++legal;
        EXPECT_OK(result.status());
      } else {
        ++illegal;
        ASSERT_THAT(result, StatusIs(absl::StatusCode::kFailedPrecondition));
        EXPECT_EQ(RuleOf(result.status()), "AUDIT_WORKFLOW");
      }
    }
  }
  EXPECT_EQ(legal, 5);
  EXPECT_EQ(illegal, 7);
}

TEST(AuditWorkflow, CorrectiveActionsAreCompletedThenVerifiedByAnotherPerson) {
  AuditAggregate a = AuditIn(v1::AUDIT_STATUS_COMPLETED);
  // OPEN: verify is illegal, complete is legal.
  EXPECT_EQ(
      RuleOf(a.VerifyCorrectiveAction("A1", "qa-lead", On(3, 21)).status()),
      "CORRECTIVE_ACTION_WORKFLOW");
  ApplyAll(a, a.CompleteCorrectiveAction("A1", On(3, 20)));
  EXPECT_EQ(a.FindFinding("F1")->corrective_actions(0).status(),
            v1::CORRECTIVE_ACTION_STATUS_COMPLETED);
  // COMPLETED: complete again is illegal; the owner may not verify.
  EXPECT_EQ(RuleOf(a.CompleteCorrectiveAction("A1", On(3, 21)).status()),
            "CORRECTIVE_ACTION_WORKFLOW");
  EXPECT_EQ(RuleOf(a.VerifyCorrectiveAction("A1", "bob", On(3, 21)).status()),
            "VERIFIER_NOT_OWNER");
  ApplyAll(a, a.VerifyCorrectiveAction("A1", "qa-lead", On(3, 21)));
  const v1::CorrectiveAction& action =
      a.FindFinding("F1")->corrective_actions(0);
  EXPECT_EQ(action.status(), v1::CORRECTIVE_ACTION_STATUS_VERIFIED);
  EXPECT_EQ(action.verified_by(), "qa-lead");
  // VERIFIED: neither step again.
  EXPECT_EQ(RuleOf(a.CompleteCorrectiveAction("A1", On(3, 22)).status()),
            "CORRECTIVE_ACTION_WORKFLOW");
  EXPECT_EQ(
      RuleOf(a.VerifyCorrectiveAction("A1", "qa-lead", On(3, 22)).status()),
      "CORRECTIVE_ACTION_WORKFLOW");
  EXPECT_THAT(a.CompleteCorrectiveAction("A9", On(3, 22)),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST(AuditWorkflow, FindingsCloseOnlyWhenEveryActionIsVerified) {
  AuditAggregate a = AuditIn(v1::AUDIT_STATUS_IN_PROGRESS);
  ApplyAll(a,
           a.RecordFinding(Iso9001(), "9.2", v1::FINDING_SEVERITY_OBSERVATION,
                           "internal audits could be more frequent"));
  ApplyAll(a, a.RecordFinding(Iso9001(), "7.5", v1::FINDING_SEVERITY_MINOR,
                              "unsigned records"));
  EXPECT_THAT(a.state().findings(), ::testing::SizeIs(3));
  // An observation closes without actions; a minor finding needs one.
  ApplyAll(a, a.CloseFinding("F2"));
  EXPECT_TRUE(a.FindFinding("F2")->closed());
  EXPECT_EQ(RuleOf(a.CloseFinding("F2").status()), "FINDING_CLOSED");
  EXPECT_EQ(
      RuleOf(a.AssignCorrectiveAction("F2", "x", "bob", On(4, 1)).status()),
      "FINDING_CLOSED");
  EXPECT_EQ(RuleOf(a.CloseFinding("F3").status()),
            "FINDING_NEEDS_VERIFIED_ACTIONS");
  // F1's action is open.
  EXPECT_EQ(RuleOf(a.CloseFinding("F1").status()),
            "FINDING_NEEDS_VERIFIED_ACTIONS");
  ApplyAll(a, a.CompleteCorrectiveAction("A1", On(3, 3)));
  EXPECT_EQ(RuleOf(a.CloseFinding("F1").status()),
            "FINDING_NEEDS_VERIFIED_ACTIONS");
  ApplyAll(a, a.VerifyCorrectiveAction("A1", "qa-lead", On(3, 3)));
  ApplyAll(a, a.CloseFinding("F1"));
  EXPECT_TRUE(a.FindFinding("F1")->closed());
  // Action ids run across the audit.
  ApplyAll(
      a, a.AssignCorrectiveAction("F3", "sign the records", "carol", On(4, 1)));
  EXPECT_EQ(a.FindFinding("F3")->corrective_actions(0).action_id(), "A2");
  EXPECT_THAT(a.CloseFinding("F9"), StatusIs(absl::StatusCode::kNotFound));
}

TEST(AuditWorkflow, BadInputNamesTheFields) {
  v1::AuditPlanned bad = Plan();
  bad.clear_project_id();
  bad.set_body(v1::AUDITING_BODY_UNSPECIFIED);
  bad.mutable_planned_on()->set_day(32);
  std::vector<std::string> fields;
  for (const FieldViolation& v :
       FieldViolationsOf(AuditAggregate().Plan(bad).status())) {
    fields.push_back(v.field);
  }
  EXPECT_THAT(fields, UnorderedElementsAre("project_id", "body", "planned_on"));
  const AuditAggregate a = AuditIn(v1::AUDIT_STATUS_IN_PROGRESS);
  auto unknown =
      a.RecordFinding(Iso9001(), "4.4", v1::FINDING_SEVERITY_MINOR, "x");
  ASSERT_THAT(unknown, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(FieldViolationsOf(unknown.status())[0].field, "clause");
  fields.clear();
  for (const FieldViolation& v :
       FieldViolationsOf(a.AssignCorrectiveAction("F1", "", "", {}).status())) {
    fields.push_back(v.field);
  }
  EXPECT_THAT(fields, ElementsAre("description", "owner", "due"));
  auto early = a.Complete(On(3, 1), "done");
  EXPECT_EQ(FieldViolationsOf(early.status())[0].field, "completed_on");
}

TEST(ProjectCompliance, IsDerivedFromEveryAuditOfTheProjectAgainstTheStandard) {
  const absl::CivilDay today(2027, 4, 10);
  EXPECT_EQ(DeriveCompliance("erp", "std-1", {}, today).status(),
            v1::COMPLIANCE_STATUS_NOT_AUDITED);
  const AuditAggregate planned = AuditIn(v1::AUDIT_STATUS_PLANNED);
  EXPECT_EQ(
      DeriveCompliance("erp", "std-1", {&planned.state()}, today).status(),
      v1::COMPLIANCE_STATUS_NOT_AUDITED);

  AuditAggregate a = AuditIn(v1::AUDIT_STATUS_COMPLETED);
  v1::ProjectCompliance c =
      DeriveCompliance("erp", "std-1", {&a.state()}, today);
  EXPECT_EQ(c.status(), v1::COMPLIANCE_STATUS_NON_COMPLIANT);
  EXPECT_EQ(c.audit_id(), "audit-1");
  EXPECT_EQ(c.open_findings(), 1);
  EXPECT_EQ(c.overdue_corrective_actions(), 1);  // A1 was due 1 April
  std::vector<v1::OverdueCorrectiveAction> overdue =
      OverdueActions(a.state(), today);
  ASSERT_EQ(overdue.size(), 1u);
  EXPECT_EQ(overdue[0].action().action_id(), "A1");
  EXPECT_EQ(overdue[0].days_overdue(), 9);
  EXPECT_EQ(overdue[0].severity(), v1::FINDING_SEVERITY_MAJOR);
  // Not overdue on its due day.
  EXPECT_TRUE(OverdueActions(a.state(), absl::CivilDay(2027, 4, 1)).empty());

  // A minor finding of a later audit, with the major one closed.
  ApplyAll(a, a.CompleteCorrectiveAction("A1", On(4, 2)));
  ApplyAll(a, a.VerifyCorrectiveAction("A1", "qa-lead", On(4, 3)));
  ApplyAll(a, a.CloseFinding("F1"));
  c = DeriveCompliance("erp", "std-1", {&a.state()}, today);
  EXPECT_EQ(c.status(), v1::COMPLIANCE_STATUS_COMPLIANT);
  EXPECT_EQ(c.overdue_corrective_actions(), 0);
  AuditAggregate follow_up;
  ApplyAll(follow_up, follow_up.Plan(Plan("audit-2")));
  ApplyAll(follow_up, follow_up.Start(On(4, 5)));
  ApplyAll(follow_up,
           follow_up.RecordFinding(Iso9001(), "7.5", v1::FINDING_SEVERITY_MINOR,
                                   "unsigned records"));
  c = DeriveCompliance("erp", "std-1", {&a.state(), &follow_up.state()}, today);
  EXPECT_EQ(c.status(), v1::COMPLIANCE_STATUS_COMPLIANT_WITH_FINDINGS);
  EXPECT_EQ(c.audit_id(), "audit-1");  // the follow-up is not complete
  // Other projects' audits do not count.
  EXPECT_EQ(
      DeriveCompliance("crm", "std-1", {&a.state(), &follow_up.state()}, today)
          .status(),
      v1::COMPLIANCE_STATUS_NOT_AUDITED);
}

}  // namespace
}  // namespace pmo::configuration
