#pragma once

// Commands and queries of the resource pool: register, absences, bookings
// with the over-allocation check, and load by day.

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "libs/base/clock.h"
#include "libs/eventsourcing/command_handling.h"
#include "libs/eventstore/event_store.h"
#include "libs/projectdirectory/known_projects.h"
#include "pmo/resources/v1/resources_service.pb.h"
#include "services/resources/domain/capacity_request.h"
#include "services/resources/domain/resource.h"

namespace pmo::resources {

using projectdirectory::KnownProject;
using projectdirectory::KnownProjects;

using VersionedResource = eventsourcing::Versioned<Resource>;

struct AllocationOutcome {
  VersionedResource resource;
  std::string allocation_id;
  // Days the booking over-allocates, or over-allocates further.
  std::vector<v1::OverAllocatedDay> newly_over_allocated;
};

struct AbsenceOutcome {
  VersionedResource resource;
  std::vector<v1::OverAllocatedDay> newly_over_allocated;
};

struct CancellationOutcome {
  VersionedResource resource;
  std::vector<absl::CivilDay> resolved_days;
};

struct ResourceLoad {
  std::vector<v1::DayLoad> days;
  std::vector<v1::OverAllocatedDay> over_allocated;
};

using VersionedCapacityRequest =
    eventsourcing::Versioned<CapacityRequestAggregate>;

struct FulfilmentOutcome {
  VersionedCapacityRequest request;
  std::vector<v1::OverAllocatedDay> newly_over_allocated;
};

class ResourceHandlers {
 public:
  ResourceHandlers(eventstore::EventStore& store, KnownProjects& projects,
                   const Clock& clock = Clock::Real())
      : store_(store), projects_(projects), clock_(clock) {}

  absl::StatusOr<VersionedResource> RegisterResource(
      v1::ResourceRegistered registration,
      eventsourcing::CommandContext context);
  absl::StatusOr<VersionedResource> GetResource(const std::string& resource_id);
  absl::StatusOr<AbsenceOutcome> RecordAbsence(
      const std::string& resource_id, const v1::Absence& absence,
      eventsourcing::CommandContext context);
  absl::StatusOr<VersionedResource> AddCostRate(
      const std::string& resource_id, const v1::CostRate& rate,
      eventsourcing::CommandContext context);
  absl::StatusOr<CancellationOutcome> AddHoliday(
      const std::string& resource_id, const google::type::Date& holiday,
      eventsourcing::CommandContext context);
  // Refused (FAILED_PRECONDITION) for a project the pool does not know or
  // that is closed or cancelled.
  absl::StatusOr<AllocationOutcome> Allocate(
      const std::string& resource_id, v1::Allocation allocation,
      eventsourcing::CommandContext context);
  absl::StatusOr<CancellationOutcome> CancelAllocation(
      const std::string& resource_id, const std::string& allocation_id,
      const std::string& reason, eventsourcing::CommandContext context);
  // At most 3 years of days.
  absl::StatusOr<ResourceLoad> GetLoad(const std::string& resource_id,
                                       absl::CivilDay from, absl::CivilDay to);

  // Demand. Requests are refused for unknown or ended projects.
  absl::StatusOr<VersionedCapacityRequest> RequestCapacity(
      v1::CapacityRequested request, eventsourcing::CommandContext context);
  // NOT_FOUND naming the id when there is none.
  absl::StatusOr<VersionedCapacityRequest> GetCapacityRequest(
      const std::string& capacity_request_id);
  // The decider is `context.metadata.actor` (the caller). Who asked (the
  // actor of the request's first event, or its requested_by) may not decide
  // it: FAILED_PRECONDITION, rule SEPARATION_OF_DUTIES, nothing appended.
  absl::StatusOr<VersionedCapacityRequest> DecideCapacityRequest(
      const std::string& capacity_request_id, v1::CapacityDecision decision,
      const std::string& reason, eventsourcing::CommandContext context);
  // Books `resource_id` as asked and marks the request fulfilled. Refused
  // (rule SKILL_MISMATCH) when the resource lacks the skill at the level.
  absl::StatusOr<FulfilmentOutcome> FulfilCapacityRequest(
      const std::string& capacity_request_id, const std::string& resource_id,
      const eventsourcing::CommandContext& context);

  // Queries over the whole pool (a scan of every resource for now).
  absl::StatusOr<std::vector<v1::FreeResource>> FindFreeResources(
      const v1::Skill& skill, absl::CivilDay from, absl::CivilDay to,
      double hours_per_day);
  absl::StatusOr<std::vector<v1::UtilisationRow>> GetUtilisation(
      absl::CivilDay from, absl::CivilDay to, v1::UtilisationGrouping group_by);
  absl::StatusOr<std::vector<v1::SkillBalance>> GetCapacityVersusDemand(
      absl::CivilDay from, absl::CivilDay to);

 private:
  eventstore::EventStore& store_;
  KnownProjects& projects_;
  const Clock& clock_;
};

}  // namespace pmo::resources
