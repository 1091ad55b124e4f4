#pragma once

// gRPC adapter of the portfolio structure and strategic alignment.

#include "pmo/projects/v1/portfolios_service.grpc.pb.h"
#include "services/projects/app/portfolio_handlers.h"

namespace pmo::projects {

class PortfoliosGrpcService final : public v1::PortfoliosService::Service {
 public:
  explicit PortfoliosGrpcService(PortfolioHandlers& handlers)
      : handlers_(handlers) {}

  grpc::Status CreatePortfolio(grpc::ServerContext* context,
                               const v1::CreatePortfolioRequest* request,
                               v1::CreatePortfolioResponse* response) override;
  grpc::Status DefineStrategicObjective(
      grpc::ServerContext* context,
      const v1::DefineStrategicObjectiveRequest* request,
      v1::DefineStrategicObjectiveResponse* response) override;
  grpc::Status CreateProgramme(grpc::ServerContext* context,
                               const v1::CreateProgrammeRequest* request,
                               v1::CreateProgrammeResponse* response) override;
  grpc::Status AssignProjectToProgramme(
      grpc::ServerContext* context,
      const v1::AssignProjectToProgrammeRequest* request,
      v1::AssignProjectToProgrammeResponse* response) override;
  grpc::Status ScoreProject(grpc::ServerContext* context,
                            const v1::ScoreProjectRequest* request,
                            v1::ScoreProjectResponse* response) override;
  grpc::Status RankPortfolio(grpc::ServerContext* context,
                             const v1::RankPortfolioRequest* request,
                             v1::RankPortfolioResponse* response) override;

 private:
  PortfolioHandlers& handlers_;
};

}  // namespace pmo::projects
