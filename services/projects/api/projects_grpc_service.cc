#include "services/projects/api/projects_grpc_service.h"

#include "absl/strings/str_cat.h"
#include "libs/base/errors.h"
#include "libs/base/ids.h"
#include "libs/base/proto_time.h"
#include "libs/eventsourcing/request_ids.h"
#include "libs/grpcserver/call_context.h"
#include "libs/grpcserver/request_checks.h"
#include "libs/grpcserver/status_mapping.h"

namespace pmo::projects {
namespace {

using grpcserver::ToGrpcStatus;

using grpcserver::CheckExpectedVersion;
using grpcserver::CheckRequestId;
using grpcserver::ExpectedVersionOf;
using grpcserver::ReadDate;
using grpcserver::ReadOptionalDate;

void CheckProjectId(FieldViolations& v, const std::string& project_id) {
  grpcserver::CheckUuid(v, "project_id", project_id);
}

// The checks every command request shares: request_id, project_id and an
// optional expected_version.
template <typename Request>
void CheckCommandEnvelope(FieldViolations& v, const Request& request) {
  CheckRequestId(v, request.request_id());
  CheckProjectId(v, request.project_id());
  CheckExpectedVersion(v, request.has_expected_version(),
                       request.expected_version());
}

v1::Forecast ToProto(const earnedvalue::Forecast& f) {
  v1::Forecast out;
  out.set_estimate_at_completion_minor(f.eac);
  out.set_estimate_to_complete_minor(f.etc);
  out.set_variance_at_completion_minor(f.vac);
  if (f.tcpi) out.set_to_complete_performance_index(*f.tcpi);
  return out;
}

v1::Health ToProto(earnedvalue::Health h) {
  switch (h) {
    case earnedvalue::Health::kGreen:
      return v1::HEALTH_GREEN;
    case earnedvalue::Health::kAmber:
      return v1::HEALTH_AMBER;
    case earnedvalue::Health::kRed:
      return v1::HEALTH_RED;
  }
  return v1::HEALTH_UNSPECIFIED;
}

}  // namespace

Actor ActorOf(const grpc::ServerContextBase& context,
              const std::string& project_id, const std::string& typed) {
  return {grpcserver::ActorName(context, typed),
          grpcserver::CallerOf(context).grants.Manages(project_id)};
}

v1::Project ToProto(const VersionedProject& p) {
  v1::Project out = p.state.state();
  out.set_version(p.version);
  return out;
}

grpc::Status ProjectsGrpcService::CreateProject(
    grpc::ServerContext* context, const v1::CreateProjectRequest* request,
    v1::CreateProjectResponse* response) {
  FieldViolations v;
  CheckRequestId(v, request->request_id());
  ProjectCharter charter{
      request->code(),
      request->name(),
      request->manager(),
      {},
      {},
      {request->objectives().begin(), request->objectives().end()},
      request->sponsor(),
      request->priority() == 0 ? 3 : request->priority()};
  ReadDate(v, "planned_start", request->has_planned_start(),
           request->planned_start(), &charter.planned_start);
  ReadDate(v, "planned_end", request->has_planned_end(), request->planned_end(),
           &charter.planned_end);
  // Report every bad field at once: the charter's own checks too.
  for (const FieldViolation& f : FieldViolationsOf(ValidateCharter(charter))) {
    if (f.field == "planned_end" && !request->has_planned_end()) continue;
    v.Add(f.field, f.description);
  }
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());

  absl::StatusOr<VersionedProject> project = handlers_.CreateProject(
      charter, grpcserver::CommandContextOf(*context, request->request_id(),
                                            std::nullopt));
  if (!project.ok()) return ToGrpcStatus(project.status());
  *response->mutable_project() = ToProto(*project);
  return grpc::Status::OK;
}

grpc::Status ProjectsGrpcService::GetProject(
    grpc::ServerContext* context, const v1::GetProjectRequest* request,
    v1::GetProjectResponse* response) {
  FieldViolations v;
  CheckProjectId(v, request->project_id());
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  absl::StatusOr<VersionedProject> project =
      handlers_.GetProject(request->project_id());
  if (!project.ok()) return ToGrpcStatus(project.status());
  *response->mutable_project() = ToProto(*project);
  return grpc::Status::OK;
}

