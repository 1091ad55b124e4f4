#pragma once

// gRPC adapter of the consolidated portfolio view: each call reads the
// view served when it starts (ServedView), to its end.

#include "libs/base/clock.h"
#include "pmo/projection/v1/portfolio_service.grpc.pb.h"
#include "services/projection/app/served_view.h"

namespace pmo::projection {

class PortfolioGrpcService final : public v1::PortfolioService::Service {
 public:
  // `clock` gives "today" for the live overview.
  explicit PortfolioGrpcService(ServedView& served,
                                const Clock& clock = Clock::Real())
      : served_(served), clock_(clock) {}

  grpc::Status ListPortfolioProjects(
      grpc::ServerContext* context,
      const v1::ListPortfolioProjectsRequest* request,
      v1::ListPortfolioProjectsResponse* response) override;
  grpc::Status GetPortfolioDigest(
      grpc::ServerContext* context,
      const v1::GetPortfolioDigestRequest* request,
      v1::GetPortfolioDigestResponse* response) override;
  grpc::Status GetPortfolioOverview(
      grpc::ServerContext* context,
      const v1::GetPortfolioOverviewRequest* request,
      v1::GetPortfolioOverviewResponse* response) override;

 private:
  ServedView& served_;
  const Clock& clock_;
};

}  // namespace pmo::projection
