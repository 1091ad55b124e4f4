#pragma once

// The projects service, assembled: its event store, handlers and gRPC
// adapter. Used by the pmo-projects binary and by the all-in-one pmo.

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/eventstore/checkpoint_store.h"
#include "libs/eventstore/event_store.h"
#include "libs/outbox/relay_leadership.h"
#include "libs/servicehost/service_module.h"
#include "libs/subscription/command_feed.h"
#include "services/projects/api/portfolios_grpc_service.h"
#include "services/projects/api/projects_grpc_service.h"
#include "services/projects/app/library_methodologies.h"
#include "services/projects/app/project_handlers.h"

namespace pmo::projects {

struct ProjectsModule {
  // Opens (creating) <data_dir>/projects-events.db and the methodology
  // feed's offsets, <data_dir>/projects-library.db.
  static absl::StatusOr<std::unique_ptr<ProjectsModule>> Open(
      const std::string& data_dir);

  // Where --store_url says (default: the SQLite file in data_dir).
  std::unique_ptr<eventstore::EventStore> store;
  std::unique_ptr<eventstore::CheckpointStore> checkpoints;
  // For the outbox relay; null with SQLite.
  std::unique_ptr<outbox::RelayLeadership> relay_leadership;
  std::unique_ptr<ProjectHandlers> handlers;
  std::unique_ptr<ProjectsGrpcService> grpc_service;
  std::unique_ptr<PortfolioHandlers> portfolio_handlers;
  std::unique_ptr<PortfoliosGrpcService> portfolios_grpc_service;
  // Takes in the methodology versions the configuration service publishes,
  // delivered by `methodology_feed` (offsets in projects-library.db).
  std::unique_ptr<LibraryMethodologies> library_methodologies;
  std::unique_ptr<subscription::CommandFeed> methodology_feed;

  // Every gRPC service of the projects context.
  std::vector<grpc::Service*> grpc_services() const {
    return {grpc_service.get(), portfolios_grpc_service.get()};
  }
};

// What the runners of libs/servicehost need to know about this service:
// its store, the topic it publishes, the events it is fed, its gRPC
// services. Owns `module`.
servicehost::ServiceModule AsServiceModule(
    std::unique_ptr<ProjectsModule> module);

}  // namespace pmo::projects
