#include "services/configuration/api/library_grpc_service.h"

#include "libs/base/errors.h"
#include "libs/grpcserver/call_context.h"
#include "libs/grpcserver/request_checks.h"
#include "libs/grpcserver/status_mapping.h"

namespace pmo::configuration {
namespace {

using grpcserver::CheckRequestId;
using grpcserver::CheckUuid;
using grpcserver::CommandContextOf;
using grpcserver::ToGrpcStatus;

template <typename Response>
grpc::Status Answer(const absl::StatusOr<VersionedMethodology>& m,
                    Response* response) {
  if (!m.ok()) return ToGrpcStatus(m.status());
  *response->mutable_methodology() = ToProto(*m);
  return grpc::Status::OK;
}

}  // namespace

grpc::Status LibraryGrpcService::PublishMethodologyVersion(
    grpc::ServerContext* context,
    const v1::PublishMethodologyVersionRequest* request,
    v1::PublishMethodologyVersionResponse* response) {
  FieldViolations v(50);
  CheckRequestId(v, request->request_id());
  v1::MethodologyVersionPublished methodology;
  methodology.set_name(request->name());
  methodology.set_version(request->version());
  methodology.set_description(request->description());
  *methodology.mutable_phases() = request->phases();
  v.AddAll(ValidateMethodology(methodology));
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  return Answer(
      handlers_.PublishMethodology(
          std::move(methodology),
          CommandContextOf(*context, request->request_id(), std::nullopt)),
      response);
}

grpc::Status LibraryGrpcService::GetMethodologyVersion(
    grpc::ServerContext* context,
    const v1::GetMethodologyVersionRequest* request,
    v1::GetMethodologyVersionResponse* response) {
  FieldViolations v;
  CheckUuid(v, "methodology_id", request->methodology_id());
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  return Answer(handlers_.GetMethodology(request->methodology_id()), response);
}

grpc::Status LibraryGrpcService::ListMethodologyVersions(
    grpc::ServerContext* context,
    const v1::ListMethodologyVersionsRequest* request,
    v1::ListMethodologyVersionsResponse* response) {
  auto listed = handlers_.ListMethodologies(request->name());
  if (!listed.ok()) return ToGrpcStatus(listed.status());
  for (const VersionedMethodology& m : *listed)
    *response->add_methodologies() = ToProto(m);
  return grpc::Status::OK;
}

grpc::Status LibraryGrpcService::WithdrawMethodologyVersion(
    grpc::ServerContext* context,
    const v1::WithdrawMethodologyVersionRequest* request,
    v1::WithdrawMethodologyVersionResponse* response) {
  FieldViolations v;
  CheckRequestId(v, request->request_id());
  CheckUuid(v, "methodology_id", request->methodology_id());
  grpcserver::CheckExpectedVersion(v, request->has_expected_version(),
                                   request->expected_version());
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  return Answer(handlers_.WithdrawMethodology(
                    request->methodology_id(), request->reason(),
                    CommandContextOf(*context, request->request_id(),
                                     grpcserver::ExpectedVersionOf(*request))),
                response);
}

}  // namespace pmo::configuration
