#pragma once

// gRPC adapter of the consolidated views beside the overview
// (pmo.projection.v1.ConsolidatedViewsService): reads `as_of`, checks the
// request, fills freshness, asks the live or as-of consolidation
// (PortfolioView::WithConsolidation) of the served view and answers
// (views_answers.h); rebuilds through the ViewRebuild it is given.

#include "libs/base/clock.h"
#include "pmo/projection/v1/views_service.grpc.pb.h"
#include "services/projection/app/served_view.h"
#include "services/projection/app/view_rebuild.h"

namespace pmo::projection {

class ViewsGrpcService final : public v1::ConsolidatedViewsService::Service {
 public:
  // `clock` gives "today" for the live views.
  ViewsGrpcService(ServedView& served, ViewRebuild& rebuild,
                   const Clock& clock = Clock::Real())
      : served_(served), rebuild_(rebuild), clock_(clock) {}

  grpc::Status GetResourceLoad(grpc::ServerContext* context,
                               const v1::GetResourceLoadRequest* request,
                               v1::GetResourceLoadResponse* response) override;
  grpc::Status ListRiskRegister(
      grpc::ServerContext* context, const v1::ListRiskRegisterRequest* request,
      v1::ListRiskRegisterResponse* response) override;
  grpc::Status GetRiskExposureHistory(
      grpc::ServerContext* context,
      const v1::GetRiskExposureHistoryRequest* request,
      v1::GetRiskExposureHistoryResponse* response) override;
  grpc::Status GetDependencyGraph(
      grpc::ServerContext* context,
      const v1::GetDependencyGraphRequest* request,
      v1::GetDependencyGraphResponse* response) override;
  grpc::Status GetConfigurationAcrossProjects(
      grpc::ServerContext* context,
      const v1::GetConfigurationAcrossProjectsRequest* request,
      v1::GetConfigurationAcrossProjectsResponse* response) override;
  grpc::Status StartViewRebuild(
      grpc::ServerContext* context, const v1::StartViewRebuildRequest* request,
      v1::StartViewRebuildResponse* response) override;
  grpc::Status GetViewRebuild(grpc::ServerContext* context,
                              const v1::GetViewRebuildRequest* request,
                              v1::GetViewRebuildResponse* response) override;

 private:
  // Answers over the caller's projects (every project but for a project
  // manager: libs/auth/project_scope.h).
  template <typename Request, typename Response>
  grpc::Status Serve(const grpc::ServerContext& context, const Request& request,
                     Response* response);

  ServedView& served_;
  ViewRebuild& rebuild_;
  const Clock& clock_;
};

}  // namespace pmo::projection
