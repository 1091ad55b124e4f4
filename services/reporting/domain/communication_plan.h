#pragma once

// The CommunicationPlan aggregate (PMO function 7): the stakeholders, the
// reports each receives, how often and through which channel, and the
// latest scheduled slot each distribution has delivered. Recording a run
// for a slot already delivered is a no-op, so the scheduler may retry.

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/eventsourcing/decision.h"
#include "pmo/reporting/v1/events.pb.h"
#include "services/reporting/domain/distribution_slots.h"

namespace pmo::reporting {

class CommunicationPlanAggregate {
 public:
  static constexpr char kStreamType[] = "communication_plan";

  void Apply(const google::protobuf::Message& event, absl::Time occurred_at);

  absl::StatusOr<eventsourcing::Decision> Create(const std::string& plan_id,
                                                 const std::string& name,
                                                 absl::Time starts_at) const;
  // `stakeholder` carries its new id and, with a webhook, the secret's
  // fingerprint (never the secret).
  absl::StatusOr<eventsourcing::Decision> AddStakeholder(
      v1::Stakeholder stakeholder) const;
  // `distribution` carries its new id.
  absl::StatusOr<eventsourcing::Decision> AddDistribution(
      v1::Distribution distribution) const;
  // The run of `distribution_id` for `run.slot`; nothing when that slot
  // (or a later one) was already recorded.
  absl::StatusOr<eventsourcing::Decision> RecordRun(
      const std::string& distribution_id, const DueRun& run,
      const std::string& inbox_item_id) const;

  // The run of `distribution` due at `now`, if any.
  std::optional<DueRun> DueFor(const v1::Distribution& distribution,
                               absl::Time now) const;

  bool exists() const { return !state_.plan_id().empty(); }
  const v1::CommunicationPlan& state() const { return state_; }
  const v1::Stakeholder* FindStakeholder(const std::string& id) const;
  const v1::Distribution* FindDistribution(const std::string& id) const;

 private:
  v1::CommunicationPlan state_;
};

}  // namespace pmo::reporting
