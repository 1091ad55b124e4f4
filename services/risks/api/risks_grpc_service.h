#pragma once

// gRPC adapter of the risk register. Risks and combined risks are answered
// in risks_grpc_service.cc; escalations, issues, overdue lists, matrices and
// the contingency reserve in register_grpc_service.cc.

#include "libs/auth/access_policy.h"
#include "pmo/risks/v1/risks_service.grpc.pb.h"
#include "services/risks/app/escalation_handlers.h"
#include "services/risks/app/issue_handlers.h"
#include "services/risks/app/matrix_handlers.h"
#include "services/risks/app/register_reports.h"
#include "services/risks/app/risk_handlers.h"

namespace pmo::risks {

// Everything the adapter calls.
struct RiskRegister {
  RiskHandlers& risks;
  IssueHandlers& issues;
  EscalationHandlers& escalations;
  MatrixHandlers& matrices;
  RegisterReports& reports;
};

// Also the item scopes of its RPCs keyed by a risk, combined risk or issue
// (risk_item_scopes.cc): the project the register records for the item, so
// the manager of that project may act on it (libs/auth/access_policy.h).
class RisksGrpcService final : public v1::RisksService::Service,
                               public auth::ItemScopes {
 public:
  explicit RisksGrpcService(RiskRegister handlers) : handlers_(handlers) {}

  // GetRisk, GetRiskHistory, AssessRisk, PlanResponse,
  // CompleteResponseAction, ChangeRiskStatus and EscalateRisk: the risk's
  // scope. GetIssue, ReassignIssue, ResolveIssue: the issue's scope.
  // GetCombinedRisk and CombineRisks: every member risk's scope (a manager
  // must manage them all; CombineRisks also names its own scope_id).
  // nullopt for the others: AcceptEscalation and ReturnEscalation are the
  // PMO's steps and stay pmo_admin's. NOT_FOUND naming the id for an
  // unknown item, INVALID_ARGUMENT for an id that is not a UUID.
  absl::StatusOr<std::optional<auth::ItemScope>> ScopeOf(
      const google::protobuf::MethodDescriptor& method,
      const google::protobuf::Message& request) const override;

  grpc::Status IdentifyRisk(grpc::ServerContext* context,
                            const v1::IdentifyRiskRequest* request,
                            v1::IdentifyRiskResponse* response) override;
  grpc::Status GetRisk(grpc::ServerContext* context,
                       const v1::GetRiskRequest* request,
                       v1::GetRiskResponse* response) override;
  grpc::Status GetRiskHistory(grpc::ServerContext* context,
                              const v1::GetRiskHistoryRequest* request,
                              v1::GetRiskHistoryResponse* response) override;
  grpc::Status AssessRisk(grpc::ServerContext* context,
                          const v1::AssessRiskRequest* request,
                          v1::AssessRiskResponse* response) override;
  grpc::Status PlanResponse(grpc::ServerContext* context,
                            const v1::PlanResponseRequest* request,
                            v1::PlanResponseResponse* response) override;
  grpc::Status CompleteResponseAction(
      grpc::ServerContext* context,
      const v1::CompleteResponseActionRequest* request,
      v1::CompleteResponseActionResponse* response) override;
  grpc::Status ChangeRiskStatus(
      grpc::ServerContext* context, const v1::ChangeRiskStatusRequest* request,
      v1::ChangeRiskStatusResponse* response) override;
  grpc::Status ListRisks(grpc::ServerContext* context,
                         const v1::ListRisksRequest* request,
                         v1::ListRisksResponse* response) override;
  grpc::Status CombineRisks(grpc::ServerContext* context,
                            const v1::CombineRisksRequest* request,
                            v1::CombineRisksResponse* response) override;
  grpc::Status GetCombinedRisk(grpc::ServerContext* context,
                               const v1::GetCombinedRiskRequest* request,
                               v1::GetCombinedRiskResponse* response) override;

  grpc::Status EscalateRisk(grpc::ServerContext* context,
                            const v1::EscalateRiskRequest* request,
                            v1::EscalateRiskResponse* response) override;
  grpc::Status ListEscalations(grpc::ServerContext* context,
                               const v1::ListEscalationsRequest* request,
                               v1::ListEscalationsResponse* response) override;
  grpc::Status AcceptEscalation(
      grpc::ServerContext* context, const v1::AcceptEscalationRequest* request,
      v1::AcceptEscalationResponse* response) override;
  grpc::Status ReturnEscalation(
      grpc::ServerContext* context, const v1::ReturnEscalationRequest* request,
      v1::ReturnEscalationResponse* response) override;
  grpc::Status RaiseIssue(grpc::ServerContext* context,
                          const v1::RaiseIssueRequest* request,
                          v1::RaiseIssueResponse* response) override;
  grpc::Status GetIssue(grpc::ServerContext* context,
                        const v1::GetIssueRequest* request,
                        v1::GetIssueResponse* response) override;
  grpc::Status ReassignIssue(grpc::ServerContext* context,
                             const v1::ReassignIssueRequest* request,
                             v1::ReassignIssueResponse* response) override;
  grpc::Status ResolveIssue(grpc::ServerContext* context,
                            const v1::ResolveIssueRequest* request,
                            v1::ResolveIssueResponse* response) override;
  grpc::Status ListIssues(grpc::ServerContext* context,
                          const v1::ListIssuesRequest* request,
                          v1::ListIssuesResponse* response) override;
  grpc::Status ListOverdue(grpc::ServerContext* context,
                           const v1::ListOverdueRequest* request,
                           v1::ListOverdueResponse* response) override;
  grpc::Status ConfigureRiskMatrix(
      grpc::ServerContext* context,
      const v1::ConfigureRiskMatrixRequest* request,
      v1::ConfigureRiskMatrixResponse* response) override;
  grpc::Status GetRiskMatrix(grpc::ServerContext* context,
                             const v1::GetRiskMatrixRequest* request,
                             v1::GetRiskMatrixResponse* response) override;
  grpc::Status GetContingencyReserve(
      grpc::ServerContext* context,
      const v1::GetContingencyReserveRequest* request,
      v1::GetContingencyReserveResponse* response) override;

 private:
  RiskRegister handlers_;
};

}  // namespace pmo::risks
