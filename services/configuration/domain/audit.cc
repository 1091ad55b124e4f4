#include "services/configuration/domain/audit.h"

#include "absl/strings/str_cat.h"
#include "libs/base/errors.h"
#include "libs/base/status_macros.h"
#include "libs/dates/calendar_dates.h"
#include "services/configuration/domain/field_checks.h"

namespace pmo::configuration {
namespace {

std::string Subject(const v1::Audit& audit) {
  return absl::StrCat("audits/", audit.audit_id());
}

const char* StepName(AuditStep step) {
  switch (step) {
    case AuditStep::kStart:
      return "start";
    case AuditStep::kRecordFinding:
      return "record a finding on";
    case AuditStep::kComplete:
      return "complete";
    case AuditStep::kWorkOnFindings:
      return "act on the findings of";
  }
  return "change";
}

void CheckRealDate(FieldViolations& v, const std::string& field,
                   const google::type::Date& date) {
  if (!dates::IsSet(date)) {
    v.Add(field, "is required");
  } else if (!dates::IsRealDate(date)) {
    v.Add(field, "is not a valid calendar date");
  }
}

bool Counts(v1::FindingSeverity severity) {
  return severity == v1::FINDING_SEVERITY_MINOR ||
         severity == v1::FINDING_SEVERITY_MAJOR ||
         severity == v1::FINDING_SEVERITY_CRITICAL;
}

}  // namespace

bool AuditStepAllowed(v1::AuditStatus status, AuditStep step) {
  switch (step) {
    case AuditStep::kStart:
      return status == v1::AUDIT_STATUS_PLANNED;
    case AuditStep::kRecordFinding:
    case AuditStep::kComplete:
      return status == v1::AUDIT_STATUS_IN_PROGRESS;
    case AuditStep::kWorkOnFindings:
      return status == v1::AUDIT_STATUS_IN_PROGRESS ||
             status == v1::AUDIT_STATUS_COMPLETED;
  }
  return false;
}

absl::Status ValidateAuditPlan(const v1::AuditPlanned& plan) {
  FieldViolations v;
  CheckText(v, "project_id", plan.project_id(), 64);
  if (plan.body() == v1::AUDITING_BODY_UNSPECIFIED ||
      !v1::AuditingBody_IsValid(plan.body())) {
    v.Add("body", "must be INTERNAL_QA or EXTERNAL");
  }
  CheckText(v, "lead_auditor", plan.lead_auditor(), 200);
  CheckRealDate(v, "planned_on", plan.planned_on());
  return v.ToStatus();
}

void AuditAggregate::Apply(const google::protobuf::Message& event, absl::Time) {
  if (const auto* p = dynamic_cast<const v1::AuditPlanned*>(&event)) {
    state_.set_audit_id(p->audit_id());
    state_.set_project_id(p->project_id());
    state_.set_standard_id(p->standard_id());
    state_.set_body(p->body());
    state_.set_lead_auditor(p->lead_auditor());
    *state_.mutable_planned_on() = p->planned_on();
    state_.set_status(v1::AUDIT_STATUS_PLANNED);
  } else if (const auto* s = dynamic_cast<const v1::AuditStarted*>(&event)) {
    *state_.mutable_started_on() = s->started_on();
    state_.set_status(v1::AUDIT_STATUS_IN_PROGRESS);
  } else if (const auto* f =
                 dynamic_cast<const v1::AuditFindingRecorded*>(&event)) {
    v1::AuditFinding* finding = state_.add_findings();
    finding->set_finding_id(f->finding_id());
    finding->set_clause(f->clause());
    finding->set_severity(f->severity());
    finding->set_description(f->description());
  } else if (const auto* a =
                 dynamic_cast<const v1::CorrectiveActionAssigned*>(&event)) {
    if (v1::AuditFinding* finding = MutableFinding(a->finding_id())) {
      v1::CorrectiveAction* action = finding->add_corrective_actions();
      *action = a->action();
      action->set_status(v1::CORRECTIVE_ACTION_STATUS_OPEN);
    }
    ++action_count_;
  } else if (const auto* c =
                 dynamic_cast<const v1::CorrectiveActionCompleted*>(&event)) {
    if (v1::CorrectiveAction* action = MutableAction(c->action_id())) {
      *action->mutable_completed_on() = c->completed_on();
      action->set_status(v1::CORRECTIVE_ACTION_STATUS_COMPLETED);
    }
  } else if (const auto* ver =
                 dynamic_cast<const v1::CorrectiveActionVerified*>(&event)) {
    if (v1::CorrectiveAction* action = MutableAction(ver->action_id())) {
      action->set_verified_by(ver->verified_by());
      *action->mutable_verified_on() = ver->verified_on();
      action->set_status(v1::CORRECTIVE_ACTION_STATUS_VERIFIED);
    }
  } else if (const auto* cl =
                 dynamic_cast<const v1::AuditFindingClosed*>(&event)) {
    if (v1::AuditFinding* finding = MutableFinding(cl->finding_id()))
      finding->set_closed(true);
  } else if (const auto* done =
                 dynamic_cast<const v1::AuditCompleted*>(&event)) {
    *state_.mutable_completed_on() = done->completed_on();
    state_.set_summary(done->summary());
    state_.set_status(v1::AUDIT_STATUS_COMPLETED);
  }
}

const v1::AuditFinding* AuditAggregate::FindFinding(
    const std::string& finding_id) const {
  for (const v1::AuditFinding& f : state_.findings()) {
    if (f.finding_id() == finding_id) return &f;
  }
  return nullptr;
}

std::string AuditAggregate::last_finding_id() const {
  return state_.findings().empty() ? ""
                                   : state_.findings().rbegin()->finding_id();
}

std::string AuditAggregate::last_action_id() const {
  return action_count_ == 0 ? "" : absl::StrCat("A", action_count_);
}

v1::AuditFinding* AuditAggregate::MutableFinding(
    const std::string& finding_id) {
  for (v1::AuditFinding& f : *state_.mutable_findings()) {
    if (f.finding_id() == finding_id) return &f;
  }
  return nullptr;
}

v1::CorrectiveAction* AuditAggregate::MutableAction(
    const std::string& action_id) {
  for (v1::AuditFinding& f : *state_.mutable_findings()) {
    for (v1::CorrectiveAction& a : *f.mutable_corrective_actions()) {
      if (a.action_id() == action_id) return &a;
    }
  }
  return nullptr;
}

absl::StatusOr<std::pair<const v1::AuditFinding*, const v1::CorrectiveAction*>>
AuditAggregate::FindAction(const std::string& action_id) const {
  for (const v1::AuditFinding& f : state_.findings()) {
    for (const v1::CorrectiveAction& a : f.corrective_actions()) {
      if (a.action_id() == action_id) return std::make_pair(&f, &a);
    }
  }
  return absl::NotFoundError(absl::StrCat(
      "audit ", state_.audit_id(), " has no corrective action ", action_id));
}

absl::Status AuditAggregate::CheckStep(AuditStep step) const {
  if (!exists()) return absl::NotFoundError("audit not found");
  if (!AuditStepAllowed(state_.status(), step)) {
    return RuleViolationError(
        "AUDIT_WORKFLOW", Subject(state_),
        absl::StrCat("cannot ", StepName(step), " a ",
                     v1::AuditStatus_Name(state_.status()), " audit"));
  }
  return absl::OkStatus();
}

absl::StatusOr<eventsourcing::Decision> AuditAggregate::Plan(
    v1::AuditPlanned plan) const {
  if (exists()) return absl::AlreadyExistsError("audit exists");
  RETURN_IF_ERROR(ValidateAuditPlan(plan));
  eventsourcing::Decision decision;
  decision.events.push_back(
      std::make_unique<v1::AuditPlanned>(std::move(plan)));
  return decision;
}

absl::StatusOr<eventsourcing::Decision> AuditAggregate::Start(
    const google::type::Date& started_on) const {
  FieldViolations v;
  CheckRealDate(v, "started_on", started_on);
  RETURN_IF_ERROR(v.ToStatus());
  RETURN_IF_ERROR(CheckStep(AuditStep::kStart));
  auto started = std::make_unique<v1::AuditStarted>();
  started->set_audit_id(state_.audit_id());
  *started->mutable_started_on() = started_on;
  eventsourcing::Decision decision;
  decision.events.push_back(std::move(started));
  return decision;
}

absl::StatusOr<eventsourcing::Decision> AuditAggregate::RecordFinding(
    const v1::QualityStandard& standard, const std::string& clause,
    v1::FindingSeverity severity, const std::string& description) const {
  FieldViolations v;
  CheckText(v, "clause", clause, 50);
  if (severity == v1::FINDING_SEVERITY_UNSPECIFIED ||
      !v1::FindingSeverity_IsValid(severity)) {
    v.Add("severity", "must be OBSERVATION, MINOR, MAJOR or CRITICAL");
  }
  CheckText(v, "description", description, 4000, TextKind::kMultiline);
  RETURN_IF_ERROR(v.ToStatus());
  RETURN_IF_ERROR(CheckStep(AuditStep::kRecordFinding));
  bool known = false;
  for (const v1::StandardRequirement& r : standard.requirements())
    known = known || r.clause() == clause;
  if (!known) {
    FieldViolations unknown;
    unknown.Add("clause",
                absl::StrCat("is not a requirement of ", standard.code()));
    return unknown.ToStatus();
  }
  auto recorded = std::make_unique<v1::AuditFindingRecorded>();
  recorded->set_audit_id(state_.audit_id());
  recorded->set_finding_id(absl::StrCat("F", state_.findings_size() + 1));
  recorded->set_clause(clause);
  recorded->set_severity(severity);
  recorded->set_description(description);
  eventsourcing::Decision decision;
  decision.events.push_back(std::move(recorded));
  return decision;
}

absl::StatusOr<eventsourcing::Decision> AuditAggregate::AssignCorrectiveAction(
    const std::string& finding_id, const std::string& description,
    const std::string& owner, const google::type::Date& due) const {
  FieldViolations v;
  CheckText(v, "description", description, 4000, TextKind::kMultiline);
  CheckText(v, "owner", owner, 128);
  CheckRealDate(v, "due", due);
  RETURN_IF_ERROR(v.ToStatus());
  RETURN_IF_ERROR(CheckStep(AuditStep::kWorkOnFindings));
  const v1::AuditFinding* finding = FindFinding(finding_id);
  if (finding == nullptr) {
    return absl::NotFoundError(absl::StrCat("audit ", state_.audit_id(),
                                            " has no finding ", finding_id));
  }
  if (finding->closed()) {
    return RuleViolationError(
        "FINDING_CLOSED", Subject(state_),
        absl::StrCat("finding ", finding_id, " is closed"));
  }
  auto assigned = std::make_unique<v1::CorrectiveActionAssigned>();
  assigned->set_audit_id(state_.audit_id());
  assigned->set_finding_id(finding_id);
  v1::CorrectiveAction* action = assigned->mutable_action();
  action->set_action_id(absl::StrCat("A", action_count_ + 1));
  action->set_description(description);
  action->set_owner(owner);
  *action->mutable_due() = due;
  eventsourcing::Decision decision;
  decision.events.push_back(std::move(assigned));
  return decision;
}

absl::StatusOr<eventsourcing::Decision>
AuditAggregate::CompleteCorrectiveAction(
    const std::string& action_id,
    const google::type::Date& completed_on) const {
  FieldViolations v;
  CheckRealDate(v, "completed_on", completed_on);
  RETURN_IF_ERROR(v.ToStatus());
  RETURN_IF_ERROR(CheckStep(AuditStep::kWorkOnFindings));
  ASSIGN_OR_RETURN(auto found, FindAction(action_id));
  if (found.second->status() != v1::CORRECTIVE_ACTION_STATUS_OPEN) {
    return RuleViolationError(
        "CORRECTIVE_ACTION_WORKFLOW", Subject(state_),
        absl::StrCat("corrective action ", action_id, " is ",
                     v1::CorrectiveActionStatus_Name(found.second->status()),
                     ", not OPEN"));
  }
  auto completed = std::make_unique<v1::CorrectiveActionCompleted>();
  completed->set_audit_id(state_.audit_id());
  completed->set_action_id(action_id);
  *completed->mutable_completed_on() = completed_on;
  eventsourcing::Decision decision;
  decision.events.push_back(std::move(completed));
  return decision;
}

absl::StatusOr<eventsourcing::Decision> AuditAggregate::VerifyCorrectiveAction(
    const std::string& action_id, const std::string& verified_by,
    const google::type::Date& verified_on) const {
  FieldViolations v;
  CheckText(v, "verified_by", verified_by, 128);
  CheckRealDate(v, "verified_on", verified_on);
  RETURN_IF_ERROR(v.ToStatus());
  RETURN_IF_ERROR(CheckStep(AuditStep::kWorkOnFindings));
  ASSIGN_OR_RETURN(auto found, FindAction(action_id));
  const v1::CorrectiveAction& action = *found.second;
  if (action.status() != v1::CORRECTIVE_ACTION_STATUS_COMPLETED) {
    return RuleViolationError(
        "CORRECTIVE_ACTION_WORKFLOW", Subject(state_),
        absl::StrCat("corrective action ", action_id, " is ",
                     v1::CorrectiveActionStatus_Name(action.status()),
                     ", not COMPLETED"));
  }
  if (action.owner() == verified_by) {
    return RuleViolationError(
        "VERIFIER_NOT_OWNER", Subject(state_),
        absl::StrCat(verified_by, " owns corrective action ", action_id,
                     " and cannot verify it"));
  }
  auto verified = std::make_unique<v1::CorrectiveActionVerified>();
  verified->set_audit_id(state_.audit_id());
  verified->set_action_id(action_id);
  verified->set_verified_by(verified_by);
  *verified->mutable_verified_on() = verified_on;
  eventsourcing::Decision decision;
  decision.events.push_back(std::move(verified));
  return decision;
}

absl::StatusOr<eventsourcing::Decision> AuditAggregate::CloseFinding(
    const std::string& finding_id) const {
  RETURN_IF_ERROR(CheckStep(AuditStep::kWorkOnFindings));
  const v1::AuditFinding* finding = FindFinding(finding_id);
  if (finding == nullptr) {
    return absl::NotFoundError(absl::StrCat("audit ", state_.audit_id(),
                                            " has no finding ", finding_id));
  }
  if (finding->closed()) {
    return RuleViolationError(
        "FINDING_CLOSED", Subject(state_),
        absl::StrCat("finding ", finding_id, " is closed"));
  }
  int verified = 0;
  for (const v1::CorrectiveAction& a : finding->corrective_actions()) {
    if (a.status() != v1::CORRECTIVE_ACTION_STATUS_VERIFIED) {
      return RuleViolationError(
          "FINDING_NEEDS_VERIFIED_ACTIONS", Subject(state_),
          absl::StrCat("corrective action ", a.action_id(), " of finding ",
                       finding_id, " is not verified"));
    }
    ++verified;
  }
  if (verified == 0 && Counts(finding->severity())) {
    return RuleViolationError(
        "FINDING_NEEDS_VERIFIED_ACTIONS", Subject(state_),
        absl::StrCat("a ", v1::FindingSeverity_Name(finding->severity()),
                     " finding (", finding_id,
                     ") closes only after a verified corrective action"));
  }
  auto closed = std::make_unique<v1::AuditFindingClosed>();
  closed->set_audit_id(state_.audit_id());
  closed->set_finding_id(finding_id);
  eventsourcing::Decision decision;
  decision.events.push_back(std::move(closed));
  return decision;
}

absl::StatusOr<eventsourcing::Decision> AuditAggregate::Complete(
    const google::type::Date& completed_on, const std::string& summary) const {
  FieldViolations v;
  CheckRealDate(v, "completed_on", completed_on);
  CheckText(v, "summary", summary, 4000, TextKind::kMultiline);
  RETURN_IF_ERROR(v.ToStatus());
  RETURN_IF_ERROR(CheckStep(AuditStep::kComplete));
  if (dates::Day(completed_on) < dates::Day(state_.started_on())) {
    FieldViolations early;
    early.Add("completed_on", "must not be before the audit started");
    return early.ToStatus();
  }
  auto completed = std::make_unique<v1::AuditCompleted>();
  completed->set_audit_id(state_.audit_id());
  *completed->mutable_completed_on() = completed_on;
  completed->set_summary(summary);
  eventsourcing::Decision decision;
  decision.events.push_back(std::move(completed));
  return decision;
}

std::vector<v1::OverdueCorrectiveAction> OverdueActions(const v1::Audit& audit,
                                                        absl::CivilDay today) {
  std::vector<v1::OverdueCorrectiveAction> out;
  for (const v1::AuditFinding& f : audit.findings()) {
    for (const v1::CorrectiveAction& a : f.corrective_actions()) {
      if (a.status() != v1::CORRECTIVE_ACTION_STATUS_OPEN) continue;
      const absl::CivilDay due = dates::Day(a.due());
      if (due >= today) continue;
      v1::OverdueCorrectiveAction& overdue = out.emplace_back();
      overdue.set_audit_id(audit.audit_id());
      overdue.set_project_id(audit.project_id());
      overdue.set_standard_id(audit.standard_id());
      overdue.set_finding_id(f.finding_id());
      overdue.set_clause(f.clause());
      overdue.set_severity(f.severity());
      *overdue.mutable_action() = a;
      overdue.set_days_overdue(static_cast<int32_t>(today - due));
    }
  }
  return out;
}

v1::ProjectCompliance DeriveCompliance(
    const std::string& project_id, const std::string& standard_id,
    const std::vector<const v1::Audit*>& audits, absl::CivilDay today) {
  v1::ProjectCompliance out;
  out.set_project_id(project_id);
  out.set_standard_id(standard_id);
  bool major_open = false;
  int32_t open = 0, overdue = 0;
  const v1::Audit* last_completed = nullptr;
  for (const v1::Audit* audit : audits) {
    if (audit->project_id() != project_id ||
        audit->standard_id() != standard_id)
      continue;
    if (audit->status() == v1::AUDIT_STATUS_COMPLETED &&
        (last_completed == nullptr ||
         dates::Day(audit->completed_on()) >=
             dates::Day(last_completed->completed_on()))) {
      last_completed = audit;
    }
    for (const v1::AuditFinding& f : audit->findings()) {
      if (f.closed() || !Counts(f.severity())) continue;
      ++open;
      major_open = major_open || f.severity() != v1::FINDING_SEVERITY_MINOR;
    }
    overdue += static_cast<int32_t>(OverdueActions(*audit, today).size());
  }
  if (last_completed != nullptr) out.set_audit_id(last_completed->audit_id());
  out.set_open_findings(open);
  out.set_overdue_corrective_actions(overdue);
  if (major_open) {
    out.set_status(v1::COMPLIANCE_STATUS_NON_COMPLIANT);
  } else if (open > 0) {
    out.set_status(v1::COMPLIANCE_STATUS_COMPLIANT_WITH_FINDINGS);
  } else if (last_completed != nullptr) {
    out.set_status(v1::COMPLIANCE_STATUS_COMPLIANT);
  } else {
    out.set_status(v1::COMPLIANCE_STATUS_NOT_AUDITED);
  }
  return out;
}

}  // namespace pmo::configuration
