#pragma once

// The Audit aggregate: one audit of a project against a quality standard,
// by internal QA or an external body, with its findings and their
// corrective actions.
//
//   audit:      PLANNED --start--> IN_PROGRESS --complete--> COMPLETED
//   finding:    recorded (IN_PROGRESS only) --close--> closed
//   action:     OPEN --complete--> COMPLETED --verify--> VERIFIED
//
// Rules, each a FAILED_PRECONDITION naming it:
//   AUDIT_WORKFLOW          start only PLANNED, complete only IN_PROGRESS,
//                           findings only IN_PROGRESS, nothing on a PLANNED
//                           audit's findings.
//   FINDING_CLOSED          a closed finding takes no action and no close.
//   CORRECTIVE_ACTION_WORKFLOW  complete only OPEN, verify only COMPLETED.
//   VERIFIER_NOT_OWNER      an action's owner cannot verify it.
//   FINDING_NEEDS_VERIFIED_ACTIONS  a finding closes when all its actions
//                           are verified, and a minor, major or critical
//                           one needs at least one.
//
// Finding ids ("F1", "F2"...) and action ids ("A1", "A2"...) are given
// here, in order, unique in the audit.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "libs/eventsourcing/decision.h"
#include "pmo/configuration/v1/events.pb.h"

namespace pmo::configuration {

// The steps of an audit, one per command.
enum class AuditStep { kStart, kRecordFinding, kComplete, kWorkOnFindings };

// Whether `step` may be taken on an audit in `status` (the workflow's table).
bool AuditStepAllowed(v1::AuditStatus status, AuditStep step);

// Field checks of a plan; violations name request fields.
absl::Status ValidateAuditPlan(const v1::AuditPlanned& plan);

class AuditAggregate {
 public:
  static constexpr char kStreamType[] = "audit";

  void Apply(const google::protobuf::Message& event, absl::Time occurred_at);

  // The handler has checked that the standard exists.
  absl::StatusOr<eventsourcing::Decision> Plan(v1::AuditPlanned plan) const;
  absl::StatusOr<eventsourcing::Decision> Start(
      const google::type::Date& started_on) const;
  // `standard` is the standard audited against: `clause` must be one of its
  // requirements.
  absl::StatusOr<eventsourcing::Decision> RecordFinding(
      const v1::QualityStandard& standard, const std::string& clause,
      v1::FindingSeverity severity, const std::string& description) const;
  absl::StatusOr<eventsourcing::Decision> AssignCorrectiveAction(
      const std::string& finding_id, const std::string& description,
      const std::string& owner, const google::type::Date& due) const;
  absl::StatusOr<eventsourcing::Decision> CompleteCorrectiveAction(
      const std::string& action_id,
      const google::type::Date& completed_on) const;
  absl::StatusOr<eventsourcing::Decision> VerifyCorrectiveAction(
      const std::string& action_id, const std::string& verified_by,
      const google::type::Date& verified_on) const;
  absl::StatusOr<eventsourcing::Decision> CloseFinding(
      const std::string& finding_id) const;
  absl::StatusOr<eventsourcing::Decision> Complete(
      const google::type::Date& completed_on, const std::string& summary) const;

  bool exists() const { return !state_.audit_id().empty(); }
  const v1::AuditFinding* FindFinding(const std::string& finding_id) const;
  // The id of the last finding recorded and of the last action assigned
  // (empty when none).
  std::string last_finding_id() const;
  std::string last_action_id() const;
  // Without the stream version (the handler adds it).
  const v1::Audit& state() const { return state_; }

 private:
  absl::Status CheckStep(AuditStep step) const;
  // The finding holding `action_id` (and the action), or NOT_FOUND.
  absl::StatusOr<
      std::pair<const v1::AuditFinding*, const v1::CorrectiveAction*>>
  FindAction(const std::string& action_id) const;
  v1::AuditFinding* MutableFinding(const std::string& finding_id);
  v1::CorrectiveAction* MutableAction(const std::string& action_id);
  int action_count_ = 0;
  v1::Audit state_;
};

// The compliance of `project_id` with `standard_id` on `today`, from every
// audit of that project against that standard (see ProjectCompliance in
// quality.proto).
v1::ProjectCompliance DeriveCompliance(
    const std::string& project_id, const std::string& standard_id,
    const std::vector<const v1::Audit*>& audits, absl::CivilDay today);

// Open corrective actions of `audit` due before `today`.
std::vector<v1::OverdueCorrectiveAction> OverdueActions(const v1::Audit& audit,
                                                        absl::CivilDay today);

}  // namespace pmo::configuration
