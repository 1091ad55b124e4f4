#include "services/configuration/api/documents_grpc_service.h"

#include "absl/strings/str_cat.h"
#include "libs/auth/principal.h"
#include "libs/base/errors.h"
#include "libs/grpcserver/call_context.h"
#include "libs/grpcserver/request_checks.h"
#include "libs/grpcserver/status_mapping.h"
#include "services/configuration/api/caller_names.h"

namespace pmo::configuration {
namespace {

using grpcserver::CheckExpectedVersion;
using grpcserver::CheckRequestId;
using grpcserver::CheckUuid;
using grpcserver::CommandContextOf;
using grpcserver::ToGrpcStatus;

template <typename Response>
grpc::Status Answer(const absl::StatusOr<VersionedDocument>& d,
                    Response* response) {
  if (!d.ok()) return ToGrpcStatus(d.status());
  *response->mutable_document() = ToProto(*d);
  return grpc::Status::OK;
}

// Request id, document id, expected version and (when the command names
// one) the version number: the checks the workflow commands share.
template <typename Request>
absl::Status CheckCommand(const Request& request, bool names_version) {
  FieldViolations v;
  CheckRequestId(v, request.request_id());
  CheckUuid(v, "document_id", request.document_id());
  CheckExpectedVersion(v, request.has_expected_version(),
                       request.expected_version());
  if constexpr (requires { request.version_number(); }) {
    if (names_version && request.version_number() < 1) {
      v.Add("version_number", "must be a version of the document (1 or more)");
    }
  }
  return v.ToStatus();
}

}  // namespace

grpc::Status DocumentsGrpcService::CreateDocument(
    grpc::ServerContext* context, const v1::CreateDocumentRequest* request,
    v1::CreateDocumentResponse* response) {
  FieldViolations v;
  CheckRequestId(v, request->request_id());
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  return Answer(
      handlers_.Create(
          request->kind(), request->title(), request->owner(),
          {request->body(), request->media_type(), request->change_summary()},
          CommandContextOf(*context, request->request_id(), std::nullopt)),
      response);
}

grpc::Status DocumentsGrpcService::GetDocument(
    grpc::ServerContext* context, const v1::GetDocumentRequest* request,
    v1::GetDocumentResponse* response) {
  FieldViolations v;
  CheckUuid(v, "document_id", request->document_id());
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  return Answer(handlers_.Get(request->document_id()), response);
}

grpc::Status DocumentsGrpcService::ListDocuments(
    grpc::ServerContext* context, const v1::ListDocumentsRequest* request,
    v1::ListDocumentsResponse* response) {
  auto listed = handlers_.List(request->kind(), request->project_id());
  if (!listed.ok()) return ToGrpcStatus(listed.status());
  for (const VersionedDocument& d : *listed)
    *response->add_documents() = ToProto(d);
  return grpc::Status::OK;
}

grpc::Status DocumentsGrpcService::GetDocumentBody(
    grpc::ServerContext* context, const v1::GetDocumentBodyRequest* request,
    v1::GetDocumentBodyResponse* response) {
  FieldViolations v;
  CheckUuid(v, "document_id", request->document_id());
  if (request->version_number() < 1)
    v.Add("version_number", "must be 1 or more");
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  auto body =
      handlers_.GetBody(request->document_id(), request->version_number());
  if (!body.ok()) return ToGrpcStatus(body.status());
  response->set_body(std::move(body->body));
  response->set_content_sha256(body->content_sha256);
  response->set_media_type(body->media_type);
  return grpc::Status::OK;
}

grpc::Status DocumentsGrpcService::DraftDocumentVersion(
    grpc::ServerContext* context,
    const v1::DraftDocumentVersionRequest* request,
    v1::DraftDocumentVersionResponse* response) {
  if (absl::Status s = CheckCommand(*request, false); !s.ok())
    return ToGrpcStatus(s);
  return Answer(handlers_.DraftVersion(request->document_id(),
                                       {request->body(), request->media_type(),
                                        request->change_summary()},
                                       CommandContextOf(*context, *request)),
                response);
}

grpc::Status DocumentsGrpcService::RequestDocumentReview(
    grpc::ServerContext* context,
    const v1::RequestDocumentReviewRequest* request,
    v1::RequestDocumentReviewResponse* response) {
  if (absl::Status s = CheckCommand(*request, true); !s.ok())
    return ToGrpcStatus(s);
  return Answer(
      handlers_.RequestReview(request->document_id(), request->version_number(),
                              CommandContextOf(*context, *request)),
      response);
}

grpc::Status DocumentsGrpcService::ReviewDocument(
    grpc::ServerContext* context, const v1::ReviewDocumentRequest* request,
    v1::ReviewDocumentResponse* response) {
  if (absl::Status s = CheckCommand(*request, true); !s.ok())
    return ToGrpcStatus(s);
  // The caller reviews; the typed name is only a label.
  v1::DocumentReview review = request->review();
  if (review.reviewer().size() > 128) {
    FieldViolations v;
    v.Add("review.reviewer", "must be at most 128 characters");
    return ToGrpcStatus(v.ToStatus());
  }
  review.set_reviewer_label(review.reviewer());
  review.set_reviewer(ActorName(*context, review.reviewer()));
  return Answer(
      handlers_.Review(request->document_id(), request->version_number(),
                       review, CommandContextOf(*context, *request)),
      response);
}

grpc::Status DocumentsGrpcService::ApproveDocumentVersion(
    grpc::ServerContext* context,
    const v1::ApproveDocumentVersionRequest* request,
    v1::ApproveDocumentVersionResponse* response) {
  if (absl::Status s = CheckCommand(*request, true); !s.ok())
    return ToGrpcStatus(s);
  return Answer(
      handlers_.Approve(request->document_id(), request->version_number(),
                        ActorName(*context, request->approved_by()),
                        CommandContextOf(*context, *request)),
      response);
}

grpc::Status DocumentsGrpcService::PublishDocumentVersion(
    grpc::ServerContext* context,
    const v1::PublishDocumentVersionRequest* request,
    v1::PublishDocumentVersionResponse* response) {
  if (absl::Status s = CheckCommand(*request, true); !s.ok())
    return ToGrpcStatus(s);
  return Answer(
      handlers_.Publish(request->document_id(), request->version_number(),
                        CommandContextOf(*context, *request)),
      response);
}

grpc::Status DocumentsGrpcService::SetDocumentApplicability(
    grpc::ServerContext* context,
    const v1::SetDocumentApplicabilityRequest* request,
    v1::SetDocumentApplicabilityResponse* response) {
  if (absl::Status s = CheckCommand(*request, true); !s.ok())
    return ToGrpcStatus(s);
  return Answer(
      handlers_.SetApplicability(
          request->document_id(), request->version_number(),
          {request->project_ids().begin(), request->project_ids().end()},
          CommandContextOf(*context, *request)),
      response);
}

grpc::Status DocumentsGrpcService::AddDocumentApplicability(
    grpc::ServerContext* context,
    const v1::AddDocumentApplicabilityRequest* request,
    v1::AddDocumentApplicabilityResponse* response) {
  if (absl::Status s = CheckCommand(*request, true); !s.ok())
    return ToGrpcStatus(s);
  return Answer(
      handlers_.AddApplicability(
          request->document_id(), request->version_number(),
          request->project_id(), CommandContextOf(*context, *request)),
      response);
}

grpc::Status DocumentsGrpcService::RemoveDocumentApplicability(
    grpc::ServerContext* context,
    const v1::RemoveDocumentApplicabilityRequest* request,
    v1::RemoveDocumentApplicabilityResponse* response) {
  if (absl::Status s = CheckCommand(*request, true); !s.ok())
    return ToGrpcStatus(s);
  return Answer(
      handlers_.RemoveApplicability(
          request->document_id(), request->version_number(),
          request->project_id(), CommandContextOf(*context, *request)),
      response);
}

grpc::Status DocumentsGrpcService::RetireDocument(
    grpc::ServerContext* context, const v1::RetireDocumentRequest* request,
    v1::RetireDocumentResponse* response) {
  if (absl::Status s = CheckCommand(*request, false); !s.ok())
    return ToGrpcStatus(s);
  return Answer(handlers_.Retire(request->document_id(), request->reason(),
                                 CommandContextOf(*context, *request)),
                response);
}

absl::StatusOr<std::optional<auth::ItemScope>> DocumentsGrpcService::ScopeOf(
    const google::protobuf::MethodDescriptor& method,
    const google::protobuf::Message& request) const {
  // Applicability names its projects itself: a manager adds or removes
  // their own project whatever else the document applies to.
  if (method.name() == "SetDocumentApplicability" ||
      method.name() == "AddDocumentApplicability" ||
      method.name() == "RemoveDocumentApplicability") {
    return std::nullopt;
  }
  // A document applying to no project is PMO-wide: its writes stay with
  // pmo_admin (the scope has no project).
  return ScopeByKeys(owners_, request, {{"document_id", ItemKind::kDocument}});
}

}  // namespace pmo::configuration
