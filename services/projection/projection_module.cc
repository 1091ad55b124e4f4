#include "services/projection/projection_module.h"

#include "absl/strings/str_cat.h"
#include "libs/base/files.h"
#include "libs/base/status_macros.h"

namespace pmo::projection {

absl::StatusOr<std::unique_ptr<ProjectionModule>> ProjectionModule::Open(
    const std::string& data_dir) {
  RETURN_IF_ERROR(EnsureDirectory(data_dir));
  auto module = std::make_unique<ProjectionModule>();
  ASSIGN_OR_RETURN(module->view,
                   PortfolioView::Open(absl::StrCat(data_dir, "/portfolio-view.db")));
  module->grpc_service = std::make_unique<PortfolioGrpcService>(*module->view);
  module->views_service = std::make_unique<ViewsGrpcService>(*module->view);
  return module;
}

}  // namespace pmo::projection
