#include "services/configuration/app/quality_handlers.h"

#include <algorithm>
#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "libs/base/errors.h"
#include "libs/base/ids.h"
#include "libs/dates/calendar_dates.h"
#include "services/configuration/app/business_time.h"

namespace pmo::configuration {

v1::QualityStandard ToProto(const VersionedStandard& standard) {
  v1::QualityStandard out = standard.state.state();
  out.set_version(standard.version);
  return out;
}

v1::Audit ToProto(const VersionedAudit& audit) {
  v1::Audit out = audit.state.state();
  out.set_version(audit.version);
  return out;
}

absl::CivilDay QualityHandlers::Today() const {
  return absl::ToCivilDay(clock_.Now(), absl::UTCTimeZone());
}

google::type::Date QualityHandlers::OrToday(
    const google::type::Date& date) const {
  return dates::IsSet(date) ? date : dates::ToDate(Today());
}

absl::StatusOr<VersionedStandard> QualityHandlers::DefineStandard(
    v1::QualityStandardDefined standard,
    eventsourcing::CommandContext context) {
  StampBusinessTime(context, clock_);
  const std::string id = NewUuid();
  standard.set_standard_id(id);
  const std::string code = standard.code();
  absl::StatusOr<VersionedStandard> defined =
      eventsourcing::ExecuteCommand<QualityStandardAggregate>(
          store_, id, context,
          [&](const VersionedStandard& s) { return s.state.Define(standard); },
          eventsourcing::StreamIdentity::kNew);
  if (defined.status().code() == absl::StatusCode::kAlreadyExists) {
    return absl::AlreadyExistsError(
        absl::StrCat("quality standard '", code, "' is defined"));
  }
  return defined;
}

absl::StatusOr<VersionedStandard> QualityHandlers::GetStandard(
    const std::string& standard_id) {
  ASSIGN_OR_RETURN(VersionedStandard s,
                   eventsourcing::LoadAggregate<QualityStandardAggregate>(
                       store_, standard_id));
  if (!s.state.exists()) {
    return absl::NotFoundError(
        absl::StrCat("quality standard ", standard_id, " not found"));
  }
  return s;
}

absl::StatusOr<std::vector<VersionedStandard>>
QualityHandlers::ListStandards() {
  return eventsourcing::LoadAllOfType<QualityStandardAggregate>(store_);
}

absl::StatusOr<VersionedAudit> QualityHandlers::PlanAudit(
    v1::AuditPlanned plan, eventsourcing::CommandContext context) {
  StampBusinessTime(context, clock_);
  RETURN_IF_ERROR(ValidateAuditPlan(plan));
  RETURN_IF_ERROR(GetStandard(plan.standard_id()).status());
  RETURN_IF_ERROR(
      CheckKnownProject(projects_, "project_id", plan.project_id()));
  const std::string id = NewUuid();
  plan.set_audit_id(id);
  return eventsourcing::ExecuteCommand<AuditAggregate>(
      store_, id, context,
      [&](const VersionedAudit& a) { return a.state.Plan(plan); },
      eventsourcing::StreamIdentity::kNew);
}

absl::StatusOr<VersionedAudit> QualityHandlers::GetAudit(
    const std::string& audit_id) {
  ASSIGN_OR_RETURN(
      VersionedAudit a,
      eventsourcing::LoadAggregate<AuditAggregate>(store_, audit_id));
  if (!a.state.exists())
    return absl::NotFoundError(absl::StrCat("audit ", audit_id, " not found"));
  return a;
}

absl::StatusOr<std::vector<VersionedAudit>> QualityHandlers::ListAudits(
    const std::string& project_id, const std::string& standard_id) {
  ASSIGN_OR_RETURN(std::vector<VersionedAudit> all,
                   eventsourcing::LoadAllOfType<AuditAggregate>(store_));
  std::vector<VersionedAudit> out;
  for (VersionedAudit& a : all) {
    if (!project_id.empty() && a.state.state().project_id() != project_id)
      continue;
    if (!standard_id.empty() && a.state.state().standard_id() != standard_id)
      continue;
    out.push_back(std::move(a));
  }
  return out;
}

absl::StatusOr<VersionedAudit> QualityHandlers::Run(
    const std::string& audit_id, eventsourcing::CommandContext context,
    const AuditCommand& decide) {
  StampBusinessTime(context, clock_);
  return eventsourcing::ExecuteCommand<AuditAggregate>(store_, audit_id,
                                                       context, decide);
}

absl::StatusOr<VersionedAudit> QualityHandlers::StartAudit(
    const std::string& audit_id, google::type::Date started_on,
    eventsourcing::CommandContext context) {
  started_on = OrToday(started_on);
  return Run(audit_id, std::move(context), [&](const VersionedAudit& a) {
    return a.state.Start(started_on);
  });
}

absl::StatusOr<VersionedAudit> QualityHandlers::RecordFinding(
    const std::string& audit_id, const std::string& clause,
    v1::FindingSeverity severity, const std::string& description,
    eventsourcing::CommandContext context) {
  return Run(
      audit_id, std::move(context),
      [&](const VersionedAudit& a) -> absl::StatusOr<eventsourcing::Decision> {
        if (!a.state.exists()) return absl::NotFoundError("audit not found");
        ASSIGN_OR_RETURN(VersionedStandard standard,
                         GetStandard(a.state.state().standard_id()));
        return a.state.RecordFinding(standard.state.state(), clause, severity,
                                     description);
      });
}

absl::StatusOr<VersionedAudit> QualityHandlers::AssignCorrectiveAction(
    const std::string& audit_id, const std::string& finding_id,
    const std::string& description, const std::string& owner,
    const google::type::Date& due, eventsourcing::CommandContext context) {
  return Run(audit_id, std::move(context), [&](const VersionedAudit& a) {
    return a.state.AssignCorrectiveAction(finding_id, description, owner, due);
  });
}

absl::StatusOr<VersionedAudit> QualityHandlers::CompleteCorrectiveAction(
    const std::string& audit_id, const std::string& action_id,
    google::type::Date completed_on, eventsourcing::CommandContext context) {
  completed_on = OrToday(completed_on);
  return Run(audit_id, std::move(context), [&](const VersionedAudit& a) {
    return a.state.CompleteCorrectiveAction(action_id, completed_on);
  });
}

absl::StatusOr<VersionedAudit> QualityHandlers::VerifyCorrectiveAction(
    const std::string& audit_id, const std::string& action_id,
    const std::string& verified_by, google::type::Date verified_on,
    eventsourcing::CommandContext context) {
  verified_on = OrToday(verified_on);
  return Run(audit_id, std::move(context), [&](const VersionedAudit& a) {
    return a.state.VerifyCorrectiveAction(action_id, verified_by, verified_on);
  });
}

absl::StatusOr<VersionedAudit> QualityHandlers::CloseFinding(
    const std::string& audit_id, const std::string& finding_id,
    eventsourcing::CommandContext context) {
  return Run(audit_id, std::move(context), [&](const VersionedAudit& a) {
    return a.state.CloseFinding(finding_id);
  });
}

absl::StatusOr<VersionedAudit> QualityHandlers::CompleteAudit(
    const std::string& audit_id, google::type::Date completed_on,
    const std::string& summary, eventsourcing::CommandContext context) {
  completed_on = OrToday(completed_on);
  return Run(audit_id, std::move(context), [&](const VersionedAudit& a) {
    return a.state.Complete(completed_on, summary);
  });
}

absl::StatusOr<v1::ProjectCompliance> QualityHandlers::GetCompliance(
    const std::string& project_id, const std::string& standard_id,
    std::optional<absl::CivilDay> as_of) {
  RETURN_IF_ERROR(GetStandard(standard_id).status());
  ASSIGN_OR_RETURN(std::vector<VersionedAudit> audits,
                   ListAudits(project_id, standard_id));
  std::vector<const v1::Audit*> states;
  states.reserve(audits.size());
  for (const VersionedAudit& a : audits) states.push_back(&a.state.state());
  return DeriveCompliance(project_id, standard_id, states,
                          as_of.value_or(Today()));
}

absl::StatusOr<std::vector<v1::ProjectCompliance>>
QualityHandlers::ListCompliance(const std::string& project_id,
                                std::optional<absl::CivilDay> as_of) {
  ASSIGN_OR_RETURN(std::vector<VersionedAudit> audits,
                   ListAudits(project_id, ""));
  std::map<std::pair<std::string, std::string>, std::vector<const v1::Audit*>>
      by_scope;
  for (const VersionedAudit& a : audits) {
    by_scope[{a.state.state().project_id(), a.state.state().standard_id()}]
        .push_back(&a.state.state());
  }
  const absl::CivilDay day = as_of.value_or(Today());
  std::vector<v1::ProjectCompliance> out;
  out.reserve(by_scope.size());
  for (const auto& [scope, states] : by_scope) {
    out.push_back(DeriveCompliance(scope.first, scope.second, states, day));
  }
  return out;
}

absl::StatusOr<std::vector<v1::OverdueCorrectiveAction>>
QualityHandlers::ListOverdueActions(const std::string& project_id,
                                    std::optional<absl::CivilDay> as_of) {
  ASSIGN_OR_RETURN(std::vector<VersionedAudit> audits,
                   ListAudits(project_id, ""));
  const absl::CivilDay day = as_of.value_or(Today());
  std::vector<v1::OverdueCorrectiveAction> out;
  for (const VersionedAudit& a : audits) {
    for (v1::OverdueCorrectiveAction& o :
         OverdueActions(a.state.state(), day)) {
      out.push_back(std::move(o));
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& x, const auto& y) {
    return x.days_overdue() > y.days_overdue();
  });
  return out;
}

}  // namespace pmo::configuration
