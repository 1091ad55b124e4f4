#include "services/configuration/configuration_module.h"

#include "absl/strings/str_cat.h"
#include "libs/base/files.h"
#include "libs/base/status_macros.h"
#include "libs/storeconfig/store_config.h"
#include "services/configuration/adapters/sqlite_document_bodies.h"

namespace pmo::configuration {

absl::StatusOr<std::unique_ptr<ConfigurationModule>> ConfigurationModule::Open(
    const std::string& data_dir) {
  RETURN_IF_ERROR(EnsureDirectory(data_dir));
  const std::string events = absl::StrCat(data_dir, "/configuration-events.db");
  auto module = std::make_unique<ConfigurationModule>();
  ASSIGN_OR_RETURN(storeconfig::ContextStorage storage,
                   storeconfig::OpenContextStorage("configuration", events));
  module->store = std::move(storage.store);
  module->checkpoints = std::move(storage.checkpoints);
  module->relay_leadership = std::move(storage.relay_leadership);
  ASSIGN_OR_RETURN(module->projects,
                   projectdirectory::ProjectDirectory::Open(
                       absl::StrCat(data_dir, "/configuration-projects.db")));
  module->item_owners = std::make_unique<ItemOwners>(*module->store);
  module->configuration_handlers = std::make_unique<ConfigurationHandlers>(
      *module->store, *module->projects);
  module->change_control_handlers = std::make_unique<ChangeControlHandlers>(
      *module->store, *module->projects);
  module->configuration_grpc_service =
      std::make_unique<ConfigurationGrpcService>(
          *module->configuration_handlers, *module->item_owners);
  module->change_control_grpc_service =
      std::make_unique<ChangeControlGrpcService>(
          *module->change_control_handlers, *module->item_owners);
  module->library_handlers = std::make_unique<LibraryHandlers>(*module->store);
  module->library_grpc_service =
      std::make_unique<LibraryGrpcService>(*module->library_handlers);
  ASSIGN_OR_RETURN(module->document_bodies,
                   SqliteDocumentBodies::Open(
                       absl::StrCat(data_dir, "/configuration-documents.db")));
  module->document_handlers = std::make_unique<DocumentHandlers>(
      *module->store, *module->document_bodies, *module->projects);
  module->documents_grpc_service = std::make_unique<DocumentsGrpcService>(
      *module->document_handlers, *module->item_owners);
  module->tool_handlers =
      std::make_unique<ToolHandlers>(*module->store, *module->projects);
  module->tools_grpc_service =
      std::make_unique<ToolsGrpcService>(*module->tool_handlers);
  module->quality_handlers =
      std::make_unique<QualityHandlers>(*module->store, *module->projects);
  module->quality_grpc_service = std::make_unique<QualityGrpcService>(
      *module->quality_handlers, *module->item_owners);
  return module;
}

servicehost::ServiceModule AsServiceModule(
    std::unique_ptr<ConfigurationModule> module) {
  std::shared_ptr<ConfigurationModule> m = std::move(module);
  servicehost::ServiceModule service =
      servicehost::CommandSideModule("configuration", m);
  service.feeds = {{"projects", m->projects.get()}};
  service.grpc_services = m->grpc_services();
  return service;
}

}  // namespace pmo::configuration
