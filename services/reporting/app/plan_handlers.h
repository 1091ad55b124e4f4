#pragma once

// Commands and queries of the communication plans.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/base/clock.h"
#include "libs/eventsourcing/command_handling.h"
#include "libs/eventstore/event_store.h"
#include "services/reporting/app/webhook_secrets.h"
#include "services/reporting/domain/communication_plan.h"

namespace pmo::reporting {

using VersionedPlan = eventsourcing::Versioned<CommunicationPlanAggregate>;

class PlanHandlers {
 public:
  PlanHandlers(eventstore::EventStore& store, WebhookSecrets& secrets,
               const Clock& clock = Clock::Real())
      : store_(store), secrets_(secrets), clock_(clock) {}

  // The plan id is made here; `starts_at` unset: now.
  absl::StatusOr<v1::CommunicationPlan> Create(const std::string& name,
                                               std::optional<absl::Time> starts_at,
                                               eventsourcing::CommandContext context);
  absl::StatusOr<v1::CommunicationPlan> Get(const std::string& plan_id);
  // The secret is kept in the secret store, never in an event; the answer
  // names the new stakeholder's id.
  absl::StatusOr<std::pair<v1::CommunicationPlan, std::string>> AddStakeholder(
      const std::string& plan_id, v1::Stakeholder stakeholder, const std::string& webhook_secret,
      eventsourcing::CommandContext context);
  absl::StatusOr<std::pair<v1::CommunicationPlan, std::string>> AddDistribution(
      const std::string& plan_id, v1::Distribution distribution,
      eventsourcing::CommandContext context);
  // Every plan, in creation order (the scheduler's and announcements' read).
  absl::StatusOr<std::vector<VersionedPlan>> All();

 private:
  void Stamp(eventsourcing::CommandContext& context) const;
  eventstore::EventStore& store_;
  WebhookSecrets& secrets_;
  const Clock& clock_;
};

// The plan message with its version.
v1::CommunicationPlan PlanOf(const VersionedPlan& plan);

}  // namespace pmo::reporting
