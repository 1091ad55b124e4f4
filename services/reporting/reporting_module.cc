#include "services/reporting/reporting_module.h"

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "libs/base/files.h"
#include "libs/base/status_macros.h"
#include "libs/storeconfig/store_config.h"
#include "services/reporting/adapters/sqlite_webhook_secrets.h"

// In this library so pmo-reporting and the all-in-one pmo both take them.
ABSL_FLAG(std::string, webhook_allow, "",
          "Webhook hosts and address ranges allowed although private, loopback or link-local: "
          "comma-separated host names, IP addresses and CIDR ranges, e.g. "
          "hooks.internal,10.1.0.0/16 (docs/security.md); empty: public addresses only");
ABSL_FLAG(bool, webhook_allow_http, false,
          "Allow http:// webhook URLs (sent in clear); default: https:// only");

namespace pmo::reporting {

absl::StatusOr<WebhookTargetPolicy> WebhookTargetPolicyFromFlags() {
  return WebhookTargetPolicy::FromAllowList(absl::GetFlag(FLAGS_webhook_allow),
                                            absl::GetFlag(FLAGS_webhook_allow_http));
}

absl::StatusOr<std::unique_ptr<ReportingModule>> ReportingModule::Open(
    const std::string& data_dir, ProjectionCalls projection,
    std::optional<WebhookTargetPolicy> webhook_targets) {
  if (!webhook_targets) {
    ASSIGN_OR_RETURN(WebhookTargetPolicy from_flags, WebhookTargetPolicyFromFlags());
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
  ASSIGN_OR_RETURN(m->secrets, SqliteWebhookSecrets::Open(absl::StrCat(data_dir, "/reporting-secrets.db")));
  m->views = std::make_unique<ProjectionViews>(std::move(projection));
  m->reports = std::make_unique<ReportGenerator>(*m->views);
  m->plans = std::make_unique<PlanHandlers>(*m->store, *m->secrets, Clock::Real(), *webhook_targets);
  m->inboxes = std::make_unique<InboxHandlers>(*m->store);
  m->webhook_sender =
      std::make_unique<HttpWebhookSender>(absl::Seconds(10), "", *std::move(webhook_targets));
  m->distribution = std::make_unique<Distribution>(*m->store, *m->plans, *m->inboxes, *m->reports,
                                                   *m->secrets, *m->webhook_sender);
  m->reports_grpc_service = std::make_unique<ReportsGrpcService>(*m->reports);
  m->communication_grpc_service =
      std::make_unique<CommunicationGrpcService>(*m->plans, *m->inboxes, *m->distribution);
  return m;
}

}  // namespace pmo::reporting
