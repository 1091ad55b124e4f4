#pragma once

// The PMO's escalation queue: project and programme risks raised to the PMO
// (by a manager, or by themselves at the matrix's threshold when assessed),
// accepted as portfolio risks or returned with a reason.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/base/clock.h"
#include "services/risks/app/risk_handlers.h"

namespace pmo::risks {

struct AcceptedEscalation {
  VersionedRisk risk;            // the escalated risk, now ACCEPTED
  VersionedRisk portfolio_risk;  // the PMO's new portfolio risk
};

class EscalationHandlers {
 public:
  EscalationHandlers(eventstore::EventStore& store, RiskScopes& scopes,
                     RiskHandlers& risks, const Clock& clock = Clock::Real())
      : store_(store), scopes_(scopes), risks_(risks), clock_(clock) {}

  absl::StatusOr<VersionedRisk> EscalateRisk(
      const std::string& risk_id, const std::string& reason,
      eventsourcing::CommandContext context);
  // Escalations of `portfolio_id` (every portfolio when empty) in `status`
  // (PENDING when unspecified), highest score first, at most `limit` (0: 100).
  absl::StatusOr<std::vector<VersionedRisk>> ListEscalations(
      const std::string& portfolio_id, v1::EscalationStatus status, int limit);
  // Opens the portfolio risk (the escalated risk's description, `owner`, its
  // assessments re-rated on the portfolio's matrix) and marks the escalation
  // ACCEPTED. `portfolio_id` is needed only when the escalation has none.
  // The acceptor is `context.metadata.actor` (the caller); the person who
  // escalated the risk may not accept it: FAILED_PRECONDITION, rule
  // SEPARATION_OF_DUTIES, nothing appended.
  absl::StatusOr<AcceptedEscalation> AcceptEscalation(
      const std::string& risk_id, const std::string& owner,
      const std::string& reason, const std::string& portfolio_id,
      eventsourcing::CommandContext context);
  absl::StatusOr<VersionedRisk> ReturnEscalation(
      const std::string& risk_id, const std::string& reason,
      eventsourcing::CommandContext context);

 private:
  eventstore::EventStore& store_;
  RiskScopes& scopes_;
  RiskHandlers& risks_;
  const Clock& clock_;
};

}  // namespace pmo::risks
