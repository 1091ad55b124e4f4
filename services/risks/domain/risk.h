#pragma once

// The Risk aggregate: one threat or opportunity of a project, programme or
// portfolio, with its assessments, response and lifecycle (see risk.proto).
// Ratings are computed by the caller from the matrix and recorded with the
// matrix version, so each one stays explainable.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/eventsourcing/command_handling.h"
#include "pmo/risks/v1/events.pb.h"

namespace pmo::risks {

namespace v1 = ::pmo::risks::v1;

absl::Status ValidateIdentification(const v1::RiskIdentified& risk);
// Strategy for the kind, every action with a description, an owner and a
// real due date.
absl::Status ValidateResponse(v1::RiskKind kind, v1::ResponseStrategy strategy,
                              const std::vector<v1::ResponseAction>& actions);

class RiskAggregate {
 public:
  static constexpr char kStreamType[] = "risk";

  void Apply(const google::protobuf::Message& event, absl::Time occurred_at);

  absl::StatusOr<eventsourcing::Decision> Identify(v1::RiskIdentified risk) const;
  absl::StatusOr<eventsourcing::Decision> Assess(v1::AssessmentStage stage,
                                                 const v1::Assessment& assessment,
                                                 const v1::Rating& rating,
                                                 const google::type::Date& next_review) const;
  absl::StatusOr<eventsourcing::Decision> PlanResponse(
      v1::ResponseStrategy strategy, const std::vector<v1::ResponseAction>& actions) const;
  absl::StatusOr<eventsourcing::Decision> CompleteAction(const std::string& action_id) const;
  absl::StatusOr<eventsourcing::Decision> ChangeStatus(v1::RiskStatus to,
                                                       const std::string& reason) const;
  // Notes membership of a combined risk (nothing when already noted).
  absl::StatusOr<eventsourcing::Decision> JoinCombination(const std::string& combined_risk_id) const;

  bool exists() const { return !state_.risk_id().empty(); }
  const v1::Risk& state() const { return state_; }

 private:
  absl::Status CheckOpen() const;
  void AddStatusChange(eventsourcing::Decision& decision, v1::RiskStatus to,
                       const std::string& reason) const;
  v1::Risk state_;
};

}  // namespace pmo::risks
