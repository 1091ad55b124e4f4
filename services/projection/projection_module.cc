#include "services/projection/projection_module.h"

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "libs/base/files.h"
#include "libs/base/status_macros.h"
#include "libs/storeconfig/store_config.h"

namespace pmo::projection {

absl::StatusOr<std::unique_ptr<ProjectionModule>> ProjectionModule::Open(
    const std::string& data_dir) {
  RETURN_IF_ERROR(EnsureDirectory(data_dir));
  auto module = std::make_unique<ProjectionModule>();
  // --store_url, as for the event stores: empty is the file in data_dir, a
  // PostgreSQL URL is the schema "projection" of that database.
  ASSIGN_OR_RETURN(module->view,
                   PortfolioView::OpenAt({.store_url = absl::GetFlag(FLAGS_store_url),
                                          .sqlite_path = absl::StrCat(data_dir, "/portfolio-view.db"),
                                          .schema = "projection"}));
  module->grpc_service = std::make_unique<PortfolioGrpcService>(*module->view);
  module->views_service = std::make_unique<ViewsGrpcService>(*module->view);
  return module;
}

}  // namespace pmo::projection