grpc::Status ProjectsGrpcService::ListProjects(
    grpc::ServerContext* context, const v1::ListProjectsRequest* request,
    v1::ListProjectsResponse* response) {
  absl::StatusOr<ProjectPage> page =
      handlers_.ListProjects(request->page_size(), request->page_token());
  if (!page.ok()) return ToGrpcStatus(page.status());
  for (const VersionedProject& p : page->projects) {
    *response->add_projects() = ToProto(p);
  }
  response->set_next_page_token(page->next_page_token);
  return grpc::Status::OK;
}

grpc::Status ProjectsGrpcService::ChangeProjectStatus(
    grpc::ServerContext* context, const v1::ChangeProjectStatusRequest* request,
    v1::ChangeProjectStatusResponse* response) {
  FieldViolations v;
  CheckCommandEnvelope(v, *request);
  v.AddAll(ValidateStatusChange(request->status(), request->reason()));
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());

  absl::StatusOr<VersionedProject> project = handlers_.ChangeProjectStatus(
      request->project_id(), request->status(), request->reason(),
      grpcserver::CommandContextOf(*context, request->request_id(),
                                   ExpectedVersionOf(*request)),
      ActorOf(*context, request->project_id()));
  if (!project.ok()) return ToGrpcStatus(project.status());
  *response->mutable_project() = ToProto(*project);
  return grpc::Status::OK;
}

grpc::Status ProjectsGrpcService::AddTask(grpc::ServerContext* context,
                                          const v1::AddTaskRequest* request,
                                          v1::AddTaskResponse* response) {
  FieldViolations v;
  CheckCommandEnvelope(v, *request);
  TaskDefinition task{request->name(), request->duration_days(),
                      request->milestone(), std::nullopt};
  ReadOptionalDate(v, "not_before", request->has_not_before(),
                   request->not_before(), &task.not_before);
  v.AddAll(ValidateTaskDefinition(task));
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  auto added = handlers_.AddTask(
      request->project_id(), task,
      grpcserver::CommandContextOf(*context, request->request_id(),
                                   ExpectedVersionOf(*request)));
  if (!added.ok()) return ToGrpcStatus(added.status());
  *response->mutable_project() = ToProto(added->first);
  response->set_task_id(added->second);
  return grpc::Status::OK;
}

grpc::Status ProjectsGrpcService::RecordTaskProgress(
    grpc::ServerContext* context, const v1::RecordTaskProgressRequest* request,
    v1::RecordTaskProgressResponse* response) {
  FieldViolations v;
  CheckCommandEnvelope(v, *request);
  if (request->task_id().empty()) v.Add("task_id", "is required");
  TaskProgress progress{request->percent_complete(), std::nullopt,
                        std::nullopt};
  ReadOptionalDate(v, "actual_start", request->has_actual_start(),
                   request->actual_start(), &progress.actual_start);
  ReadOptionalDate(v, "actual_finish", request->has_actual_finish(),
                   request->actual_finish(), &progress.actual_finish);
  v.AddAll(ValidateTaskProgress(progress));
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  auto project = handlers_.RecordTaskProgress(
      request->project_id(), request->task_id(), progress,
      grpcserver::CommandContextOf(*context, request->request_id(),
                                   ExpectedVersionOf(*request)));
  if (!project.ok()) return ToGrpcStatus(project.status());
  *response->mutable_project() = ToProto(*project);
  return grpc::Status::OK;
}

grpc::Status ProjectsGrpcService::AddDependency(
    grpc::ServerContext* context, const v1::AddDependencyRequest* request,
    v1::AddDependencyResponse* response) {
  FieldViolations v;
  CheckCommandEnvelope(v, *request);
  if (!IsUuid(request->predecessor().project_id())) {
    v.Add("predecessor.project_id", "must be a project id (a UUID)");
  }
  if (request->predecessor().task_id().empty())
    v.Add("predecessor.task_id", "is required");
  if (request->successor_task_id().empty())
    v.Add("successor_task_id", "is required");
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  DependencyLink link{
      {request->predecessor().project_id(), request->predecessor().task_id()},
      request->successor_task_id(),
      request->type(),
      request->lag_days()};
  auto project = handlers_.AddDependency(
      request->project_id(), link,
      grpcserver::CommandContextOf(*context, request->request_id(),
                                   ExpectedVersionOf(*request)));
  if (!project.ok()) return ToGrpcStatus(project.status());
  *response->mutable_project() = ToProto(*project);
  return grpc::Status::OK;
}

