#include "services/risks/app/risk_scopes.h"

#include "absl/strings/str_cat.h"
#include "libs/base/errors.h"
#include "libs/base/status_macros.h"
#include "libs/eventsourcing/command_handling.h"
#include "services/risks/domain/risk_matrix.h"

namespace pmo::risks {

absl::Status RiskScopes::CheckKnown(v1::RiskLevel level,
                                    const std::string& scope_id) {
  switch (level) {
    case v1::RISK_LEVEL_PROJECT: {
      ASSIGN_OR_RETURN(auto project, directory_.Find(scope_id));
      if (project) return absl::OkStatus();
      return RuleViolationError(
          "UNKNOWN_PROJECT", absl::StrCat("projects/", scope_id),
          absl::StrCat("scope_id: project ", scope_id,
                       " is not known to the risk register (yet)"));
    }
    case v1::RISK_LEVEL_PROGRAMME: {
      ASSIGN_OR_RETURN(auto programme, directory_.FindProgramme(scope_id));
      if (programme) return absl::OkStatus();
      return RuleViolationError(
          "UNKNOWN_PROGRAMME", absl::StrCat("programmes/", scope_id),
          absl::StrCat("scope_id: programme ", scope_id,
                       " is not known to the risk register (yet)"));
    }
    case v1::RISK_LEVEL_PORTFOLIO: {
      ASSIGN_OR_RETURN(bool known, directory_.PortfolioExists(scope_id));
      if (known) return absl::OkStatus();
      return RuleViolationError(
          "UNKNOWN_PORTFOLIO", absl::StrCat("portfolios/", scope_id),
          absl::StrCat("scope_id: portfolio ", scope_id,
                       " is not known to the risk register (yet)"));
    }
    default: {
      FieldViolations v;
      v.Add("level", "must be PROJECT, PROGRAMME or PORTFOLIO");
      return v.ToStatus();
    }
  }
}

absl::StatusOr<std::string> RiskScopes::PortfolioOf(
    v1::RiskLevel level, const std::string& scope_id) {
  switch (level) {
    case v1::RISK_LEVEL_PROJECT: {
      ASSIGN_OR_RETURN(auto project, directory_.Find(scope_id));
      return project ? project->portfolio_id : "";
    }
    case v1::RISK_LEVEL_PROGRAMME: {
      ASSIGN_OR_RETURN(auto programme, directory_.FindProgramme(scope_id));
      return programme ? programme->portfolio_id : "";
    }
    case v1::RISK_LEVEL_PORTFOLIO:
      return scope_id;
    default:
      return std::string();
  }
}

absl::StatusOr<v1::RiskMatrix> RiskScopes::MatrixOf(
    const std::string& portfolio_id) {
  if (portfolio_id.empty()) return DefaultRiskMatrix();
  ASSIGN_OR_RETURN(
      auto matrix,
      eventsourcing::LoadAggregate<RiskMatrixAggregate>(store_, portfolio_id));
  return matrix.state.Current();
}

absl::StatusOr<v1::RiskMatrix> RiskScopes::MatrixFor(
    v1::RiskLevel level, const std::string& scope_id) {
  ASSIGN_OR_RETURN(std::string portfolio_id, PortfolioOf(level, scope_id));
  return MatrixOf(portfolio_id);
}

absl::StatusOr<bool> RiskScopes::IsWithin(v1::RiskLevel risk_level,
                                          const std::string& risk_scope_id,
                                          v1::RiskLevel level,
                                          const std::string& scope_id) {
  if (risk_level == level) return risk_scope_id == scope_id;
  if (level == v1::RISK_LEVEL_PROJECT) return false;
  if (level == v1::RISK_LEVEL_PROGRAMME) {
    if (risk_level != v1::RISK_LEVEL_PROJECT) return false;
    ASSIGN_OR_RETURN(auto project, directory_.Find(risk_scope_id));
    return project && project->programme_id == scope_id;
  }
  if (level == v1::RISK_LEVEL_PORTFOLIO &&
      risk_level != v1::RISK_LEVEL_PORTFOLIO) {
    ASSIGN_OR_RETURN(std::string portfolio_id,
                     PortfolioOf(risk_level, risk_scope_id));
    return portfolio_id == scope_id;
  }
  return false;
}

}  // namespace pmo::risks
