// pmoctl's projects area: projects, tasks and the schedule, budgets, actual
// costs and earned value (pmo.projects.v1.ProjectsService), and the
// consolidated portfolio view of the projection service.

#include <cstdio>

#include "absl/strings/numbers.h"
#include "pmo/projection/v1/portfolio_service.grpc.pb.h"
#include "pmo/projects/v1/projects_service.grpc.pb.h"
#include "tools/pmoctl/command.h"

namespace pmoctl {
namespace {

namespace pv1 = ::pmo::projects::v1;
namespace jv1 = ::pmo::projection::v1;

const Option kExpectedVersion = {
    "expected-version", "N",
    "fail with a conflict unless the project is at version N"};

std::string StatusLabel(pv1::ProjectStatus s) {
  return EnumLabel(pv1::ProjectStatus_Name(s), "PROJECT_STATUS_");
}

Table ProjectsTable(
    const google::protobuf::RepeatedPtrField<pv1::Project>& projects) {
  Table t(
      {"ID", "CODE", "NAME", "MANAGER", "STATUS", "START", "END", "VERSION"});
  for (const auto& p : projects) {
    t.Add({p.project_id(), p.code(), p.name(), p.manager(),
           StatusLabel(p.status()), FormatDate(p.planned_start()),
           FormatDate(p.planned_end()), std::to_string(p.version())});
  }
  return t;
}

Table ProjectTable(const pv1::Project& project) {
  google::protobuf::RepeatedPtrField<pv1::Project> one;
  *one.Add() = project;
  return ProjectsTable(one);
}

int CreateProject(Session& s, const Invocation& in) {
  pv1::CreateProjectRequest req;
  req.set_request_id(in.RequestId());
  req.set_code(in.Str("code"));
  req.set_name(in.Str("name"));
  req.set_manager(in.Str("manager"));
  req.set_sponsor(in.Str("sponsor"));
  req.set_priority(static_cast<int32_t>(in.Int("priority")));
  for (const std::string& o : in.All("objective")) req.add_objectives(o);
  if (in.Has("start")) *req.mutable_planned_start() = in.Date("start");
  if (in.Has("end")) *req.mutable_planned_end() = in.Date("end");
  if (!in.ok()) return in.UsageError();
  auto stub = pv1::ProjectsService::NewStub(s.channel());
  pv1::CreateProjectResponse resp;
  if (int rc = s.Call(stub.get(), &pv1::ProjectsService::Stub::CreateProject,
                      req, &resp))
    return rc;
  s.Print(resp, ProjectTable(resp.project()));
  return kExitOk;
}

int ListProjects(Session& s, const Invocation&) {
  auto stub = pv1::ProjectsService::NewStub(s.channel());
  pv1::ListProjectsResponse all;
  std::string token;
  do {
    pv1::ListProjectsRequest req;
    req.set_page_size(500);
    req.set_page_token(token);
    pv1::ListProjectsResponse page;
    if (int rc = s.Call(stub.get(), &pv1::ProjectsService::Stub::ListProjects,
                        req, &page)) {
      return rc;
    }
    for (auto& p : *page.mutable_projects()) *all.add_projects() = std::move(p);
    token = page.next_page_token();
  } while (!token.empty());
  s.Print(all, ProjectsTable(all.projects()));
  return kExitOk;
}

int GetProject(Session& s, const Invocation& in) {
  pv1::GetProjectRequest req;
  req.set_project_id(in.Arg(0));
  auto stub = pv1::ProjectsService::NewStub(s.channel());
  pv1::GetProjectResponse resp;
  if (int rc = s.Call(stub.get(), &pv1::ProjectsService::Stub::GetProject, req,
                      &resp))
    return rc;
  s.Print(resp, ProjectTable(resp.project()));
  return kExitOk;
}

int SetProjectStatus(Session& s, const Invocation& in) {
  pv1::ChangeProjectStatusRequest req;
  req.set_request_id(in.RequestId());
  req.set_project_id(in.Arg(0));
  req.set_status(in.EnumValue<pv1::ProjectStatus>(
      "STATUS", in.Arg(1), "PROJECT_STATUS_", &pv1::ProjectStatus_Parse));
  req.set_reason(in.Str("reason"));
  SetExpectedVersion(in, &req);
  if (!in.ok()) return in.UsageError();
  auto stub = pv1::ProjectsService::NewStub(s.channel());
  pv1::ChangeProjectStatusResponse resp;
  if (int rc =
          s.Call(stub.get(), &pv1::ProjectsService::Stub::ChangeProjectStatus,
                 req, &resp)) {
    return rc;
  }
  s.Print(resp, ProjectTable(resp.project()));
  return kExitOk;
}

int AddTask(Session& s, const Invocation& in) {
  pv1::AddTaskRequest req;
  req.set_request_id(in.RequestId());
  req.set_project_id(in.Arg(0));
  req.set_name(in.Str("name"));
  req.set_duration_days(static_cast<int32_t>(in.Int("duration-days")));
  req.set_milestone(in.Has("milestone"));
  if (in.Has("not-before")) *req.mutable_not_before() = in.Date("not-before");
  SetExpectedVersion(in, &req);
  if (!in.ok()) return in.UsageError();
  auto stub = pv1::ProjectsService::NewStub(s.channel());
  pv1::AddTaskResponse resp;
  if (int rc =
          s.Call(stub.get(), &pv1::ProjectsService::Stub::AddTask, req, &resp))
    return rc;
  Table t({"TASK_ID", "NAME", "DAYS", "PROJECT_VERSION"});
  t.Add({resp.task_id(), req.name(), std::to_string(req.duration_days()),
         std::to_string(resp.project().version())});
  s.Print(resp, t);
  return kExitOk;
}

int AddDependency(Session& s, const Invocation& in) {
  pv1::AddDependencyRequest req;
  req.set_request_id(in.RequestId());
  req.set_project_id(in.Arg(0));
  req.set_successor_task_id(in.Arg(1));
  // A predecessor in another project makes it a cross-project dependency.
  req.mutable_predecessor()->set_project_id(
      in.Has("after-project") ? in.Str("after-project") : in.Arg(0));
  req.mutable_predecessor()->set_task_id(in.Str("after"));
  req.set_type(in.EnumValue<pv1::DependencyType>(
      "--type", in.Has("type") ? in.Str("type") : "finish-to-start",
      "DEPENDENCY_TYPE_", &pv1::DependencyType_Parse));
  req.set_lag_days(static_cast<int32_t>(in.Int("lag-days")));
  SetExpectedVersion(in, &req);
  return CallAndPrint(s, in, &pv1::ProjectsService::Stub::AddDependency, req,
                      [](const pv1::AddDependencyResponse& r) {
                        return ProjectTable(r.project());
                      });
}

int ChangeTaskPlan(Session& s, const Invocation& in) {
  pv1::ChangeTaskPlanRequest req;
  req.set_request_id(in.RequestId());
  req.set_project_id(in.Arg(0));
  req.set_task_id(in.Arg(1));
  req.set_duration_days(static_cast<int32_t>(in.Int("duration-days")));
  if (in.Has("not-before")) *req.mutable_not_before() = in.Date("not-before");
  SetExpectedVersion(in, &req);
  return CallAndPrint(s, in, &pv1::ProjectsService::Stub::ChangeTaskPlan, req,
                      [](const pv1::ChangeTaskPlanResponse& r) {
                        Table t = ProjectTable(r.project());
                        // The projects whose tasks depend on this one moved
                        // too.
                        for (const std::string& id : r.affected_project_ids()) {
                          t.Add({id, "(affected)", "", "", "", "", "", ""});
                        }
                        return t;
                      });
}

int CaptureBaseline(Session& s, const Invocation& in) {
  pv1::CaptureBaselineRequest req;
  req.set_request_id(in.RequestId());
  req.set_project_id(in.Arg(0));
  req.set_name(in.Str("name"));
  SetExpectedVersion(in, &req);
  return CallAndPrint(s, in, &pv1::ProjectsService::Stub::CaptureBaseline, req,
                      [](const pv1::CaptureBaselineResponse& r) {
                        return ProjectTable(r.project());
                      });
}

int ShowVariance(Session& s, const Invocation& in) {
  pv1::GetScheduleVarianceRequest req;
  req.set_project_id(in.Arg(0));
  req.set_baseline_name(in.Str("baseline"));
  return CallAndPrint(
      s, in, &pv1::ProjectsService::Stub::GetScheduleVariance, req,
      [](const pv1::GetScheduleVarianceResponse& r) {
        Table t({"TASK_ID", "NAME", "BASELINE_START", "BASELINE_FINISH",
                 "CURRENT_START", "CURRENT_FINISH", "START_VAR", "FINISH_VAR"});
        for (const auto& v : r.tasks()) {
          t.Add({v.task_id(), v.name(), FormatDate(v.baseline_start()),
                 FormatDate(v.baseline_finish()), FormatDate(v.current_start()),
                 FormatDate(v.current_finish()),
                 std::to_string(v.start_variance_days()),
                 std::to_string(v.finish_variance_days())});
        }
        t.Add({"(project)", "", "", FormatDate(r.baseline_finish()), "",
               FormatDate(r.current_finish()), "",
               std::to_string(r.finish_variance_days())});
        return t;
      });
}

// Where a project stands in its methodology: phase, its gate, the last review.
template <typename Response>
Table PhaseOf(const Response& r) {
  const pv1::Project& p = r.project();
  const auto& phases = p.methodology().phases();
  const int i = p.current_phase_index();
  Table t(
      {"PROJECT_ID", "METHODOLOGY", "PHASE", "GATE", "LAST_REVIEW", "VERSION"});
  std::string last;
  if (!p.gate_reviews().empty()) {
    const pv1::GateReview& g = *p.gate_reviews().rbegin();
    last = g.gate_name() + ": " +
           EnumLabel(pv1::GateDecision_Name(g.decision()), "GATE_DECISION_") +
           " by " + g.reviewer() + " " + FormatDate(g.review_date());
  }
  t.Add({p.project_id(),
         p.methodology().name() + " " + p.methodology().version(),
         i < phases.size()
             ? absl::StrCat(i + 1, "/", phases.size(), " ", phases[i].name())
             : "",
         i < phases.size() ? phases[i].gate().name() : "", last,
         std::to_string(p.version())});
  return t;
}

int ApplyMethodology(Session& s, const Invocation& in) {
  pv1::ApplyMethodologyRequest req;
  req.set_request_id(in.RequestId());
  req.set_project_id(in.Arg(0));
  req.set_methodology_id(in.Str("methodology"));
  SetExpectedVersion(in, &req);
  return CallAndPrint(s, in, &pv1::ProjectsService::Stub::ApplyMethodology, req,
                      PhaseOf<pv1::ApplyMethodologyResponse>);
}

int RecordGateReview(Session& s, const Invocation& in) {
  pv1::RecordGateReviewRequest req;
  req.set_request_id(in.RequestId());
  req.set_project_id(in.Arg(0));
  req.set_decision(in.EnumValue<pv1::GateDecision>(
      "--decision", in.Str("decision"), "GATE_DECISION_",
      &pv1::GateDecision_Parse));
  req.set_reviewer(in.Str("reviewer"));
  if (in.Has("on")) *req.mutable_review_date() = in.Date("on");
  req.set_comments(in.Str("comments"));
  for (const std::string& c : in.All("condition")) req.add_conditions(c);
  SetExpectedVersion(in, &req);
  return CallAndPrint(s, in, &pv1::ProjectsService::Stub::RecordGateReview, req,
                      PhaseOf<pv1::RecordGateReviewResponse>);
}

int EnterNextPhase(Session& s, const Invocation& in) {
  pv1::EnterNextPhaseRequest req;
  req.set_request_id(in.RequestId());
  req.set_project_id(in.Arg(0));
  SetExpectedVersion(in, &req);
  return CallAndPrint(s, in, &pv1::ProjectsService::Stub::EnterNextPhase, req,
                      PhaseOf<pv1::EnterNextPhaseResponse>);
}

int SubmitStatusReport(Session& s, const Invocation& in) {
  pv1::SubmitStatusReportRequest req;
  req.set_request_id(in.RequestId());
  req.set_project_id(in.Arg(0));
  if (in.Has("date")) *req.mutable_report_date() = in.Date("date");
  req.set_health(in.EnumValue<pv1::Health>("--health", in.Str("health"),
                                           "HEALTH_", &pv1::Health_Parse));
  req.set_summary(in.Str("summary"));
  SetExpectedVersion(in, &req);
  return CallAndPrint(s, in, &pv1::ProjectsService::Stub::SubmitStatusReport,
                      req, [](const pv1::SubmitStatusReportResponse& r) {
                        return ProjectTable(r.project());
                      });
}

int RecordTaskProgress(Session& s, const Invocation& in) {
  pv1::RecordTaskProgressRequest req;
  req.set_request_id(in.RequestId());
  req.set_project_id(in.Arg(0));
  req.set_task_id(in.Arg(1));
  req.set_percent_complete(static_cast<int32_t>(in.Int("percent")));
  if (in.Has("actual-start"))
    *req.mutable_actual_start() = in.Date("actual-start");
  if (in.Has("actual-finish"))
    *req.mutable_actual_finish() = in.Date("actual-finish");
  SetExpectedVersion(in, &req);
  if (!in.ok()) return in.UsageError();
  auto stub = pv1::ProjectsService::NewStub(s.channel());
  pv1::RecordTaskProgressResponse resp;
  if (int rc =
          s.Call(stub.get(), &pv1::ProjectsService::Stub::RecordTaskProgress,
                 req, &resp)) {
    return rc;
  }
  Table t({"TASK_ID", "NAME", "PERCENT", "ACTUAL_START", "ACTUAL_FINISH"});
  for (const auto& task : resp.project().tasks()) {
    if (task.task_id() != req.task_id()) continue;
    t.Add({task.task_id(), task.name(), std::to_string(task.percent_complete()),
           FormatDate(task.actual_start()), FormatDate(task.actual_finish())});
  }
  s.Print(resp, t);
  return kExitOk;
}

int ShowSchedule(Session& s, const Invocation& in) {
  pv1::GetProjectScheduleRequest req;
  req.set_project_id(in.Arg(0));
  auto stub = pv1::ProjectsService::NewStub(s.channel());
  pv1::GetProjectScheduleResponse resp;
  if (int rc =
          s.Call(stub.get(), &pv1::ProjectsService::Stub::GetProjectSchedule,
                 req, &resp)) {
    return rc;
  }
  Table t({"TASK_ID", "NAME", "EARLY_START", "EARLY_FINISH", "LATE_START",
           "LATE_FINISH", "FLOAT", "CRITICAL"});
  for (const auto& task : resp.tasks()) {
    t.Add({task.task_id(), task.name(), FormatDate(task.early_start()),
           FormatDate(task.early_finish()), FormatDate(task.late_start()),
           FormatDate(task.late_finish()),
           std::to_string(task.total_float_days()),
           task.critical() ? "yes" : ""});
  }
  s.Print(resp, t);
  if (!s.json()) s.out() << "# finish " << FormatDate(resp.finish()) << "\n";
  return kExitOk;
}

int SetBudget(Session& s, const Invocation& in) {
  pv1::SetBudgetRequest req;
  req.set_request_id(in.RequestId());
  req.set_project_id(in.Arg(0));
  pv1::Budget* budget = req.mutable_budget();
  budget->set_currency(in.Str("currency"));
  // --planned DATE=AMOUNT per period; the BAC is their sum unless given.
  int64_t sum = 0;
  for (const std::string& period : in.All("planned")) {
    size_t eq = period.find('=');
    int64_t amount = 0;
    if (eq == std::string::npos ||
        !absl::SimpleAtoi(period.substr(eq + 1), &amount)) {
      in.Mistake("--planned must be YYYY-MM-DD=AMOUNT_MINOR, not '" + period +
                 "'");
      continue;
    }
    pv1::PlannedAmount* pv = budget->add_planned_values();
    *pv->mutable_date() = in.ParseDate("--planned", period.substr(0, eq));
    pv->set_amount_minor(amount);
    sum += amount;
  }
  budget->set_budget_at_completion_minor(in.Int("bac-minor", sum));
  SetExpectedVersion(in, &req);
  if (!in.ok()) return in.UsageError();
  auto stub = pv1::ProjectsService::NewStub(s.channel());
  pv1::SetBudgetResponse resp;
  if (int rc = s.Call(stub.get(), &pv1::ProjectsService::Stub::SetBudget, req,
                      &resp))
    return rc;
  Table t({"PROJECT_ID", "CURRENCY", "BAC_MINOR", "PERIODS", "VERSION"});
  t.Add({req.project_id(), budget->currency(),
         std::to_string(budget->budget_at_completion_minor()),
         std::to_string(budget->planned_values_size()),
         std::to_string(resp.project().version())});
  s.Print(resp, t);
  return kExitOk;
}

int RecordCost(Session& s, const Invocation& in) {
  pv1::RecordActualCostRequest req;
  req.set_request_id(in.RequestId());
  req.set_project_id(in.Arg(0));
  if (in.Has("date")) *req.mutable_cost_date() = in.Date("date");
  req.set_amount_minor(in.Int("amount-minor"));
  req.set_category(in.Str("category"));
  req.set_description(in.Str("description"));
  SetExpectedVersion(in, &req);
  if (!in.ok()) return in.UsageError();
  auto stub = pv1::ProjectsService::NewStub(s.channel());
  pv1::RecordActualCostResponse resp;
  if (int rc = s.Call(stub.get(), &pv1::ProjectsService::Stub::RecordActualCost,
                      req, &resp)) {
    return rc;
  }
  Table t({"PROJECT_ID", "DATE", "AMOUNT_MINOR", "CATEGORY", "VERSION"});
  t.Add({req.project_id(), FormatDate(req.cost_date()),
         std::to_string(req.amount_minor()), req.category(),
         std::to_string(resp.project().version())});
  s.Print(resp, t);
  return kExitOk;
}

int ReportProgress(Session& s, const Invocation& in) {
  pv1::ReportProgressRequest req;
  req.set_request_id(in.RequestId());
  req.set_project_id(in.Arg(0));
  if (in.Has("date")) *req.mutable_measured_on() = in.Date("date");
  req.set_percent_complete(in.Double("percent"));
  SetExpectedVersion(in, &req);
  if (!in.ok()) return in.UsageError();
  auto stub = pv1::ProjectsService::NewStub(s.channel());
  pv1::ReportProgressResponse resp;
  if (int rc = s.Call(stub.get(), &pv1::ProjectsService::Stub::ReportProgress,
                      req, &resp)) {
    return rc;
  }
  Table t({"PROJECT_ID", "DATE", "PERCENT", "VERSION"});
  t.Add({req.project_id(), FormatDate(req.measured_on()),
         FormatDouble(req.percent_complete(), 1),
         std::to_string(resp.project().version())});
  s.Print(resp, t);
  return kExitOk;
}

std::string Index(bool present, double value) {
  return present ? FormatDouble(value) : "-";
}

int ShowEarnedValue(Session& s, const Invocation& in) {
  pv1::GetEarnedValueRequest req;
  req.set_project_id(in.Arg(0));
  if (in.Has("as-of")) *req.mutable_status_date() = in.Date("as-of");
  if (!in.ok()) return in.UsageError();
  auto stub = pv1::ProjectsService::NewStub(s.channel());
  pv1::GetEarnedValueResponse resp;
  if (int rc = s.Call(stub.get(), &pv1::ProjectsService::Stub::GetEarnedValue,
                      req, &resp)) {
    return rc;
  }
  Table t({"MEASURE", "VALUE"});
  t.Add({"status date", FormatDate(resp.status_date())});
  t.Add({"currency", resp.currency()});
  t.Add({"BAC (minor)", std::to_string(resp.budget_at_completion_minor())});
  t.Add({"PV (minor)", std::to_string(resp.planned_value_minor())});
  t.Add({"EV (minor)", std::to_string(resp.earned_value_minor())});
  t.Add({"AC (minor)", std::to_string(resp.actual_cost_minor())});
  t.Add({"SV (minor)", std::to_string(resp.schedule_variance_minor())});
  t.Add({"CV (minor)", std::to_string(resp.cost_variance_minor())});
  t.Add({"SPI", Index(resp.has_schedule_performance_index(),
                      resp.schedule_performance_index())});
  t.Add({"CPI", Index(resp.has_cost_performance_index(),
                      resp.cost_performance_index())});
  t.Add(
      {"EAC typical (minor)",
       std::to_string(resp.forecast_typical().estimate_at_completion_minor())});
  t.Add({"health",
         EnumLabel(pv1::Health_Name(resp.computed_health()), "HEALTH_")});
  s.Print(resp, t);
  return kExitOk;
}

// Money in minor units as whole units with two decimals, e.g. 2500000 ->
// "25000.00"; the overview mixes no currencies per line.
std::string Money(int64_t minor) {
  const char* sign = minor < 0 ? "-" : "";
  const int64_t abs = minor < 0 ? -minor : minor;
  char cents[3];
  std::snprintf(cents, sizeof cents, "%02d", static_cast<int>(abs % 100));
  return std::string(sign) + std::to_string(abs / 100) + "." + cents;
}

int ShowPortfolioOverview(Session& s, const Invocation& in) {
  jv1::GetPortfolioOverviewRequest req;
  if (in.Has("as-of")) *req.mutable_as_of() = in.Date("as-of");
  req.set_portfolio_id(in.Str("portfolio"));
  req.set_programme_id(in.Str("programme"));
  req.set_sort(in.EnumValue<jv1::OverviewSort>(
      "--sort", in.Str("sort"), "OVERVIEW_SORT_", &jv1::OverviewSort_Parse));
  if (!in.ok()) return in.UsageError();
  auto stub = jv1::PortfolioService::NewStub(s.channel());
  // Status date, roll-ups and freshness come with every page; the first
  // page's are kept and the projects of every page gathered.
  jv1::GetPortfolioOverviewResponse all;
  std::string token;
  bool first = true;
  do {
    req.set_page_size(500);
    req.set_page_token(token);
    jv1::GetPortfolioOverviewResponse page;
    if (int rc = s.Call(stub.get(),
                        &jv1::PortfolioService::Stub::GetPortfolioOverview, req,
                        &page)) {
      return rc;
    }
    token = page.next_page_token();
    if (first) {
      all = page;
      all.clear_projects();
      all.clear_next_page_token();
      first = false;
    }
    for (auto& p : *page.mutable_projects()) *all.add_projects() = std::move(p);
  } while (!token.empty());
  Table t({"CODE", "PROGRAMME", "STATUS", "HEALTH", "SPI", "CPI", "AC", "RISKS",
           "OVERDUE", "EXPOSURE", "ISSUES", "CRS", "COMPLIANCE"});
  for (const auto& p : all.projects()) {
    const auto& ev = p.earned_value();
    t.Add({p.code(), p.programme_code(), StatusLabel(p.status()),
           EnumLabel(pv1::Health_Name(p.health()), "HEALTH_"),
           Index(ev.has_schedule_performance_index(),
                 ev.schedule_performance_index()),
           Index(ev.has_cost_performance_index(), ev.cost_performance_index()),
           Money(ev.actual_cost_minor()), std::to_string(p.open_risks()),
           std::to_string(p.overdue_risks()), Money(p.risk_exposure_minor()),
           std::to_string(p.open_issues()),
           std::to_string(p.open_change_requests()),
           EnumLabel(
               ::pmo::configuration::v1::ComplianceStatus_Name(p.compliance()),
               "COMPLIANCE_STATUS_")});
  }
  s.Print(all, t);
  if (!s.json()) {
    s.out() << "# status date " << FormatDate(all.status_date()) << "\n";
    for (const auto& r : all.programmes()) {
      s.out() << "# programme " << (r.code().empty() ? "(none)" : r.code())
              << ": " << r.projects() << " projects, health "
              << EnumLabel(pv1::Health_Name(r.health()), "HEALTH_")
              << ", exposure " << Money(r.risk_exposure_minor()) << "\n";
    }
  }
  return kExitOk;
}

int ListPortfolioView(Session& s, const Invocation& in) {
  pv1::ProjectStatus status = in.EnumValue<pv1::ProjectStatus>(
      "--status", in.Str("status"), "PROJECT_STATUS_",
      &pv1::ProjectStatus_Parse);
  if (!in.ok()) return in.UsageError();
  auto stub = jv1::PortfolioService::NewStub(s.channel());
  jv1::ListPortfolioProjectsResponse all;
  std::string token;
  do {
    jv1::ListPortfolioProjectsRequest req;
    req.set_page_size(500);
    req.set_page_token(token);
    req.set_status(status);
    jv1::ListPortfolioProjectsResponse page;
    if (int rc = s.Call(stub.get(),
                        &jv1::PortfolioService::Stub::ListPortfolioProjects,
                        req, &page)) {
      return rc;
    }
    for (auto& p : *page.mutable_projects()) *all.add_projects() = std::move(p);
    *all.mutable_freshness() = page.freshness();
    token = page.next_page_token();
  } while (!token.empty());
  Table t({"CODE", "NAME", "MANAGER", "STATUS", "START", "END"});
  for (const auto& p : all.projects()) {
    t.Add({p.code(), p.name(), p.manager(), StatusLabel(p.status()),
           FormatDate(p.planned_start()), FormatDate(p.planned_end())});
  }
  s.Print(all, t);
  if (!s.json()) {
    // How fresh the view is: the event positions it has applied.
    for (const auto& pos : all.freshness().positions()) {
      s.out() << "# as of " << pos.source() << "[" << pos.partition() << "] at "
              << pos.position() << "\n";
    }
  }
  return kExitOk;
}

}  // namespace

void AddProjectCommands(std::vector<Command>* out) {
  const Option version = kExpectedVersion;
  out->push_back(
      {"projects",
       "create",
       {},
       "Register a project (it starts PROPOSED).",
       {{"code", "CODE", "unique project code", true},
        {"name", "NAME", "project name", true},
        {"manager", "WHO", "the project manager's principal", true},
        {"start", "YYYY-MM-DD", "planned start", true},
        {"end", "YYYY-MM-DD", "planned end", true},
        {"sponsor", "WHO", "the executive owning the business case"},
        {"priority", "1-5", "1 highest, 5 lowest (default 3)"},
        {"objective", "TEXT", "what the project is for", false, true}},
       CreateProject});
  out->push_back(
      {"projects", "list", {}, "List every project.", {}, ListProjects});
  out->push_back(
      {"projects", "get", {"PROJECT_ID"}, "Show one project.", {}, GetProject});
  out->push_back(
      {"projects",
       "set-status",
       {"PROJECT_ID", "STATUS"},
       "Move a project along its lifecycle (APPROVED ACTIVE ON_HOLD CLOSED "
       "CANCELLED).",
       {{"reason", "TEXT", "why", true}, version},
       SetProjectStatus});
  out->push_back(
      {"projects",
       "apply-methodology",
       {"PROJECT_ID"},
       "Run a project by a published methodology version (pmoctl "
       "methodologies).",
       {{"methodology", "METHODOLOGY_ID", "the version to apply", true},
        version},
       ApplyMethodology});
  out->push_back(
      {"projects",
       "gate-review",
       {"PROJECT_ID"},
       "Record the review of the current phase's stage gate.",
       {{"decision", "DECISION", "APPROVE, REJECT or APPROVE_WITH_CONDITIONS",
         true},
        {"reviewer", "NAME", "who reviewed it", true},
        {"on", "YYYY-MM-DD", "the review's day", true},
        {"comments", "TEXT", "what the reviewer said"},
        {"condition", "TEXT", "a condition of the approval", false, true},
        version},
       RecordGateReview});
  out->push_back(
      {"projects",
       "report",
       {"PROJECT_ID"},
       "Submit the project manager's status report: health and summary.",
       {{"date", "YYYY-MM-DD", "the report's day", true},
        {"health", "HEALTH", "GREEN, AMBER or RED", true},
        {"summary", "TEXT", "what the project manager reports", true},
        version},
       SubmitStatusReport});
  out->push_back({"projects",
                  "next-phase",
                  {"PROJECT_ID"},
                  "Enter the next phase (after the gate is approved).",
                  {version},
                  EnterNextPhase});
  out->push_back({"tasks",
                  "add",
                  {"PROJECT_ID"},
                  "Add a task or milestone to a project.",
                  {{"name", "NAME", "task name", true},
                   {"duration-days", "N", "calendar days (0 for a milestone)"},
                   {"milestone", "", "a milestone: no duration"},
                   {"not-before", "YYYY-MM-DD", "start constraint"},
                   version},
                  AddTask});
  out->push_back({"tasks",
                  "progress",
                  {"PROJECT_ID", "TASK_ID"},
                  "Record a task's progress.",
                  {{"percent", "0-100", "percent complete", true},
                   {"actual-start", "YYYY-MM-DD", "when it started"},
                   {"actual-finish", "YYYY-MM-DD", "when it finished"},
                   version},
                  RecordTaskProgress});
  out->push_back({"tasks",
                  "schedule",
                  {"PROJECT_ID"},
                  "Show the project's schedule: early and late dates, float, "
                  "critical path.",
                  {},
                  ShowSchedule});
  out->push_back(
      {"tasks",
       "depend",
       {"PROJECT_ID", "TASK_ID"},
       "Make a task wait for another, in this project or another one.",
       {{"after", "TASK_ID", "the predecessor task", true},
        {"after-project", "PROJECT_ID",
         "the predecessor's project (default: this one)"},
        {"type", "TYPE", "FINISH_TO_START (default), START_TO_START, ..."},
        {"lag-days", "N", "days between them (negative: overlap)"},
        version},
       AddDependency});
  out->push_back(
      {"tasks",
       "replan",
       {"PROJECT_ID", "TASK_ID"},
       "Change a task's duration or earliest start; dependants move with it.",
       {{"duration-days", "N", "the new duration", true},
        {"not-before", "YYYY-MM-DD", "earliest start"},
        version},
       ChangeTaskPlan});
  out->push_back({"tasks",
                  "baseline",
                  {"PROJECT_ID"},
                  "Capture the schedule as a named baseline.",
                  {{"name", "TEXT", "e.g. 'Approved plan'", true}, version},
                  CaptureBaseline});
  out->push_back(
      {"tasks",
       "variance",
       {"PROJECT_ID"},
       "Each task's start and finish against a schedule baseline.",
       {{"baseline", "NAME", "the baseline (pmoctl tasks baseline)", true}},
       ShowVariance});
  out->push_back(
      {"budget",
       "set",
       {"PROJECT_ID"},
       "Set or replace the project's time-phased budget.",
       {{"currency", "CODE", "ISO 4217, e.g. EUR", true},
        {"planned", "YYYY-MM-DD=AMOUNT_MINOR",
         "planned value of the period ending on the date", true, true},
        {"bac-minor", "AMOUNT",
         "budget at completion (default: the periods' sum)"},
        version},
       SetBudget});
  out->push_back({"costs",
                  "record",
                  {"PROJECT_ID"},
                  "Record an actual cost incurred.",
                  {{"date", "YYYY-MM-DD", "when it was incurred", true},
                   {"amount-minor", "AMOUNT",
                    "minor units of the budget's currency", true},
                   {"category", "TEXT", "e.g. labour, licences"},
                   {"description", "TEXT", "what it was"},
                   version},
                  RecordCost});
  out->push_back({"ev",
                  "progress",
                  {"PROJECT_ID"},
                  "Report the share of the project's work done on a date.",
                  {{"date", "YYYY-MM-DD", "measured on", true},
                   {"percent", "0-100", "percent complete", true},
                   version},
                  ReportProgress});
  out->push_back(
      {"ev",
       "show",
       {"PROJECT_ID"},
       "Earned value: PV, EV, AC, variances, SPI, CPI, forecast and health.",
       {{"as-of", "YYYY-MM-DD", "status date", true}},
       ShowEarnedValue});
  out->push_back({"portfolio",
                  "list",
                  {},
                  "The consolidated portfolio view (projection service).",
                  {{"status", "STATUS", "only projects in this status"}},
                  ListPortfolioView});
  out->push_back(
      {"portfolio",
       "overview",
       {},
       "Every project with health, SPI, CPI, cost, risks, issues, change "
       "requests and "
       "compliance, rolled up per programme; now or as of a past day.",
       {{"as-of", "YYYY-MM-DD", "the view as it stood at the end of that day"},
        {"portfolio", "ID", "only this portfolio's projects"},
        {"programme", "ID", "only this programme's projects"},
        {"sort", "ORDER",
         "CODE, RISK_EXPOSURE, CPI, SPI, ACTUAL_COST or HEALTH"}},
       ShowPortfolioOverview});
}

}  // namespace pmoctl
