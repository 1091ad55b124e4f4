#include "services/projects/projects_module.h"

#include "absl/strings/str_cat.h"
#include "libs/base/files.h"
#include "libs/base/status_macros.h"
#include "libs/storeconfig/store_config.h"

namespace pmo::projects {

absl::StatusOr<std::unique_ptr<ProjectsModule>> ProjectsModule::Open(
    const std::string& data_dir) {
  RETURN_IF_ERROR(EnsureDirectory(data_dir));
  const std::string path = absl::StrCat(data_dir, "/projects-events.db");
  auto module = std::make_unique<ProjectsModule>();
  ASSIGN_OR_RETURN(storeconfig::ContextStorage storage,
                   storeconfig::OpenContextStorage("projects", path));
  module->store = std::move(storage.store);
  module->checkpoints = std::move(storage.checkpoints);
  module->relay_leadership = std::move(storage.relay_leadership);
  module->handlers = std::make_unique<ProjectHandlers>(*module->store);
  module->grpc_service =
      std::make_unique<ProjectsGrpcService>(*module->handlers);
  module->portfolio_handlers =
      std::make_unique<PortfolioHandlers>(*module->store);
  module->portfolios_grpc_service =
      std::make_unique<PortfoliosGrpcService>(*module->portfolio_handlers);
  module->library_methodologies =
      std::make_unique<LibraryMethodologies>(*module->handlers);
  ASSIGN_OR_RETURN(module->methodology_feed,
                   subscription::CommandFeed::Open(
                       absl::StrCat(data_dir, "/projects-library.db"),
                       [library = module->library_methodologies.get()](
                           const eventstore::RecordedEvent& e) {
                         return library->Take(e);
                       }));
  return module;
}

servicehost::ServiceModule AsServiceModule(
    std::unique_ptr<ProjectsModule> module) {
  std::shared_ptr<ProjectsModule> m = std::move(module);
  servicehost::ServiceModule service =
      servicehost::CommandSideModule("projects", m);
  // The PMO library's methodology versions.
  service.feeds = {{"configuration", m->methodology_feed.get()}};
  service.grpc_services = m->grpc_services();
  return service;
}

}  // namespace pmo::projects