grpc::Status ProjectsGrpcService::ChangeTaskPlan(
    grpc::ServerContext* context, const v1::ChangeTaskPlanRequest* request,
    v1::ChangeTaskPlanResponse* response) {
  FieldViolations v;
  CheckCommandEnvelope(v, *request);
  if (request->task_id().empty()) v.Add("task_id", "is required");
  std::optional<absl::CivilDay> not_before;
  ReadOptionalDate(v, "not_before", request->has_not_before(),
                   request->not_before(), &not_before);
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  auto change = handlers_.ChangeTaskPlan(
      request->project_id(), request->task_id(), request->duration_days(),
      not_before,
      grpcserver::CommandContextOf(*context, request->request_id(),
                                   ExpectedVersionOf(*request)));
  if (!change.ok()) return ToGrpcStatus(change.status());
  *response->mutable_project() = ToProto(change->project);
  for (const std::string& id : change->affected_project_ids)
    response->add_affected_project_ids(id);
  return grpc::Status::OK;
}

grpc::Status ProjectsGrpcService::CaptureBaseline(
    grpc::ServerContext* context, const v1::CaptureBaselineRequest* request,
    v1::CaptureBaselineResponse* response) {
  FieldViolations v;
  CheckCommandEnvelope(v, *request);
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  auto project = handlers_.CaptureBaseline(
      request->project_id(), request->name(),
      grpcserver::CommandContextOf(*context, request->request_id(),
                                   ExpectedVersionOf(*request)));
  if (!project.ok()) return ToGrpcStatus(project.status());
  *response->mutable_project() = ToProto(*project);
  return grpc::Status::OK;
}

grpc::Status ProjectsGrpcService::GetScheduleVariance(
    grpc::ServerContext* context, const v1::GetScheduleVarianceRequest* request,
    v1::GetScheduleVarianceResponse* response) {
  FieldViolations v;
  CheckProjectId(v, request->project_id());
  if (request->baseline_name().empty()) v.Add("baseline_name", "is required");
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  auto variance = handlers_.GetScheduleVariance(request->project_id(),
                                                request->baseline_name());
  if (!variance.ok()) return ToGrpcStatus(variance.status());
  for (const TaskVariance& t : variance->tasks) {
    v1::TaskVariance* out = response->add_tasks();
    out->set_task_id(t.task_id);
    out->set_name(t.name);
    if (t.baseline) {
      *out->mutable_baseline_start() = ToDate(t.baseline->start);
      *out->mutable_baseline_finish() = ToDate(t.baseline->finish);
    }
    *out->mutable_current_start() = ToDate(t.current_start);
    *out->mutable_current_finish() = ToDate(t.current_finish);
    out->set_start_variance_days(t.start_variance_days);
    out->set_finish_variance_days(t.finish_variance_days);
  }
  *response->mutable_baseline_finish() = ToDate(variance->baseline_finish);
  *response->mutable_current_finish() = ToDate(variance->current_finish);
  response->set_finish_variance_days(variance->finish_variance_days);
  return grpc::Status::OK;
}

grpc::Status ProjectsGrpcService::RegisterMethodology(
    grpc::ServerContext* context, const v1::RegisterMethodologyRequest* request,
    v1::RegisterMethodologyResponse* response) {
  // The PMO library in the configuration service owns methodologies; this
  // service learns published versions from its events (LibraryMethodologies).
  return ToGrpcStatus(RuleViolationError(
      "METHODOLOGY_FROM_CONFIGURATION", "methodologies",
      "methodology versions are published with "
      "pmo.configuration.v1.LibraryService/"
      "PublishMethodologyVersion; projects apply them by the id it gives"));
}

grpc::Status ProjectsGrpcService::ApplyMethodology(
    grpc::ServerContext* context, const v1::ApplyMethodologyRequest* request,
    v1::ApplyMethodologyResponse* response) {
  FieldViolations v;
  CheckCommandEnvelope(v, *request);
  if (!IsUuid(request->methodology_id()))
    v.Add("methodology_id", "must be a methodology id");
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  auto project = handlers_.ApplyMethodology(
      request->project_id(), request->methodology_id(),
      grpcserver::CommandContextOf(*context, request->request_id(),
                                   ExpectedVersionOf(*request)));
  if (!project.ok()) return ToGrpcStatus(project.status());
  *response->mutable_project() = ToProto(*project);
  return grpc::Status::OK;
}

