#pragma once

// Commands and queries of the risk register. Ratings come from the risk
// matrix (libs/riskscoring) and are recorded with its version.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/base/clock.h"
#include "libs/eventsourcing/command_handling.h"
#include "libs/eventstore/event_store.h"
#include "libs/riskscoring/risk_matrix.h"
#include "services/risks/domain/combined_risk.h"
#include "services/risks/domain/risk.h"

namespace pmo::risks {

using VersionedRisk = eventsourcing::Versioned<RiskAggregate>;
using VersionedCombinedRisk = eventsourcing::Versioned<CombinedRiskAggregate>;

class RiskHandlers {
 public:
  // Every rating uses `matrix` (the default 5 x 5 until portfolios
  // configure theirs).
  RiskHandlers(eventstore::EventStore& store, riskscoring::RiskMatrix matrix,
               const Clock& clock = Clock::Real())
      : store_(store), matrix_(std::move(matrix)), clock_(clock) {}

  absl::StatusOr<VersionedRisk> IdentifyRisk(v1::RiskIdentified risk,
                                             eventsourcing::CommandContext context);
  absl::StatusOr<VersionedRisk> GetRisk(const std::string& risk_id);
  absl::StatusOr<VersionedRisk> AssessRisk(const std::string& risk_id, bool residual,
                                           const v1::Assessment& assessment,
                                           const google::type::Date& next_review,
                                           eventsourcing::CommandContext context);
  // Action ids are given here; the owner of every action is required.
  absl::StatusOr<VersionedRisk> PlanResponse(const std::string& risk_id,
                                             v1::ResponseStrategy strategy,
                                             std::vector<v1::ResponseAction> actions,
                                             eventsourcing::CommandContext context);
  absl::StatusOr<VersionedRisk> CompleteResponseAction(const std::string& risk_id,
                                                       const std::string& action_id,
                                                       eventsourcing::CommandContext context);
  absl::StatusOr<VersionedRisk> ChangeRiskStatus(const std::string& risk_id, v1::RiskStatus status,
                                                 const std::string& reason,
                                                 eventsourcing::CommandContext context);
  // Risks of `scope_id` (all when empty), by current score (residual when
  // assessed, else inherent) highest first, at most `limit` (0: 100).
  absl::StatusOr<std::vector<VersionedRisk>> ListRisks(const std::string& scope_id, int limit);

  // Members must exist, be distinct and be assessed (FAILED_PRECONDITION,
  // rule MEMBER_NOT_ASSESSED, otherwise).
  absl::StatusOr<VersionedCombinedRisk> CombineRisks(v1::RisksCombined combined,
                                                     eventsourcing::CommandContext context);
  absl::StatusOr<VersionedCombinedRisk> GetCombinedRisk(const std::string& combined_risk_id);

  const riskscoring::RiskMatrix& matrix() const { return matrix_; }

 private:
  // The exposure of these members as they stand now.
  absl::StatusOr<v1::CombinedExposure> ExposureOf(
      const google::protobuf::RepeatedPtrField<std::string>& member_risk_ids);

  eventstore::EventStore& store_;
  const riskscoring::RiskMatrix matrix_;
  const Clock& clock_;
};

// The score a risk is ranked by: residual when assessed, else inherent.
int CurrentScore(const v1::Risk& risk);

}  // namespace pmo::risks
