#pragma once

// gRPC adapter of the consolidated portfolio view.

#include "pmo/projection/v1/portfolio_service.grpc.pb.h"
#include "services/projection/app/portfolio_view.h"

namespace pmo::projection {

class PortfolioGrpcService final : public v1::PortfolioService::Service {
 public:
  explicit PortfolioGrpcService(PortfolioView& view) : view_(view) {}

  grpc::Status ListPortfolioProjects(
      grpc::ServerContext* context, const v1::ListPortfolioProjectsRequest* request,
      v1::ListPortfolioProjectsResponse* response) override;
  grpc::Status GetPortfolioDigest(grpc::ServerContext* context,
                                  const v1::GetPortfolioDigestRequest* request,
                                  v1::GetPortfolioDigestResponse* response) override;

 private:
  absl::Status FillFreshness(v1::ViewFreshness* freshness);
  PortfolioView& view_;
};

}  // namespace pmo::projection
