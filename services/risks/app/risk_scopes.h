#pragma once

// Where a risk sits in the portfolio structure and which matrix rates it.
// The structure (portfolio -> programme -> project) is learnt from the
// projects service's events (libs/projectdirectory); the matrices are the
// portfolios' versioned configurations in this service's store.

#include <string>

#include "absl/status/statusor.h"
#include "libs/eventstore/event_store.h"
#include "libs/projectdirectory/known_projects.h"
#include "pmo/risks/v1/risk.pb.h"

namespace pmo::risks {

class RiskScopes {
 public:
  RiskScopes(eventstore::EventStore& store,
             projectdirectory::KnownProjects& directory)
      : store_(store), directory_(directory) {}

  // OK when the project, programme or portfolio is known; else
  // FAILED_PRECONDITION naming the rule (UNKNOWN_PROJECT, UNKNOWN_PROGRAMME,
  // UNKNOWN_PORTFOLIO).
  absl::Status CheckKnown(v1::RiskLevel level, const std::string& scope_id);
  // The portfolio a scope belongs to; empty for a project in no programme
  // (or a scope not known yet).
  absl::StatusOr<std::string> PortfolioOf(v1::RiskLevel level,
                                          const std::string& scope_id);
  // The portfolio's current matrix; the default for an empty id or a
  // portfolio that configured none.
  absl::StatusOr<v1::RiskMatrix> MatrixOf(const std::string& portfolio_id);
  absl::StatusOr<v1::RiskMatrix> MatrixFor(v1::RiskLevel level,
                                           const std::string& scope_id);
  // Whether a risk of a scope is inside `level`/`scope_id` (itself, or one
  // of its projects or programmes, as placed now).
  absl::StatusOr<bool> IsWithin(v1::RiskLevel risk_level,
                                const std::string& risk_scope_id,
                                v1::RiskLevel level,
                                const std::string& scope_id);

 private:
  eventstore::EventStore& store_;
  projectdirectory::KnownProjects& directory_;
};

}  // namespace pmo::risks
