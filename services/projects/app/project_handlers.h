#pragma once

// Command and query handlers of the projects service: load, check, decide,
// append; and reads of the service's own store.

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/base/clock.h"
#include "libs/earnedvalue/earned_value.h"
#include "libs/earnedvalue/health.h"
#include "libs/eventsourcing/command_handling.h"
#include "libs/eventstore/event_store.h"
#include "services/projects/domain/methodology.h"
#include "services/projects/domain/project.h"

namespace pmo::projects {

using VersionedProject = eventsourcing::Versioned<Project>;

// A task's dates from the critical path method. Durations are calendar
// days from the project's planned start; a finish date is the last day of
// work (a milestone starts and finishes on the same day).
struct ScheduledTask {
  std::string task_id;
  std::string name;
  int duration_days = 0;
  absl::CivilDay early_start;
  absl::CivilDay early_finish;
  absl::CivilDay late_start;
  absl::CivilDay late_finish;
  int total_float_days = 0;
  int free_float_days = 0;
  bool critical = false;
  // The day boundaries the work starts at and ends before (start + ES and
  // start + EF): what a task of another project is tied to.
  absl::CivilDay start_boundary;
  absl::CivilDay finish_boundary;
};

struct ProjectSchedule {
  int64_t version = 0;
  std::vector<ScheduledTask> tasks;  // in the order they were added
  absl::CivilDay finish;
  std::vector<std::string> critical_path;  // task ids, first to last
};

// Earned value of one project as of a status date.
struct EarnedValueReport {
  std::string currency;
  earnedvalue::EarnedValue measures;
  earnedvalue::Health computed_health = earnedvalue::Health::kGreen;
  // The manager's latest report on or before the status date, if any.
  std::optional<StatusReport> reported;
};

struct TaskVariance {
  std::string task_id;
  std::string name;
  std::optional<BaselineTask> baseline;  // nullopt: added after the baseline
  absl::CivilDay current_start;
  absl::CivilDay current_finish;
  int start_variance_days = 0;  // positive: later than the baseline
  int finish_variance_days = 0;
};

struct ScheduleVariance {
  std::vector<TaskVariance> tasks;
  absl::CivilDay baseline_finish;
  absl::CivilDay current_finish;
  int finish_variance_days = 0;
};

struct TaskPlanChange {
  VersionedProject project;
  // Projects that were told their dates are at risk.
  std::vector<std::string> affected_project_ids;
};

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

  // `by` is who asks (the API passes the caller): approving a proposal
  // needs a second person (Project::ChangeStatus).
  absl::StatusOr<VersionedProject> ChangeProjectStatus(
      const std::string& project_id, ProjectStatus status,
      const std::string& reason, eventsourcing::CommandContext context,
      const Actor& by = {});

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
  absl::StatusOr<VersionedProject> AddDependency(
      const std::string& project_id, const DependencyLink& link,
      eventsourcing::CommandContext context);

  // Changes a task's plan, then tells every project whose tasks now finish
  // later because of it (DependentDatesAtRisk on that project).
  absl::StatusOr<TaskPlanChange> ChangeTaskPlan(
      const std::string& project_id, const std::string& task_id,
      int duration_days, std::optional<absl::CivilDay> not_before,
      eventsourcing::CommandContext context);
  // Captures today's schedule under `name`.
  absl::StatusOr<VersionedProject> CaptureBaseline(
      const std::string& project_id, const std::string& name,
      eventsourcing::CommandContext context);
  absl::StatusOr<ScheduleVariance> GetScheduleVariance(
      const std::string& project_id, const std::string& baseline_name);

  // Records a methodology version the configuration service published,
  // under the id it gave it (the PMO library owns methodologies; see
  // LibraryMethodologies). Returns the id.
  absl::StatusOr<std::string> RegisterMethodology(
      const std::string& methodology_id, const std::string& name,
      const std::string& version,
      const google::protobuf::RepeatedPtrField<v1::Phase>& phases,
      eventsourcing::CommandContext context);
  // The library withdrew the version (from LibraryMethodologies): projects
  // started from it keep it, ApplyMethodology refuses it from now on
  // (rule METHODOLOGY_WITHDRAWN). NOT_FOUND when never registered here.
  absl::Status WithdrawMethodology(const std::string& methodology_id,
                                   const std::string& reason,
                                   eventsourcing::CommandContext context);
  absl::StatusOr<VersionedProject> ApplyMethodology(
      const std::string& project_id, const std::string& methodology_id,
      eventsourcing::CommandContext context);
  // Records the review by `by` (the API passes the caller; see
  // Project::RecordGateReview): never by the project's own manager.
  absl::StatusOr<VersionedProject> RecordGateReview(
      const std::string& project_id, const v1::GateReview& review,
      eventsourcing::CommandContext context, const Actor& by = {});
  absl::StatusOr<VersionedProject> EnterNextPhase(
      const std::string& project_id, eventsourcing::CommandContext context);

  absl::StatusOr<VersionedProject> SetBudget(
      const std::string& project_id, const ProjectBudget& budget,
      eventsourcing::CommandContext context);
  absl::StatusOr<VersionedProject> RecordActualCost(
      const std::string& project_id, const CostEntry& cost,
      eventsourcing::CommandContext context);
  absl::StatusOr<VersionedProject> ReportProgress(
      const std::string& project_id, const ProgressEntry& progress,
      eventsourcing::CommandContext context);
  absl::StatusOr<VersionedProject> SubmitStatusReport(
      const std::string& project_id, const StatusReport& report,
      eventsourcing::CommandContext context);
  // Uses only budgets, costs, progress and reports recorded on or before
  // `status_date` (and dated on or before it). FAILED_PRECONDITION (rule
  // BUDGET_REQUIRED) when no budget was set by then; FAILED_PRECONDITION
  // (rule AMOUNT_LIMIT) only for amounts recorded before kMaxAmountMinor
  // bounded them, whose totals earned value cannot take.
  absl::StatusOr<EarnedValueReport> GetEarnedValue(
      const std::string& project_id, absl::CivilDay status_date,
      const earnedvalue::HealthThresholds& thresholds);

  // The critical path method over the project's tasks. A predecessor in
  // another project enters as a fixed task at its own early dates.
  absl::StatusOr<ProjectSchedule> GetProjectSchedule(
      const std::string& project_id);

 private:
  // Schedules computed while answering one question, and projects to read
  // at a given version instead of the latest (to compare before and after a
  // change).
  struct ScheduleScope {
    std::map<std::string, ProjectSchedule> done;
    std::map<std::string, int64_t> pinned_versions;
  };
  absl::StatusOr<ProjectSchedule> ScheduleOf(const std::string& project_id,
                                             ScheduleScope& scope);
  // Runs a command that may move dates, then tells every project whose tasks
  // now finish later because of it (directly or through other projects).
  absl::StatusOr<TaskPlanChange> ChangeSchedule(
      const std::string& project_id, eventsourcing::CommandContext context,
      const std::function<absl::StatusOr<eventsourcing::Decision>(
          const VersionedProject&)>& decide);

  // Projects that depend on `project_id`'s tasks, directly or through
  // other projects.
  absl::StatusOr<std::vector<std::string>> DependentProjects(
      const std::string& project_id);

  // The cycle the link would close, as "CODE:task name" from the successor
  // back round to it; empty when there is none.
  absl::StatusOr<std::vector<std::string>> FindCycle(
      const std::string& project_id, const DependencyLink& link);

  eventstore::EventStore& store_;
  const Clock& clock_;
};

}  // namespace pmo::projects
