#pragma once

// A small reference view of the projects context for the other services:
// which portfolios, programmes and projects exist, where each project sits in
// the portfolio structure (portfolio -> programme -> project) and its
// lifecycle status. Fed by the projects service's events (Kafka, or
// in-process in the all-in-one): no service reads another's store. It is
// eventually consistent, so a project created a moment ago may not be known
// yet; callers say "(yet)" in their errors.

#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "libs/sqlite/sqlite.h"
#include "libs/subscription/event_handler.h"
#include "pmo/projects/v1/project.pb.h"

namespace pmo::projectdirectory {

struct KnownProject {
  std::string project_id;
  std::string code;
  ::pmo::projects::v1::ProjectStatus status =
      ::pmo::projects::v1::PROJECT_STATUS_UNSPECIFIED;
  int priority = 3;  // 1 (highest) to 5
  // Empty while the project is in no programme.
  std::string programme_id;
  // The programme's portfolio; empty while the project is in no programme.
  std::string portfolio_id;
};

struct KnownProgramme {
  std::string programme_id;
  std::string code;
  std::string portfolio_id;
};

class ProjectDirectory : public subscription::EventHandler {
 public:
  static absl::StatusOr<std::unique_ptr<ProjectDirectory>> Open(
      const std::string& path);

  absl::StatusOr<std::optional<int64_t>> ResumeOffset(
      const std::string& source, int32_t partition) override;
  absl::Status Handle(
      const std::vector<subscription::Delivery>& batch) override;

  absl::StatusOr<std::optional<KnownProject>> Find(
      const std::string& project_id);
  absl::StatusOr<std::optional<KnownProgramme>> FindProgramme(
      const std::string& programme_id);
  absl::StatusOr<bool> PortfolioExists(const std::string& portfolio_id);
  // OK when the project exists and is not closed or cancelled; else
  // FAILED_PRECONDITION naming the rule (UNKNOWN_PROJECT, PROJECT_ENDED).
  absl::Status CheckOpenForAllocation(const std::string& project_id);

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
