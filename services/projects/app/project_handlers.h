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

  // Adds a task with a fresh id; returns the project and the id.
  absl::StatusOr<std::pair<VersionedProject, std::string>> AddTask(
      const std::string& project_id, const TaskDefinition& task,
      eventsourcing::CommandContext context);
  absl::StatusOr<VersionedProject> RecordTaskProgress(
      const std::string& project_id, const std::string& task_id,
      const TaskProgress& progress, eventsourcing::CommandContext context);
  // Checks the predecessor exists (NOT_FOUND naming it) and that the link
  // closes no cycle across projects (FAILED_PRECONDITION SCHEDULE_CYCLE).
  absl::StatusOr<VersionedProject> AddDependency(const std::string& project_id,
                                                 const DependencyLink& link,
                                                 eventsourcing::CommandContext context);

 private:
  // The cycle the link would close, as "CODE:task name" from the successor
  // back round to it; empty when there is none.
  absl::StatusOr<std::vector<std::string>> FindCycle(const std::string& project_id,
                                                     const DependencyLink& link);

  eventstore::EventStore& store_;
  const Clock& clock_;
};

}  // namespace pmo::projects
