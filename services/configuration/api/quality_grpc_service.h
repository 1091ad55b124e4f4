#pragma once

// gRPC adapter of quality management: standards, audits, findings,
// corrective actions and compliance.

#include "pmo/configuration/v1/quality_service.grpc.pb.h"
#include "services/configuration/api/item_scopes.h"
#include "services/configuration/app/quality_handlers.h"

namespace pmo::configuration {

class QualityGrpcService final : public v1::QualityService::Service,
                                 public auth::ItemScopes {
 public:
  QualityGrpcService(QualityHandlers& handlers, const ItemOwners& owners)
      : handlers_(handlers), owners_(owners) {}

  // The projects of the item the request is keyed by (api/item_scopes.h).
  absl::StatusOr<std::optional<auth::ItemScope>> ScopeOf(
      const google::protobuf::MethodDescriptor& method,
      const google::protobuf::Message& request) const override;

  grpc::Status DefineQualityStandard(
      grpc::ServerContext* context,
      const v1::DefineQualityStandardRequest* request,
      v1::DefineQualityStandardResponse* response) override;
  grpc::Status GetQualityStandard(
      grpc::ServerContext* context,
      const v1::GetQualityStandardRequest* request,
      v1::GetQualityStandardResponse* response) override;
  grpc::Status ListQualityStandards(
      grpc::ServerContext* context,
      const v1::ListQualityStandardsRequest* request,
      v1::ListQualityStandardsResponse* response) override;
  grpc::Status PlanAudit(grpc::ServerContext* context,
                         const v1::PlanAuditRequest* request,
                         v1::PlanAuditResponse* response) override;
  grpc::Status GetAudit(grpc::ServerContext* context,
                        const v1::GetAuditRequest* request,
                        v1::GetAuditResponse* response) override;
  grpc::Status ListAudits(grpc::ServerContext* context,
                          const v1::ListAuditsRequest* request,
                          v1::ListAuditsResponse* response) override;
  grpc::Status StartAudit(grpc::ServerContext* context,
                          const v1::StartAuditRequest* request,
                          v1::StartAuditResponse* response) override;
  grpc::Status RecordAuditFinding(
      grpc::ServerContext* context,
      const v1::RecordAuditFindingRequest* request,
      v1::RecordAuditFindingResponse* response) override;
  grpc::Status AssignCorrectiveAction(
      grpc::ServerContext* context,
      const v1::AssignCorrectiveActionRequest* request,
      v1::AssignCorrectiveActionResponse* response) override;
  grpc::Status CompleteCorrectiveAction(
      grpc::ServerContext* context,
      const v1::CompleteCorrectiveActionRequest* request,
      v1::CompleteCorrectiveActionResponse* response) override;
  grpc::Status VerifyCorrectiveAction(
      grpc::ServerContext* context,
      const v1::VerifyCorrectiveActionRequest* request,
      v1::VerifyCorrectiveActionResponse* response) override;
  grpc::Status CloseAuditFinding(
      grpc::ServerContext* context, const v1::CloseAuditFindingRequest* request,
      v1::CloseAuditFindingResponse* response) override;
  grpc::Status CompleteAudit(grpc::ServerContext* context,
                             const v1::CompleteAuditRequest* request,
                             v1::CompleteAuditResponse* response) override;
  grpc::Status GetProjectCompliance(
      grpc::ServerContext* context,
      const v1::GetProjectComplianceRequest* request,
      v1::GetProjectComplianceResponse* response) override;
  grpc::Status ListProjectCompliance(
      grpc::ServerContext* context,
      const v1::ListProjectComplianceRequest* request,
      v1::ListProjectComplianceResponse* response) override;
  grpc::Status ListOverdueCorrectiveActions(
      grpc::ServerContext* context,
      const v1::ListOverdueCorrectiveActionsRequest* request,
      v1::ListOverdueCorrectiveActionsResponse* response) override;

 private:
  QualityHandlers& handlers_;
  const ItemOwners& owners_;
};

}  // namespace pmo::configuration
