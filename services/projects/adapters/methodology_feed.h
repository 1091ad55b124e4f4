#pragma once

// Feeds the projects service the methodology versions the PMO library (the
// configuration service) publishes: each MethodologyVersionPublished
// becomes a registered methodology here under the same id, so a project can
// be started from it (ApplyMethodology); each MethodologyVersionWithdrawn
// is recorded (MethodologyWithdrawn) so no new project starts from it.
// Delivered from Kafka topic pmo.configuration.events.v1 (pmo-projects) or
// in-process (pmo).
//
// Exactly-once in effect: each registration's request id is derived from
// the event id, so a redelivered event appends nothing; the offsets are
// saved after the appends (at-least-once), in this feed's own SQLite file.

#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "libs/sqlite/sqlite.h"
#include "libs/subscription/event_handler.h"
#include "services/projects/app/project_handlers.h"

namespace pmo::projects {

class MethodologyFeed : public subscription::EventHandler {
 public:
  // Offsets live in `offsets_path` (created if missing).
  static absl::StatusOr<std::unique_ptr<MethodologyFeed>> Open(
      const std::string& offsets_path, ProjectHandlers& handlers);

  absl::StatusOr<std::optional<int64_t>> ResumeOffset(
      const std::string& source, int32_t partition) override;
  absl::Status Handle(
      const std::vector<subscription::Delivery>& batch) override;

 private:
  MethodologyFeed(std::unique_ptr<sqlite::Database> db,
                  ProjectHandlers& handlers)
      : db_(std::move(db)), handlers_(handlers) {}
  absl::Status Adopt(const eventstore::RecordedEvent& event);
  absl::Status Withdraw(const eventstore::RecordedEvent& event);

  std::mutex mu_;
  std::unique_ptr<sqlite::Database> db_ ABSL_GUARDED_BY(mu_);
  ProjectHandlers& handlers_;
};

}  // namespace pmo::projects
