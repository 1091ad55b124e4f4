#pragma once

// Takes in the methodology versions the PMO library (the configuration
// service) publishes: each MethodologyVersionPublished becomes a registered
// methodology here under the same id, so a project can be started from it
// (ApplyMethodology); each MethodologyVersionWithdrawn is recorded
// (MethodologyWithdrawn) so no new project starts from it. Events arrive
// through a subscription::CommandFeed, from Kafka topic
// pmo.configuration.events.v1 (pmo-projects) or in-process (pmo).
//
// Each command's request id is derived from the event id, so an event
// delivered again appends nothing.

#include "absl/status/status.h"
#include "libs/eventstore/recorded_event.h"
#include "services/projects/app/project_handlers.h"

namespace pmo::projects {

class LibraryMethodologies {
 public:
  explicit LibraryMethodologies(ProjectHandlers& handlers)
      : handlers_(handlers) {}

  // Runs the command one library event calls for; other events are
  // ignored. A version this service cannot take is logged and skipped, so
  // it never stops the feed; only a failing store returns an error.
  absl::Status Take(const eventstore::RecordedEvent& event);

 private:
  absl::Status Adopt(const eventstore::RecordedEvent& event);
  absl::Status Withdraw(const eventstore::RecordedEvent& event);

  ProjectHandlers& handlers_;
};

}  // namespace pmo::projects