grpc::Status ProjectsGrpcService::RecordGateReview(
    grpc::ServerContext* context, const v1::RecordGateReviewRequest* request,
    v1::RecordGateReviewResponse* response) {
  FieldViolations v;
  CheckCommandEnvelope(v, *request);
  absl::CivilDay review_date;
  ReadDate(v, "review_date", request->has_review_date(), request->review_date(),
           &review_date);
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  // The reviewer is the caller; what the request calls them is a label.
  const Actor by =
      ActorOf(*context, request->project_id(), request->reviewer());
  v1::GateReview review;
  review.set_decision(request->decision());
  review.set_reviewer(by.name);
  review.set_reviewer_display_name(request->reviewer());
  *review.mutable_review_date() = request->review_date();
  review.set_comments(request->comments());
  *review.mutable_conditions() = request->conditions();
  auto project = handlers_.RecordGateReview(
      request->project_id(), review,
      grpcserver::CommandContextOf(*context, request->request_id(),
                                   ExpectedVersionOf(*request)),
      by);
  if (!project.ok()) return ToGrpcStatus(project.status());
  *response->mutable_project() = ToProto(*project);
  return grpc::Status::OK;
}

grpc::Status ProjectsGrpcService::EnterNextPhase(
    grpc::ServerContext* context, const v1::EnterNextPhaseRequest* request,
    v1::EnterNextPhaseResponse* response) {
  FieldViolations v;
  CheckCommandEnvelope(v, *request);
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  auto project = handlers_.EnterNextPhase(
      request->project_id(),
      grpcserver::CommandContextOf(*context, request->request_id(),
                                   ExpectedVersionOf(*request)));
  if (!project.ok()) return ToGrpcStatus(project.status());
  *response->mutable_project() = ToProto(*project);
  return grpc::Status::OK;
}

grpc::Status ProjectsGrpcService::SetBudget(grpc::ServerContext* context,
                                            const v1::SetBudgetRequest* request,
                                            v1::SetBudgetResponse* response) {
  FieldViolations v;
  CheckCommandEnvelope(v, *request);
  const v1::Budget& in = request->budget();
  ProjectBudget budget{in.currency(), in.budget_at_completion_minor(), {}, {}};
  for (int i = 0; i < in.planned_values_size(); ++i) {
    absl::CivilDay day;
    const std::string field =
        absl::StrCat("budget.planned_values[", i, "].date");
    ReadDate(v, field, in.planned_values(i).has_date(),
             in.planned_values(i).date(), &day);
    budget.planned_values.push_back({day, in.planned_values(i).amount_minor()});
  }
  v.AddAll(ValidateBudget(budget));
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  auto project = handlers_.SetBudget(
      request->project_id(), budget,
      grpcserver::CommandContextOf(*context, request->request_id(),
                                   ExpectedVersionOf(*request)));
  if (!project.ok()) return ToGrpcStatus(project.status());
  *response->mutable_project() = ToProto(*project);
  return grpc::Status::OK;
}

grpc::Status ProjectsGrpcService::RecordActualCost(
    grpc::ServerContext* context, const v1::RecordActualCostRequest* request,
    v1::RecordActualCostResponse* response) {
  FieldViolations v;
  CheckCommandEnvelope(v, *request);
  CostEntry cost{{},
                 request->amount_minor(),
                 request->category(),
                 request->description(),
                 {}};
  ReadDate(v, "cost_date", request->has_cost_date(), request->cost_date(),
           &cost.cost_date);
  v.AddAll(ValidateCost(cost));
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  auto project = handlers_.RecordActualCost(
      request->project_id(), cost,
      grpcserver::CommandContextOf(*context, request->request_id(),
                                   ExpectedVersionOf(*request)));
  if (!project.ok()) return ToGrpcStatus(project.status());
  *response->mutable_project() = ToProto(*project);
  return grpc::Status::OK;
}

grpc::Status ProjectsGrpcService::ReportProgress(
    grpc::ServerContext* context, const v1::ReportProgressRequest* request,
    v1::ReportProgressResponse* response) {
  FieldViolations v;
  CheckCommandEnvelope(v, *request);
  ProgressEntry progress{{}, request->percent_complete(), {}};
  ReadDate(v, "measured_on", request->has_measured_on(), request->measured_on(),
           &progress.measured_on);
  v.AddAll(ValidateProgress(progress));
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  auto project = handlers_.ReportProgress(
      request->project_id(), progress,
      grpcserver::CommandContextOf(*context, request->request_id(),
                                   ExpectedVersionOf(*request)));
  if (!project.ok()) return ToGrpcStatus(project.status());
  *response->mutable_project() = ToProto(*project);
  return grpc::Status::OK;
}

