#pragma once

// The Resource aggregate: one person, role or piece of equipment in the
// pool shared by every project, with its calendar and every booking it has.
// Keeping all of a resource's allocations in its own stream makes the
// over-allocation check part of the same decision as the booking.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/eventsourcing/decision.h"
#include "pmo/resources/v1/events.pb.h"

namespace pmo::resources {

// The contract's messages are this namespace's own v1 (pmo::resources::v1); no
// alias: re-declaring v1 as an alias of itself is ill-formed (clang, the
// fuzzing compiler, refuses it).

// Checks the registration fields; violations name request fields.
absl::Status ValidateRegistration(const v1::ResourceRegistered& registration);
absl::Status ValidateAllocationShape(const v1::Allocation& allocation);

class Resource {
 public:
  static constexpr char kStreamType[] = "resource";

  void Apply(const google::protobuf::Message& event, absl::Time occurred_at);

  absl::StatusOr<eventsourcing::Decision> Register(
      v1::ResourceRegistered registration) const;
  // `newly_over` are the days the absence over-allocates, found by the
  // caller with the pool's capacity calculation.
  absl::StatusOr<eventsourcing::Decision> RecordAbsence(
      const v1::Absence& absence,
      const std::vector<v1::OverAllocatedDay>& newly_over) const;
  absl::StatusOr<eventsourcing::Decision> AddCostRate(
      const v1::CostRate& rate) const;
  // `resolved` are the days the holiday stops being over-allocated.
  absl::StatusOr<eventsourcing::Decision> AddHoliday(
      const google::type::Date& holiday,
      const std::vector<google::type::Date>& resolved) const;
  absl::StatusOr<eventsourcing::Decision> Allocate(
      const v1::Allocation& allocation,
      const std::vector<v1::OverAllocatedDay>& newly_over) const;
  absl::StatusOr<eventsourcing::Decision> CancelAllocation(
      const std::string& allocation_id, const std::string& reason,
      const std::vector<google::type::Date>& resolved) const;

  bool exists() const { return !state_.resource_id().empty(); }
  // The resource as registered, with the current calendar and allocations.
  const v1::Resource& state() const { return state_; }
  // A booking that still counts (not cancelled).
  const v1::Allocation* FindAllocation(const std::string& allocation_id) const;

 private:
  v1::Resource state_;
};

}  // namespace pmo::resources
