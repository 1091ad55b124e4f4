#include "services/risks/risks_module.h"

#include "absl/strings/str_cat.h"
#include "libs/base/files.h"
#include "libs/base/status_macros.h"

namespace pmo::risks {

absl::StatusOr<std::unique_ptr<RisksModule>> RisksModule::Open(const std::string& data_dir) {
  RETURN_IF_ERROR(EnsureDirectory(data_dir));
  const std::string events = absl::StrCat(data_dir, "/risks-events.db");
  auto module = std::make_unique<RisksModule>();
  ASSIGN_OR_RETURN(module->store, eventstore::SqliteEventStore::Open(events));
  ASSIGN_OR_RETURN(module->checkpoints, eventstore::SqliteCheckpointStore::Open(events));
  module->handlers = std::make_unique<RiskHandlers>(*module->store, riskscoring::DefaultMatrix());
  module->grpc_service = std::make_unique<RisksGrpcService>(*module->handlers);
  return module;
}

}  // namespace pmo::risks
