#pragma once

// The Project aggregate: a pure fold of its events plus the command methods
// that check the rules and return the events to record. It keeps its
// resource message (v1::Project) as its state, as every aggregate does
// (ADR 0011), and beside it what no answer shows: every budget with the day
// it was recorded, costs, progress, status reports, baselines' dates, dates
// at risk, dependent projects and objective scores.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "libs/base/errors.h"
#include "libs/base/text_checks.h"
#include "libs/dates/calendar_dates.h"
#include "libs/earnedvalue/earned_value.h"
#include "libs/eventsourcing/decision.h"
#include "pmo/projects/v1/events.pb.h"
#include "pmo/projects/v1/project.pb.h"

namespace pmo::projects {

using ProjectStatus = ::pmo::projects::v1::ProjectStatus;

// Who runs a command, for the rules about people (separation of duties):
// the caller's name (the token's subject) and whether the caller's token
// lists the project among those they manage. An empty name is an
// in-process caller with no person behind it.
struct Actor {
  std::string name;
  bool manages_project = false;
};

// The requests' shapes: what a command takes (the state is v1::Project).

// What a project is chartered with.
struct ProjectCharter {
  std::string code;
  std::string name;
  std::string manager;
  absl::CivilDay planned_start;
  absl::CivilDay planned_end;
  std::vector<std::string> objectives;
  std::string sponsor;
  int priority = 3;  // 1 (highest) to 5 (lowest)
};

// A task or milestone as planned.
struct TaskDefinition {
  std::string name;
  int duration_days = 0;  // calendar days; 0 for a milestone
  bool milestone = false;
  std::optional<absl::CivilDay> not_before;
};

struct TaskProgress {
  int percent_complete = 0;  // 0..100
  std::optional<absl::CivilDay> actual_start;
  std::optional<absl::CivilDay> actual_finish;
};

// A task anywhere in the portfolio.
struct TaskReference {
  std::string project_id;
  std::string task_id;
  bool operator==(const TaskReference&) const = default;
};

// The same task as the contract names it (a dependency's predecessor).
inline TaskReference ReferenceOf(const v1::TaskReference& task) {
  return {task.project_id(), task.task_id()};
}

// The successor is a task of the project holding the link.
struct DependencyLink {
  TaskReference predecessor;
  std::string successor_task_id;
  v1::DependencyType type = v1::DEPENDENCY_TYPE_UNSPECIFIED;
  int lag_days = 0;
};

// A task's dates in a baseline (finish inclusive, as in schedules).
struct BaselineTask {
  std::string task_id;
  absl::CivilDay start;
  absl::CivilDay finish;
};

struct ScheduleBaseline {
  std::string name;
  std::vector<BaselineTask> tasks;
  absl::CivilDay finish;
};

// Another project's task slipped and these tasks of this project finish
// later because of it.
struct TaskAtRisk {
  std::string task_id;
  absl::CivilDay early_finish;
  int delay_days = 0;
};

struct DatesAtRiskNotice {
  TaskReference moved_task;
  int slip_days = 0;
  std::vector<TaskAtRisk> tasks_at_risk;
  absl::CivilDay recorded_on;  // set by the fold
};

// Money is in minor units of the project's currency.
struct PlannedAmount {
  absl::CivilDay date;
  int64_t amount_minor = 0;
};

struct ProjectBudget {
  std::string currency;  // ISO 4217, e.g. "EUR"
  int64_t budget_at_completion_minor = 0;
  std::vector<PlannedAmount> planned_values;
  absl::CivilDay recorded_on;  // set by the fold
};

struct CostEntry {
  absl::CivilDay cost_date;
  int64_t amount_minor = 0;
  std::string category;
  std::string description;
  absl::CivilDay recorded_on;  // set by the fold
};

struct ProgressEntry {
  absl::CivilDay measured_on;
  double percent_complete = 0;
  absl::CivilDay recorded_on;  // set by the fold
};

struct StatusReport {
  absl::CivilDay report_date;
  v1::Health health = v1::HEALTH_UNSPECIFIED;
  std::string summary;
  absl::CivilDay recorded_on;  // set by the fold
};

// The largest amount of money the service takes, in minor units (10^15:
// ten trillion in a 2-decimal currency). It bounds every single amount
// (a cost, a budget at completion, a planned value) and every running sum
// of them: a budget's planned values add up to its BAC, and a project's
// actual costs together stay at most this (RecordActualCost is refused with
// FAILED_PRECONDITION, rule AMOUNT_LIMIT, beyond it). Below
// earnedvalue::kMaxAmount (2^53), so earned value never refuses what was
// accepted, and every amount converts to double exactly.
inline constexpr int64_t kMaxAmountMinor = 1'000'000'000'000'000;
static_assert(kMaxAmountMinor <= earnedvalue::kMaxAmount);

// Field-level checks; violations name request fields.
absl::Status ValidateBudget(const ProjectBudget& budget);
absl::Status ValidateCost(const CostEntry& cost);
absl::Status ValidateProgress(const ProgressEntry& progress);
absl::Status ValidateStatusReport(const StatusReport& report);
absl::Status ValidateTaskDefinition(const TaskDefinition& task);
absl::Status ValidateTaskProgress(const TaskProgress& progress);
// A status change's target (a status other than UNSPECIFIED) and reason.
absl::Status ValidateStatusChange(ProjectStatus to, const std::string& reason);

// Field-level checks of a charter; violations name request fields.
absl::Status ValidateCharter(const ProjectCharter& charter);

// Whether the lifecycle allows `from` -> `to`.
bool IsAllowedTransition(ProjectStatus from, ProjectStatus to);

class Project {
 public:
  static constexpr char kStreamType[] = "project";
  // Scope of the organisation-wide unique project code claim.
  static constexpr char kCodeScope[] = "project.code";

