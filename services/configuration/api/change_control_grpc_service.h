#pragma once

// gRPC adapter of change control: decode and check the request, call
// ChangeControlHandlers, encode.

#include "pmo/configuration/v1/change_control_service.grpc.pb.h"
#include "services/configuration/api/item_scopes.h"
#include "services/configuration/app/change_control_handlers.h"

namespace pmo::configuration {

class ChangeControlGrpcService final : public v1::ChangeControlService::Service,
                                       public auth::ItemScopes {
 public:
  ChangeControlGrpcService(ChangeControlHandlers& handlers,
                           const ItemOwners& owners)
      : handlers_(handlers), owners_(owners) {}

  // The projects of the item the request is keyed by (api/item_scopes.h);
  // for a change request whose portfolio has a change control board, its
  // members (for GetChangeRequest and CastBoardVote) or its chair (for
  // DecideChangeRequest) as the item's office holders.
  absl::StatusOr<std::optional<auth::ItemScope>> ScopeOf(
      const google::protobuf::MethodDescriptor& method,
      const google::protobuf::Message& request) const override;

  grpc::Status SubmitChangeRequest(
      grpc::ServerContext* context,
      const v1::SubmitChangeRequestRequest* request,
      v1::SubmitChangeRequestResponse* response) override;
  grpc::Status GetChangeRequest(
      grpc::ServerContext* context, const v1::GetChangeRequestRequest* request,
      v1::GetChangeRequestResponse* response) override;
  grpc::Status ListChangeRequests(
      grpc::ServerContext* context,
      const v1::ListChangeRequestsRequest* request,
      v1::ListChangeRequestsResponse* response) override;
  grpc::Status AssessChangeRequest(
      grpc::ServerContext* context,
      const v1::AssessChangeRequestRequest* request,
      v1::AssessChangeRequestResponse* response) override;
  grpc::Status CastBoardVote(grpc::ServerContext* context,
                             const v1::CastBoardVoteRequest* request,
                             v1::CastBoardVoteResponse* response) override;
  grpc::Status DecideChangeRequest(
      grpc::ServerContext* context,
      const v1::DecideChangeRequestRequest* request,
      v1::DecideChangeRequestResponse* response) override;
  grpc::Status RecordImplementation(
      grpc::ServerContext* context,
      const v1::RecordImplementationRequest* request,
      v1::RecordImplementationResponse* response) override;
  grpc::Status VerifyChangeRequest(
      grpc::ServerContext* context,
      const v1::VerifyChangeRequestRequest* request,
      v1::VerifyChangeRequestResponse* response) override;
  grpc::Status CloseChangeRequest(
      grpc::ServerContext* context,
      const v1::CloseChangeRequestRequest* request,
      v1::CloseChangeRequestResponse* response) override;
  grpc::Status ConfigureChangeBoard(
      grpc::ServerContext* context,
      const v1::ConfigureChangeBoardRequest* request,
      v1::ConfigureChangeBoardResponse* response) override;
  grpc::Status GetChangeBoard(grpc::ServerContext* context,
                              const v1::GetChangeBoardRequest* request,
                              v1::GetChangeBoardResponse* response) override;

 private:
  ChangeControlHandlers& handlers_;
  const ItemOwners& owners_;
};

}  // namespace pmo::configuration
