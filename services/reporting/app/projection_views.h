#pragma once

// ConsolidatedViews over the projection's PortfolioService and
// ConsolidatedViewsService: the one place that turns the projection's wire
// messages into the report structs. Every reader pages through its RPC;
// a scope the RPC cannot filter by (a programme for the register, a
// portfolio or programme for resource load and dependencies) is picked out
// here from the overview's project ids.
//
// What the reports want and no view gives (README "Reports"): the
// dependency graph carries task ids, not task names (the report shows the
// ids); the register carries each risk's probability and impact but not
// the size of its portfolio's matrix (the heat map is 5 x 5, or larger when
// a rating is above 5).

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/channel.h"
#include "pmo/projection/v1/portfolio_service.grpc.pb.h"
#include "pmo/projection/v1/views_service.grpc.pb.h"
#include "services/reporting/app/consolidated_views.h"

namespace pmo::reporting {

// One unary projection RPC: over a channel, or the projection's handler
// called in-process in the all-in-one pmo.
template <typename Request, typename Response>
using ProjectionCall = std::function<absl::StatusOr<Response>(const Request&)>;
using OverviewCall = ProjectionCall<projection::v1::GetPortfolioOverviewRequest,
                                    projection::v1::GetPortfolioOverviewResponse>;

// The projection RPCs the reports read.
struct ProjectionCalls {
  OverviewCall overview;
  ProjectionCall<projection::v1::GetResourceLoadRequest, projection::v1::GetResourceLoadResponse>
      resource_load;
  ProjectionCall<projection::v1::ListRiskRegisterRequest, projection::v1::ListRiskRegisterResponse>
      risk_register;
  ProjectionCall<projection::v1::GetRiskExposureHistoryRequest,
                 projection::v1::GetRiskExposureHistoryResponse>
      exposure_history;
  ProjectionCall<projection::v1::GetDependencyGraphRequest,
                 projection::v1::GetDependencyGraphResponse>
      dependency_graph;
};

// Every call over `channel` with a per-call `deadline`. A transport failure
// is UNAVAILABLE (the caller may retry).
ProjectionCalls ProjectionOverChannel(std::shared_ptr<grpc::Channel> channel,
                                      absl::Duration deadline = absl::Seconds(30));

// Every call straight into the projection's handlers (no network hop, the
// same answers). Both services must outlive the calls.
ProjectionCalls ProjectionInProcess(projection::v1::PortfolioService::Service& portfolio,
                                    projection::v1::ConsolidatedViewsService::Service& views);

class ProjectionViews final : public ConsolidatedViews {
 public:
  explicit ProjectionViews(ProjectionCalls calls) : calls_(std::move(calls)) {}

  absl::StatusOr<PortfolioSnapshot> Overview(const ViewScope& scope,
                                             std::optional<absl::CivilDay> as_of) override;
  absl::StatusOr<ResourceLoad> ResourceLoadByWeek(const ViewScope& scope,
                                                  std::optional<absl::CivilDay> as_of) override;
  absl::StatusOr<RiskRegister> Risks(const ViewScope& scope,
                                     std::optional<absl::CivilDay> as_of) override;
  absl::StatusOr<DependencyGraph> Dependencies(const ViewScope& scope,
                                               std::optional<absl::CivilDay> as_of) override;

 private:
  // The scope's project ids and the codes of its projects, programmes and
  // portfolios, from the overview (live or as of the same day).
  struct ScopeMembers;
  absl::StatusOr<ScopeMembers> MembersOf(const ViewScope& scope, std::optional<absl::CivilDay> as_of);

  ProjectionCalls calls_;
};

// The plain structs of the wire messages (exposed for tests).
ProjectFigures ProjectFiguresOf(const projection::v1::ProjectOverview& p);
ResourceLoadRow ResourceLoadRowOf(const projection::v1::ResourceLoad& r);
// `scope_code`: the code of the programme or portfolio a risk sits at (a
// project's risk carries its project code).
RiskLine RiskLineOf(const projection::v1::RegisterEntry& e, const std::string& scope_code);
// `at_risk`: a slip of the predecessor puts the successor task at risk.
DependencyLine DependencyLineOf(const projection::v1::ProjectDependency& d,
                                const std::vector<projection::v1::SlipImpact>& slips);

}  // namespace pmo::reporting
