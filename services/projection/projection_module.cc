#include "services/projection/projection_module.h"

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "libs/base/status_macros.h"

namespace pmo::projection {

absl::StatusOr<std::unique_ptr<ProjectionModule>> ProjectionModule::Open(
    const std::string& data_dir) {
  std::error_code error;
  std::filesystem::create_directories(data_dir, error);
  if (error) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot create data directory ", data_dir, ": ", error.message()));
  }
  auto module = std::make_unique<ProjectionModule>();
  ASSIGN_OR_RETURN(module->view,
                   PortfolioView::Open(absl::StrCat(data_dir, "/portfolio-view.db")));
  module->grpc_service = std::make_unique<PortfolioGrpcService>(*module->view);
  return module;
}

}  // namespace pmo::projection
