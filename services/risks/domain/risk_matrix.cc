#include "services/risks/domain/risk_matrix.h"

#include "absl/strings/str_cat.h"
#include "libs/base/errors.h"
#include "libs/base/status_macros.h"

namespace pmo::risks {

v1::RiskMatrix DefaultRiskMatrix() {
  const riskscoring::RiskMatrix scoring = riskscoring::DefaultMatrix();
  v1::RiskMatrix m;
  m.set_version(scoring.version);
  m.set_probability_levels(scoring.probability_levels);
  m.set_impact_levels(scoring.impact_levels);
  for (double p : scoring.probability_of_level) m.add_probability_of_level(p);
  for (const riskscoring::RatingBand& b : scoring.bands) {
    v1::RatingBand* band = m.add_bands();
    band->set_rating(b.rating);
    band->set_min_score(b.min_score);
    band->set_max_score(b.max_score);
  }
  m.set_escalation_min_score(17);
  return m;
}

riskscoring::RiskMatrix ToScoring(const v1::RiskMatrix& m) {
  riskscoring::RiskMatrix out;
  out.version = m.version();
  out.probability_levels = m.probability_levels();
  out.impact_levels = m.impact_levels();
  out.probability_of_level.assign(m.probability_of_level().begin(),
                                  m.probability_of_level().end());
  for (const v1::RatingBand& b : m.bands())
    out.bands.push_back({b.rating(), b.min_score(), b.max_score()});
  return out;
}

absl::Status ValidateRiskMatrix(const v1::RiskMatrix& matrix,
                                const std::string& prefix) {
  FieldViolations v;
  v.AddAll(riskscoring::ValidateMatrix(ToScoring(matrix)), prefix);
  const int max_score = matrix.probability_levels() * matrix.impact_levels();
  if (matrix.escalation_min_score() < 0 ||
      matrix.escalation_min_score() > max_score) {
    v.Add(prefix + ".escalation_min_score",
          absl::StrCat("must be 0 (never) or a score 1..", max_score));
  }
  return v.ToStatus();
}

void RiskMatrixAggregate::Apply(const google::protobuf::Message& event,
                                absl::Time) {
  if (const auto* c = dynamic_cast<const v1::RiskMatrixConfigured*>(&event)) {
    versions_.push_back(c->matrix());
  }
}

v1::RiskMatrix RiskMatrixAggregate::Current() const {
  return versions_.empty() ? DefaultRiskMatrix() : versions_.back();
}

const v1::RiskMatrix* RiskMatrixAggregate::Find(
    const std::string& version) const {
  for (const v1::RiskMatrix& m : versions_) {
    if (m.version() == version) return &m;
  }
  return nullptr;
}

absl::StatusOr<eventsourcing::Decision> RiskMatrixAggregate::Configure(
    const std::string& portfolio_id, v1::RiskMatrix matrix) const {
  matrix.set_portfolio_id(portfolio_id);
  matrix.set_version(absl::StrCat(portfolio_id, "/v", versions_.size() + 1));
  RETURN_IF_ERROR(ValidateRiskMatrix(matrix, "matrix"));
  eventsourcing::Decision decision;
  if (!versions_.empty()) {
    v1::RiskMatrix same = matrix;
    same.set_version(versions_.back().version());
    if (same.SerializeAsString() == versions_.back().SerializeAsString())
      return decision;
  }
  auto configured = std::make_unique<v1::RiskMatrixConfigured>();
  configured->set_portfolio_id(portfolio_id);
  *configured->mutable_matrix() = std::move(matrix);
  decision.events.push_back(std::move(configured));
  return decision;
}

}  // namespace pmo::risks
