#include "services/reporting/reporting_module.h"

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "libs/base/files.h"
#include "libs/base/status_macros.h"
#include "libs/storeconfig/store_config.h"
#include "services/reporting/adapters/sqlite_webhook_secrets.h"
#include "services/reporting/web/dashboard_server.h"

// In this library so pmo-reporting and the all-in-one pmo both take them.
ABSL_FLAG(absl::Duration, distribution_interval, absl::Seconds(30),
          "How often due scheduled reports and webhook retries are looked for");
ABSL_FLAG(std::string, webhook_allow, "",
          "Webhook hosts and address ranges allowed although private, loopback "
          "or link-local: "
          "comma-separated host names, IP addresses and CIDR ranges, e.g. "
          "hooks.internal,10.1.0.0/16 (docs/security.md); empty: public "
          "addresses only");
ABSL_FLAG(bool, webhook_allow_http, false,
          "Allow http:// webhook URLs (sent in clear); default: https:// only");

namespace pmo::reporting {

absl::StatusOr<WebhookTargetPolicy> WebhookTargetPolicyFromFlags() {
  return WebhookTargetPolicy::FromAllowList(
      absl::GetFlag(FLAGS_webhook_allow),
      absl::GetFlag(FLAGS_webhook_allow_http));
}

absl::StatusOr<std::unique_ptr<ReportingModule>> ReportingModule::Open(
    const std::string& data_dir, ProjectionCalls projection,
    std::optional<WebhookTargetPolicy> webhook_targets) {
  if (!webhook_targets) {
    ASSIGN_OR_RETURN(WebhookTargetPolicy from_flags,
                     WebhookTargetPolicyFromFlags());
    webhook_targets = std::move(from_flags);
  }
  RETURN_IF_ERROR(EnsureDirectory(data_dir));
  const std::string events = absl::StrCat(data_dir, "/reporting-events.db");
  auto m = std::make_unique<ReportingModule>();
  ASSIGN_OR_RETURN(storeconfig::ContextStorage storage,
                   storeconfig::OpenContextStorage("reporting", events));
  m->store = std::move(storage.store);
  m->checkpoints = std::move(storage.checkpoints);
  m->relay_leadership = std::move(storage.relay_leadership);
  ASSIGN_OR_RETURN(m->secrets, SqliteWebhookSecrets::Open(absl::StrCat(
                                   data_dir, "/reporting-secrets.db")));
  m->views = std::make_unique<ProjectionViews>(std::move(projection));
  m->reports = std::make_unique<ReportGenerator>(*m->views);
  m->plans = std::make_unique<PlanHandlers>(*m->store, *m->secrets,
                                            Clock::Real(), *webhook_targets);
  m->inboxes = std::make_unique<InboxHandlers>(*m->store);
  m->webhook_sender = std::make_unique<HttpWebhookSender>(
      absl::Seconds(10), "", *std::move(webhook_targets));
  m->distribution = std::make_unique<Distribution>(
      *m->store, *m->plans, *m->inboxes, *m->reports, *m->secrets,
      *m->webhook_sender);
  m->reports_grpc_service = std::make_unique<ReportsGrpcService>(*m->reports);
  m->communication_grpc_service = std::make_unique<CommunicationGrpcService>(
      *m->plans, *m->inboxes, *m->distribution);
  return m;
}

absl::StatusOr<absl::Duration> DistributionIntervalFromFlag() {
  const absl::Duration interval = absl::GetFlag(FLAGS_distribution_interval);
  if (interval < absl::Milliseconds(100)) {
    return absl::InvalidArgumentError(
        "--distribution_interval must be at least 100ms");
  }
  return interval;
}

servicehost::ServiceModule AsServiceModule(
    std::unique_ptr<ReportingModule> module,
    absl::Duration distribution_interval) {
  std::shared_ptr<ReportingModule> m = std::move(module);
  servicehost::ServiceModule service =
      servicehost::CommandSideModule("reporting", m);
  service.grpc_services = m->grpc_services();
  service.jobs.push_back(
      {.name = "distribution",
       .start =
           [m, distribution_interval](const servicehost::HostContext&) {
             m->distribution->Start(distribution_interval);
             return absl::OkStatus();
           },
       .stop = [m] { m->distribution->Stop(); },
       .stop_at = servicehost::Job::StopAt::kAfterFeeds});
  // --dashboard_listen: the web dashboard over the same views
  // (docs/dashboard.md), on a listener of its own with the gRPC host's TLS
  // and tokens; it stops serving pages before the views go.
  auto dashboard = std::make_shared<std::unique_ptr<DashboardServer>>();
  service.jobs.push_back(
      {.name = "dashboard",
       .start = [m, dashboard](
                    const servicehost::HostContext& host) -> absl::Status {
         absl::StatusOr<std::unique_ptr<DashboardServer>> started =
             DashboardServer::StartFromFlag(host.program, *host.host_options,
                                            *m->views, m->views_seen_by());
         if (!started.ok()) return started.status();
         *dashboard = *std::move(started);
         return absl::OkStatus();
       },
       .stop = [dashboard] { dashboard->reset(); },
       .stop_at = servicehost::Job::StopAt::kBeforeFeeds});
  return service;
}

}  // namespace pmo::reporting