  // The fold: applies one recorded event that happened at `occurred_at`.
  void Apply(const google::protobuf::Message& event, absl::Time occurred_at);

  // Registers a new project (PROPOSED). Refused if this stream exists.
  absl::StatusOr<eventsourcing::Decision> Create(
      const std::string& project_id, const ProjectCharter& charter) const;

  // Moves the project along its lifecycle; a reason is required. `by` is
  // who asks: approving a proposal (PROPOSED -> APPROVED) needs a second
  // person (rule SEPARATION_OF_DUTIES, see CheckSecondPerson).
  absl::StatusOr<eventsourcing::Decision> ChangeStatus(
      ProjectStatus to, const std::string& reason, const Actor& by = {}) const;

  // Schedule changes; refused once the project is closed or cancelled.
  absl::StatusOr<eventsourcing::Decision> AddTask(
      const std::string& task_id, const TaskDefinition& task) const;
  absl::StatusOr<eventsourcing::Decision> RecordTaskProgress(
      const std::string& task_id, const TaskProgress& progress) const;
  // The predecessor's existence and the absence of cycles across projects
  // are checked by the caller, which can see other projects; this checks
  // the link itself (successor known, not on itself, not twice).
  absl::StatusOr<eventsourcing::Decision> AddDependency(
      const DependencyLink& link) const;

  // New duration and start constraint for a task (a milestone stays 0 days).
  absl::StatusOr<eventsourcing::Decision> ChangeTaskPlan(
      const std::string& task_id, int duration_days,
      std::optional<absl::CivilDay> not_before) const;
  absl::StatusOr<eventsourcing::Decision> CaptureBaseline(
      const ScheduleBaseline& baseline) const;
  absl::StatusOr<eventsourcing::Decision> RecordDatesAtRisk(
      const DatesAtRiskNotice& notice) const;

  // Notes that `dependent_project_id` depends on `task_id` of this project
  // (nothing when already noted).
  absl::StatusOr<eventsourcing::Decision> LinkDependentProject(
      const std::string& dependent_project_id,
      const std::string& task_id) const;
  // Projects with a dependency on one of this project's tasks.
  const std::set<std::string>& dependent_projects() const {
    return dependent_projects_;
  }

  // Every baseline with its dates (the answer names them only).
  const std::vector<ScheduleBaseline>& baselines() const { return baselines_; }
  const ScheduleBaseline* FindBaseline(const std::string& name) const;
  const std::vector<DatesAtRiskNotice>& dates_at_risk() const {
    return dates_at_risk_;
  }

