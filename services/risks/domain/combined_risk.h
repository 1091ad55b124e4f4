#pragma once

// The CombinedRisk aggregate: a portfolio or programme risk made of several
// projects' risks, with an exposure derived from its members.

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/eventsourcing/decision.h"
#include "pmo/risks/v1/events.pb.h"

namespace pmo::risks {

class CombinedRiskAggregate {
 public:
  static constexpr char kStreamType[] = "combined_risk";

  void Apply(const google::protobuf::Message& event, absl::Time occurred_at);

  // The members' existence and assessments are checked by the caller, which
  // computed `combined.exposure` from them.
  absl::StatusOr<eventsourcing::Decision> Combine(
      v1::RisksCombined combined) const;
  // Nothing when the exposure is unchanged.
  absl::StatusOr<eventsourcing::Decision> UpdateExposure(
      const std::string& member_risk_id,
      const v1::CombinedExposure& exposure) const;

  bool exists() const { return !state_.combined_risk_id().empty(); }
  const v1::CombinedRisk& state() const { return state_; }

 private:
  v1::CombinedRisk state_;
};

}  // namespace pmo::risks
