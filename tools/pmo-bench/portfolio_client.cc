#include "tools/pmo-bench/portfolio_client.h"

#include "absl/strings/str_cat.h"
#include "tools/pmo-bench/rpc_call.h"

namespace pmo::bench {
namespace {

namespace pv1 = ::pmo::projects::v1;
namespace rv1 = ::pmo::resources::v1;
namespace kv1 = ::pmo::risks::v1;

template <typename Request>
void SetExpected(Request& request, std::optional<int64_t> expected_version) {
  if (expected_version) request.set_expected_version(*expected_version);
}

}  // namespace

PortfolioClient::PortfolioClient(const PortfolioChannels& channels,
                                 absl::Duration call_timeout,
                                 const std::string& run_tag, int worker)
    : projects_(pv1::ProjectsService::NewStub(channels.projects)),
      resources_(rv1::ResourcesService::NewStub(channels.resources)),
      risks_(kv1::RisksService::NewStub(channels.risks)),
      timeout_(call_timeout),
      names_(run_tag, worker) {}

Answer PortfolioClient::CreateProject() {
  const pv1::CreateProjectRequest request =
      NewProjectRequest(names_.NextRequestId(), names_.NextProjectCode());
  pv1::CreateProjectResponse response;
  Answer a;
  a.status = CallWithDeadline(timeout_, [&](grpc::ClientContext* c) {
    return projects_->CreateProject(c, request, &response);
  });
  a.id = response.project().project_id();
  a.version = response.project().version();
  return a;
}

Answer PortfolioClient::SetBudget(const std::string& project_id,
                                  std::optional<int64_t> expected_version) {
  pv1::SetBudgetRequest request;
  request.set_request_id(names_.NextRequestId());
  request.set_project_id(project_id);
  SetExpected(request, expected_version);
  pv1::Budget& budget = *request.mutable_budget();
  budget.set_currency("EUR");
  budget.set_budget_at_completion_minor(int64_t{12} * 100'000);
  for (int month = 1; month <= 12; ++month) {
    pv1::PlannedAmount& period = *budget.add_planned_values();
    // Dated at the period's end: the last day of the month.
    *period.mutable_date() =
        DateOf(absl::CivilDay(absl::CivilMonth(2027, month) + 1) - 1);
    period.set_amount_minor(100'000);
  }
  pv1::SetBudgetResponse response;
  Answer a;
  a.status = CallWithDeadline(timeout_, [&](grpc::ClientContext* c) {
    return projects_->SetBudget(c, request, &response);
  });
  a.version = response.project().version();
  return a;
}

Answer PortfolioClient::AddTask(const std::string& project_id,
                                int duration_days,
                                std::optional<int64_t> expected_version) {
  pv1::AddTaskRequest request;
  request.set_request_id(names_.NextRequestId());
  request.set_project_id(project_id);
  request.set_name(absl::StrCat("Work package ", duration_days));
  request.set_duration_days(duration_days);
  SetExpected(request, expected_version);
  pv1::AddTaskResponse response;
  Answer a;
  a.status = CallWithDeadline(timeout_, [&](grpc::ClientContext* c) {
    return projects_->AddTask(c, request, &response);
  });
  a.id = response.task_id();
  a.version = response.project().version();
  return a;
}

Answer PortfolioClient::RecordTaskProgress(const std::string& project_id,
                                           const std::string& task_id,
                                           int percent_complete) {
  pv1::RecordTaskProgressRequest request;
  request.set_request_id(names_.NextRequestId());
  request.set_project_id(project_id);
  request.set_task_id(task_id);
  request.set_percent_complete(percent_complete);
  pv1::RecordTaskProgressResponse response;
  Answer a;
  a.status = CallWithDeadline(timeout_, [&](grpc::ClientContext* c) {
    return projects_->RecordTaskProgress(c, request, &response);
  });
  a.version = response.project().version();
  return a;
}

Answer PortfolioClient::RecordActualCost(
    const std::string& project_id, absl::CivilDay day, int64_t amount_minor,
    std::optional<int64_t> expected_version) {
  pv1::RecordActualCostRequest request;
  request.set_request_id(names_.NextRequestId());
  request.set_project_id(project_id);
  *request.mutable_cost_date() = DateOf(day);
  request.set_amount_minor(amount_minor);
  request.set_category("labour");
  request.set_description("Timesheet week");
  SetExpected(request, expected_version);
  pv1::RecordActualCostResponse response;
  Answer a;
  a.status = CallWithDeadline(timeout_, [&](grpc::ClientContext* c) {
    return projects_->RecordActualCost(c, request, &response);
  });
  a.version = response.project().version();
  return a;
}

Answer PortfolioClient::SubmitStatusReport(const std::string& project_id,
                                           absl::CivilDay day,
                                           pv1::Health health) {
  pv1::SubmitStatusReportRequest request;
  request.set_request_id(names_.NextRequestId());
  request.set_project_id(project_id);
  *request.mutable_report_date() = DateOf(day);
  request.set_health(health);
  request.set_summary("Weekly status: on plan, one supplier late");
  pv1::SubmitStatusReportResponse response;
  Answer a;
  a.status = CallWithDeadline(timeout_, [&](grpc::ClientContext* c) {
    return projects_->SubmitStatusReport(c, request, &response);
  });
  a.version = response.project().version();
  return a;
}

Answer PortfolioClient::GetProject(const std::string& project_id) {
  pv1::GetProjectRequest request;
  request.set_project_id(project_id);
  pv1::GetProjectResponse response;
  Answer a;
  a.status = CallWithDeadline(timeout_, [&](grpc::ClientContext* c) {
    return projects_->GetProject(c, request, &response);
  });
  a.version = response.project().version();
  return a;
}

Answer PortfolioClient::RegisterResource() {
  rv1::RegisterResourceRequest request;
  request.set_request_id(names_.NextRequestId());
  request.set_name(absl::StrCat("Engineer ", request.request_id()));
  request.set_kind(rv1::RESOURCE_KIND_PERSON);
  request.set_organisation_unit("Engineering");
  rv1::Skill& skill = *request.add_skills();
  skill.set_name("C++");
  skill.set_level(4);
  rv1::CostRate& rate = *request.add_cost_rates();
  *rate.mutable_effective_from() = DateOf(absl::CivilDay(2026, 1, 1));
  rate.set_rate_minor_per_hour(9'500);
  rate.set_currency("EUR");
  rv1::WorkingCalendar& calendar = *request.mutable_calendar();
  for (bool working : {true, true, true, true, true, false, false}) {
    calendar.add_working_weekdays(working);
  }
  calendar.set_hours_per_day(8);
  *calendar.mutable_employed_from() = DateOf(absl::CivilDay(2026, 1, 1));
  rv1::RegisterResourceResponse response;
  Answer a;
  a.status = CallWithDeadline(timeout_, [&](grpc::ClientContext* c) {
    return resources_->RegisterResource(c, request, &response);
  });
  a.id = response.resource().resource_id();
  a.version = response.resource().version();
  return a;
}

Answer PortfolioClient::AllocateResource(const std::string& resource_id,
                                         const std::string& project_id,
                                         absl::CivilDay monday,
                                         double percent) {
  rv1::AllocateResourceRequest request;
  request.set_request_id(names_.NextRequestId());
  request.set_resource_id(resource_id);
  request.set_project_id(project_id);
  *request.mutable_from() = DateOf(monday);
  *request.mutable_to() = DateOf(monday + 4);
  request.set_unit(rv1::ALLOCATION_UNIT_PERCENT);
  request.set_amount(percent);
  rv1::AllocateResourceResponse response;
  Answer a;
  a.status = CallWithDeadline(timeout_, [&](grpc::ClientContext* c) {
    return resources_->AllocateResource(c, request, &response);
  });
  a.id = response.allocation_id();
  a.version = response.resource().version();
  return a;
}

Answer PortfolioClient::GetResourceLoad(const std::string& resource_id,
                                        absl::CivilDay from,
                                        absl::CivilDay to) {
  rv1::GetResourceLoadRequest request;
  request.set_resource_id(resource_id);
  *request.mutable_from() = DateOf(from);
  *request.mutable_to() = DateOf(to);
  rv1::GetResourceLoadResponse response;
  Answer a;
  a.status = CallWithDeadline(timeout_, [&](grpc::ClientContext* c) {
    return resources_->GetResourceLoad(c, request, &response);
  });
  return a;
}

Answer PortfolioClient::IdentifyRisk(const std::string& project_id) {
  kv1::IdentifyRiskRequest request;
  request.set_request_id(names_.NextRequestId());
  request.set_level(kv1::RISK_LEVEL_PROJECT);
  request.set_scope_id(project_id);
  request.set_kind(kv1::RISK_KIND_THREAT);
  request.set_title("Key supplier delivers late");
  request.set_cause("Supplier capacity is shared with another customer");
  request.set_event("Hardware arrives after integration starts");
  request.set_effect("Integration testing slips");
  request.set_category("Supply chain");
  request.set_owner("pmo.bench.manager");
  kv1::IdentifyRiskResponse response;
  Answer a;
  a.status = CallWithDeadline(timeout_, [&](grpc::ClientContext* c) {
    return risks_->IdentifyRisk(c, request, &response);
  });
  a.id = response.risk().risk_id();
  a.version = response.risk().version();
  return a;
}

Answer PortfolioClient::AssessRisk(const std::string& risk_id, int probability,
                                   int schedule_impact) {
  kv1::AssessRiskRequest request;
  request.set_request_id(names_.NextRequestId());
  request.set_risk_id(risk_id);
  request.mutable_assessment()->set_probability(probability);
  request.mutable_assessment()->mutable_impact()->set_schedule(schedule_impact);
  request.mutable_assessment()->set_cost_impact_minor(250'000);
  kv1::AssessRiskResponse response;
  Answer a;
  a.status = CallWithDeadline(timeout_, [&](grpc::ClientContext* c) {
    return risks_->AssessRisk(c, request, &response);
  });
  a.version = response.risk().version();
  return a;
}

Answer PortfolioClient::ListRisks(const std::string& project_id) {
  kv1::ListRisksRequest request;
  request.set_scope_id(project_id);
  request.set_page_size(20);
  kv1::ListRisksResponse response;
  Answer a;
  a.status = CallWithDeadline(timeout_, [&](grpc::ClientContext* c) {
    return risks_->ListRisks(c, request, &response);
  });
  return a;
}

}  // namespace pmo::bench
