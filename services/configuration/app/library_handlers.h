#pragma once

// Commands and queries of the PMO library's methodologies.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/base/clock.h"
#include "libs/eventsourcing/command_handling.h"
#include "libs/eventstore/event_store.h"
#include "services/configuration/domain/methodology.h"

namespace pmo::configuration {

using VersionedMethodology = eventsourcing::Versioned<MethodologyAggregate>;

v1::MethodologyVersion ToProto(const VersionedMethodology& methodology);

class LibraryHandlers {
 public:
  explicit LibraryHandlers(eventstore::EventStore& store,
                           const Clock& clock = Clock::Real())
      : store_(store), clock_(clock) {}

  // The publisher is the caller. ALREADY_EXISTS when name and version are
  // taken.
  absl::StatusOr<VersionedMethodology> PublishMethodology(
      v1::MethodologyVersionPublished methodology,
      eventsourcing::CommandContext context);
  absl::StatusOr<VersionedMethodology> GetMethodology(
      const std::string& methodology_id);
  // Versions named `name` (all when empty) in publication order.
  absl::StatusOr<std::vector<VersionedMethodology>> ListMethodologies(
      const std::string& name);
  absl::StatusOr<VersionedMethodology> WithdrawMethodology(
      const std::string& methodology_id, const std::string& reason,
      eventsourcing::CommandContext context);

 private:
  eventstore::EventStore& store_;
  const Clock& clock_;
};

}  // namespace pmo::configuration
