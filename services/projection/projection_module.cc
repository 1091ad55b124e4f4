#include "services/projection/projection_module.h"

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "libs/base/files.h"
#include "libs/base/status_macros.h"
#include "libs/storeconfig/store_config.h"
#include "services/projection/adapters/open_view_storage.h"

namespace pmo::projection {

absl::StatusOr<std::unique_ptr<ProjectionModule>> ProjectionModule::Open(
    const std::string& data_dir, const MakeRebuild& make_rebuild) {
  RETURN_IF_ERROR(EnsureDirectory(data_dir));
  auto module = std::make_unique<ProjectionModule>();
  // --store_url, as for the event stores: empty is the file in data_dir, a
  // PostgreSQL URL is the schema "projection" of that database (ADR 0009).
  // A PostgreSQL view has no generations yet (a schema per rebuild), so it
  // rebuilds from its journal.
  if (const std::string store_url = absl::GetFlag(FLAGS_store_url);
      !store_url.empty()) {
    ASSIGN_OR_RETURN(std::unique_ptr<PortfolioView> view,
                     OpenPortfolioViewAt({.store_url = store_url,
                                          .sqlite_path = absl::StrCat(
                                              data_dir, "/portfolio-view.db"),
                                          .schema = "projection"}));
    module->view = std::make_unique<ServedView>(std::move(view));
    module->rebuild =
        std::make_unique<JournalRebuild>(*module->view, "schema projection");
  } else {
    const std::shared_ptr<const ViewGenerations> generations =
        SqliteViewGenerations(data_dir);
    ASSIGN_OR_RETURN(const std::string live, generations->LiveName());
    // What a crash left: a rebuild never switched in, a replaced view.
    RETURN_IF_ERROR(generations->RemoveAllButLive());
    ASSIGN_OR_RETURN(std::shared_ptr<PortfolioView> view,
                     generations->Open(live));
    module->view = std::make_unique<ServedView>(std::move(view));
    module->rebuild =
        make_rebuild ? make_rebuild(*module->view, generations)
                     : std::make_unique<JournalRebuild>(*module->view, live);
  }
  module->grpc_service = std::make_unique<PortfolioGrpcService>(*module->view);
  module->views_service =
      std::make_unique<ViewsGrpcService>(*module->view, *module->rebuild);
  return module;
}

std::vector<std::string> ProjectionSources() {
  return {"projects", "risks", "resources", "configuration"};
}

servicehost::ServiceModule AsServiceModule(
    std::unique_ptr<ProjectionModule> module) {
  std::shared_ptr<ProjectionModule> m = std::move(module);
  servicehost::ServiceModule service;
  service.context = "projection";
  for (const std::string& source : ProjectionSources())
    service.feeds.push_back({source, m->view.get()});
  service.grpc_services = {m->grpc_service.get(), m->views_service.get()};
  // A rebuild may hold the feed.
  service.jobs.push_back({.name = "view rebuild",
                          .start = nullptr,
                          .stop = [r = m->rebuild.get()] { r->Stop(); },
                          .stop_at = servicehost::Job::StopAt::kBeforeFeeds});
  service.owner = m;
  return service;
}

}  // namespace pmo::projection
