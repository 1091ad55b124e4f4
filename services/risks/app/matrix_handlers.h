#pragma once

// Portfolios' risk matrices: configuring a new version, reading any version,
// and re-rating the portfolio's risks (and the exposure of combined risks
// made of them) with the new version.

#include <string>

#include "absl/status/statusor.h"
#include "libs/base/clock.h"
#include "services/risks/app/risk_handlers.h"
#include "services/risks/domain/risk_matrix.h"

namespace pmo::risks {

using VersionedRiskMatrix = eventsourcing::Versioned<RiskMatrixAggregate>;

struct ConfiguredMatrix {
  v1::RiskMatrix matrix;
  int ratings_changed = 0;
};

class MatrixHandlers {
 public:
  // Re-rating appends to many risks at once, from `rerate_workers` threads,
  // so the store's group commit puts many in one transaction.
  MatrixHandlers(eventstore::EventStore& store, RiskScopes& scopes,
                 RiskHandlers& risks, const Clock& clock = Clock::Real(),
                 int rerate_workers = 16)
      : store_(store),
        scopes_(scopes),
        risks_(risks),
        clock_(clock),
        rerate_workers_(rerate_workers) {}

  // The portfolio must be known. Re-rates before answering; a retry (same
  // request id) completes a re-rating a crash interrupted.
  absl::StatusOr<ConfiguredMatrix> ConfigureRiskMatrix(
      const std::string& portfolio_id, v1::RiskMatrix matrix,
      eventsourcing::CommandContext context);
  // `version` empty: the current one (the default when none configured).
  absl::StatusOr<v1::RiskMatrix> GetRiskMatrix(const std::string& portfolio_id,
                                               const std::string& version);
  // Re-rates every assessed risk of the portfolio rated with another
  // version than its current one; returns how many ratings changed. Each
  // risk's re-rating has a request id derived from the matrix version, so
  // running it again (after a crash, or at start-up) appends nothing twice.
  absl::StatusOr<int> RerateStale(const std::string& portfolio_id,
                                  const eventsourcing::CommandContext& context);

 private:
  eventstore::EventStore& store_;
  RiskScopes& scopes_;
  RiskHandlers& risks_;
  const Clock& clock_;
  const int rerate_workers_;
};

}  // namespace pmo::risks
