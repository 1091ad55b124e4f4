#include "services/risks/risks_module.h"

#include "absl/strings/str_cat.h"
#include "libs/base/files.h"
#include "libs/base/status_macros.h"
#include "libs/storeconfig/store_config.h"

namespace pmo::risks {

absl::StatusOr<std::unique_ptr<RisksModule>> RisksModule::Open(
    const std::string& data_dir) {
  RETURN_IF_ERROR(EnsureDirectory(data_dir));
  const std::string events = absl::StrCat(data_dir, "/risks-events.db");
  auto m = std::make_unique<RisksModule>();
  ASSIGN_OR_RETURN(storeconfig::ContextStorage storage,
                   storeconfig::OpenContextStorage("risks", events));
  m->store = std::move(storage.store);
  m->checkpoints = std::move(storage.checkpoints);
  m->relay_leadership = std::move(storage.relay_leadership);
  ASSIGN_OR_RETURN(m->projects,
                   projectdirectory::ProjectDirectory::Open(
                       absl::StrCat(data_dir, "/risks-projects.db")));
  m->scopes = std::make_unique<RiskScopes>(*m->store, *m->projects);
  m->issues = std::make_unique<IssueHandlers>(*m->store, *m->scopes);
  m->risks = std::make_unique<RiskHandlers>(*m->store, *m->scopes, *m->issues);
  m->escalations =
      std::make_unique<EscalationHandlers>(*m->store, *m->scopes, *m->risks);
  m->matrices =
      std::make_unique<MatrixHandlers>(*m->store, *m->scopes, *m->risks);
  m->reports = std::make_unique<RegisterReports>(*m->store, *m->scopes);
  m->grpc_service = std::make_unique<RisksGrpcService>(RiskRegister{
      *m->risks, *m->issues, *m->escalations, *m->matrices, *m->reports});
  // A matrix version whose re-rating a crash cut short is finished now.
  ASSIGN_OR_RETURN(
      std::vector<eventstore::StreamStart> portfolios,
      m->store->ListStreams(RiskMatrixAggregate::kStreamType, 0, 100000));
  for (const eventstore::StreamStart& p : portfolios) {
    eventsourcing::CommandContext context;
    context.metadata.actor = "pmo-risks";
    context.occurred_at = absl::Now();
    RETURN_IF_ERROR(m->matrices->RerateStale(p.stream_id, context).status());
  }
  return m;
}

servicehost::ServiceModule AsServiceModule(
    std::unique_ptr<RisksModule> module) {
  std::shared_ptr<RisksModule> m = std::move(module);
  servicehost::ServiceModule service =
      servicehost::CommandSideModule("risks", m);
  service.feeds = {{"projects", m->projects.get()}};
  service.grpc_services = {m->grpc_service.get()};
  return service;
}

}  // namespace pmo::risks
