#pragma once

// gRPC adapter of the resource pool.

#include "pmo/resources/v1/resources_service.grpc.pb.h"
#include "services/resources/app/resource_handlers.h"

namespace pmo::resources {

class ResourcesGrpcService final : public v1::ResourcesService::Service {
 public:
  explicit ResourcesGrpcService(ResourceHandlers& handlers) : handlers_(handlers) {}

  grpc::Status RegisterResource(grpc::ServerContext* context,
                                const v1::RegisterResourceRequest* request,
                                v1::RegisterResourceResponse* response) override;
  grpc::Status GetResource(grpc::ServerContext* context, const v1::GetResourceRequest* request,
                           v1::GetResourceResponse* response) override;
  grpc::Status RecordAbsence(grpc::ServerContext* context, const v1::RecordAbsenceRequest* request,
                             v1::RecordAbsenceResponse* response) override;
  grpc::Status AllocateResource(grpc::ServerContext* context,
                                const v1::AllocateResourceRequest* request,
                                v1::AllocateResourceResponse* response) override;
  grpc::Status CancelAllocation(grpc::ServerContext* context,
                                const v1::CancelAllocationRequest* request,
                                v1::CancelAllocationResponse* response) override;
  grpc::Status GetResourceLoad(grpc::ServerContext* context,
                               const v1::GetResourceLoadRequest* request,
                               v1::GetResourceLoadResponse* response) override;

 private:
  ResourceHandlers& handlers_;
};

}  // namespace pmo::resources
