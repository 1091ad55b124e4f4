#pragma once

// Commands and queries of the communication plans.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/auth/principal.h"
#include "libs/base/clock.h"
#include "libs/eventsourcing/command_handling.h"
#include "libs/eventstore/event_store.h"
#include "services/reporting/app/webhook_secrets.h"
#include "services/reporting/app/webhook_target_policy.h"
#include "services/reporting/domain/communication_plan.h"

namespace pmo::reporting {

using VersionedPlan = eventsourcing::Versioned<CommunicationPlanAggregate>;

class PlanHandlers {
 public:
  // `webhook_targets` decides which webhook URLs a stakeholder may be
  // given (the default: public https addresses only).
  PlanHandlers(eventstore::EventStore& store, WebhookSecrets& secrets,
               const Clock& clock = Clock::Real(),
               WebhookTargetPolicy webhook_targets = WebhookTargetPolicy())
      : store_(store),
        secrets_(secrets),
        clock_(clock),
        webhook_targets_(std::move(webhook_targets)) {}

  // The plan id is made here; `starts_at` unset: now.
  absl::StatusOr<v1::CommunicationPlan> Create(
      const std::string& name, std::optional<absl::Time> starts_at,
      eventsourcing::CommandContext context);
  absl::StatusOr<v1::CommunicationPlan> Get(const std::string& plan_id);
  // The secret is kept in the secret store, never in an event; the answer
  // names the new stakeholder's id. A webhook URL the outbound policy
  // refuses is INVALID_ARGUMENT naming `webhook_url`, and nothing is kept.
  absl::StatusOr<std::pair<v1::CommunicationPlan, std::string>> AddStakeholder(
      const std::string& plan_id, v1::Stakeholder stakeholder,
      const std::string& webhook_secret, eventsourcing::CommandContext context);
  absl::StatusOr<std::pair<v1::CommunicationPlan, std::string>> AddDistribution(
      const std::string& plan_id, v1::Distribution distribution,
      eventsourcing::CommandContext context);
  // Every plan, in creation order (the scheduler's and announcements' read).
  absl::StatusOr<std::vector<VersionedPlan>> All();
  // The stakeholder with that id, in whichever plan holds it; NOT_FOUND
  // naming it when none does.
  absl::StatusOr<v1::Stakeholder> FindStakeholder(
      const std::string& stakeholder_id);

 private:
  void Stamp(eventsourcing::CommandContext& context) const;
  eventstore::EventStore& store_;
  WebhookSecrets& secrets_;
  const Clock& clock_;
  WebhookTargetPolicy webhook_targets_;
};

// The plan message with its version.
v1::CommunicationPlan PlanOf(const VersionedPlan& plan);

// What `reader` may read of `plan`. Plans are PMO-wide (a plan has no
// project; its stakeholders have). The PMO-wide readers (admin, analyst,
// service) and an in-process caller without roles read all of it. Anyone
// else reads the plan's id, name, start and version, the stakeholders
// whose projects (one or more) they all read, and those stakeholders'
// distributions of a report on a project they read; other stakeholders
// (their names, webhook URLs, principals) and distributions are left out.
v1::CommunicationPlan PlanSeenBy(const v1::CommunicationPlan& plan,
                                 const auth::Principal& reader);
// True when `reader` may read `stakeholder` (see PlanSeenBy).
bool ReadsStakeholder(const v1::Stakeholder& stakeholder,
                      const auth::Principal& reader);

}  // namespace pmo::reporting
