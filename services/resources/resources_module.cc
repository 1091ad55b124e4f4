#include "services/resources/resources_module.h"

#include "absl/strings/str_cat.h"
#include "libs/base/files.h"
#include "libs/base/status_macros.h"
#include "libs/storeconfig/store_config.h"

namespace pmo::resources {

absl::StatusOr<std::unique_ptr<ResourcesModule>> ResourcesModule::Open(
    const std::string& data_dir) {
  RETURN_IF_ERROR(EnsureDirectory(data_dir));
  const std::string events = absl::StrCat(data_dir, "/resources-events.db");
  auto module = std::make_unique<ResourcesModule>();
  ASSIGN_OR_RETURN(storeconfig::ContextStorage storage,
                   storeconfig::OpenContextStorage("resources", events));
  module->store = std::move(storage.store);
  module->checkpoints = std::move(storage.checkpoints);
  module->relay_leadership = std::move(storage.relay_leadership);
  ASSIGN_OR_RETURN(module->projects,
                   projectdirectory::ProjectDirectory::Open(
                       absl::StrCat(data_dir, "/resources-projects.db")));
  module->handlers =
      std::make_unique<ResourceHandlers>(*module->store, *module->projects);
  module->levelling = std::make_unique<LevellingHandlers>(
      *module->store, *module->projects, *module->handlers);
  module->grpc_service = std::make_unique<ResourcesGrpcService>(
      *module->handlers, *module->levelling);
  module->mentoring = std::make_unique<MentoringHandlers>(*module->store);
  module->mentoring_grpc_service =
      std::make_unique<MentoringGrpcService>(*module->mentoring);
  return module;
}

servicehost::ServiceModule AsServiceModule(
    std::unique_ptr<ResourcesModule> module) {
  std::shared_ptr<ResourcesModule> m = std::move(module);
  servicehost::ServiceModule service =
      servicehost::CommandSideModule("resources", m);
  service.feeds = {{"projects", m->projects.get()}};
  service.grpc_services = m->grpc_services();
  return service;
}

}  // namespace pmo::resources
