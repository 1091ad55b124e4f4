#include "services/projection/projection_module.h"

#include "libs/base/files.h"
#include "libs/base/status_macros.h"

namespace pmo::projection {

absl::StatusOr<std::unique_ptr<ProjectionModule>> ProjectionModule::Open(const std::string& data_dir,
                                                                         const MakeRebuild& make_rebuild) {
  RETURN_IF_ERROR(EnsureDirectory(data_dir));
  const ViewGenerations generations(data_dir);
  ASSIGN_OR_RETURN(const std::string live, generations.LiveName());
  // What a crash left: a rebuild never switched in, a replaced view.
  RETURN_IF_ERROR(generations.RemoveAllButLive());
  auto module = std::make_unique<ProjectionModule>();
  ASSIGN_OR_RETURN(std::shared_ptr<PortfolioView> view, generations.Open(live));
  module->view = std::make_unique<ServedView>(std::move(view));
  module->rebuild = make_rebuild ? make_rebuild(*module->view, generations)
                                 : std::make_unique<JournalRebuild>(*module->view, live);
  module->grpc_service = std::make_unique<PortfolioGrpcService>(*module->view);
  module->views_service = std::make_unique<ViewsGrpcService>(*module->view, *module->rebuild);
  return module;
}

}  // namespace pmo::projection
