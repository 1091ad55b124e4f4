#pragma once

// Command and query handlers of the projects service: load, check, decide,
// append; and reads of the service's own store.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/base/clock.h"
#include "libs/eventsourcing/command_handling.h"
#include "libs/eventstore/event_store.h"
#include "services/projects/domain/project.h"

namespace pmo::projects {

using VersionedProject = eventsourcing::Versioned<Project>;

struct ProjectPage {
  std::vector<VersionedProject> projects;
  std::string next_page_token;  // empty on the last page
};

class ProjectHandlers {
 public:
  explicit ProjectHandlers(eventstore::EventStore& store,
                           const Clock& clock = Clock::Real())
      : store_(store), clock_(clock) {}

  // A new project with a fresh id; ALREADY_EXISTS when the code is taken.
  absl::StatusOr<VersionedProject> CreateProject(
      const ProjectCharter& charter, eventsourcing::CommandContext context);

  absl::StatusOr<VersionedProject> ChangeProjectStatus(
      const std::string& project_id, ProjectStatus status,
      const std::string& reason, eventsourcing::CommandContext context);

  absl::StatusOr<VersionedProject> GetProject(const std::string& project_id);

  // Projects in the order they were created. page_size 0 means 100.
  absl::StatusOr<ProjectPage> ListProjects(int page_size,
                                           const std::string& page_token);

 private:
  eventstore::EventStore& store_;
  const Clock& clock_;
};

}  // namespace pmo::projects
