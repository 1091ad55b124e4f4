#include "services/configuration/configuration_module.h"

#include "absl/strings/str_cat.h"
#include "libs/base/files.h"
#include "libs/base/status_macros.h"
#include "libs/storeconfig/store_config.h"

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
  module->configuration_handlers = std::make_unique<ConfigurationHandlers>(*module->store);
  module->change_control_handlers = std::make_unique<ChangeControlHandlers>(*module->store);
  module->configuration_grpc_service =
      std::make_unique<ConfigurationGrpcService>(*module->configuration_handlers);
  module->change_control_grpc_service =
      std::make_unique<ChangeControlGrpcService>(*module->change_control_handlers);
  module->library_handlers = std::make_unique<LibraryHandlers>(*module->store);
  module->library_grpc_service = std::make_unique<LibraryGrpcService>(*module->library_handlers);
  ASSIGN_OR_RETURN(module->document_bodies,
                   DocumentBodies::Open(absl::StrCat(data_dir, "/configuration-documents.db")));
  module->document_handlers =
      std::make_unique<DocumentHandlers>(*module->store, *module->document_bodies);
  module->documents_grpc_service =
      std::make_unique<DocumentsGrpcService>(*module->document_handlers);
  module->tool_handlers = std::make_unique<ToolHandlers>(*module->store);
  module->tools_grpc_service = std::make_unique<ToolsGrpcService>(*module->tool_handlers);
  module->quality_handlers = std::make_unique<QualityHandlers>(*module->store);
  module->quality_grpc_service = std::make_unique<QualityGrpcService>(*module->quality_handlers);
  return module;
}

}  // namespace pmo::configuration
