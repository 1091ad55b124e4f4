#pragma once

// The projection service, assembled: the served view (the live generation
// of the data folder, docs/adr/0010), its rebuild and its gRPC adapters.
// Subscriptions are wired by the binary (Kafka) or by the all-in-one pmo
// (in-process), both feeding `view`.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/servicehost/service_module.h"
#include "services/projection/api/portfolio_grpc_service.h"
#include "services/projection/api/views_grpc_service.h"
#include "services/projection/app/served_view.h"
#include "services/projection/app/view_generations.h"
#include "services/projection/app/view_rebuild.h"

namespace pmo::projection {

struct ProjectionModule {
  // How StartViewRebuild rebuilds the served view (pmo-projection: from
  // the topics).
  using MakeRebuild = std::function<std::unique_ptr<ViewRebuild>(
      ServedView&, std::shared_ptr<const ViewGenerations>)>;

  // Opens (creating) the live view generation of `data_dir`
  // (portfolio-view.db until a rebuild from the topics has replaced it) and
  // deletes the files of any other. Without `make_rebuild`, a rebuild
  // folds the view's journal (the all-in-one pmo). With --store_url a
  // PostgreSQL URL: the schema "projection" of that database, rebuilt from
  // its journal whatever `make_rebuild` says (no generations there yet).
  static absl::StatusOr<std::unique_ptr<ProjectionModule>> Open(
      const std::string& data_dir, const MakeRebuild& make_rebuild = nullptr);

  // What the adapters read and the subscription feeds (an EventHandler).
  std::unique_ptr<ServedView> view;
  // Declared after `view`: stopped before the view goes.
  std::unique_ptr<ViewRebuild> rebuild;
  std::unique_ptr<PortfolioGrpcService> grpc_service;
  // Resource load, risk register, dependencies, configuration lists,
  // rebuild and switch.
  std::unique_ptr<ViewsGrpcService> views_service;
};

// What the runners of libs/servicehost need to know about the projection:
// no store, fed every context's events (ProjectionTopics), its two gRPC
// services, and its rebuild, stopped before the feed it may hold. Owns
// `module`.
servicehost::ServiceModule AsServiceModule(
    std::unique_ptr<ProjectionModule> module);

// The contexts whose events the view folds, in the order they are read.
std::vector<std::string> ProjectionSources();

}  // namespace pmo::projection
