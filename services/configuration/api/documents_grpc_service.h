#pragma once

// gRPC adapter of the PMO library's documents.

#include "pmo/configuration/v1/documents_service.grpc.pb.h"
#include "services/configuration/api/item_scopes.h"
#include "services/configuration/app/document_handlers.h"

namespace pmo::configuration {

class DocumentsGrpcService final : public v1::DocumentsService::Service,
                                   public auth::ItemScopes {
 public:
  DocumentsGrpcService(DocumentHandlers& handlers, const ItemOwners& owners)
      : handlers_(handlers), owners_(owners) {}

  // The projects of the item the request is keyed by (api/item_scopes.h).
  absl::StatusOr<std::optional<auth::ItemScope>> ScopeOf(
      const google::protobuf::MethodDescriptor& method,
      const google::protobuf::Message& request) const override;

  grpc::Status CreateDocument(grpc::ServerContext* context,
                              const v1::CreateDocumentRequest* request,
                              v1::CreateDocumentResponse* response) override;
  grpc::Status GetDocument(grpc::ServerContext* context,
                           const v1::GetDocumentRequest* request,
                           v1::GetDocumentResponse* response) override;
  grpc::Status ListDocuments(grpc::ServerContext* context,
                             const v1::ListDocumentsRequest* request,
                             v1::ListDocumentsResponse* response) override;
  grpc::Status GetDocumentBody(grpc::ServerContext* context,
                               const v1::GetDocumentBodyRequest* request,
                               v1::GetDocumentBodyResponse* response) override;
  grpc::Status DraftDocumentVersion(
      grpc::ServerContext* context,
      const v1::DraftDocumentVersionRequest* request,
      v1::DraftDocumentVersionResponse* response) override;
  grpc::Status RequestDocumentReview(
      grpc::ServerContext* context,
      const v1::RequestDocumentReviewRequest* request,
      v1::RequestDocumentReviewResponse* response) override;
  grpc::Status ReviewDocument(grpc::ServerContext* context,
                              const v1::ReviewDocumentRequest* request,
                              v1::ReviewDocumentResponse* response) override;
  grpc::Status ApproveDocumentVersion(
      grpc::ServerContext* context,
      const v1::ApproveDocumentVersionRequest* request,
      v1::ApproveDocumentVersionResponse* response) override;
  grpc::Status PublishDocumentVersion(
      grpc::ServerContext* context,
      const v1::PublishDocumentVersionRequest* request,
      v1::PublishDocumentVersionResponse* response) override;
  grpc::Status SetDocumentApplicability(
      grpc::ServerContext* context,
      const v1::SetDocumentApplicabilityRequest* request,
      v1::SetDocumentApplicabilityResponse* response) override;
  grpc::Status AddDocumentApplicability(
      grpc::ServerContext* context,
      const v1::AddDocumentApplicabilityRequest* request,
      v1::AddDocumentApplicabilityResponse* response) override;
  grpc::Status RemoveDocumentApplicability(
      grpc::ServerContext* context,
      const v1::RemoveDocumentApplicabilityRequest* request,
      v1::RemoveDocumentApplicabilityResponse* response) override;
  grpc::Status RetireDocument(grpc::ServerContext* context,
                              const v1::RetireDocumentRequest* request,
                              v1::RetireDocumentResponse* response) override;

 private:
  DocumentHandlers& handlers_;
  const ItemOwners& owners_;
};

}  // namespace pmo::configuration
