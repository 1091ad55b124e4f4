#pragma once

// gRPC adapter of the PMO library (methodologies).

#include "pmo/configuration/v1/library_service.grpc.pb.h"
#include "services/configuration/app/library_handlers.h"

namespace pmo::configuration {

class LibraryGrpcService final : public v1::LibraryService::Service {
 public:
  explicit LibraryGrpcService(LibraryHandlers& handlers)
      : handlers_(handlers) {}

  grpc::Status PublishMethodologyVersion(
      grpc::ServerContext* context,
      const v1::PublishMethodologyVersionRequest* request,
      v1::PublishMethodologyVersionResponse* response) override;
  grpc::Status GetMethodologyVersion(
      grpc::ServerContext* context,
      const v1::GetMethodologyVersionRequest* request,
      v1::GetMethodologyVersionResponse* response) override;
  grpc::Status ListMethodologyVersions(
      grpc::ServerContext* context,
      const v1::ListMethodologyVersionsRequest* request,
      v1::ListMethodologyVersionsResponse* response) override;
  grpc::Status WithdrawMethodologyVersion(
      grpc::ServerContext* context,
      const v1::WithdrawMethodologyVersionRequest* request,
      v1::WithdrawMethodologyVersionResponse* response) override;

 private:
  LibraryHandlers& handlers_;
};

}  // namespace pmo::configuration
