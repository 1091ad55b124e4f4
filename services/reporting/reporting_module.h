#pragma once

// The reporting service, assembled: its event store, the webhook secrets,
// the projection reader, handlers, the distribution loop and the gRPC
// adapters. Used by pmo-reporting and by the all-in-one pmo.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/eventstore/checkpoint_store.h"
#include "libs/eventstore/event_store.h"
#include "libs/outbox/relay_leadership.h"
#include "libs/servicehost/service_module.h"
#include "services/reporting/adapters/projection_views.h"
#include "services/reporting/adapters/webhook_client.h"
#include "services/reporting/api/reporting_grpc_service.h"
#include "services/reporting/app/webhook_target_policy.h"

namespace pmo::reporting {

// The outbound webhook policy --webhook_allow and --webhook_allow_http
// set (docs/security.md); INVALID_ARGUMENT naming the flag for a bad entry.
absl::StatusOr<WebhookTargetPolicy> WebhookTargetPolicyFromFlags();

struct ReportingModule {
  // Opens (creating) <data_dir>/reporting-events.db and the webhook
  // secrets, <data_dir>/reporting-secrets.db. Reports read the projection
  // through `projection`. The distribution loop is started by the caller.
  // `webhook_targets`: where webhooks may go (webhook_target_policy.h);
  // absent: as --webhook_allow and --webhook_allow_http say
  // (INVALID_ARGUMENT for a bad --webhook_allow entry).
  static absl::StatusOr<std::unique_ptr<ReportingModule>> Open(
      const std::string& data_dir, ProjectionCalls projection,
      std::optional<WebhookTargetPolicy> webhook_targets = std::nullopt);

  // Where --store_url says (default: the SQLite file in data_dir).
  std::unique_ptr<eventstore::EventStore> store;
  std::unique_ptr<eventstore::CheckpointStore> checkpoints;
  // For the outbox relay; null with SQLite.
  std::unique_ptr<outbox::RelayLeadership> relay_leadership;
  std::unique_ptr<WebhookSecrets> secrets;
  std::unique_ptr<ProjectionViews> views;
  std::unique_ptr<ReportGenerator> reports;
  std::unique_ptr<PlanHandlers> plans;
  std::unique_ptr<InboxHandlers> inboxes;
  std::unique_ptr<HttpWebhookSender> webhook_sender;
  std::unique_ptr<Distribution> distribution;
  std::unique_ptr<ReportsGrpcService> reports_grpc_service;
  std::unique_ptr<CommunicationGrpcService> communication_grpc_service;

  // The views as the person asking sees them (the dashboard's pages).
  ViewsSeenBy views_seen_by() const {
    return [v = views.get()](
               const Reader& reader) -> std::unique_ptr<ConsolidatedViews> {
      return v->SeenBy(reader);
    };
  }

  std::vector<grpc::Service*> grpc_services() const {
    return {reports_grpc_service.get(), communication_grpc_service.get()};
  }
};

// The distribution's period, --distribution_interval; INVALID_ARGUMENT
// ("--distribution_interval must be at least 100ms") when shorter.
absl::StatusOr<absl::Duration> DistributionIntervalFromFlag();

// What the runners of libs/servicehost need to know about reporting: its
// store and topic, no feed, its gRPC services, and two jobs: the
// distribution every `distribution_interval` (stopped last) and the web
// dashboard of --dashboard_listen (stopped first). Owns `module`.
servicehost::ServiceModule AsServiceModule(
    std::unique_ptr<ReportingModule> module,
    absl::Duration distribution_interval);

}  // namespace pmo::reporting
