#pragma once

// Commands and queries of quality management: standards, audits of
// projects against them, findings, corrective actions, and the compliance
// of each project derived from its audits.

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "libs/base/clock.h"
#include "libs/eventsourcing/command_handling.h"
#include "libs/eventstore/event_store.h"
#include "services/configuration/app/known_projects.h"
#include "services/configuration/domain/audit.h"
#include "services/configuration/domain/quality_standard.h"

namespace pmo::configuration {

using VersionedStandard = eventsourcing::Versioned<QualityStandardAggregate>;
using VersionedAudit = eventsourcing::Versioned<AuditAggregate>;

v1::QualityStandard ToProto(const VersionedStandard& standard);
v1::Audit ToProto(const VersionedAudit& audit);

class QualityHandlers {
 public:
  QualityHandlers(eventstore::EventStore& store,
                  projectdirectory::KnownProjects& projects,
                  const Clock& clock = Clock::Real())
      : store_(store), projects_(projects), clock_(clock) {}

  // ALREADY_EXISTS when the code is taken.
  absl::StatusOr<VersionedStandard> DefineStandard(
      v1::QualityStandardDefined standard,
      eventsourcing::CommandContext context);
  absl::StatusOr<VersionedStandard> GetStandard(const std::string& standard_id);
  // In definition order.
  absl::StatusOr<std::vector<VersionedStandard>> ListStandards();

  // NOT_FOUND when the standard or the project is unknown.
  absl::StatusOr<VersionedAudit> PlanAudit(
      v1::AuditPlanned plan, eventsourcing::CommandContext context);
  absl::StatusOr<VersionedAudit> GetAudit(const std::string& audit_id);
  // In planning order; empty filters match every audit.
  absl::StatusOr<std::vector<VersionedAudit>> ListAudits(
      const std::string& project_id, const std::string& standard_id);
  // Dates left unset (all zero) mean today (UTC).
  absl::StatusOr<VersionedAudit> StartAudit(
      const std::string& audit_id, google::type::Date started_on,
      eventsourcing::CommandContext context);
  absl::StatusOr<VersionedAudit> RecordFinding(
      const std::string& audit_id, const std::string& clause,
      v1::FindingSeverity severity, const std::string& description,
      eventsourcing::CommandContext context);
  absl::StatusOr<VersionedAudit> AssignCorrectiveAction(
      const std::string& audit_id, const std::string& finding_id,
      const std::string& description, const std::string& owner,
      const google::type::Date& due, eventsourcing::CommandContext context);
  absl::StatusOr<VersionedAudit> CompleteCorrectiveAction(
      const std::string& audit_id, const std::string& action_id,
      google::type::Date completed_on, eventsourcing::CommandContext context);
  absl::StatusOr<VersionedAudit> VerifyCorrectiveAction(
      const std::string& audit_id, const std::string& action_id,
      const std::string& verified_by, google::type::Date verified_on,
      eventsourcing::CommandContext context);
  absl::StatusOr<VersionedAudit> CloseFinding(
      const std::string& audit_id, const std::string& finding_id,
      eventsourcing::CommandContext context);
  absl::StatusOr<VersionedAudit> CompleteAudit(
      const std::string& audit_id, google::type::Date completed_on,
      const std::string& summary, eventsourcing::CommandContext context);

  // `as_of` nullopt: today (UTC). NOT_FOUND when the standard is unknown.
  absl::StatusOr<v1::ProjectCompliance> GetCompliance(
      const std::string& project_id, const std::string& standard_id,
      std::optional<absl::CivilDay> as_of);
  // Every (project, standard) with an audit, by project then standard;
  // `project_id` empty: every project.
  absl::StatusOr<std::vector<v1::ProjectCompliance>> ListCompliance(
      const std::string& project_id, std::optional<absl::CivilDay> as_of);
  // Most overdue first; `project_id` empty: every project.
  absl::StatusOr<std::vector<v1::OverdueCorrectiveAction>> ListOverdueActions(
      const std::string& project_id, std::optional<absl::CivilDay> as_of);

 private:
  using AuditCommand = std::function<absl::StatusOr<eventsourcing::Decision>(
      const VersionedAudit&)>;
  absl::StatusOr<VersionedAudit> Run(const std::string& audit_id,
                                     eventsourcing::CommandContext context,
                                     const AuditCommand& decide);
  absl::CivilDay Today() const;
  // `date`, or today when it is unset.
  google::type::Date OrToday(const google::type::Date& date) const;

  eventstore::EventStore& store_;
  projectdirectory::KnownProjects& projects_;
  const Clock& clock_;
};

}  // namespace pmo::configuration
