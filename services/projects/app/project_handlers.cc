#include "services/projects/app/project_handlers.h"

#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "libs/base/errors.h"
#include "libs/base/ids.h"
#include "libs/base/page_token.h"
#include "libs/dates/calendar_dates.h"
#include "libs/eventsourcing/request_ids.h"
#include "libs/schedule/critical_path.h"

namespace pmo::projects {
namespace {

// Projects in creation order: a token resumes after a store position.
constexpr char kProjectsList[] = "projects-after";

}  // namespace

absl::StatusOr<VersionedProject> ProjectHandlers::CreateProject(
    const ProjectCharter& charter, eventsourcing::CommandContext context) {
  RETURN_IF_ERROR(ValidateCharter(charter));
  if (context.occurred_at == absl::Time()) context.occurred_at = clock_.Now();
  // A creation never races an existing stream: the id is new.
  context.expected_version = std::nullopt;
  const std::string project_id = NewUuid();
  return eventsourcing::ExecuteCommand<Project>(
      store_, project_id, context,
      [&](const VersionedProject& p) {
        return p.state.Create(project_id, charter);
      },
      eventsourcing::StreamIdentity::kNew);
}

absl::StatusOr<VersionedProject> ProjectHandlers::ChangeProjectStatus(
    const std::string& project_id, ProjectStatus status,
    const std::string& reason, eventsourcing::CommandContext context,
    const Actor& by) {
  if (context.occurred_at == absl::Time()) context.occurred_at = clock_.Now();
  return eventsourcing::ExecuteCommand<Project>(
      store_, project_id, context,
      [&](const VersionedProject& p)
          -> absl::StatusOr<eventsourcing::Decision> {
        if (!p.state.exists()) {
          return absl::NotFoundError(
              absl::StrCat("project ", project_id, " not found"));
        }
        return p.state.ChangeStatus(status, reason, by);
      });
}

absl::StatusOr<VersionedProject> ProjectHandlers::GetProject(
    const std::string& project_id) {
  ASSIGN_OR_RETURN(VersionedProject project,
                   eventsourcing::LoadAggregate<Project>(store_, project_id));
  if (!project.state.exists()) {
    return absl::NotFoundError(
        absl::StrCat("project ", project_id, " not found"));
  }
  return project;
}

absl::StatusOr<ProjectPage> ProjectHandlers::ListProjects(
    int page_size, const std::string& page_token) {
  FieldViolations v;
  const PageRequest request =
      ReadPageRequest(v, page_size, page_token, kProjectsList);
  RETURN_IF_ERROR(v.ToStatus());
  page_size = request.page_size;
  const int64_t after = request.position;
  // One more than asked for tells whether another page follows.
  ASSIGN_OR_RETURN(
      std::vector<eventstore::StreamStart> starts,
      store_.ListStreams(Project::kStreamType, after, page_size + 1));
  ProjectPage page;
  const bool more = static_cast<int>(starts.size()) > page_size;
  if (more) starts.resize(page_size);
  for (const eventstore::StreamStart& start : starts) {
    ASSIGN_OR_RETURN(
        VersionedProject project,
        eventsourcing::LoadAggregate<Project>(store_, start.stream_id));
    page.projects.push_back(std::move(project));
  }
  if (more) {
    page.next_page_token = PageToken(kProjectsList, starts.back().position);
  }
  return page;
}

absl::StatusOr<std::pair<VersionedProject, std::string>>
ProjectHandlers::AddTask(const std::string& project_id,
                         const TaskDefinition& task,
                         eventsourcing::CommandContext context) {
  RETURN_IF_ERROR(ValidateTaskDefinition(task));
  if (context.occurred_at == absl::Time()) context.occurred_at = clock_.Now();
  const std::string task_id = NewUuid();
  ASSIGN_OR_RETURN(
      VersionedProject project,
      eventsourcing::ExecuteCommand<Project>(
          store_, project_id, context, [&](const VersionedProject& p) {
            return p.state.AddTask(task_id, task);
          }));
  // On a replayed request the task is the one that request added: the last
  // task as of that version.
  const auto& tasks = project.state.state().tasks();
  std::string id = tasks.empty() ? task_id : tasks.rbegin()->task_id();
  return std::make_pair(std::move(project), std::move(id));
}

absl::StatusOr<VersionedProject> ProjectHandlers::RecordTaskProgress(
    const std::string& project_id, const std::string& task_id,
    const TaskProgress& progress, eventsourcing::CommandContext context) {
  // Actual dates move the schedule: dependents may need telling.
  ASSIGN_OR_RETURN(TaskPlanChange change,
                   ChangeSchedule(project_id, std::move(context),
                                  [&](const VersionedProject& p) {
                                    return p.state.RecordTaskProgress(task_id,
                                                                      progress);
                                  }));
  return std::move(change.project);
}

absl::StatusOr<VersionedProject> ProjectHandlers::AddDependency(
    const std::string& project_id, const DependencyLink& link,
    eventsourcing::CommandContext context) {
  if (context.occurred_at == absl::Time()) context.occurred_at = clock_.Now();
  if (link.predecessor.project_id != project_id) {
    ASSIGN_OR_RETURN(VersionedProject other,
                     eventsourcing::LoadAggregate<Project>(
                         store_, link.predecessor.project_id));
    if (!other.state.exists() ||
        !other.state.FindTask(link.predecessor.task_id)) {
      return absl::NotFoundError(absl::StrCat(
          "predecessor task ", link.predecessor.task_id, " of project ",
          link.predecessor.project_id, " not found"));
    }
  }
  ASSIGN_OR_RETURN(
      TaskPlanChange change,
      ChangeSchedule(
          project_id, context,
          [&](const VersionedProject& p)
              -> absl::StatusOr<eventsourcing::Decision> {
            if (link.predecessor.project_id == project_id && p.state.exists() &&
                !p.state.FindTask(link.predecessor.task_id)) {
              return absl::NotFoundError(absl::StrCat(
                  "predecessor task ", link.predecessor.task_id, " not found"));
            }
            ASSIGN_OR_RETURN(eventsourcing::Decision decision,
                             p.state.AddDependency(link));
            // Checked on every attempt: another writer may have added a link.
            ASSIGN_OR_RETURN(std::vector<std::string> cycle,
                             FindCycle(project_id, link));
            if (!cycle.empty()) {
              return RuleViolationError(
                  "SCHEDULE_CYCLE", absl::StrCat("projects/", project_id),
                  absl::StrCat("the dependency would close the cycle ",
                               absl::StrJoin(cycle, " -> ")));
            }
            return decision;
          }));
  if (link.predecessor.project_id != project_id) {
    // The predecessor's project notes who depends on it, to tell them when
    // its dates move. A second append, made again (once) on a retry.
    eventsourcing::CommandContext note = context;
    note.request_id = eventsourcing::DerivedRequestId(
        context.request_id, "dependent-link", link.predecessor.project_id);
    note.expected_version = std::nullopt;
    note.metadata.causation_id = context.request_id;
    ASSIGN_OR_RETURN(VersionedProject noted,
                     eventsourcing::ExecuteCommand<Project>(
                         store_, link.predecessor.project_id, note,
                         [&](const VersionedProject& p) {
                           return p.state.LinkDependentProject(
                               project_id, link.predecessor.task_id);
                         }));
    (void)noted;
  }
  return std::move(change.project);
}

absl::StatusOr<std::vector<std::string>> ProjectHandlers::FindCycle(
    const std::string& project_id, const DependencyLink& link) {
  // The new edge runs predecessor -> successor. It closes a cycle exactly
  // when the successor already comes before the predecessor: walk backwards
  // from the predecessor along existing links, looking for the successor.
  constexpr size_t kMaxVisited = 200000;
  const TaskReference successor{project_id, link.successor_task_id};
  std::map<std::string, VersionedProject> projects;
  auto load = [&](const std::string& id) -> absl::StatusOr<const Project*> {
    auto it = projects.find(id);
    if (it == projects.end()) {
      ASSIGN_OR_RETURN(VersionedProject p,
                       eventsourcing::LoadAggregate<Project>(store_, id));
      it = projects.emplace(id, std::move(p)).first;
    }
    return &it->second.state;
  };
  auto name = [&](const TaskReference& t) -> std::string {
    absl::StatusOr<const Project*> p = load(t.project_id);
    const v1::Task* task = p.ok() ? (*p)->FindTask(t.task_id) : nullptr;
    return absl::StrCat(p.ok() ? (*p)->state().code() : t.project_id, ":",
                        task ? task->name() : t.task_id);
  };
  using Key = std::pair<std::string, std::string>;
  auto key = [](const TaskReference& t) {
    return Key(t.project_id, t.task_id);
  };
  // next[t] is the task t leads to on the way to the new link's predecessor.
  std::map<Key, TaskReference> next;
  std::vector<TaskReference> stack = {link.predecessor};
  next[key(link.predecessor)] = successor;
  while (!stack.empty()) {
    TaskReference t = stack.back();
    stack.pop_back();
    if (t == successor) {
      // successor -> ... -> predecessor -> successor
      std::vector<std::string> cycle = {name(successor)};
      for (TaskReference at = next[key(t)]; !(at == successor);
           at = next[key(at)]) {
        cycle.push_back(name(at));
      }
      cycle.push_back(name(successor));
      return cycle;
    }
    ASSIGN_OR_RETURN(const Project* project, load(t.project_id));
    for (const v1::Dependency& d : project->state().dependencies()) {
      if (d.successor_task_id() != t.task_id) continue;
      const TaskReference predecessor = ReferenceOf(d.predecessor());
      if (next.emplace(key(predecessor), t).second)
        stack.push_back(predecessor);
    }
    if (next.size() > kMaxVisited) {
      return absl::ResourceExhaustedError(
          "the dependency network is too large to check");
    }
  }
  return std::vector<std::string>();
}

namespace {

// Runs one of the project's own command methods as a command.
template <typename Method, typename Arg>
absl::StatusOr<VersionedProject> RunProjectCommand(
    eventstore::EventStore& store, const Clock& clock,
    const std::string& project_id, eventsourcing::CommandContext context,
    Method method, const Arg& arg) {
  if (context.occurred_at == absl::Time()) context.occurred_at = clock.Now();
  return eventsourcing::ExecuteCommand<Project>(
      store, project_id, context,
      [&](const VersionedProject& p) { return (p.state.*method)(arg); });
}

}  // namespace

absl::StatusOr<std::string> ProjectHandlers::RegisterMethodology(
    const std::string& methodology_id, const std::string& name,
    const std::string& version,
    const google::protobuf::RepeatedPtrField<v1::Phase>& phases,
    eventsourcing::CommandContext context) {
  RETURN_IF_ERROR(ValidateMethodology(name, version, phases));
  if (context.occurred_at == absl::Time()) context.occurred_at = clock_.Now();
  ASSIGN_OR_RETURN(eventsourcing::Versioned<Methodology> registered,
                   eventsourcing::ExecuteCommand<Methodology>(
                       store_, methodology_id, context,
                       [&](const eventsourcing::Versioned<Methodology>& m) {
                         return m.state.Register(methodology_id, name, version,
                                                 phases);
                       }));
  return registered.state.definition().methodology_id();
}

absl::Status ProjectHandlers::WithdrawMethodology(
    const std::string& methodology_id, const std::string& reason,
    eventsourcing::CommandContext context) {
  if (context.occurred_at == absl::Time()) context.occurred_at = clock_.Now();
  return eventsourcing::ExecuteCommand<Methodology>(
             store_, methodology_id, context,
             [&](const eventsourcing::Versioned<Methodology>& m) {
               return m.state.Withdraw(reason);
             })
      .status();
}

absl::StatusOr<VersionedProject> ProjectHandlers::ApplyMethodology(
    const std::string& project_id, const std::string& methodology_id,
    eventsourcing::CommandContext context) {
  ASSIGN_OR_RETURN(
      eventsourcing::Versioned<Methodology> methodology,
      eventsourcing::LoadAggregate<Methodology>(store_, methodology_id));
  if (!methodology.state.exists()) {
    return absl::NotFoundError(
        absl::StrCat("methodology ", methodology_id, " not found"));
  }
  if (methodology.state.withdrawn()) {
    return RuleViolationError(
        "METHODOLOGY_WITHDRAWN", absl::StrCat("methodologies/", methodology_id),
        absl::StrCat("methodology ", methodology.state.definition().name(),
                     " version ", methodology.state.definition().version(),
                     " was withdrawn from the PMO library; start from a "
                     "current version"));
  }
  v1::AppliedMethodology applied;
  applied.set_methodology_id(methodology_id);
  applied.set_name(methodology.state.definition().name());
  applied.set_version(methodology.state.definition().version());
  *applied.mutable_phases() = methodology.state.definition().phases();
  return RunProjectCommand(store_, clock_, project_id, std::move(context),
                           &Project::ApplyMethodology, applied);
}

absl::StatusOr<VersionedProject> ProjectHandlers::RecordGateReview(
    const std::string& project_id, const v1::GateReview& review,
    eventsourcing::CommandContext context, const Actor& by) {
  if (context.occurred_at == absl::Time()) context.occurred_at = clock_.Now();
  return eventsourcing::ExecuteCommand<Project>(
      store_, project_id, context, [&](const VersionedProject& p) {
        return p.state.RecordGateReview(review, by);
      });
}

absl::StatusOr<VersionedProject> ProjectHandlers::EnterNextPhase(
    const std::string& project_id, eventsourcing::CommandContext context) {
  if (context.occurred_at == absl::Time()) context.occurred_at = clock_.Now();
  return eventsourcing::ExecuteCommand<Project>(
      store_, project_id, context,
      [&](const VersionedProject& p) { return p.state.EnterNextPhase(); });
}

absl::StatusOr<VersionedProject> ProjectHandlers::SetBudget(
    const std::string& project_id, const ProjectBudget& budget,
    eventsourcing::CommandContext context) {
  return RunProjectCommand(store_, clock_, project_id, std::move(context),
                           &Project::SetBudget, budget);
}

absl::StatusOr<VersionedProject> ProjectHandlers::RecordActualCost(
    const std::string& project_id, const CostEntry& cost,
    eventsourcing::CommandContext context) {
  return RunProjectCommand(store_, clock_, project_id, std::move(context),
                           &Project::RecordActualCost, cost);
}

absl::StatusOr<VersionedProject> ProjectHandlers::ReportProgress(
    const std::string& project_id, const ProgressEntry& progress,
    eventsourcing::CommandContext context) {
  return RunProjectCommand(store_, clock_, project_id, std::move(context),
                           &Project::ReportProgress, progress);
}

absl::StatusOr<VersionedProject> ProjectHandlers::SubmitStatusReport(
    const std::string& project_id, const StatusReport& report,
    eventsourcing::CommandContext context) {
  return RunProjectCommand(store_, clock_, project_id, std::move(context),
                           &Project::SubmitStatusReport, report);
}

absl::StatusOr<std::vector<std::string>> ProjectHandlers::DependentProjects(
    const std::string& project_id) {
  // Each project records who depends on it (DependentProjectLinked), so this
  // walks those notes outwards.
  constexpr size_t kMaxProjects = 10000;
  std::vector<std::string> out;
  std::set<std::string> seen = {project_id};
  std::vector<std::string> frontier = {project_id};
  while (!frontier.empty()) {
    const std::string id = frontier.back();
    frontier.pop_back();
    ASSIGN_OR_RETURN(VersionedProject p,
                     eventsourcing::LoadAggregate<Project>(store_, id));
    for (const std::string& dependent : p.state.dependent_projects()) {
      if (!seen.insert(dependent).second) continue;
      out.push_back(dependent);
      frontier.push_back(dependent);
      if (out.size() > kMaxProjects) {
        return absl::ResourceExhaustedError(
            "too many dependent projects to notify");
      }
    }
  }
  return out;
}

absl::StatusOr<TaskPlanChange> ProjectHandlers::ChangeSchedule(
    const std::string& project_id, eventsourcing::CommandContext context,
    const std::function<absl::StatusOr<eventsourcing::Decision>(
        const VersionedProject&)>& decide) {
  if (context.occurred_at == absl::Time()) context.occurred_at = clock_.Now();
  TaskPlanChange change;
  ASSIGN_OR_RETURN(change.project, eventsourcing::ExecuteCommand<Project>(
                                       store_, project_id, context, decide));
  // Which versions this request produced (also on a retry): the schedules
  // before and after are computed from them, so a retry tells the same
  // projects the same thing, and the derived request ids record it once.
  if (context.request_id.empty()) return change;
  ASSIGN_OR_RETURN(std::optional<eventstore::AppendResult> applied,
                   eventsourcing::FindEarlierRequest(store_, context));
  if (!applied || applied->stream_id != project_id)
    return change;  // nothing changed
  ASSIGN_OR_RETURN(std::vector<std::string> dependents,
                   DependentProjects(project_id));
  if (dependents.empty()) return change;

  ScheduleScope before, after;
  before.pinned_versions[project_id] = applied->first_version - 1;
  after.pinned_versions[project_id] = applied->last_version;
  ASSIGN_OR_RETURN(ProjectSchedule own_before, ScheduleOf(project_id, before));
  ASSIGN_OR_RETURN(ProjectSchedule own_after, ScheduleOf(project_id, after));
  std::map<std::string, int> slip;  // this project's tasks that finish later
  TaskReference most_slipped{project_id, ""};
  int most = 0;
  for (const ScheduledTask& a : own_after.tasks) {
    for (const ScheduledTask& b : own_before.tasks) {
      if (a.task_id != b.task_id || a.finish_boundary <= b.finish_boundary)
        continue;
      const int days = static_cast<int>(a.finish_boundary - b.finish_boundary);
      slip[a.task_id] = days;
      if (days > most) {
        most = days;
        most_slipped.task_id = a.task_id;
      }
    }
  }
  if (slip.empty()) return change;

  for (const std::string& id : dependents) {
    ASSIGN_OR_RETURN(ProjectSchedule b, ScheduleOf(id, before));
    ASSIGN_OR_RETURN(ProjectSchedule a, ScheduleOf(id, after));
    DatesAtRiskNotice notice;
    for (const ScheduledTask& t : a.tasks) {
      for (const ScheduledTask& was : b.tasks) {
        if (t.task_id != was.task_id ||
            t.finish_boundary <= was.finish_boundary)
          continue;
        notice.tasks_at_risk.push_back(
            {t.task_id, t.early_finish,
             static_cast<int>(t.finish_boundary - was.finish_boundary)});
      }
    }
    if (notice.tasks_at_risk.empty()) continue;
    // Name the slipped task it waits on the most; a project that depends
    // only through others hears of this project's biggest slip.
    notice.moved_task = most_slipped;
    notice.slip_days = 0;
    ASSIGN_OR_RETURN(VersionedProject dependent, GetProject(id));
    for (const v1::Dependency& d : dependent.state.state().dependencies()) {
      auto it = slip.find(d.predecessor().task_id());
      if (d.predecessor().project_id() == project_id && it != slip.end() &&
          it->second > notice.slip_days) {
        notice.moved_task = ReferenceOf(d.predecessor());
        notice.slip_days = it->second;
      }
    }
    if (notice.slip_days == 0) notice.slip_days = most;
    eventsourcing::CommandContext told = context;
    told.request_id = eventsourcing::DerivedRequestId(context.request_id,
                                                      "dates-at-risk", id);
    told.expected_version = std::nullopt;
    told.metadata.causation_id = context.request_id;
    ASSIGN_OR_RETURN(VersionedProject ignored,
                     eventsourcing::ExecuteCommand<Project>(
                         store_, id, told, [&](const VersionedProject& p) {
                           return p.state.RecordDatesAtRisk(notice);
                         }));
    (void)ignored;
    change.affected_project_ids.push_back(id);
  }
  return change;
}

absl::StatusOr<TaskPlanChange> ProjectHandlers::ChangeTaskPlan(
    const std::string& project_id, const std::string& task_id,
    int duration_days, std::optional<absl::CivilDay> not_before,
    eventsourcing::CommandContext context) {
  return ChangeSchedule(
      project_id, std::move(context), [&](const VersionedProject& p) {
        return p.state.ChangeTaskPlan(task_id, duration_days, not_before);
      });
}

absl::StatusOr<VersionedProject> ProjectHandlers::CaptureBaseline(
    const std::string& project_id, const std::string& name,
    eventsourcing::CommandContext context) {
  if (context.occurred_at == absl::Time()) context.occurred_at = clock_.Now();
  ASSIGN_OR_RETURN(ProjectSchedule schedule, GetProjectSchedule(project_id));
  ScheduleBaseline baseline{name, {}, schedule.finish};
  for (const ScheduledTask& t : schedule.tasks) {
    baseline.tasks.push_back({t.task_id, t.early_start, t.early_finish});
  }
  // The baseline is of exactly the version it was computed from; when the
  // caller pinned none and another write got in between, compute again.
  const bool caller_pinned = context.expected_version.has_value();
  for (int attempt = 0;; ++attempt) {
    eventsourcing::CommandContext pinned = context;
    if (!caller_pinned) pinned.expected_version = schedule.version;
    absl::StatusOr<VersionedProject> captured =
        eventsourcing::ExecuteCommand<Project>(
            store_, project_id, pinned, [&](const VersionedProject& p) {
              return p.state.CaptureBaseline(baseline);
            });
    if (caller_pinned || attempt == 4 ||
        captured.status().code() != absl::StatusCode::kAborted) {
      return captured;
    }
    ASSIGN_OR_RETURN(schedule, GetProjectSchedule(project_id));
    baseline.tasks.clear();
    for (const ScheduledTask& t : schedule.tasks) {
      baseline.tasks.push_back({t.task_id, t.early_start, t.early_finish});
    }
    baseline.finish = schedule.finish;
  }
}

absl::StatusOr<ScheduleVariance> ProjectHandlers::GetScheduleVariance(
    const std::string& project_id, const std::string& baseline_name) {
  ASSIGN_OR_RETURN(VersionedProject project, GetProject(project_id));
  const ScheduleBaseline* baseline = project.state.FindBaseline(baseline_name);
  if (!baseline) {
    return absl::NotFoundError(
        absl::StrCat("baseline '", baseline_name, "' not found"));
  }
  ASSIGN_OR_RETURN(ProjectSchedule now, GetProjectSchedule(project_id));
  ScheduleVariance out;
  out.baseline_finish = baseline->finish;
  out.current_finish = now.finish;
  out.finish_variance_days = static_cast<int>(now.finish - baseline->finish);
  for (const ScheduledTask& t : now.tasks) {
    TaskVariance v{
        t.task_id, t.name, std::nullopt, t.early_start, t.early_finish, 0, 0};
    for (const BaselineTask& b : baseline->tasks) {
      if (b.task_id != t.task_id) continue;
      v.baseline = b;
      v.start_variance_days = static_cast<int>(t.early_start - b.start);
      v.finish_variance_days = static_cast<int>(t.early_finish - b.finish);
    }
    out.tasks.push_back(std::move(v));
  }
  return out;
}

absl::StatusOr<EarnedValueReport> ProjectHandlers::GetEarnedValue(
    const std::string& project_id, absl::CivilDay status_date,
    const earnedvalue::HealthThresholds& thresholds) {
  ASSIGN_OR_RETURN(VersionedProject project, GetProject(project_id));
  const Project& p = project.state;
  // The budget in force then: the last one recorded by the status date.
  const ProjectBudget* budget = nullptr;
  for (const ProjectBudget& b : p.budgets()) {
    if (b.recorded_on <= status_date) budget = &b;
  }
  if (budget == nullptr) {
    return RuleViolationError("BUDGET_REQUIRED",
                              absl::StrCat("projects/", project_id),
                              absl::StrCat("no budget had been set by ",
                                           absl::FormatCivilTime(status_date)));
  }
  earnedvalue::ProjectRecords records;
  records.budget_at_completion = budget->budget_at_completion_minor;
  for (const PlannedAmount& pv : budget->planned_values) {
    records.planned_values.push_back({pv.date, pv.amount_minor});
  }
  for (const CostEntry& c : p.costs()) {
    // A cost entered for a date before it was recorded is known from the
    // recording; one dated later than recorded counts from its own date.
    records.actual_costs.push_back({c.cost_date,
                                    std::max(c.cost_date, c.recorded_on),
                                    c.amount_minor, c.category});
  }
  for (const ProgressEntry& e : p.progress()) {
    records.progress.push_back({e.measured_on,
                                std::max(e.measured_on, e.recorded_on),
                                e.percent_complete, std::nullopt});
  }
  EarnedValueReport report;
  report.currency = budget->currency;
  absl::StatusOr<earnedvalue::EarnedValue> measures =
      earnedvalue::ComputeEarnedValue(records, status_date);
  if (absl::IsInvalidArgument(measures.status())) {
    // Amounts taken before kMaxAmountMinor bounded them (each then up to
    // 2^53, their sum unbounded): the stream's state, not the request, is
    // at fault.
    return RuleViolationError(
        "AMOUNT_LIMIT", absl::StrCat("projects/", project_id),
        absl::StrCat("the project's recorded amounts exceed what earned value "
                     "can total: ",
                     measures.status().message()));
  }
  if (!measures.ok()) return measures.status();
  report.measures = *measures;
  report.computed_health = earnedvalue::AssessHealth(
      report.measures.spi, report.measures.cpi, thresholds);
  for (const StatusReport& r : p.status_reports()) {
    if (r.report_date <= status_date && r.recorded_on <= status_date &&
        (!report.reported || r.report_date >= report.reported->report_date)) {
      report.reported = r;
    }
  }
  return report;
}

namespace {

absl::StatusOr<schedule::DependencyType> ToScheduleType(
    v1::DependencyType type) {
  switch (type) {
    case v1::DEPENDENCY_TYPE_FINISH_TO_START:
      return schedule::DependencyType::kFinishToStart;
    case v1::DEPENDENCY_TYPE_START_TO_START:
      return schedule::DependencyType::kStartToStart;
    case v1::DEPENDENCY_TYPE_FINISH_TO_FINISH:
      return schedule::DependencyType::kFinishToFinish;
    case v1::DEPENDENCY_TYPE_START_TO_FINISH:
      return schedule::DependencyType::kStartToFinish;
    default:
      // Only a newer writer could have stored another type.
      return absl::FailedPreconditionError(
          absl::StrCat("dependency type ", static_cast<int>(type),
                       " is not known to this build"));
  }
}

}  // namespace

absl::StatusOr<ProjectSchedule> ProjectHandlers::GetProjectSchedule(
    const std::string& project_id) {
  ScheduleScope scope;
  return ScheduleOf(project_id, scope);
}

namespace {

// A task's CPM input: actual dates override the plan (an actual start holds
// the task back to it, an actual finish fixes its duration).
schedule::Activity TaskActivity(const v1::Task& t, absl::CivilDay epoch,
                                absl::CivilDay project_start) {
  schedule::Activity a{t.task_id(), t.duration_days(), std::nullopt};
  absl::CivilDay not_before = std::max(
      project_start, dates::ToCivilDay(t.not_before()).value_or(project_start));
  const std::optional<absl::CivilDay> actual_start =
      dates::ToCivilDay(t.actual_start());
  const std::optional<absl::CivilDay> actual_finish =
      dates::ToCivilDay(t.actual_finish());
  if (actual_start) {
    not_before = std::max(not_before, *actual_start);
    if (actual_finish && !t.milestone()) {
      a.duration_days = (*actual_finish - *actual_start) + 1;
    }
  }
  if (not_before > epoch) a.start_no_earlier_than = not_before - epoch;
  return a;
}

}  // namespace

absl::StatusOr<ProjectSchedule> ProjectHandlers::ScheduleOf(
    const std::string& project_id, ScheduleScope& scope) {
  if (auto it = scope.done.find(project_id); it != scope.done.end())
    return it->second;
  auto load = [&](const std::string& id) -> absl::StatusOr<VersionedProject> {
    const auto pinned = scope.pinned_versions.find(id);
    return eventsourcing::LoadAggregate<Project>(
        store_, id,
        pinned == scope.pinned_versions.end() ? INT64_MAX : pinned->second);
  };

  // 1. The project and every project upstream of it: projects may depend on
  //    each other both ways as long as their tasks form no cycle, so early
  //    dates come from one forward pass over all of their tasks.
  constexpr size_t kMaxProjects = 2000;
  std::map<std::string, VersionedProject> projects;
  std::vector<std::string> frontier = {project_id};
  while (!frontier.empty()) {
    const std::string id = frontier.back();
    frontier.pop_back();
    if (projects.count(id)) continue;
    ASSIGN_OR_RETURN(VersionedProject p, load(id));
    if (!p.state.exists()) {
      return id == project_id ? absl::NotFoundError(
                                    absl::StrCat("project ", id, " not found"))
                              : absl::FailedPreconditionError(absl::StrCat(
                                    "predecessor project ", id, " not found"));
    }
    for (const v1::Dependency& d : p.state.state().dependencies()) {
      if (d.predecessor().project_id() != id)
        frontier.push_back(d.predecessor().project_id());
    }
    projects.emplace(id, std::move(p));
    if (projects.size() > kMaxProjects) {
      return absl::FailedPreconditionError(
          "too many projects upstream to schedule");
    }
  }
  auto planned_start = [](const VersionedProject& p) {
    return dates::Day(p.state.state().planned_start());
  };
  absl::CivilDay epoch = planned_start(projects.at(project_id));
  for (const auto& [id, p] : projects)
    epoch = std::min(epoch, planned_start(p));

  // A task's id in the network across projects.
  auto network_id = [](absl::string_view project, absl::string_view task) {
    return absl::StrCat(project, "/", task);
  };
  std::map<std::string, std::pair<absl::CivilDay, absl::CivilDay>> boundaries;
  if (projects.size() > 1) {
    std::vector<schedule::Activity> all;
    std::vector<schedule::Dependency> links;
    for (const auto& [id, p] : projects) {
      for (const v1::Task& t : p.state.state().tasks()) {
        schedule::Activity a = TaskActivity(t, epoch, planned_start(p));
        a.id = network_id(id, t.task_id());
        all.push_back(std::move(a));
      }
      for (const v1::Dependency& d : p.state.state().dependencies()) {
        ASSIGN_OR_RETURN(schedule::DependencyType type,
                         ToScheduleType(d.type()));
        links.push_back({network_id(d.predecessor().project_id(),
                                    d.predecessor().task_id()),
                         network_id(id, d.successor_task_id()), type,
                         d.lag_days()});
      }
    }
    ASSIGN_OR_RETURN(schedule::ProjectSchedule network,
                     schedule::ComputeCriticalPath(all, links));
    for (size_t i = 0; i < all.size(); ++i) {
      boundaries[all[i].id] = {epoch + network.activities[i].early_start,
                               epoch + network.activities[i].early_finish};
    }
  }

  // 2. This project's own network; a task of another project enters only as
  //    the date it imposes on its successor:
  //      FS: start >= its finish + lag        SS: start >= its start + lag
  //      FF: start >= its finish + lag - dur  SF: start >= its start + lag -
  //      dur
  const VersionedProject& project = projects.at(project_id);
  const absl::CivilDay start = planned_start(project);
  const auto& tasks = project.state.state().tasks();
  std::vector<schedule::Activity> activities;
  std::map<std::string, size_t> index;
  for (const v1::Task& t : tasks) {
    index[t.task_id()] = activities.size();
    activities.push_back(TaskActivity(t, start, start));
  }
  std::vector<schedule::Dependency> dependencies;
  for (const v1::Dependency& d : project.state.state().dependencies()) {
    ASSIGN_OR_RETURN(schedule::DependencyType type, ToScheduleType(d.type()));
    if (d.predecessor().project_id() == project_id) {
      dependencies.push_back({d.predecessor().task_id(), d.successor_task_id(),
                              type, d.lag_days()});
      continue;
    }
    auto successor = index.find(d.successor_task_id());
    auto bound_of = boundaries.find(
        network_id(d.predecessor().project_id(), d.predecessor().task_id()));
    if (successor == index.end() || bound_of == boundaries.end()) continue;
    schedule::Activity& s = activities[successor->second];
    const bool from_finish = type == schedule::DependencyType::kFinishToStart ||
                             type == schedule::DependencyType::kFinishToFinish;
    const bool to_finish = type == schedule::DependencyType::kFinishToFinish ||
                           type == schedule::DependencyType::kStartToFinish;
    int64_t bound =
        ((from_finish ? bound_of->second.second : bound_of->second.first) -
         start) +
        d.lag_days();
    if (to_finish) bound -= s.duration_days;
    s.start_no_earlier_than =
        std::max<int64_t>({0, bound, s.start_no_earlier_than.value_or(0)});
  }
  ASSIGN_OR_RETURN(schedule::ProjectSchedule cpm,
                   schedule::ComputeCriticalPath(activities, dependencies));

  // [start, finish) offsets -> calendar dates: work from its first day to its
  // last day; a milestone on the day it is reached (the last day of what
  // precedes it).
  auto first_day = [&](int64_t from, int64_t to) {
    return to > from ? start + from : start + std::max<int64_t>(0, from - 1);
  };
  auto last_day = [&](int64_t from, int64_t to) {
    return to > from ? start + (to - 1)
                     : start + std::max<int64_t>(0, from - 1);
  };
  ProjectSchedule out;
  out.version = project.version;
  for (size_t i = 0; i < activities.size(); ++i) {
    const v1::Task& t = tasks[static_cast<int>(i)];
    const schedule::ScheduledActivity& a = cpm.activities[i];
    out.tasks.push_back(
        {t.task_id(), t.name(), static_cast<int>(activities[i].duration_days),
         first_day(a.early_start, a.early_finish),
         last_day(a.early_start, a.early_finish),
         first_day(a.late_start, a.late_finish),
         last_day(a.late_start, a.late_finish), static_cast<int>(a.total_float),
         static_cast<int>(a.free_float), a.critical, start + a.early_start,
         start + a.early_finish});
  }
  out.finish =
      cpm.project_finish > 0 ? start + (cpm.project_finish - 1) : start;
  for (int i : cpm.critical_path)
    out.critical_path.push_back(tasks[i].task_id());
  scope.done.emplace(project_id, out);
  return out;
}

}  // namespace pmo::projects
