#pragma once

// gRPC adapter of the catalogue of project tools.

#include "pmo/configuration/v1/tools_service.grpc.pb.h"
#include "services/configuration/app/tool_handlers.h"

namespace pmo::configuration {

class ToolsGrpcService final : public v1::ToolsService::Service {
 public:
  // The catalogue is PMO-wide: no item scope (assignments name their
  // project themselves).
  explicit ToolsGrpcService(ToolHandlers& handlers) : handlers_(handlers) {}

  grpc::Status CatalogueTool(grpc::ServerContext* context,
                             const v1::CatalogueToolRequest* request,
                             v1::CatalogueToolResponse* response) override;
  grpc::Status GetTool(grpc::ServerContext* context,
                       const v1::GetToolRequest* request,
                       v1::GetToolResponse* response) override;
  grpc::Status ListTools(grpc::ServerContext* context,
                         const v1::ListToolsRequest* request,
                         v1::ListToolsResponse* response) override;
  grpc::Status ChangeToolLicence(
      grpc::ServerContext* context, const v1::ChangeToolLicenceRequest* request,
      v1::ChangeToolLicenceResponse* response) override;
  grpc::Status AssignToolToProject(
      grpc::ServerContext* context,
      const v1::AssignToolToProjectRequest* request,
      v1::AssignToolToProjectResponse* response) override;
  grpc::Status ReleaseToolFromProject(
      grpc::ServerContext* context,
      const v1::ReleaseToolFromProjectRequest* request,
      v1::ReleaseToolFromProjectResponse* response) override;
  grpc::Status RetireTool(grpc::ServerContext* context,
                          const v1::RetireToolRequest* request,
                          v1::RetireToolResponse* response) override;

 private:
  ToolHandlers& handlers_;
};

}  // namespace pmo::configuration
