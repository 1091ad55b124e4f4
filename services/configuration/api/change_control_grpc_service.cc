#include "services/configuration/api/change_control_grpc_service.h"

#include "absl/strings/str_cat.h"
#include "libs/auth/principal.h"
#include "libs/base/errors.h"
#include "services/configuration/api/caller_names.h"
#include "libs/grpcserver/call_context.h"
#include "libs/grpcserver/request_checks.h"
#include "libs/grpcserver/status_mapping.h"

namespace pmo::configuration {
namespace {

using grpcserver::CheckExpectedVersion;
using grpcserver::CheckRequestId;
using grpcserver::CheckUuid;
using grpcserver::CommandContextOf;
using grpcserver::ToGrpcStatus;

template <typename Response>
grpc::Status Answer(const absl::StatusOr<VersionedChangeRequest>& cr, Response* response) {
  if (!cr.ok()) return ToGrpcStatus(cr.status());
  *response->mutable_change_request() = ToProto(*cr);
  return grpc::Status::OK;
}

// The checks every workflow command shares: request id, the change request
// id and the optional expected version.
template <typename Request>
absl::Status CheckCommand(const Request& request) {
  FieldViolations v;
  CheckRequestId(v, request.request_id());
  CheckUuid(v, "change_request_id", request.change_request_id());
  CheckExpectedVersion(v, request.has_expected_version(), request.expected_version());
  return v.ToStatus();
}

}  // namespace

grpc::Status ChangeControlGrpcService::SubmitChangeRequest(
    grpc::ServerContext* context, const v1::SubmitChangeRequestRequest* request,
    v1::SubmitChangeRequestResponse* response) {
  FieldViolations v;
  CheckRequestId(v, request->request_id());
  v1::ChangeRequestSubmitted submitted;
  submitted.set_project_id(request->project_id());
  submitted.set_title(request->title());
  submitted.set_reason(request->reason());
  submitted.set_requester(request->requester());
  *submitted.mutable_affected_item_ids() = request->affected_item_ids();
  v.AddAll(ValidateSubmission(submitted));
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  return Answer(handlers_.Submit(std::move(submitted),
                                 CommandContextOf(*context, request->request_id(), std::nullopt)),
                response);
}

grpc::Status ChangeControlGrpcService::GetChangeRequest(grpc::ServerContext* context,
                                                        const v1::GetChangeRequestRequest* request,
                                                        v1::GetChangeRequestResponse* response) {
  FieldViolations v;
  CheckUuid(v, "change_request_id", request->change_request_id());
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  return Answer(handlers_.Get(request->change_request_id()), response);
}

grpc::Status ChangeControlGrpcService::ListChangeRequests(
    grpc::ServerContext* context, const v1::ListChangeRequestsRequest* request,
    v1::ListChangeRequestsResponse* response) {
  auto listed = handlers_.List(request->project_id(), request->status());
  if (!listed.ok()) return ToGrpcStatus(listed.status());
  for (const VersionedChangeRequest& cr : *listed) *response->add_change_requests() = ToProto(cr);
  return grpc::Status::OK;
}

grpc::Status ChangeControlGrpcService::AssessChangeRequest(
    grpc::ServerContext* context, const v1::AssessChangeRequestRequest* request,
    v1::AssessChangeRequestResponse* response) {
  if (absl::Status s = CheckCommand(*request); !s.ok()) return ToGrpcStatus(s);
  return Answer(handlers_.Assess(request->change_request_id(), request->impact(),
                                 request->assessed_by(), CommandContextOf(*context, *request)),
                response);
}

grpc::Status ChangeControlGrpcService::CastBoardVote(grpc::ServerContext* context,
                                                     const v1::CastBoardVoteRequest* request,
                                                     v1::CastBoardVoteResponse* response) {
  if (absl::Status s = CheckCommand(*request); !s.ok()) return ToGrpcStatus(s);
  // The caller votes; the typed member name is only a label.
  v1::BoardVote vote = request->vote();
  if (vote.member().size() > 128) {
    FieldViolations v;
    v.Add("vote.member", "must be at most 128 characters");
    return ToGrpcStatus(v.ToStatus());
  }
  vote.set_member_label(vote.member());
  vote.set_member(ActorName(*context, vote.member()));
  return Answer(handlers_.CastVote(request->change_request_id(), vote,
                                   CommandContextOf(*context, *request)),
                response);
}

grpc::Status ChangeControlGrpcService::DecideChangeRequest(
    grpc::ServerContext* context, const v1::DecideChangeRequestRequest* request,
    v1::DecideChangeRequestResponse* response) {
  if (absl::Status s = CheckCommand(*request); !s.ok()) return ToGrpcStatus(s);
  return Answer(handlers_.Decide(request->change_request_id(), request->decision(),
                                 ActorName(*context, request->decided_by()),
                                 request->rationale(),
                                 CommandContextOf(*context, *request)),
                response);
}

grpc::Status ChangeControlGrpcService::RecordImplementation(
    grpc::ServerContext* context, const v1::RecordImplementationRequest* request,
    v1::RecordImplementationResponse* response) {
  if (absl::Status s = CheckCommand(*request); !s.ok()) return ToGrpcStatus(s);
  return Answer(handlers_.RecordImplementation(request->change_request_id(),
                                               request->implemented_by(), request->notes(),
                                               CommandContextOf(*context, *request)),
                response);
}

grpc::Status ChangeControlGrpcService::VerifyChangeRequest(
    grpc::ServerContext* context, const v1::VerifyChangeRequestRequest* request,
    v1::VerifyChangeRequestResponse* response) {
  if (absl::Status s = CheckCommand(*request); !s.ok()) return ToGrpcStatus(s);
  return Answer(handlers_.Verify(request->change_request_id(),
                                 ActorName(*context, request->verified_by()),
                                 request->notes(), CommandContextOf(*context, *request)),
                response);
}

grpc::Status ChangeControlGrpcService::CloseChangeRequest(
    grpc::ServerContext* context, const v1::CloseChangeRequestRequest* request,
    v1::CloseChangeRequestResponse* response) {
  if (absl::Status s = CheckCommand(*request); !s.ok()) return ToGrpcStatus(s);
  return Answer(handlers_.Close(request->change_request_id(), request->reason(),
                                CommandContextOf(*context, *request)),
                response);
}

absl::StatusOr<std::optional<auth::ItemScope>> ChangeControlGrpcService::ScopeOf(
    const google::protobuf::MethodDescriptor& method,
    const google::protobuf::Message& request) const {
  return ScopeByKeys(owners_, request, {{"change_request_id", ItemKind::kChangeRequest}});
}

}  // namespace pmo::configuration
