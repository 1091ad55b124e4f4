#include "services/configuration/api/change_control_grpc_service.h"

#include "absl/strings/str_cat.h"
#include "libs/auth/principal.h"
#include "libs/base/errors.h"
#include "libs/base/status_macros.h"
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
grpc::Status Answer(const absl::StatusOr<VersionedChangeRequest>& cr,
                    Response* response) {
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
  CheckExpectedVersion(v, request.has_expected_version(),
                       request.expected_version());
  return v.ToStatus();
}

// The change request a request of this service is keyed by (every keyed
// request calls its field change_request_id).
std::string ChangeRequestIdOf(const google::protobuf::Message& request) {
  const google::protobuf::FieldDescriptor* field =
      request.GetDescriptor()->FindFieldByName("change_request_id");
  return field != nullptr ? request.GetReflection()->GetString(request, field)
                          : std::string();
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
  return Answer(
      handlers_.Submit(
          std::move(submitted),
          CommandContextOf(*context, request->request_id(), std::nullopt)),
      response);
}

grpc::Status ChangeControlGrpcService::GetChangeRequest(
    grpc::ServerContext* context, const v1::GetChangeRequestRequest* request,
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
  for (const VersionedChangeRequest& cr : *listed)
    *response->add_change_requests() = ToProto(cr);
  return grpc::Status::OK;
}

grpc::Status ChangeControlGrpcService::AssessChangeRequest(
    grpc::ServerContext* context, const v1::AssessChangeRequestRequest* request,
    v1::AssessChangeRequestResponse* response) {
  if (absl::Status s = CheckCommand(*request); !s.ok()) return ToGrpcStatus(s);
  return Answer(handlers_.Assess(request->change_request_id(),
                                 request->impact(), request->assessed_by(),
                                 CommandContextOf(*context, *request)),
                response);
}

grpc::Status ChangeControlGrpcService::CastBoardVote(
    grpc::ServerContext* context, const v1::CastBoardVoteRequest* request,
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
  return Answer(handlers_.Decide(
                    request->change_request_id(), request->decision(),
                    ActorName(*context, request->decided_by()),
                    request->rationale(), CommandContextOf(*context, *request)),
                response);
}

grpc::Status ChangeControlGrpcService::RecordImplementation(
    grpc::ServerContext* context,
    const v1::RecordImplementationRequest* request,
    v1::RecordImplementationResponse* response) {
  if (absl::Status s = CheckCommand(*request); !s.ok()) return ToGrpcStatus(s);
  return Answer(handlers_.RecordImplementation(
                    request->change_request_id(), request->implemented_by(),
                    request->notes(), CommandContextOf(*context, *request)),
                response);
}

grpc::Status ChangeControlGrpcService::VerifyChangeRequest(
    grpc::ServerContext* context, const v1::VerifyChangeRequestRequest* request,
    v1::VerifyChangeRequestResponse* response) {
  if (absl::Status s = CheckCommand(*request); !s.ok()) return ToGrpcStatus(s);
  return Answer(
      handlers_.Verify(request->change_request_id(),
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

grpc::Status ChangeControlGrpcService::ConfigureChangeBoard(
    grpc::ServerContext* context,
    const v1::ConfigureChangeBoardRequest* request,
    v1::ConfigureChangeBoardResponse* response) {
  FieldViolations v;
  CheckRequestId(v, request->request_id());
  CheckExpectedVersion(v, request->has_expected_version(),
                       request->expected_version());
  v1::ChangeBoardConfigured board;
  board.set_portfolio_id(request->portfolio_id());
  *board.mutable_members() = request->members();
  board.set_chair(request->chair());
  board.set_quorum(request->quorum());
  board.set_majority(request->majority());
  v.AddAll(ValidateChangeBoard(board));
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  auto configured = handlers_.ConfigureBoard(
      std::move(board), CommandContextOf(*context, *request));
  if (!configured.ok()) return ToGrpcStatus(configured.status());
  *response->mutable_board() = ToProto(*configured);
  return grpc::Status::OK;
}

grpc::Status ChangeControlGrpcService::GetChangeBoard(
    grpc::ServerContext* context, const v1::GetChangeBoardRequest* request,
    v1::GetChangeBoardResponse* response) {
  if (request->portfolio_id().empty()) {
    FieldViolations v;
    v.Add("portfolio_id", "is required");
    return ToGrpcStatus(v.ToStatus());
  }
  auto board = handlers_.GetBoard(request->portfolio_id());
  if (!board.ok()) return ToGrpcStatus(board.status());
  *response->mutable_board() = ToProto(*board);
  return grpc::Status::OK;
}

absl::StatusOr<std::optional<auth::ItemScope>>
ChangeControlGrpcService::ScopeOf(
    const google::protobuf::MethodDescriptor& method,
    const google::protobuf::Message& request) const {
  ASSIGN_OR_RETURN(
      std::optional<auth::ItemScope> scope,
      ScopeByKeys(owners_, request,
                  {{"change_request_id", ItemKind::kChangeRequest}}));
  const bool members_act =
      method.name() == "GetChangeRequest" || method.name() == "CastBoardVote";
  const bool chair_acts = method.name() == "DecideChangeRequest";
  if (!scope || !(members_act || chair_acts)) return scope;
  ASSIGN_OR_RETURN(std::optional<v1::ChangeBoard> board,
                   handlers_.BoardOfRequest(ChangeRequestIdOf(request)));
  if (!board) return scope;
  if (chair_acts) {
    scope->office_holders.push_back(board->chair());
  } else {
    scope->office_holders.assign(board->members().begin(),
                                 board->members().end());
  }
  return scope;
}

}  // namespace pmo::configuration
