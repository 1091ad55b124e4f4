#pragma once

// The configuration service, assembled: its event store, handlers and gRPC
// adapters. Used by pmo-configuration and by the all-in-one pmo.

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/eventstore/checkpoint_store.h"
#include "libs/eventstore/event_store.h"
#include "libs/outbox/relay_leadership.h"
#include "libs/projectdirectory/project_directory.h"
#include "libs/servicehost/service_module.h"
#include "services/configuration/api/change_control_grpc_service.h"
#include "services/configuration/api/configuration_grpc_service.h"
#include "services/configuration/api/documents_grpc_service.h"
#include "services/configuration/api/library_grpc_service.h"
#include "services/configuration/api/quality_grpc_service.h"
#include "services/configuration/api/tools_grpc_service.h"
#include "services/configuration/app/change_control_handlers.h"
#include "services/configuration/app/configuration_handlers.h"
#include "services/configuration/app/document_bodies.h"
#include "services/configuration/app/document_handlers.h"
#include "services/configuration/app/item_owners.h"
#include "services/configuration/app/library_handlers.h"
#include "services/configuration/app/quality_handlers.h"
#include "services/configuration/app/tool_handlers.h"

namespace pmo::configuration {

struct ConfigurationModule {
  // Opens (creating) <data_dir>/configuration-events.db and the document
  // bodies, <data_dir>/configuration-documents.db.
  static absl::StatusOr<std::unique_ptr<ConfigurationModule>> Open(
      const std::string& data_dir);

  // Where --store_url says (default: the SQLite file in data_dir).
  std::unique_ptr<eventstore::EventStore> store;
  std::unique_ptr<eventstore::CheckpointStore> checkpoints;
  // For the outbox relay; null with SQLite.
  std::unique_ptr<outbox::RelayLeadership> relay_leadership;
  // The projects, learnt from the projects service's events (in-process in
  // the all-in-one pmo, Kafka topic pmo.projects.events.v1 for
  // pmo-configuration): commands naming an unknown project are NOT_FOUND.
  // <data_dir>/configuration-projects.db.
  std::unique_ptr<projectdirectory::ProjectDirectory> projects;
  // The projects owning each item, for the gRPC services' item scopes.
  std::unique_ptr<ItemOwners> item_owners;
  std::unique_ptr<ConfigurationHandlers> configuration_handlers;
  std::unique_ptr<ChangeControlHandlers> change_control_handlers;
  std::unique_ptr<ConfigurationGrpcService> configuration_grpc_service;
  std::unique_ptr<ChangeControlGrpcService> change_control_grpc_service;
  std::unique_ptr<LibraryHandlers> library_handlers;
  std::unique_ptr<LibraryGrpcService> library_grpc_service;
  std::unique_ptr<DocumentBodies> document_bodies;
  std::unique_ptr<DocumentHandlers> document_handlers;
  std::unique_ptr<DocumentsGrpcService> documents_grpc_service;
  std::unique_ptr<ToolHandlers> tool_handlers;
  std::unique_ptr<ToolsGrpcService> tools_grpc_service;
  std::unique_ptr<QualityHandlers> quality_handlers;
  std::unique_ptr<QualityGrpcService> quality_grpc_service;

  // Every gRPC service of the configuration context.
  std::vector<grpc::Service*> grpc_services() const {
    return {configuration_grpc_service.get(), change_control_grpc_service.get(),
            library_grpc_service.get(),       documents_grpc_service.get(),
            tools_grpc_service.get(),         quality_grpc_service.get()};
  }
};

// What the runners of libs/servicehost need to know about this service:
// its store, the topic it publishes, the events it is fed, its gRPC
// services. Owns `module`.
servicehost::ServiceModule AsServiceModule(
    std::unique_ptr<ConfigurationModule> module);

}  // namespace pmo::configuration
