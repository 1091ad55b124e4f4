#pragma once

// The risks service, assembled: its event store, its view of the portfolio
// structure, handlers and gRPC adapter. Used by pmo-risks and by the
// all-in-one pmo.

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "libs/eventstore/checkpoint_store.h"
#include "libs/eventstore/event_store.h"
#include "libs/outbox/relay_leadership.h"
#include "libs/projectdirectory/project_directory.h"
#include "libs/servicehost/service_module.h"
#include "services/risks/api/risks_grpc_service.h"

namespace pmo::risks {

struct RisksModule {
  // Opens (creating) <data_dir>/risks-events.db and the portfolio structure
  // view <data_dir>/risks-projects.db, then finishes any re-rating a crash
  // interrupted.
  static absl::StatusOr<std::unique_ptr<RisksModule>> Open(
      const std::string& data_dir);

  // Where --store_url says (default: the SQLite file in data_dir).
  std::unique_ptr<eventstore::EventStore> store;
  std::unique_ptr<eventstore::CheckpointStore> checkpoints;
  // For the outbox relay; null with SQLite.
  std::unique_ptr<outbox::RelayLeadership> relay_leadership;
  // Fed from the projects service's events by the caller.
  std::unique_ptr<projectdirectory::ProjectDirectory> projects;
  std::unique_ptr<RiskScopes> scopes;
  std::unique_ptr<IssueHandlers> issues;
  std::unique_ptr<RiskHandlers> risks;
  std::unique_ptr<EscalationHandlers> escalations;
  std::unique_ptr<MatrixHandlers> matrices;
  std::unique_ptr<RegisterReports> reports;
  std::unique_ptr<RisksGrpcService> grpc_service;
};

// What the runners of libs/servicehost need to know about this service:
// its store, the topic it publishes, the events it is fed, its gRPC
// services. Owns `module`.
servicehost::ServiceModule AsServiceModule(std::unique_ptr<RisksModule> module);

}  // namespace pmo::risks
