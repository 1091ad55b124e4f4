#pragma once

// Commands and queries of the risk register. Ratings come from the matrix of
// the risk's portfolio (libs/riskscoring over the portfolio's configured
// version) and are recorded with its version.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/base/clock.h"
#include "libs/eventsourcing/command_handling.h"
#include "libs/eventstore/event_store.h"
#include "libs/riskscoring/risk_matrix.h"
#include "services/risks/app/issue_handlers.h"
#include "services/risks/app/risk_scopes.h"
#include "services/risks/domain/combined_risk.h"
#include "services/risks/domain/risk.h"

namespace pmo::risks {

using VersionedRisk = eventsourcing::Versioned<RiskAggregate>;
using VersionedCombinedRisk = eventsourcing::Versioned<CombinedRiskAggregate>;

struct RiskStatusChange {
  VersionedRisk risk;
  // The issue opened when a threat occurred.
  std::optional<VersionedIssue> issue;
};

class RiskHandlers {
 public:
  RiskHandlers(eventstore::EventStore& store, RiskScopes& scopes,
               IssueHandlers& issues, const Clock& clock = Clock::Real())
      : store_(store), scopes_(scopes), issues_(issues), clock_(clock) {}

  // The scope must be known (FAILED_PRECONDITION UNKNOWN_PROJECT...).
  absl::StatusOr<VersionedRisk> IdentifyRisk(
      v1::RiskIdentified risk, eventsourcing::CommandContext context);
  absl::StatusOr<VersionedRisk> GetRisk(const std::string& risk_id);
  // The risk's events, oldest first; NOT_FOUND for an unknown risk.
  absl::StatusOr<std::vector<eventstore::RecordedEvent>> GetRiskHistory(
      const std::string& risk_id);
  absl::StatusOr<VersionedRisk> AssessRisk(
      const std::string& risk_id, bool residual,
      const v1::Assessment& assessment, const google::type::Date& next_review,
      eventsourcing::CommandContext context);
  // Action ids are given here; the owner of every action is required.
  absl::StatusOr<VersionedRisk> PlanResponse(
      const std::string& risk_id, v1::ResponseStrategy strategy,
      std::vector<v1::ResponseAction> actions,
      eventsourcing::CommandContext context);
  absl::StatusOr<VersionedRisk> CompleteResponseAction(
      const std::string& risk_id, const std::string& action_id,
      eventsourcing::CommandContext context);
  // CLOSED, or OCCURRED: a threat that occurs opens its issue in the issue
  // log, linked both ways.
  absl::StatusOr<RiskStatusChange> ChangeRiskStatus(
      const std::string& risk_id, v1::RiskStatus status,
      const std::string& reason, eventsourcing::CommandContext context);
  // Risks of `scope_id` (all when empty), by current score (residual when
  // assessed, else inherent) highest first, at most `limit` (0: 100).
  absl::StatusOr<std::vector<VersionedRisk>> ListRisks(
      const std::string& scope_id, int limit);

  // Members must exist, be distinct and be assessed (FAILED_PRECONDITION,
  // rule MEMBER_NOT_ASSESSED, otherwise).
  absl::StatusOr<VersionedCombinedRisk> CombineRisks(
      v1::RisksCombined combined, eventsourcing::CommandContext context);
  absl::StatusOr<VersionedCombinedRisk> GetCombinedRisk(
      const std::string& combined_risk_id);

  // Recomputes a combined risk's exposure from its members as they stand
  // (CombinedExposureChanged, or nothing when unchanged). `context` is the
  // follow-up's own (derived) context; `member_risk_id` names the cause.
  absl::StatusOr<VersionedCombinedRisk> RefreshCombinedExposure(
      const std::string& combined_risk_id, const std::string& member_risk_id,
      const eventsourcing::CommandContext& context);

 private:
  // The exposure of these members as they stand now, on the combined
  // risk's matrix.
  absl::StatusOr<v1::CombinedExposure> ExposureOf(
      const google::protobuf::RepeatedPtrField<std::string>& member_risk_ids,
      const v1::RiskMatrix& matrix);

  eventstore::EventStore& store_;
  RiskScopes& scopes_;
  IssueHandlers& issues_;
  const Clock& clock_;
};

riskscoring::Assessment ToAssessment(const v1::Assessment& assessment);
v1::Rating ToProto(const riskscoring::Rating& rating);

}  // namespace pmo::risks
