#pragma once

// The versions of one portfolio's risk matrix and thresholds (stream id: the
// portfolio id). Versions are never changed or removed, so every rating
// recorded with a version stays explainable.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/eventsourcing/decision.h"
#include "libs/riskscoring/risk_matrix.h"
#include "pmo/risks/v1/events.pb.h"

namespace pmo::risks {

// The matrix of a portfolio that configured none: riskscoring's 5 x 5
// default, escalating project and programme risks from score 17 (CRITICAL).
v1::RiskMatrix DefaultRiskMatrix();
riskscoring::RiskMatrix ToScoring(const v1::RiskMatrix& matrix);
// INVALID_ARGUMENT naming each bad field, prefixed `prefix` (e.g.
// "matrix.bands[1].min_score" for overlapping bands).
absl::Status ValidateRiskMatrix(const v1::RiskMatrix& matrix,
                                const std::string& prefix);

class RiskMatrixAggregate {
 public:
  static constexpr char kStreamType[] = "risk_matrix";

  void Apply(const google::protobuf::Message& event, absl::Time occurred_at);

  // The next version, "<portfolio_id>/v<n>"; nothing when `matrix` equals
  // the current version.
  absl::StatusOr<eventsourcing::Decision> Configure(
      const std::string& portfolio_id, v1::RiskMatrix matrix) const;

  bool exists() const { return !versions_.empty(); }
  // The latest version; the default when none was configured.
  v1::RiskMatrix Current() const;
  // nullptr when there is no such version.
  const v1::RiskMatrix* Find(const std::string& version) const;

 private:
  std::vector<v1::RiskMatrix> versions_;
};

}  // namespace pmo::risks
