#pragma once

// The adapter behind the KnownProjects port (known_projects.h): a small
// reference view of the projects context, kept in its own SQLite file (the
// view and its offsets together) and fed by the projects service's events
// (Kafka, or in-process in the all-in-one): no service reads another's
// store. Opened by a service's module; its use cases see only the port.

#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "libs/projectdirectory/known_projects.h"
#include "libs/sqlite/sqlite.h"
#include "libs/subscription/event_handler.h"

namespace pmo::projectdirectory {

class ProjectDirectory : public subscription::EventHandler,
                         public KnownProjects {
 public:
  static absl::StatusOr<std::unique_ptr<ProjectDirectory>> Open(
      const std::string& path);

  absl::StatusOr<std::optional<int64_t>> ResumeOffset(
      const std::string& source, int32_t partition) override;
  absl::Status Handle(
      const std::vector<subscription::Delivery>& batch) override;

  absl::StatusOr<std::optional<KnownProject>> Find(
      const std::string& project_id) override;
  absl::StatusOr<std::optional<KnownProgramme>> FindProgramme(
      const std::string& programme_id) override;
  absl::StatusOr<bool> PortfolioExists(
      const std::string& portfolio_id) override;

 private:
  ProjectDirectory(std::unique_ptr<sqlite::Database> writer,
                   std::unique_ptr<sqlite::Database> reader)
      : writer_(std::move(writer)), reader_(std::move(reader)) {}
  absl::Status Apply(const eventstore::RecordedEvent& event)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);

  std::mutex write_mu_;
  std::unique_ptr<sqlite::Database> writer_ ABSL_GUARDED_BY(write_mu_);
  std::mutex read_mu_;
  std::unique_ptr<sqlite::Database> reader_ ABSL_GUARDED_BY(read_mu_);
};

}  // namespace pmo::projectdirectory
