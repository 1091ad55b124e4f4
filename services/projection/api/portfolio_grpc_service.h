#pragma once

// gRPC adapter of the consolidated portfolio view.

#include "libs/base/clock.h"
#include "pmo/projection/v1/portfolio_service.grpc.pb.h"
#include "services/projection/app/portfolio_view.h"

namespace pmo::projection {

class PortfolioGrpcService final : public v1::PortfolioService::Service {
 public:
  // `clock` gives "today" for the live overview.
  explicit PortfolioGrpcService(PortfolioView& view, const Clock& clock = Clock::Real())
      : view_(view), clock_(clock) {}

  grpc::Status ListPortfolioProjects(
      grpc::ServerContext* context, const v1::ListPortfolioProjectsRequest* request,
      v1::ListPortfolioProjectsResponse* response) override;
  grpc::Status GetPortfolioDigest(grpc::ServerContext* context,
                                  const v1::GetPortfolioDigestRequest* request,
                                  v1::GetPortfolioDigestResponse* response) override;
  grpc::Status GetPortfolioOverview(grpc::ServerContext* context,
                                    const v1::GetPortfolioOverviewRequest* request,
                                    v1::GetPortfolioOverviewResponse* response) override;

 private:
  PortfolioView& view_;
  const Clock& clock_;
};

}  // namespace pmo::projection
