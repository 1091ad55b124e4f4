#pragma once

// The risks service, assembled: its event store, handlers and gRPC adapter.
// Used by pmo-risks and by the all-in-one pmo.

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "libs/eventstore/checkpoint_store.h"
#include "libs/eventstore/sqlite_event_store.h"
#include "services/risks/api/risks_grpc_service.h"
#include "services/risks/app/risk_handlers.h"

namespace pmo::risks {

struct RisksModule {
  // Opens (creating) <data_dir>/risks-events.db.
  static absl::StatusOr<std::unique_ptr<RisksModule>> Open(const std::string& data_dir);

  std::unique_ptr<eventstore::SqliteEventStore> store;
  std::unique_ptr<eventstore::SqliteCheckpointStore> checkpoints;
  std::unique_ptr<RiskHandlers> handlers;
  std::unique_ptr<RisksGrpcService> grpc_service;
};

}  // namespace pmo::risks
