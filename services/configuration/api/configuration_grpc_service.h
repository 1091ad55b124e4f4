#pragma once

// gRPC adapter of configuration management: decode and check the request,
// call ConfigurationHandlers, encode.

#include "pmo/configuration/v1/configuration_service.grpc.pb.h"
#include "services/configuration/api/item_scopes.h"
#include "services/configuration/app/configuration_handlers.h"

namespace pmo::configuration {

class ConfigurationGrpcService final : public v1::ConfigurationService::Service,
                                       public auth::ItemScopes {
 public:
  ConfigurationGrpcService(ConfigurationHandlers& handlers,
                           const ItemOwners& owners)
      : handlers_(handlers), owners_(owners) {}

  // The projects of the item the request is keyed by (api/item_scopes.h).
  absl::StatusOr<std::optional<auth::ItemScope>> ScopeOf(
      const google::protobuf::MethodDescriptor& method,
      const google::protobuf::Message& request) const override;

  grpc::Status RegisterConfigurationItem(
      grpc::ServerContext* context,
      const v1::RegisterConfigurationItemRequest* request,
      v1::RegisterConfigurationItemResponse* response) override;
  grpc::Status GetConfigurationItem(
      grpc::ServerContext* context,
      const v1::GetConfigurationItemRequest* request,
      v1::GetConfigurationItemResponse* response) override;
  grpc::Status ListConfigurationItems(
      grpc::ServerContext* context,
      const v1::ListConfigurationItemsRequest* request,
      v1::ListConfigurationItemsResponse* response) override;
  grpc::Status RecordItemVersion(
      grpc::ServerContext* context, const v1::RecordItemVersionRequest* request,
      v1::RecordItemVersionResponse* response) override;
  grpc::Status ChangeItemStatus(
      grpc::ServerContext* context, const v1::ChangeItemStatusRequest* request,
      v1::ChangeItemStatusResponse* response) override;
  grpc::Status LinkConfigurationItems(
      grpc::ServerContext* context,
      const v1::LinkConfigurationItemsRequest* request,
      v1::LinkConfigurationItemsResponse* response) override;
  grpc::Status EstablishBaseline(
      grpc::ServerContext* context, const v1::EstablishBaselineRequest* request,
      v1::EstablishBaselineResponse* response) override;
  grpc::Status GetBaseline(grpc::ServerContext* context,
                           const v1::GetBaselineRequest* request,
                           v1::GetBaselineResponse* response) override;
  grpc::Status ListBaselines(grpc::ServerContext* context,
                             const v1::ListBaselinesRequest* request,
                             v1::ListBaselinesResponse* response) override;
  grpc::Status CompareBaselines(
      grpc::ServerContext* context, const v1::CompareBaselinesRequest* request,
      v1::CompareBaselinesResponse* response) override;
  grpc::Status GetStatusAccounting(
      grpc::ServerContext* context,
      const v1::GetStatusAccountingRequest* request,
      v1::GetStatusAccountingResponse* response) override;

 private:
  ConfigurationHandlers& handlers_;
  const ItemOwners& owners_;
};

}  // namespace pmo::configuration