grpc::Status ProjectsGrpcService::SubmitStatusReport(
    grpc::ServerContext* context, const v1::SubmitStatusReportRequest* request,
    v1::SubmitStatusReportResponse* response) {
  FieldViolations v;
  CheckCommandEnvelope(v, *request);
  StatusReport report{{}, request->health(), request->summary(), {}};
  ReadDate(v, "report_date", request->has_report_date(), request->report_date(),
           &report.report_date);
  v.AddAll(ValidateStatusReport(report));
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  auto project = handlers_.SubmitStatusReport(
      request->project_id(), report,
      grpcserver::CommandContextOf(*context, request->request_id(),
                                   ExpectedVersionOf(*request)));
  if (!project.ok()) return ToGrpcStatus(project.status());
  *response->mutable_project() = ToProto(*project);
  return grpc::Status::OK;
}

grpc::Status ProjectsGrpcService::GetEarnedValue(
    grpc::ServerContext* context, const v1::GetEarnedValueRequest* request,
    v1::GetEarnedValueResponse* response) {
  FieldViolations v;
  CheckProjectId(v, request->project_id());
  absl::CivilDay status_date;
  ReadDate(v, "status_date", request->has_status_date(), request->status_date(),
           &status_date);
  earnedvalue::HealthThresholds thresholds;
  if (request->has_thresholds()) {
    thresholds.green_at_or_above = request->thresholds().green_at_or_above();
    thresholds.red_below = request->thresholds().red_below();
    if (!(thresholds.red_below > 0 &&
          thresholds.red_below <= thresholds.green_at_or_above)) {
      v.Add("thresholds", "need 0 < red_below <= green_at_or_above");
    }
  }
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  absl::StatusOr<EarnedValueReport> report =
      handlers_.GetEarnedValue(request->project_id(), status_date, thresholds);
  if (!report.ok()) return ToGrpcStatus(report.status());
  const earnedvalue::EarnedValue& m = report->measures;
  response->set_project_id(request->project_id());
  *response->mutable_status_date() = request->status_date();
  response->set_currency(report->currency);
  response->set_budget_at_completion_minor(m.bac);
  response->set_planned_value_minor(m.pv);
  response->set_earned_value_minor(m.ev);
  response->set_actual_cost_minor(m.ac);
  response->set_schedule_variance_minor(m.sv);
  response->set_cost_variance_minor(m.cv);
  if (m.spi) response->set_schedule_performance_index(*m.spi);
  if (m.cpi) response->set_cost_performance_index(*m.cpi);
  if (m.tcpi_bac) response->set_to_complete_performance_index(*m.tcpi_bac);
  if (m.forecast_cpi)
    *response->mutable_forecast_typical() = ToProto(*m.forecast_cpi);
  *response->mutable_forecast_atypical() = ToProto(m.forecast_atypical);
  if (m.forecast_composite)
    *response->mutable_forecast_composite() = ToProto(*m.forecast_composite);
  response->set_computed_health(ToProto(report->computed_health));
  if (report->reported) {
    response->set_reported_health(report->reported->health);
    response->set_reported_summary(report->reported->summary);
  }
  return grpc::Status::OK;
}

grpc::Status ProjectsGrpcService::GetProjectSchedule(
    grpc::ServerContext* context, const v1::GetProjectScheduleRequest* request,
    v1::GetProjectScheduleResponse* response) {
  FieldViolations v;
  CheckProjectId(v, request->project_id());
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  absl::StatusOr<ProjectSchedule> schedule =
      handlers_.GetProjectSchedule(request->project_id());
  if (!schedule.ok()) return ToGrpcStatus(schedule.status());
  response->set_project_id(request->project_id());
  response->set_version(schedule->version);
  for (const ScheduledTask& t : schedule->tasks) {
    v1::ScheduledTask* out = response->add_tasks();
    out->set_task_id(t.task_id);
    out->set_name(t.name);
    *out->mutable_early_start() = ToDate(t.early_start);
    *out->mutable_early_finish() = ToDate(t.early_finish);
    *out->mutable_late_start() = ToDate(t.late_start);
    *out->mutable_late_finish() = ToDate(t.late_finish);
    out->set_total_float_days(t.total_float_days);
    out->set_free_float_days(t.free_float_days);
    out->set_critical(t.critical);
  }
  *response->mutable_finish() = ToDate(schedule->finish);
  for (const std::string& id : schedule->critical_path)
    response->add_critical_path(id);
  return grpc::Status::OK;
}

}  // namespace pmo::projects
