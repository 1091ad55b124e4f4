#pragma once

// ConsolidatedViews over the projection's PortfolioService: the one place
// that turns the projection's wire messages into the report structs.
// Overview() pages through GetPortfolioOverview (filtered by portfolio or
// programme there; a project scope is picked out here). The other readers
// answer UNIMPLEMENTED naming the RPC they wait for.

#include <functional>
#include <memory>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/channel.h"
#include "pmo/projection/v1/portfolio_service.grpc.pb.h"
#include "services/reporting/app/consolidated_views.h"

namespace pmo::reporting {

// One GetPortfolioOverview call: over a channel, or in-process in the
// all-in-one pmo.
using OverviewCall = std::function<absl::StatusOr<projection::v1::GetPortfolioOverviewResponse>(
    const projection::v1::GetPortfolioOverviewRequest&)>;

// An OverviewCall over `channel` with a per-call `deadline`. A transport
// failure is UNAVAILABLE (the caller may retry).
OverviewCall OverviewOverChannel(std::shared_ptr<grpc::Channel> channel,
                                 absl::Duration deadline = absl::Seconds(30));

class ProjectionViews final : public ConsolidatedViews {
 public:
  explicit ProjectionViews(OverviewCall overview) : overview_(std::move(overview)) {}

  absl::StatusOr<PortfolioSnapshot> Overview(const ViewScope& scope,
                                             std::optional<absl::CivilDay> as_of) override;
  absl::StatusOr<ResourceLoad> ResourceLoadByWeek(const ViewScope& scope,
                                                  std::optional<absl::CivilDay> as_of) override;
  absl::StatusOr<RiskRegister> Risks(const ViewScope& scope,
                                     std::optional<absl::CivilDay> as_of) override;
  absl::StatusOr<DependencyGraph> Dependencies(const ViewScope& scope,
                                               std::optional<absl::CivilDay> as_of) override;

 private:
  OverviewCall overview_;
};

// The plain struct of one wire message (exposed for tests).
ProjectFigures ProjectFiguresOf(const projection::v1::ProjectOverview& p);

}  // namespace pmo::reporting
