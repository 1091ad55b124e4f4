#pragma once

// The Risk aggregate: one threat or opportunity of a project, programme or
// portfolio, with its assessments, response, escalation and lifecycle (see
// risk.proto).
// Ratings are computed by the caller from the matrix and recorded with the
// matrix version, so each one stays explainable.

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/base/errors.h"
#include "libs/base/text_checks.h"
#include "libs/eventsourcing/decision.h"
#include "pmo/risks/v1/events.pb.h"

namespace pmo::risks {

// The contract's messages are this namespace's own v1 (pmo::risks::v1); no
// alias: re-declaring v1 as an alias of itself is ill-formed (clang, the
// fuzzing compiler, refuses it).

absl::Status ValidateIdentification(const v1::RiskIdentified& risk);
// Strategy for the kind, every action with a description, an owner and a
// real due date.
absl::Status ValidateResponse(v1::RiskKind kind, v1::ResponseStrategy strategy,
                              const std::vector<v1::ResponseAction>& actions);

// Where a project or programme risk's automatic escalation goes: the
// portfolio's PMO queue, once its score reaches the matrix's threshold.
struct EscalationThreshold {
  std::string portfolio_id;
  int min_score = 0;  // 0: never by itself
};

class RiskAggregate {
 public:
  static constexpr char kStreamType[] = "risk";

  void Apply(const google::protobuf::Message& event, absl::Time occurred_at);

  absl::StatusOr<eventsourcing::Decision> Identify(
      v1::RiskIdentified risk) const;
  // Escalates too when the new current score reaches the threshold.
  absl::StatusOr<eventsourcing::Decision> Assess(
      v1::AssessmentStage stage, const v1::Assessment& assessment,
      const v1::Rating& rating, const google::type::Date& next_review,
      const EscalationThreshold& threshold = {}) const;
  // New ratings of the recorded assessments under another matrix version
  // (nothing for an unchanged or absent one); escalates as Assess.
  absl::StatusOr<eventsourcing::Decision> Rerate(
      const std::optional<v1::Rating>& inherent,
      const std::optional<v1::Rating>& residual,
      const EscalationThreshold& threshold) const;
  absl::StatusOr<eventsourcing::Decision> PlanResponse(
      v1::ResponseStrategy strategy,
      const std::vector<v1::ResponseAction>& actions) const;
  absl::StatusOr<eventsourcing::Decision> CompleteAction(
      const std::string& action_id) const;
  // `issue_id`: the issue opened for a threat that occurred.
  absl::StatusOr<eventsourcing::Decision> ChangeStatus(
      v1::RiskStatus to, const std::string& reason,
      const std::string& issue_id = "") const;
  // A manager raises a project or programme risk to the PMO's queue.
  absl::StatusOr<eventsourcing::Decision> Escalate(
      const std::string& portfolio_id, const std::string& reason,
      const std::string& escalated_by) const;
  absl::StatusOr<eventsourcing::Decision> AcceptEscalation(
      const std::string& portfolio_risk_id, const std::string& reason) const;
  absl::StatusOr<eventsourcing::Decision> ReturnEscalation(
      const std::string& reason) const;
  // Notes membership of a combined risk (nothing when already noted).
  absl::StatusOr<eventsourcing::Decision> JoinCombination(
      const std::string& combined_risk_id) const;

  bool exists() const { return !state_.risk_id().empty(); }
  const v1::Risk& state() const { return state_; }

 private:
  absl::Status CheckOpen() const;
  absl::Status CheckPendingEscalation() const;
  // Adds RiskEscalated when `score` reaches the threshold of a project or
  // programme risk not already escalated (or returned at a lower score).
  void AddAutomaticEscalation(eventsourcing::Decision& decision, int score,
                              const EscalationThreshold& threshold) const;
  void AddStatusChange(eventsourcing::Decision& decision, v1::RiskStatus to,
                       const std::string& reason) const;
  v1::Risk state_;
};

// The score a risk is ranked by: residual when assessed, else inherent.
int CurrentScore(const v1::Risk& risk);

}  // namespace pmo::risks
