#include "services/projects/domain/project.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "libs/base/errors.h"
#include "libs/base/proto_time.h"
#include "libs/base/status_macros.h"

namespace pmo::projects {
namespace {

using v1::PROJECT_STATUS_ACTIVE;
using v1::PROJECT_STATUS_APPROVED;
using v1::PROJECT_STATUS_CANCELLED;
using v1::PROJECT_STATUS_CLOSED;
using v1::PROJECT_STATUS_ON_HOLD;
using v1::PROJECT_STATUS_PROPOSED;

bool IsValidCode(const std::string& code) {
  if (code.size() < 2 || code.size() > 32) return false;
  if (!absl::ascii_isupper(code[0]) && !absl::ascii_isdigit(code[0]))
    return false;
  for (char c : code) {
    if (!absl::ascii_isupper(c) && !absl::ascii_isdigit(c) && c != '-' &&
        c != '_') {
      return false;
    }
  }
  return true;
}

// Adds `amount` to `total` without overflowing: the sum saturates at
// INT64_MAX (amounts are never negative here).
int64_t SaturatingAdd(int64_t total, int64_t amount) {
  if (amount > 0 && total > INT64_MAX - amount) return INT64_MAX;
  return total + amount;
}

// Whether an event carries a date in an optional date field (an unset
// google.type.Date is all zero).
bool Carries(bool has, const google::type::Date& date) {
  return has && dates::IsSet(date);
}

constexpr char kAmountRange[] = "must be between 0 and 10^15 minor units";

}  // namespace

bool CivilDayFromDate(int year, int month, int day, absl::CivilDay* out) {
  google::type::Date date;
  date.set_year(year);
  date.set_month(month);
  date.set_day(day);
  std::optional<absl::CivilDay> real = dates::ToCivilDay(date);
  if (real) *out = *real;
  return real.has_value();
}

absl::Status ValidateCharter(const ProjectCharter& charter) {
  FieldViolations v;
  if (!IsValidCode(charter.code)) {
    v.Add("code",
          "must be 2-32 characters of A-Z, 0-9, '-' or '_', starting with a "
          "letter or digit");
  }
  CheckText(v, "name", charter.name, 200);
  CheckText(v, "manager", charter.manager, 128);
  if (charter.planned_end < charter.planned_start) {
    v.Add("planned_end", "must not be before planned_start");
  }
  if (charter.objectives.size() > 50) v.Add("objectives", "at most 50");
  for (size_t i = 0; i < charter.objectives.size(); ++i) {
    CheckText(v, absl::StrCat("objectives[", i, "]"), charter.objectives[i],
              500);
  }
  CheckOptionalText(v, "sponsor", charter.sponsor, 128, TextKind::kLine);
  if (charter.priority < 1 || charter.priority > 5) {
    v.Add("priority", "must be between 1 (highest) and 5 (lowest)");
  }
  return v.ToStatus();
}

absl::Status ValidateTaskDefinition(const TaskDefinition& task) {
  FieldViolations v;
  CheckText(v, "name", task.name, 200);
  if (task.duration_days < 0 || task.duration_days > 3650) {
    v.Add("duration_days", "must be between 0 and 3650");
  } else if (task.milestone && task.duration_days != 0) {
    v.Add("duration_days", "must be 0 for a milestone");
  }
  return v.ToStatus();
}

absl::Status ValidateBudget(const ProjectBudget& b) {
  FieldViolations v;
  const bool currency_ok =
      b.currency.size() == 3 && absl::ascii_isupper(b.currency[0]) &&
      absl::ascii_isupper(b.currency[1]) && absl::ascii_isupper(b.currency[2]);
  if (!currency_ok)
    v.Add("budget.currency", "must be an ISO 4217 code such as EUR");
  if (b.budget_at_completion_minor < 0 ||
      b.budget_at_completion_minor > kMaxAmountMinor) {
    v.Add("budget.budget_at_completion_minor", kAmountRange);
  }
  if (b.planned_values.size() > 10000)
    v.Add("budget.planned_values", "at most 10000 periods");
  // The running sum stops growing past the bound, so it cannot overflow
  // (10000 periods of 10^15 would).
  int64_t sum = 0;
  bool amounts_ok = true;
  for (size_t i = 0; i < b.planned_values.size(); ++i) {
    const int64_t a = b.planned_values[i].amount_minor;
    if (a < 0 || a > kMaxAmountMinor) {
      v.Add(absl::StrCat("budget.planned_values[", i, "].amount_minor"),
            kAmountRange);
      amounts_ok = false;
    } else if (sum <= kMaxAmountMinor) {
      sum += a;
    }
  }
  if (amounts_ok && sum > kMaxAmountMinor) {
    v.Add("budget.planned_values",
          "amounts add up to more than 10^15 minor units");
  } else if (amounts_ok && v.empty() && sum != b.budget_at_completion_minor) {
    v.Add("budget.budget_at_completion_minor",
          absl::StrCat("must equal the sum of the planned values (", sum, ")"));
  }
  return v.ToStatus();
}

absl::Status ValidateCost(const CostEntry& c) {
  FieldViolations v;
  if (c.amount_minor <= 0 || c.amount_minor > kMaxAmountMinor) {
    v.Add("amount_minor", "must be between 1 and 10^15 minor units");
  }
  CheckText(v, "category", c.category, 64);
  CheckOptionalText(v, "description", c.description, 1000,
                    TextKind::kMultiline);
  return v.ToStatus();
}

absl::Status ValidateProgress(const ProgressEntry& p) {
  FieldViolations v;
  if (!(p.percent_complete >= 0 && p.percent_complete <= 100)) {
    v.Add("percent_complete", "must be between 0 and 100");
  }
  return v.ToStatus();
}

absl::Status ValidateStatusReport(const StatusReport& r) {
  FieldViolations v;
  if (r.health == v1::HEALTH_UNSPECIFIED || !v1::Health_IsValid(r.health)) {
    v.Add("health", "must be GREEN, AMBER or RED");
  }
  CheckText(v, "summary", r.summary, 4000, TextKind::kMultiline);
  return v.ToStatus();
}

absl::Status ValidateTaskProgress(const TaskProgress& p) {
  FieldViolations v;
  if (p.percent_complete < 0 || p.percent_complete > 100) {
    v.Add("percent_complete", "must be between 0 and 100");
  }
  if (p.actual_finish && !p.actual_start) {
    v.Add("actual_start", "is required when actual_finish is given");
  }
  if (p.actual_finish && p.actual_start && *p.actual_finish < *p.actual_start) {
    v.Add("actual_finish", "must not be before actual_start");
  }
  if (p.actual_finish && p.percent_complete != 100) {
    v.Add("percent_complete", "must be 100 when actual_finish is given");
  }
  return v.ToStatus();
}

bool IsAllowedTransition(ProjectStatus from, ProjectStatus to) {
  switch (from) {
    case PROJECT_STATUS_PROPOSED:
      return to == PROJECT_STATUS_APPROVED || to == PROJECT_STATUS_CANCELLED;
    case PROJECT_STATUS_APPROVED:
      return to == PROJECT_STATUS_ACTIVE || to == PROJECT_STATUS_CANCELLED;
    case PROJECT_STATUS_ACTIVE:
      return to == PROJECT_STATUS_ON_HOLD || to == PROJECT_STATUS_CLOSED ||
             to == PROJECT_STATUS_CANCELLED;
    case PROJECT_STATUS_ON_HOLD:
      return to == PROJECT_STATUS_ACTIVE || to == PROJECT_STATUS_CANCELLED;
    default:
      return false;  // CLOSED and CANCELLED are final
  }
}

void Project::Apply(const google::protobuf::Message& event,
                    absl::Time occurred_at) {
  const absl::CivilDay recorded_on =
      absl::ToCivilDay(occurred_at, absl::UTCTimeZone());
  if (const auto* created = dynamic_cast<const v1::ProjectCreated*>(&event)) {
    state_.set_project_id(created->project_id());
    state_.set_code(created->code());
    state_.set_name(created->name());
    state_.set_manager(created->manager());
    *state_.mutable_planned_start() = created->planned_start();
    *state_.mutable_planned_end() = created->planned_end();
    *state_.mutable_objectives() = created->objectives();
    state_.set_sponsor(created->sponsor());
    // Events from before priorities existed carry 0: the default.
    state_.set_priority(created->priority() == 0 ? 3 : created->priority());
    state_.set_status(created->status());
    *state_.mutable_create_time() = ToTimestamp(occurred_at);
  } else if (const auto* changed =
                 dynamic_cast<const v1::ProjectStatusChanged*>(&event)) {
    state_.set_status(changed->status());
    state_.set_status_reason(changed->reason());
  } else if (const auto* added = dynamic_cast<const v1::TaskAdded*>(&event)) {
    v1::Task* task = state_.add_tasks();
    task->set_task_id(added->task_id());
    task->set_name(added->name());
    task->set_duration_days(added->duration_days());
    task->set_milestone(added->milestone());
    if (Carries(added->has_not_before(), added->not_before())) {
      *task->mutable_not_before() = added->not_before();
    }
  } else if (const auto* progress =
                 dynamic_cast<const v1::TaskProgressRecorded*>(&event)) {
    if (v1::Task* task = MutableTask(progress->task_id())) {
      task->set_percent_complete(progress->percent_complete());
      task->clear_actual_start();
      task->clear_actual_finish();
      if (Carries(progress->has_actual_start(), progress->actual_start())) {
        *task->mutable_actual_start() = progress->actual_start();
      }
      if (Carries(progress->has_actual_finish(), progress->actual_finish())) {
        *task->mutable_actual_finish() = progress->actual_finish();
      }
    }
  } else if (const auto* plan =
                 dynamic_cast<const v1::TaskPlanChanged*>(&event)) {
    if (v1::Task* task = MutableTask(plan->task_id())) {
      task->set_duration_days(plan->duration_days());
      task->clear_not_before();
      if (Carries(plan->has_not_before(), plan->not_before())) {
        *task->mutable_not_before() = plan->not_before();
      }
    }
  } else if (const auto* baseline =
                 dynamic_cast<const v1::BaselineCaptured*>(&event)) {
    ScheduleBaseline b{baseline->name(), {}, dates::Day(baseline->finish())};
    for (const auto& t : baseline->tasks()) {
      b.tasks.push_back(
          {t.task_id(), dates::Day(t.start()), dates::Day(t.finish())});
    }
    baselines_.push_back(std::move(b));
    state_.add_baseline_names(baseline->name());
  } else if (const auto* risk =
                 dynamic_cast<const v1::DependentDatesAtRisk*>(&event)) {
    DatesAtRiskNotice n{
        {risk->moved_task().project_id(), risk->moved_task().task_id()},
        risk->slip_days(),
        {},
        recorded_on};
    for (const auto& t : risk->tasks_at_risk()) {
      n.tasks_at_risk.push_back(
          {t.task_id(), dates::Day(t.early_finish()), t.delay_days()});
    }
    dates_at_risk_.push_back(std::move(n));
  } else if (const auto* linked =
                 dynamic_cast<const v1::DependentProjectLinked*>(&event)) {
    dependent_projects_.insert(linked->dependent_project_id());
    dependent_links_.insert(
        {linked->dependent_project_id(), linked->task_id()});
  } else if (const auto* applied =
                 dynamic_cast<const v1::MethodologyApplied*>(&event)) {
    *state_.mutable_methodology() = applied->methodology();
    state_.set_current_phase_index(0);
  } else if (const auto* reviewed =
                 dynamic_cast<const v1::GateReviewRecorded*>(&event)) {
    *state_.add_gate_reviews() = reviewed->review();
  } else if (const auto* entered =
                 dynamic_cast<const v1::PhaseEntered*>(&event)) {
    state_.set_current_phase_index(entered->phase_index());
  } else if (const auto* assigned =
                 dynamic_cast<const v1::ProjectAssignedToProgramme*>(&event)) {
    state_.set_programme_id(assigned->programme_id());
  } else if (const auto* scored =
                 dynamic_cast<const v1::ProjectScored*>(&event)) {
    objective_scores_[scored->objective_id()] = scored->score();
  } else if (const auto* budget = dynamic_cast<const v1::BudgetSet*>(&event)) {
    ProjectBudget b{budget->budget().currency(),
                    budget->budget().budget_at_completion_minor(),
                    {},
                    recorded_on};
    for (const auto& pv : budget->budget().planned_values()) {
      b.planned_values.push_back({dates::Day(pv.date()), pv.amount_minor()});
    }
    budgets_.push_back(std::move(b));
    *state_.mutable_budget() = budget->budget();
  } else if (const auto* cost =
                 dynamic_cast<const v1::ActualCostRecorded*>(&event)) {
    costs_.push_back({dates::Day(cost->cost_date()), cost->amount_minor(),
                      cost->category(), cost->description(), recorded_on});
    total_actual_cost_minor_ =
        SaturatingAdd(total_actual_cost_minor_, cost->amount_minor());
  } else if (const auto* progress =
                 dynamic_cast<const v1::ProgressReported*>(&event)) {
    progress_.push_back({dates::Day(progress->measured_on()),
                         progress->percent_complete(), recorded_on});
  } else if (const auto* report =
                 dynamic_cast<const v1::StatusReportSubmitted*>(&event)) {
    status_reports_.push_back({dates::Day(report->report_date()),
                               report->health(), report->summary(),
                               recorded_on});
  } else if (const auto* dep =
                 dynamic_cast<const v1::DependencyAdded*>(&event)) {
    v1::Dependency* d = state_.add_dependencies();
    d->mutable_predecessor()->set_project_id(dep->predecessor_project_id());
    d->mutable_predecessor()->set_task_id(dep->predecessor_task_id());
    d->set_successor_task_id(dep->successor_task_id());
    d->set_type(dep->type());
    d->set_lag_days(dep->lag_days());
  }
  *state_.mutable_update_time() = ToTimestamp(occurred_at);
  // Event types added later are ignored by older code (make-before-break).
}

absl::StatusOr<eventsourcing::Decision> Project::Create(
    const std::string& project_id, const ProjectCharter& charter) const {
  if (exists()) {
    return absl::AlreadyExistsError(absl::StrCat("project ", id(), " exists"));
  }
  RETURN_IF_ERROR(ValidateCharter(charter));
  auto created = std::make_unique<v1::ProjectCreated>();
  created->set_project_id(project_id);
  created->set_code(charter.code);
  created->set_name(charter.name);
  created->set_manager(charter.manager);
  *created->mutable_planned_start() = ToDate(charter.planned_start);
  *created->mutable_planned_end() = ToDate(charter.planned_end);
  created->set_status(PROJECT_STATUS_PROPOSED);
  for (const std::string& o : charter.objectives) created->add_objectives(o);
  created->set_sponsor(charter.sponsor);
  created->set_priority(charter.priority);
  eventsourcing::Decision decision;
  decision.events.push_back(std::move(created));
  decision.unique_values.push_back({kCodeScope, charter.code});
  return decision;
}

absl::Status ValidateStatusChange(ProjectStatus to, const std::string& reason) {
  FieldViolations v;
  if (to == v1::PROJECT_STATUS_UNSPECIFIED || !v1::ProjectStatus_IsValid(to)) {
    v.Add("status", "must be a project status other than UNSPECIFIED");
  }
  CheckText(v, "reason", reason, 1000, TextKind::kMultiline);
  return v.ToStatus();
}

absl::StatusOr<eventsourcing::Decision> Project::ChangeStatus(
    ProjectStatus to, const std::string& reason, const Actor& by) const {
  if (!exists()) return absl::NotFoundError("project not found");
  RETURN_IF_ERROR(ValidateStatusChange(to, reason));
  const ProjectStatus status = state_.status();
  if (!IsAllowedTransition(status, to)) {
    return RuleViolationError("PROJECT_LIFECYCLE",
                              absl::StrCat("projects/", id()),
                              absl::StrCat("a project cannot go from ",
                                           v1::ProjectStatus_Name(status),
                                           " to ", v1::ProjectStatus_Name(to)));
  }
  if (status == PROJECT_STATUS_PROPOSED && to == PROJECT_STATUS_APPROVED) {
    RETURN_IF_ERROR(CheckSecondPerson(by, "approve the proposal of"));
  }
  auto changed = std::make_unique<v1::ProjectStatusChanged>();
  changed->set_project_id(id());
  changed->set_previous_status(status);
  changed->set_status(to);
  changed->set_reason(reason);
  eventsourcing::Decision decision;
  decision.events.push_back(std::move(changed));
  return decision;
}

absl::Status Project::CheckSecondPerson(const Actor& by,
                                        absl::string_view step) const {
  if (by.manages_project || (!by.name.empty() && by.name == state_.manager())) {
    return RuleViolationError(
        "SEPARATION_OF_DUTIES", absl::StrCat("projects/", id()),
        absl::StrCat(by.name.empty() ? std::string("the caller") : by.name,
                     " manages this project and may not ", step,
                     " it: a second person must"));
  }
  return absl::OkStatus();
}

const v1::Task* Project::FindTask(const std::string& task_id) const {
  for (const v1::Task& t : state_.tasks()) {
    if (t.task_id() == task_id) return &t;
  }
  return nullptr;
}

v1::Task* Project::MutableTask(const std::string& task_id) {
  for (v1::Task& t : *state_.mutable_tasks()) {
    if (t.task_id() == task_id) return &t;
  }
  return nullptr;
}

absl::Status Project::CheckScheduleOpen() const {
  if (!exists()) return absl::NotFoundError("project not found");
  const ProjectStatus status = state_.status();
  if (status == PROJECT_STATUS_CLOSED || status == PROJECT_STATUS_CANCELLED) {
    return RuleViolationError(
        "PROJECT_LIFECYCLE", absl::StrCat("projects/", id()),
        absl::StrCat("the schedule of a ", v1::ProjectStatus_Name(status),
                     " project cannot change"));
  }
  return absl::OkStatus();
}

const ScheduleBaseline* Project::FindBaseline(const std::string& name) const {
  for (const ScheduleBaseline& b : baselines_) {
    if (b.name == name) return &b;
  }
  return nullptr;
}

absl::StatusOr<eventsourcing::Decision> Project::ChangeTaskPlan(
    const std::string& task_id, int duration_days,
    std::optional<absl::CivilDay> not_before) const {
  RETURN_IF_ERROR(CheckScheduleOpen());
  const v1::Task* task = FindTask(task_id);
  if (!task) {
    return absl::NotFoundError(
        absl::StrCat("task ", task_id, " not found in project ", id()));
  }
  const TaskDefinition changed{task->name(), duration_days, task->milestone(),
                               not_before};
  RETURN_IF_ERROR(ValidateTaskDefinition(changed));
  auto event = std::make_unique<v1::TaskPlanChanged>();
  event->set_project_id(id());
  event->set_task_id(task_id);
  event->set_duration_days(duration_days);
  if (not_before) *event->mutable_not_before() = ToDate(*not_before);
  eventsourcing::Decision decision;
  decision.events.push_back(std::move(event));
  return decision;
}

absl::StatusOr<eventsourcing::Decision> Project::CaptureBaseline(
    const ScheduleBaseline& baseline) const {
  RETURN_IF_ERROR(CheckScheduleOpen());
  FieldViolations v;
  CheckText(v, "name", baseline.name, 100);
  RETURN_IF_ERROR(v.ToStatus());
  if (FindBaseline(baseline.name)) {
    return absl::AlreadyExistsError(
        absl::StrCat("baseline '", baseline.name, "' exists"));
  }
  auto event = std::make_unique<v1::BaselineCaptured>();
  event->set_project_id(id());
  event->set_name(baseline.name);
  for (const BaselineTask& t : baseline.tasks) {
    v1::BaselineTask* out = event->add_tasks();
    out->set_task_id(t.task_id);
    *out->mutable_start() = ToDate(t.start);
    *out->mutable_finish() = ToDate(t.finish);
  }
  *event->mutable_finish() = ToDate(baseline.finish);
  eventsourcing::Decision decision;
  decision.events.push_back(std::move(event));
  return decision;
}

absl::StatusOr<eventsourcing::Decision> Project::RecordDatesAtRisk(
    const DatesAtRiskNotice& notice) const {
  RETURN_IF_ERROR(CheckExists());
  auto event = std::make_unique<v1::DependentDatesAtRisk>();
  event->set_project_id(id());
  event->mutable_moved_task()->set_project_id(notice.moved_task.project_id);
  event->mutable_moved_task()->set_task_id(notice.moved_task.task_id);
  event->set_slip_days(notice.slip_days);
  for (const TaskAtRisk& t : notice.tasks_at_risk) {
    v1::TaskAtRisk* out = event->add_tasks_at_risk();
    out->set_task_id(t.task_id);
    *out->mutable_early_finish() = ToDate(t.early_finish);
    out->set_delay_days(t.delay_days);
  }
  eventsourcing::Decision decision;
  decision.events.push_back(std::move(event));
  return decision;
}

absl::StatusOr<eventsourcing::Decision> Project::LinkDependentProject(
    const std::string& dependent_project_id, const std::string& task_id) const {
  RETURN_IF_ERROR(CheckExists());
  eventsourcing::Decision decision;
  if (dependent_links_.count({dependent_project_id, task_id})) return decision;
  auto linked = std::make_unique<v1::DependentProjectLinked>();
  linked->set_project_id(id());
  linked->set_dependent_project_id(dependent_project_id);
  linked->set_task_id(task_id);
  decision.events.push_back(std::move(linked));
  return decision;
}

absl::StatusOr<eventsourcing::Decision> Project::ApplyMethodology(
    const v1::AppliedMethodology& methodology) const {
  RETURN_IF_ERROR(CheckScheduleOpen());
  if (state_.has_methodology()) {
    return RuleViolationError("METHODOLOGY_FIXED",
                              absl::StrCat("projects/", id()),
                              absl::StrCat("the project already follows ",
                                           state_.methodology().name(), " ",
                                           state_.methodology().version()));
  }
  auto applied = std::make_unique<v1::MethodologyApplied>();
  applied->set_project_id(id());
  *applied->mutable_methodology() = methodology;
  eventsourcing::Decision decision;
  decision.events.push_back(std::move(applied));
  return decision;
}

absl::StatusOr<eventsourcing::Decision> Project::RecordGateReview(
    const v1::GateReview& review, const Actor& by) const {
  RETURN_IF_ERROR(CheckScheduleOpen());
  if (!state_.has_methodology()) {
    return RuleViolationError(
        "STAGE_GATE", absl::StrCat("projects/", id()),
        "the project follows no methodology, so it has no gates");
  }
  FieldViolations v;
  if (review.decision() == v1::GATE_DECISION_UNSPECIFIED ||
      !v1::GateDecision_IsValid(review.decision())) {
    v.Add("decision", "must be APPROVE, REJECT or APPROVE_WITH_CONDITIONS");
  }
  const std::string reviewer = by.name.empty() ? review.reviewer() : by.name;
  CheckText(v, "reviewer", reviewer, 128);
  // The request's `reviewer` field arrives here as the display name.
  CheckOptionalText(v, "reviewer", review.reviewer_display_name(), 128);
  CheckOptionalText(v, "comments", review.comments(), 4000,
                    TextKind::kMultiline);
  if (review.decision() == v1::GATE_DECISION_APPROVE_WITH_CONDITIONS &&
      review.conditions().empty()) {
    v.Add("conditions", "are required when approving with conditions");
  }
  if (review.conditions_size() > 50) v.Add("conditions", "at most 50");
  for (int i = 0; i < review.conditions_size() && i < 50; ++i) {
    CheckText(v, absl::StrCat("conditions[", i, "]"), review.conditions(i), 500,
              TextKind::kMultiline);
  }
  RETURN_IF_ERROR(v.ToStatus());
  RETURN_IF_ERROR(CheckSecondPerson({reviewer, by.manages_project},
                                    "review the stage gate of"));
  v1::GateReview recorded = review;
  recorded.set_reviewer(reviewer);
  const int phase = state_.current_phase_index();
  recorded.set_phase_index(phase);
  recorded.set_gate_name(state_.methodology().phases(phase).gate().name());
  auto event = std::make_unique<v1::GateReviewRecorded>();
  event->set_project_id(id());
  *event->mutable_review() = std::move(recorded);
  eventsourcing::Decision decision;
  decision.events.push_back(std::move(event));
  return decision;
}

absl::StatusOr<eventsourcing::Decision> Project::EnterNextPhase() const {
  RETURN_IF_ERROR(CheckScheduleOpen());
  const std::string subject = absl::StrCat("projects/", id());
  if (!state_.has_methodology()) {
    return RuleViolationError("STAGE_GATE", subject,
                              "the project follows no methodology");
  }
  const v1::AppliedMethodology& methodology = state_.methodology();
  const int phase = state_.current_phase_index();
  if (phase + 1 >= methodology.phases_size()) {
    return RuleViolationError("STAGE_GATE", subject,
                              "the project is in the methodology's last phase");
  }
  const v1::GateReview* latest = nullptr;
  for (const v1::GateReview& r : state_.gate_reviews()) {
    if (r.phase_index() == phase) latest = &r;
  }
  const std::string& gate = methodology.phases(phase).gate().name();
  if (!latest || latest->decision() == v1::GATE_DECISION_REJECT) {
    return RuleViolationError(
        "STAGE_GATE", subject,
        absl::StrCat("gate '", gate, "' ",
                     latest ? "was rejected" : "has not been approved",
                     ": the next phase cannot start"));
  }
  auto entered = std::make_unique<v1::PhaseEntered>();
  entered->set_project_id(id());
  entered->set_phase_index(phase + 1);
  entered->set_phase_name(methodology.phases(phase + 1).name());
  eventsourcing::Decision decision;
  decision.events.push_back(std::move(entered));
  return decision;
}

absl::StatusOr<eventsourcing::Decision> Project::AssignToProgramme(
    const std::string& programme_id) const {
  RETURN_IF_ERROR(CheckExists());
  eventsourcing::Decision decision;
  if (programme_id == state_.programme_id()) return decision;  // already there
  auto assigned = std::make_unique<v1::ProjectAssignedToProgramme>();
  assigned->set_project_id(id());
  assigned->set_programme_id(programme_id);
  assigned->set_previous_programme_id(state_.programme_id());
  decision.events.push_back(std::move(assigned));
  return decision;
}

absl::StatusOr<eventsourcing::Decision> Project::ScoreAgainstObjective(
    const std::string& portfolio_id, const std::string& objective_id, int score,
    const Actor& by) const {
  RETURN_IF_ERROR(CheckExists());
  if (score < 0 || score > 10) {
    FieldViolations v;
    v.Add("score", "must be between 0 and 10");
    return v.ToStatus();
  }
  RETURN_IF_ERROR(CheckSecondPerson(by, "score"));
  auto scored = std::make_unique<v1::ProjectScored>();
  scored->set_project_id(id());
  scored->set_portfolio_id(portfolio_id);
  scored->set_objective_id(objective_id);
  scored->set_score(score);
  eventsourcing::Decision decision;
  decision.events.push_back(std::move(scored));
  return decision;
}

absl::Status Project::CheckExists() const {
  if (!exists()) return absl::NotFoundError("project not found");
  return absl::OkStatus();
}

absl::StatusOr<eventsourcing::Decision> Project::SetBudget(
    const ProjectBudget& budget) const {
  RETURN_IF_ERROR(CheckScheduleOpen());
  RETURN_IF_ERROR(ValidateBudget(budget));
  auto set = std::make_unique<v1::BudgetSet>();
  set->set_project_id(id());
  set->mutable_budget()->set_currency(budget.currency);
  set->mutable_budget()->set_budget_at_completion_minor(
      budget.budget_at_completion_minor);
  for (const PlannedAmount& pv : budget.planned_values) {
    v1::PlannedAmount* out = set->mutable_budget()->add_planned_values();
    *out->mutable_date() = ToDate(pv.date);
    out->set_amount_minor(pv.amount_minor);
  }
  eventsourcing::Decision decision;
  decision.events.push_back(std::move(set));
  return decision;
}

absl::StatusOr<eventsourcing::Decision> Project::RecordActualCost(
    const CostEntry& cost) const {
  RETURN_IF_ERROR(CheckExists());
  RETURN_IF_ERROR(ValidateCost(cost));
  // The project's costs together stay within the bound, so its earned
  // value can always be totalled.
  if (cost.amount_minor > kMaxAmountMinor - total_actual_cost_minor_) {
    return RuleViolationError(
        "AMOUNT_LIMIT", absl::StrCat("projects/", id()),
        absl::StrCat("amount_minor ", cost.amount_minor,
                     " would take the project's actual costs (",
                     total_actual_cost_minor_,
                     " minor units so far) beyond 10^15 minor units"));
  }
  auto recorded = std::make_unique<v1::ActualCostRecorded>();
  recorded->set_project_id(id());
  *recorded->mutable_cost_date() = ToDate(cost.cost_date);
  recorded->set_amount_minor(cost.amount_minor);
  recorded->set_category(cost.category);
  recorded->set_description(cost.description);
  eventsourcing::Decision decision;
  decision.events.push_back(std::move(recorded));
  return decision;
}

absl::StatusOr<eventsourcing::Decision> Project::ReportProgress(
    const ProgressEntry& progress) const {
  RETURN_IF_ERROR(CheckExists());
  RETURN_IF_ERROR(ValidateProgress(progress));
  auto reported = std::make_unique<v1::ProgressReported>();
  reported->set_project_id(id());
  *reported->mutable_measured_on() = ToDate(progress.measured_on);
  reported->set_percent_complete(progress.percent_complete);
  eventsourcing::Decision decision;
  decision.events.push_back(std::move(reported));
  return decision;
}

absl::StatusOr<eventsourcing::Decision> Project::SubmitStatusReport(
    const StatusReport& report) const {
  RETURN_IF_ERROR(CheckExists());
  RETURN_IF_ERROR(ValidateStatusReport(report));
  auto submitted = std::make_unique<v1::StatusReportSubmitted>();
  submitted->set_project_id(id());
  *submitted->mutable_report_date() = ToDate(report.report_date);
  submitted->set_health(report.health);
  submitted->set_summary(report.summary);
  eventsourcing::Decision decision;
  decision.events.push_back(std::move(submitted));
  return decision;
}

absl::StatusOr<eventsourcing::Decision> Project::AddTask(
    const std::string& task_id, const TaskDefinition& task) const {
  RETURN_IF_ERROR(CheckScheduleOpen());
  RETURN_IF_ERROR(ValidateTaskDefinition(task));
  if (FindTask(task_id)) {
    return absl::AlreadyExistsError(absl::StrCat("task ", task_id, " exists"));
  }
  auto added = std::make_unique<v1::TaskAdded>();
  added->set_project_id(id());
  added->set_task_id(task_id);
  added->set_name(task.name);
  added->set_duration_days(task.duration_days);
  added->set_milestone(task.milestone);
  if (task.not_before) *added->mutable_not_before() = ToDate(*task.not_before);
  eventsourcing::Decision decision;
  decision.events.push_back(std::move(added));
  return decision;
}

absl::StatusOr<eventsourcing::Decision> Project::RecordTaskProgress(
    const std::string& task_id, const TaskProgress& progress) const {
  RETURN_IF_ERROR(CheckScheduleOpen());
  RETURN_IF_ERROR(ValidateTaskProgress(progress));
  if (!FindTask(task_id)) {
    return absl::NotFoundError(
        absl::StrCat("task ", task_id, " not found in project ", id()));
  }
  auto recorded = std::make_unique<v1::TaskProgressRecorded>();
  recorded->set_project_id(id());
  recorded->set_task_id(task_id);
  recorded->set_percent_complete(progress.percent_complete);
  if (progress.actual_start)
    *recorded->mutable_actual_start() = ToDate(*progress.actual_start);
  if (progress.actual_finish) {
    *recorded->mutable_actual_finish() = ToDate(*progress.actual_finish);
  }
  eventsourcing::Decision decision;
  decision.events.push_back(std::move(recorded));
  return decision;
}

absl::StatusOr<eventsourcing::Decision> Project::AddDependency(
    const DependencyLink& link) const {
  RETURN_IF_ERROR(CheckScheduleOpen());
  if (!FindTask(link.successor_task_id)) {
    return absl::NotFoundError(absl::StrCat("successor task ",
                                            link.successor_task_id,
                                            " not found in project ", id()));
  }
  FieldViolations v;
  if (link.predecessor.project_id == id() &&
      link.predecessor.task_id == link.successor_task_id) {
    v.Add("predecessor", "a task cannot depend on itself");
  }
  if (link.type == v1::DEPENDENCY_TYPE_UNSPECIFIED ||
      !v1::DependencyType_IsValid(link.type)) {
    v.Add("type",
          "must be FINISH_TO_START, START_TO_START, FINISH_TO_FINISH or "
          "START_TO_FINISH");
  }
  if (link.lag_days < -3650 || link.lag_days > 3650) {
    v.Add("lag_days", "must be between -3650 and 3650");
  }
  RETURN_IF_ERROR(v.ToStatus());
  for (const v1::Dependency& d : state_.dependencies()) {
    if (ReferenceOf(d.predecessor()) == link.predecessor &&
        d.successor_task_id() == link.successor_task_id) {
      return absl::AlreadyExistsError("this dependency exists");
    }
  }
  auto added = std::make_unique<v1::DependencyAdded>();
  added->set_project_id(id());
  added->set_predecessor_project_id(link.predecessor.project_id);
  added->set_predecessor_task_id(link.predecessor.task_id);
  added->set_successor_task_id(link.successor_task_id);
  added->set_type(link.type);
  added->set_lag_days(link.lag_days);
  eventsourcing::Decision decision;
  decision.events.push_back(std::move(added));
  return decision;
}

}  // namespace pmo::projects
