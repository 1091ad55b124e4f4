#include "services/projects/projects_module.h"

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "libs/base/status_macros.h"

namespace pmo::projects {

absl::StatusOr<std::unique_ptr<ProjectsModule>> ProjectsModule::Open(
    const std::string& data_dir) {
  std::error_code error;
  std::filesystem::create_directories(data_dir, error);
  if (error) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot create data directory ", data_dir, ": ", error.message()));
  }
  const std::string path = absl::StrCat(data_dir, "/projects-events.db");
  auto module = std::make_unique<ProjectsModule>();
  ASSIGN_OR_RETURN(module->store, eventstore::SqliteEventStore::Open(path));
  ASSIGN_OR_RETURN(module->checkpoints, eventstore::SqliteCheckpointStore::Open(path));
  module->handlers = std::make_unique<ProjectHandlers>(*module->store);
  module->grpc_service = std::make_unique<ProjectsGrpcService>(*module->handlers);
  return module;
}

}  // namespace pmo::projects