  // Methodology and stage gates. The project keeps the methodology version
  // it was started from, whatever is registered later.
  absl::StatusOr<eventsourcing::Decision> ApplyMethodology(
      const v1::AppliedMethodology& methodology) const;
  // Reviews the gate that ends the current phase. The recorded reviewer is
  // `by.name`, the caller (the API never takes it from the request; an
  // in-process caller with no name keeps `review.reviewer()`), and
  // `review.reviewer_display_name` is only a label. Refused with rule
  // SEPARATION_OF_DUTIES when the reviewer is the project's manager.
  absl::StatusOr<eventsourcing::Decision> RecordGateReview(
      const v1::GateReview& review, const Actor& by = {}) const;
  // Refused (rule STAGE_GATE) unless the current gate's latest review
  // approved it (with or without conditions).
  absl::StatusOr<eventsourcing::Decision> EnterNextPhase() const;

  // Portfolio structure and strategy. The programme's and objective's
  // existence is checked by the caller.
  absl::StatusOr<eventsourcing::Decision> AssignToProgramme(
      const std::string& programme_id) const;
  // A second person's step: refused (SEPARATION_OF_DUTIES) for the
  // project's own manager.
  absl::StatusOr<eventsourcing::Decision> ScoreAgainstObjective(
      const std::string& portfolio_id, const std::string& objective_id,
      int score, const Actor& by = {}) const;
  // Score per objective id (the latest given).
  const std::map<std::string, int>& objective_scores() const {
    return objective_scores_;
  }

  // Budget, costs, progress and status reports. The state holds the
  // current budget; the members below keep every record with the day it
  // was recorded, so a past status date sees only what was known then.
  absl::StatusOr<eventsourcing::Decision> SetBudget(
      const ProjectBudget& budget) const;
  absl::StatusOr<eventsourcing::Decision> RecordActualCost(
      const CostEntry& cost) const;
  absl::StatusOr<eventsourcing::Decision> ReportProgress(
      const ProgressEntry& progress) const;
  absl::StatusOr<eventsourcing::Decision> SubmitStatusReport(
      const StatusReport& report) const;

  // Every budget ever set, oldest first (the last is state().budget()).
  const std::vector<ProjectBudget>& budgets() const { return budgets_; }
  // The sum of every actual cost recorded (at most kMaxAmountMinor for
  // costs recorded under that bound).
  int64_t total_actual_cost_minor() const { return total_actual_cost_minor_; }
  const std::vector<CostEntry>& costs() const { return costs_; }
  const std::vector<ProgressEntry>& progress() const { return progress_; }
  const std::vector<StatusReport>& status_reports() const {
    return status_reports_;
  }

  const v1::Task* FindTask(const std::string& task_id) const;

  bool exists() const { return !state_.project_id().empty(); }
  const std::string& id() const { return state_.project_id(); }
  // The answer's project without its version: charter fields, status,
  // tasks, current budget, baseline names, methodology and gate reviews,
  // dependencies and programme.
  const v1::Project& state() const { return state_; }

 private:
  v1::Project state_;
  std::vector<ProjectBudget> budgets_;
  std::vector<CostEntry> costs_;
  int64_t total_actual_cost_minor_ = 0;  // saturates at INT64_MAX
  std::vector<ProgressEntry> progress_;
  std::vector<StatusReport> status_reports_;
  std::vector<ScheduleBaseline> baselines_;
  std::vector<DatesAtRiskNotice> dates_at_risk_;
  std::set<std::string> dependent_projects_;
  std::set<std::pair<std::string, std::string>> dependent_links_;
  std::map<std::string, int> objective_scores_;

  // The fold's handle on a task (nullptr for an id it does not know).
  v1::Task* MutableTask(const std::string& task_id);
  absl::Status CheckScheduleOpen() const;
  // FAILED_PRECONDITION (rule SEPARATION_OF_DUTIES) when `by` is this
  // project's manager, by the charter's name or by their token; `step` names
  // the step in the message.
  absl::Status CheckSecondPerson(const Actor& by, absl::string_view step) const;
  // Costs and reports are refused for a project that does not exist; a
  // closed project still takes late invoices.
  absl::Status CheckExists() const;
};

// google.type.Date <-> absl::CivilDay; false when the date is not a real
// calendar day.
bool CivilDayFromDate(int year, int month, int day, absl::CivilDay* out);
using dates::ToDate;

}  // namespace pmo::projects
