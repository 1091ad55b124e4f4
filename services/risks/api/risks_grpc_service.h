#pragma once

// gRPC adapter of the risk register.

#include "pmo/risks/v1/risks_service.grpc.pb.h"
#include "services/risks/app/risk_handlers.h"

namespace pmo::risks {

class RisksGrpcService final : public v1::RisksService::Service {
 public:
  explicit RisksGrpcService(RiskHandlers& handlers) : handlers_(handlers) {}

  grpc::Status IdentifyRisk(grpc::ServerContext* context, const v1::IdentifyRiskRequest* request,
                            v1::IdentifyRiskResponse* response) override;
  grpc::Status GetRisk(grpc::ServerContext* context, const v1::GetRiskRequest* request,
                       v1::GetRiskResponse* response) override;
  grpc::Status AssessRisk(grpc::ServerContext* context, const v1::AssessRiskRequest* request,
                          v1::AssessRiskResponse* response) override;
  grpc::Status PlanResponse(grpc::ServerContext* context, const v1::PlanResponseRequest* request,
                            v1::PlanResponseResponse* response) override;
  grpc::Status CompleteResponseAction(grpc::ServerContext* context,
                                      const v1::CompleteResponseActionRequest* request,
                                      v1::CompleteResponseActionResponse* response) override;
  grpc::Status ChangeRiskStatus(grpc::ServerContext* context,
                                const v1::ChangeRiskStatusRequest* request,
                                v1::ChangeRiskStatusResponse* response) override;
  grpc::Status ListRisks(grpc::ServerContext* context, const v1::ListRisksRequest* request,
                         v1::ListRisksResponse* response) override;
  grpc::Status CombineRisks(grpc::ServerContext* context, const v1::CombineRisksRequest* request,
                            v1::CombineRisksResponse* response) override;
  grpc::Status GetCombinedRisk(grpc::ServerContext* context,
                               const v1::GetCombinedRiskRequest* request,
                               v1::GetCombinedRiskResponse* response) override;

 private:
  RiskHandlers& handlers_;
};

}  // namespace pmo::risks
