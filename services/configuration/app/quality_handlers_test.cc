#include "services/configuration/app/quality_handlers.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/errors.h"
#include "libs/base/testing/status_matchers.h"
#include "libs/base/testing/temp_dir.h"
#include "libs/dates/calendar_dates.h"
#include "libs/eventstore/sqlite_event_store.h"
#include "services/configuration/app/test_projects.h"

namespace pmo::configuration {
namespace {

using ::pmo::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

eventsourcing::CommandContext Ctx(
    std::string request_id, std::optional<int64_t> expected = std::nullopt) {
  eventsourcing::CommandContext c;
  c.request_id = std::move(request_id);
  c.expected_version = expected;
  c.metadata.actor = "qa-office";
  return c;
}

google::type::Date On(int month, int day) {
  return dates::ToDate(absl::CivilDay(2027, month, day));
}

v1::QualityStandardDefined Iso9001() {
  v1::QualityStandardDefined s;
  s.set_code("ISO 9001:2015");
  s.set_title("Quality management systems");
  s.set_issuing_body("ISO");
  for (const char* clause : {"7.5", "8.5.1", "9.2"}) {
    v1::StandardRequirement* r = s.add_requirements();
    r->set_clause(clause);
    r->set_text(std::string("Requirement ") + clause);
  }
  return s;
}

v1::AuditPlanned Plan(const std::string& project,
                      const std::string& standard_id) {
  v1::AuditPlanned p;
  p.set_project_id(project);
  p.set_standard_id(standard_id);
  p.set_body(v1::AUDITING_BODY_INTERNAL_QA);
  p.set_lead_auditor("dana");
  *p.mutable_planned_on() = On(3, 1);
  return p;
}

std::string RuleOf(const absl::Status& status) {
  RuleViolation rule;
  return RuleViolationOf(status, &rule) ? rule.rule : status.ToString();
}

class QualityHandlersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(store_, eventstore::SqliteEventStore::Open(
                                     dir_.File("configuration.db")));
    projects_ = KnownTestProjects(dir_.File("projects.db"));
    quality_ = std::make_unique<QualityHandlers>(*store_, *projects_, clock_);
    ASSERT_OK_AND_ASSIGN(VersionedStandard s,
                         quality_->DefineStandard(Iso9001(), Ctx("iso")));
    standard_id_ = s.state.state().standard_id();
  }
  testing::TempDir dir_;
  // Today is 10 April 2027 (UTC).
  ManualClock clock_{absl::FromCivil(absl::CivilSecond(2027, 4, 10, 9, 0, 0),
                                     absl::UTCTimeZone())};
  std::unique_ptr<eventstore::SqliteEventStore> store_;
  std::unique_ptr<projectdirectory::ProjectDirectory> projects_;
  std::unique_ptr<QualityHandlers> quality_;
  std::string standard_id_;
};

