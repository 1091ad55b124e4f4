#pragma once

// The resources service, assembled: its event store, the reference view of
// projects, handlers and gRPC adapter. Used by pmo-resources and by the
// all-in-one pmo (which feeds the project view in-process).

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/eventstore/checkpoint_store.h"
#include "libs/eventstore/event_store.h"
#include "libs/outbox/relay_leadership.h"
#include "libs/projectdirectory/project_directory.h"
#include "libs/servicehost/service_module.h"
#include "services/resources/api/resources_grpc_service.h"
#include "services/resources/app/levelling_handlers.h"
#include "services/resources/app/resource_handlers.h"

namespace pmo::resources {

struct ResourcesModule {
  // Opens (creating) <data_dir>/resources-events.db and
  // <data_dir>/resources-projects.db.
  static absl::StatusOr<std::unique_ptr<ResourcesModule>> Open(
      const std::string& data_dir);

  // Where --store_url says (default: the SQLite file in data_dir).
  std::unique_ptr<eventstore::EventStore> store;
  std::unique_ptr<eventstore::CheckpointStore> checkpoints;
  // For the outbox relay; null with SQLite.
  std::unique_ptr<outbox::RelayLeadership> relay_leadership;
  std::unique_ptr<projectdirectory::ProjectDirectory> projects;
  std::unique_ptr<ResourceHandlers> handlers;
  std::unique_ptr<LevellingHandlers> levelling;
  std::unique_ptr<ResourcesGrpcService> grpc_service;
  std::unique_ptr<MentoringHandlers> mentoring;
  std::unique_ptr<MentoringGrpcService> mentoring_grpc_service;

  // Every gRPC service of the resources context.
  std::vector<grpc::Service*> grpc_services() const {
    return {grpc_service.get(), mentoring_grpc_service.get()};
  }
};

// What the runners of libs/servicehost need to know about this service:
// its store, the topic it publishes, the events it is fed, its gRPC
// services. Owns `module`.
servicehost::ServiceModule AsServiceModule(
    std::unique_ptr<ResourcesModule> module);

}  // namespace pmo::resources
