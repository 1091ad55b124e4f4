#include "services/reporting/app/plan_handlers.h"

#include "absl/strings/str_cat.h"
#include "libs/base/errors.h"
#include "libs/base/ids.h"
#include "libs/base/proto_time.h"
#include "libs/base/status_macros.h"
#include "services/reporting/domain/derived_ids.h"

namespace pmo::reporting {
namespace {

// A new record's id: random, or, for a command with a request id, derived
// from it, so a retried request names the record its first attempt made.
std::string IdFor(const eventsourcing::CommandContext& context,
                  const std::string& plan_id, absl::string_view kind) {
  if (context.request_id.empty()) return NewUuid();
  return DerivedId(kind, plan_id, context.request_id);
}

}  // namespace

v1::CommunicationPlan PlanOf(const VersionedPlan& plan) {
  v1::CommunicationPlan out = plan.state.state();
  out.set_version(plan.version);
  return out;
}

void PlanHandlers::Stamp(eventsourcing::CommandContext& context) const {
  if (context.occurred_at == absl::Time()) {
    context.occurred_at =
        absl::FromUnixMicros(absl::ToUnixMicros(clock_.Now()));
  }
}

namespace {

bool ReadsWholePlans(const auth::Principal& reader) {
  return reader.roles.empty() || reader.ReadsEverything();
}

}  // namespace

bool ReadsStakeholder(const v1::Stakeholder& stakeholder,
                      const auth::Principal& reader) {
  if (ReadsWholePlans(reader)) return true;
  if (stakeholder.project_ids().empty()) return false;
  for (const std::string& project_id : stakeholder.project_ids()) {
    if (!reader.ReadsProject(project_id)) return false;
  }
  return true;
}

v1::CommunicationPlan PlanSeenBy(const v1::CommunicationPlan& plan,
                                 const auth::Principal& reader) {
  if (ReadsWholePlans(reader)) return plan;
  v1::CommunicationPlan out;
  out.set_plan_id(plan.plan_id());
  out.set_name(plan.name());
  *out.mutable_starts_at() = plan.starts_at();
  out.set_version(plan.version());
  for (const v1::Stakeholder& s : plan.stakeholders()) {
    if (ReadsStakeholder(s, reader)) *out.add_stakeholders() = s;
  }
  for (const v1::Distribution& d : plan.distributions()) {
    bool seen = false;
    for (const v1::Stakeholder& s : out.stakeholders()) {
      seen = seen || s.stakeholder_id() == d.stakeholder_id();
    }
    if (seen && d.report().scope().level() == v1::SCOPE_LEVEL_PROJECT &&
        reader.ReadsProject(d.report().scope().id())) {
      *out.add_distributions() = d;
    }
  }
  return out;
}

absl::StatusOr<v1::CommunicationPlan> PlanHandlers::Create(
    const std::string& name, std::optional<absl::Time> starts_at,
    eventsourcing::CommandContext context) {
  Stamp(context);
  const std::string id = NewUuid();
  const absl::Time start = starts_at.value_or(context.occurred_at);
  ASSIGN_OR_RETURN(VersionedPlan plan,
                   eventsourcing::ExecuteCommand<CommunicationPlanAggregate>(
                       store_, id, context,
                       [&](const VersionedPlan& p) {
                         return p.state.Create(id, name, start);
                       },
                       eventsourcing::StreamIdentity::kNew));
  return PlanOf(plan);
}

absl::StatusOr<v1::CommunicationPlan> PlanHandlers::Get(
    const std::string& plan_id) {
  ASSIGN_OR_RETURN(VersionedPlan plan,
                   eventsourcing::LoadAggregate<CommunicationPlanAggregate>(
                       store_, plan_id));
  if (!plan.state.exists()) {
    return absl::NotFoundError(
        absl::StrCat("communication plan ", plan_id, " not found"));
  }
  return PlanOf(plan);
}

absl::StatusOr<std::pair<v1::CommunicationPlan, std::string>>
PlanHandlers::AddStakeholder(const std::string& plan_id,
                             v1::Stakeholder stakeholder,
                             const std::string& webhook_secret,
                             eventsourcing::CommandContext context) {
  Stamp(context);
  FieldViolations v;
  if (!stakeholder.webhook_url().empty() &&
      (webhook_secret.size() < 16 || webhook_secret.size() > 256)) {
    v.Add("webhook_secret", "must be 16-256 bytes with a webhook URL");
  } else if (stakeholder.webhook_url().empty() && !webhook_secret.empty()) {
    v.Add("webhook_secret", "must be empty without a webhook URL");
  }
  if (!stakeholder.webhook_url().empty()) {
    // The outbound policy (webhook_target_policy.h), checked again at
    // every delivery.
    if (absl::Status target =
            webhook_targets_.CheckRegistration(stakeholder.webhook_url());
        !target.ok()) {
      v.Add("webhook_url", std::string(target.message()));
    }
  }
  RETURN_IF_ERROR(v.ToStatus());
  const std::string id = IdFor(context, plan_id, "stakeholder");
  stakeholder.set_stakeholder_id(id);
  if (!webhook_secret.empty()) {
    stakeholder.set_webhook_secret_fingerprint(
        SecretFingerprint(webhook_secret));
    // Before the event: a crash in between leaves an unused secret only.
    RETURN_IF_ERROR(secrets_.Put(id, webhook_secret));
  }
  ASSIGN_OR_RETURN(VersionedPlan plan,
                   eventsourcing::ExecuteCommand<CommunicationPlanAggregate>(
                       store_, plan_id, context, [&](const VersionedPlan& p) {
                         return p.state.AddStakeholder(stakeholder);
                       }));
  return std::make_pair(PlanOf(plan), id);
}

absl::StatusOr<std::pair<v1::CommunicationPlan, std::string>>
PlanHandlers::AddDistribution(const std::string& plan_id,
                              v1::Distribution distribution,
                              eventsourcing::CommandContext context) {
  Stamp(context);
  const std::string id = IdFor(context, plan_id, "distribution");
  distribution.set_distribution_id(id);
  ASSIGN_OR_RETURN(VersionedPlan plan,
                   eventsourcing::ExecuteCommand<CommunicationPlanAggregate>(
                       store_, plan_id, context, [&](const VersionedPlan& p) {
                         return p.state.AddDistribution(distribution);
                       }));
  return std::make_pair(PlanOf(plan), id);
}

absl::StatusOr<std::vector<VersionedPlan>> PlanHandlers::All() {
  return eventsourcing::LoadAllOfType<CommunicationPlanAggregate>(store_);
}

absl::StatusOr<v1::Stakeholder> PlanHandlers::FindStakeholder(
    const std::string& stakeholder_id) {
  ASSIGN_OR_RETURN(std::vector<VersionedPlan> plans, All());
  for (const VersionedPlan& plan : plans) {
    if (const v1::Stakeholder* s = plan.state.FindStakeholder(stakeholder_id))
      return *s;
  }
  return absl::NotFoundError(absl::StrCat("stakeholder_id: stakeholder ",
                                          stakeholder_id, " not found"));
}

}  // namespace pmo::reporting