TEST_F(QualityHandlersTest,
       AnAuditsFindingsAndActionsDriveTheProjectsCompliance) {
  ASSERT_OK_AND_ASSIGN(
      v1::ProjectCompliance none,
      quality_->GetCompliance("erp", standard_id_, std::nullopt));
  EXPECT_EQ(none.status(), v1::COMPLIANCE_STATUS_NOT_AUDITED);

  ASSERT_OK_AND_ASSIGN(
      VersionedAudit audit,
      quality_->PlanAudit(Plan("erp", standard_id_), Ctx("plan")));
  const std::string id = audit.state.state().audit_id();
  EXPECT_EQ(audit.state.state().status(), v1::AUDIT_STATUS_PLANNED);
  ASSERT_OK_AND_ASSIGN(audit, quality_->StartAudit(id, {}, Ctx("start")));
  EXPECT_EQ(audit.state.state().started_on().day(), 10);  // today
  ASSERT_OK_AND_ASSIGN(
      audit, quality_->RecordFinding(id, "8.5.1", v1::FINDING_SEVERITY_MAJOR,
                                     "releases not traceable", Ctx("f1")));
  EXPECT_EQ(audit.state.last_finding_id(), "F1");
  EXPECT_THAT(
      quality_->RecordFinding(id, "4.4", v1::FINDING_SEVERITY_MINOR, "x",
                              Ctx("f-bad")),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("ISO 9001:2015")));
  ASSERT_OK_AND_ASSIGN(
      audit, quality_->AssignCorrectiveAction(id, "F1", "tag every release",
                                              "bob", On(4, 5), Ctx("a1")));
  EXPECT_EQ(audit.state.last_action_id(), "A1");
  ASSERT_OK_AND_ASSIGN(
      audit, quality_->CompleteAudit(id, {}, "one major", Ctx("complete")));
  EXPECT_EQ(audit.version, 5);

  ASSERT_OK_AND_ASSIGN(
      v1::ProjectCompliance c,
      quality_->GetCompliance("erp", standard_id_, std::nullopt));
  EXPECT_EQ(c.status(), v1::COMPLIANCE_STATUS_NON_COMPLIANT);
  EXPECT_EQ(c.audit_id(), id);
  EXPECT_EQ(c.overdue_corrective_actions(), 1);
  ASSERT_OK_AND_ASSIGN(auto overdue,
                       quality_->ListOverdueActions("", std::nullopt));
  ASSERT_EQ(overdue.size(), 1u);
  EXPECT_EQ(overdue[0].days_overdue(), 5);
  EXPECT_EQ(overdue[0].project_id(), "erp");
  ASSERT_OK_AND_ASSIGN(
      overdue, quality_->ListOverdueActions("", absl::CivilDay(2027, 4, 5)));
  EXPECT_TRUE(overdue.empty());

  // The fix: completed, verified by someone else, the finding closed.
  EXPECT_EQ(
      RuleOf(quality_->CloseFinding(id, "F1", Ctx("close-early")).status()),
      "FINDING_NEEDS_VERIFIED_ACTIONS");
  ASSERT_OK(
      quality_->CompleteCorrectiveAction(id, "A1", {}, Ctx("done")).status());
  EXPECT_EQ(
      RuleOf(quality_->VerifyCorrectiveAction(id, "A1", "bob", {}, Ctx("self"))
                 .status()),
      "VERIFIER_NOT_OWNER");
  ASSERT_OK(
      quality_->VerifyCorrectiveAction(id, "A1", "dana", {}, Ctx("verify"))
          .status());
  ASSERT_OK_AND_ASSIGN(audit, quality_->CloseFinding(id, "F1", Ctx("close")));
  EXPECT_TRUE(audit.state.FindFinding("F1")->closed());
  ASSERT_OK_AND_ASSIGN(
      c, quality_->GetCompliance("erp", standard_id_, std::nullopt));
  EXPECT_EQ(c.status(), v1::COMPLIANCE_STATUS_COMPLIANT);

  // A planned audit of another project shows as NOT_AUDITED in the list.
  ASSERT_OK(
      quality_->PlanAudit(Plan("crm", standard_id_), Ctx("plan-crm")).status());
  ASSERT_OK_AND_ASSIGN(auto all, quality_->ListCompliance("", std::nullopt));
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].project_id(), "crm");
  EXPECT_EQ(all[0].status(), v1::COMPLIANCE_STATUS_NOT_AUDITED);
  EXPECT_EQ(all[1].status(), v1::COMPLIANCE_STATUS_COMPLIANT);
  ASSERT_OK_AND_ASSIGN(auto audits, quality_->ListAudits("crm", ""));
  EXPECT_EQ(audits.size(), 1u);
}

TEST_F(QualityHandlersTest,
       IllegalStepsConflictsAndUnknownReferencesAreRefused) {
  EXPECT_THAT(
      quality_->DefineStandard(Iso9001(), Ctx("iso-again")),
      StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("ISO 9001:2015")));
  EXPECT_THAT(
      quality_->PlanAudit(Plan("erp", "00000000-0000-4000-8000-000000000000"),
                          Ctx("plan-unknown")),
      StatusIs(absl::StatusCode::kNotFound));
  const int64_t head = store_->HeadPosition();
  EXPECT_THAT(
      quality_->PlanAudit(Plan("ghost", standard_id_), Ctx("plan-ghost")),
      StatusIs(absl::StatusCode::kNotFound,
               HasSubstr("project_id: no project ghost")));
  EXPECT_EQ(store_->HeadPosition(), head);
  ASSERT_OK_AND_ASSIGN(
      VersionedAudit audit,
      quality_->PlanAudit(Plan("erp", standard_id_), Ctx("plan")));
  const std::string id = audit.state.state().audit_id();
  EXPECT_EQ(RuleOf(quality_
                       ->RecordFinding(id, "7.5", v1::FINDING_SEVERITY_MINOR,
                                       "x", Ctx("too-early"))
                       .status()),
            "AUDIT_WORKFLOW");
  EXPECT_THAT(quality_->StartAudit(id, On(3, 2), Ctx("stale", 3)),
              StatusIs(absl::StatusCode::kAborted));
  ASSERT_OK(quality_->StartAudit(id, On(3, 2), Ctx("start", 1)).status());
  // A retried request answers as the first time and appends nothing.
  ASSERT_OK_AND_ASSIGN(VersionedAudit again,
                       quality_->StartAudit(id, On(3, 2), Ctx("start", 1)));
  EXPECT_EQ(again.version, 2);
  EXPECT_EQ(
      RuleOf(quality_->StartAudit(id, On(3, 3), Ctx("start-twice")).status()),
      "AUDIT_WORKFLOW");
  EXPECT_THAT(quality_->GetAudit("00000000-0000-4000-8000-000000000000"),
              StatusIs(absl::StatusCode::kNotFound));
  ASSERT_OK_AND_ASSIGN(auto standards, quality_->ListStandards());
  ASSERT_EQ(standards.size(), 1u);
  EXPECT_THAT(standards[0].state.state().requirements(), ::testing::SizeIs(3));
}

}  // namespace
}  // namespace pmo::configuration
