#pragma once

// The resources service's small reference view of the projects context:
// which projects exist and their lifecycle status, fed by the projects
// service's events (Kafka, or in-process in the all-in-one). No service
// reads another's store.

#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "libs/sqlite/sqlite.h"
#include "libs/subscription/event_handler.h"
#include "pmo/projects/v1/project.pb.h"

namespace pmo::resources {

struct KnownProject {
  std::string project_id;
  std::string code;
  ::pmo::projects::v1::ProjectStatus status = ::pmo::projects::v1::PROJECT_STATUS_UNSPECIFIED;
  int priority = 3;  // 1 (highest) to 5
};

class ProjectDirectory : public subscription::EventHandler {
 public:
  static absl::StatusOr<std::unique_ptr<ProjectDirectory>> Open(const std::string& path);

  absl::StatusOr<std::optional<int64_t>> ResumeOffset(const std::string& source,
                                                      int32_t partition) override;
  absl::Status Handle(const std::vector<subscription::Delivery>& batch) override;

  absl::StatusOr<std::optional<KnownProject>> Find(const std::string& project_id);
  // OK when the project exists and is not closed or cancelled; else
  // FAILED_PRECONDITION naming the rule (UNKNOWN_PROJECT, PROJECT_ENDED).
  absl::Status CheckOpenForAllocation(const std::string& project_id);

 private:
  ProjectDirectory(std::unique_ptr<sqlite::Database> writer,
                   std::unique_ptr<sqlite::Database> reader)
      : writer_(std::move(writer)), reader_(std::move(reader)) {}
  absl::Status Apply(const eventstore::RecordedEvent& event) ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);

  std::mutex write_mu_;
  std::unique_ptr<sqlite::Database> writer_ ABSL_GUARDED_BY(write_mu_);
  std::mutex read_mu_;
  std::unique_ptr<sqlite::Database> reader_ ABSL_GUARDED_BY(read_mu_);
};

}  // namespace pmo::resources
