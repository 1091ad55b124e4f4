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
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "grpcpp/channel.h"
#include "libs/auth/principal.h"
#include "pmo/projection/v1/portfolio_service.grpc.pb.h"
#include "pmo/projection/v1/views_service.grpc.pb.h"
#include "services/reporting/app/consolidated_views.h"

namespace pmo::reporting {

// Whose eyes the projection answers. Reports and scheduled distributions
// read as the reporting service itself, which sees everything; the
// dashboard reads as the person asking, so the projection narrows its
// answers by that person's own roles exactly as it does on gRPC (a project
// manager sees the projects in their token, docs/security.md).
struct Reader {
  // The person's verified bearer token, forwarded to a projection in
  // another process, which verifies it again.
  std::string bearer_token;
  // What the token grants: the caller the projection's handlers see when
  // they are called in-process (the all-in-one pmo).
  auth::Principal principal;
};

// The consolidated views as `reader` sees them, for one request.
using ViewsSeenBy =
    std::function<std::unique_ptr<ConsolidatedViews>(const Reader& reader)>;

// One unary projection RPC: over a channel, or the projection's handler
// called in-process in the all-in-one pmo. `reader` null: as the reporting
// service.
template <typename Request, typename Response>
using ProjectionCall = std::function<absl::StatusOr<Response>(
    const Request&, const Reader* reader)>;
using OverviewCall =
    ProjectionCall<projection::v1::GetPortfolioOverviewRequest,
                   projection::v1::GetPortfolioOverviewResponse>;

// The projection RPCs the reports read.
struct ProjectionCalls {
  OverviewCall overview;
  ProjectionCall<projection::v1::GetResourceLoadRequest,
                 projection::v1::GetResourceLoadResponse>
      resource_load;
  ProjectionCall<projection::v1::ListRiskRegisterRequest,
                 projection::v1::ListRiskRegisterResponse>
      risk_register;
  ProjectionCall<projection::v1::GetRiskExposureHistoryRequest,
                 projection::v1::GetRiskExposureHistoryResponse>
      exposure_history;
  ProjectionCall<projection::v1::GetDependencyGraphRequest,
                 projection::v1::GetDependencyGraphResponse>
      dependency_graph;
};

// Every call over a channel with a per-call `deadline`. The service's own
// calls go over `channel`, which carries the service's credentials (its
// token file). A reader's calls go over `readers_channel`, which must carry
// no token of its own (the same TLS, no token file): each call on it sends
// the reader's token instead, so the projection sees one caller only.
// A transport failure is UNAVAILABLE (the caller may retry).
ProjectionCalls ProjectionOverChannel(
    const std::shared_ptr<grpc::Channel>& channel,
    const std::shared_ptr<grpc::Channel>& readers_channel,
    absl::Duration deadline = absl::Seconds(30));

// Every call straight into the projection's handlers (no network hop, the
// same answers). A reader's call is made with the reader registered as the
// handler's caller (grpcserver::CallerOf). Both services must outlive the
// calls.
ProjectionCalls ProjectionInProcess(
    projection::v1::PortfolioService::Service& portfolio,
    projection::v1::ConsolidatedViewsService::Service& views);

class ProjectionViews final : public ConsolidatedViews {
 public:
  // `reader` unset: the views as the reporting service sees them.
  explicit ProjectionViews(ProjectionCalls calls,
                           std::optional<Reader> reader = std::nullopt)
      : calls_(std::move(calls)), reader_(std::move(reader)) {}

  // The same views read as `reader`.
  std::unique_ptr<ProjectionViews> SeenBy(const Reader& reader) const {
    return std::make_unique<ProjectionViews>(calls_, reader);
  }

  absl::StatusOr<PortfolioSnapshot> Overview(
      const ViewScope& scope, std::optional<absl::CivilDay> as_of) override;
  absl::StatusOr<ResourceLoad> ResourceLoadByWeek(
      const ViewScope& scope, std::optional<absl::CivilDay> as_of) override;
  absl::StatusOr<RiskRegister> Risks(
      const ViewScope& scope, std::optional<absl::CivilDay> as_of) override;
  absl::StatusOr<DependencyGraph> Dependencies(
      const ViewScope& scope, std::optional<absl::CivilDay> as_of) override;

 private:
  // The scope's project ids and the codes of its projects, programmes and
  // portfolios, from the overview (live or as of the same day).
  struct ScopeMembers;
  absl::StatusOr<ScopeMembers> MembersOf(const ViewScope& scope,
                                         std::optional<absl::CivilDay> as_of);
  // Asks `call` as this view's reader; an unwired call answers
  // UNIMPLEMENTED naming the RPC rather than crashing.
  template <typename Request, typename Response>
  absl::StatusOr<Response> Ask(const ProjectionCall<Request, Response>& call,
                               absl::string_view rpc,
                               const Request& request) const;

  ProjectionCalls calls_;
  std::optional<Reader> reader_;
};

// The plain structs of the wire messages (exposed for tests).
ProjectFigures ProjectFiguresOf(const projection::v1::ProjectOverview& p);
ResourceLoadRow ResourceLoadRowOf(const projection::v1::ResourceLoad& r);
// `scope_code`: the code of the programme or portfolio a risk sits at (a
// project's risk carries its project code).
RiskLine RiskLineOf(const projection::v1::RegisterEntry& e,
                    const std::string& scope_code);
// `at_risk`: a slip of the predecessor puts the successor task at risk.
DependencyLine DependencyLineOf(
    const projection::v1::ProjectDependency& d,
    const std::vector<projection::v1::SlipImpact>& slips);

}  // namespace pmo::reporting
