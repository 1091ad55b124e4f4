#include "services/reporting/app/projection_views.h"

#include <grpcpp/client_context.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "libs/base/status_macros.h"
#include "libs/dates/calendar_dates.h"
#include "libs/grpcserver/status_mapping.h"

namespace pmo::reporting {
namespace {

namespace jv1 = ::pmo::projection::v1;
namespace pv1 = ::pmo::projects::v1;
namespace cv1 = ::pmo::configuration::v1;

// "HEALTH_GREEN" -> "GREEN": the enum's short name; "" for unspecified.
std::string ShortName(const std::string& full, absl::string_view prefix) {
  if (full.empty() || absl::EndsWith(full, "_UNSPECIFIED")) return "";
  return absl::StartsWith(full, prefix) ? full.substr(prefix.size()) : full;
}

EarnedValuePoint EarnedValueOf(const jv1::EarnedValueFigures& e) {
  EarnedValuePoint p;
  p.budget_at_completion = e.budget_at_completion_minor();
  p.planned_value = e.planned_value_minor();
  p.earned_value = e.earned_value_minor();
  p.actual_cost = e.actual_cost_minor();
  if (e.has_schedule_performance_index()) p.spi = e.schedule_performance_index();
  if (e.has_cost_performance_index()) p.cpi = e.cost_performance_index();
  return p;
}

RollUpFigures RollUpOf(const jv1::OverviewRollUp& r) {
  RollUpFigures out;
  out.id = r.id();
  out.code = r.code();
  out.projects = r.projects();
  out.earned_value = EarnedValueOf(r.earned_value());
  out.health = ShortName(pv1::Health_Name(r.health()), "HEALTH_");
  out.open_risks = r.open_risks();
  out.overdue_risks = r.overdue_risks();
  out.risk_exposure = r.risk_exposure_minor();
  out.open_issues = r.open_issues();
  return out;
}

absl::Status NotServedYet(absl::string_view what, absl::string_view rpc) {
  return absl::UnimplementedError(absl::StrCat(
      "the ", what, " report needs the projection's ", rpc, ", which it does not serve yet"));
}

}  // namespace

OverviewCall OverviewOverChannel(std::shared_ptr<grpc::Channel> channel, absl::Duration deadline) {
  std::shared_ptr<jv1::PortfolioService::Stub> stub = jv1::PortfolioService::NewStub(channel);
  return [stub, deadline](const jv1::GetPortfolioOverviewRequest& request)
             -> absl::StatusOr<jv1::GetPortfolioOverviewResponse> {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + deadline));
    context.AddMetadata("x-pmo-principal", "service:reporting");
    jv1::GetPortfolioOverviewResponse response;
    const grpc::Status s = stub->GetPortfolioOverview(&context, request, &response);
    if (!s.ok()) {
      const absl::Status status = grpcserver::FromGrpcStatus(s);
      // The projection refusing our request is our bug, not the caller's:
      // say where it came from.
      return absl::Status(status.code(),
                          absl::StrCat("projection GetPortfolioOverview: ", status.message()));
    }
    return response;
  };
}

ProjectFigures ProjectFiguresOf(const jv1::ProjectOverview& p) {
  ProjectFigures f;
  f.project_id = p.project_id();
  f.code = p.code();
  f.name = p.name();
  f.manager = p.manager();
  f.status = ShortName(pv1::ProjectStatus_Name(p.status()), "PROJECT_STATUS_");
  f.phase = p.phase();
  f.programme_id = p.programme_id();
  f.programme_code = p.programme_code();
  f.portfolio_id = p.portfolio_id();
  f.portfolio_code = p.portfolio_code();
  f.earned_value = EarnedValueOf(p.earned_value());
  f.health = ShortName(pv1::Health_Name(p.health()), "HEALTH_");
  f.reported_health = ShortName(pv1::Health_Name(p.reported_health()), "HEALTH_");
  f.next_milestone = p.next_milestone();
  if (p.has_next_milestone_date()) {
    f.next_milestone_date = dates::ToCivilDay(p.next_milestone_date());
  }
  f.open_risks = p.open_risks();
  f.overdue_risks = p.overdue_risks();
  f.risk_exposure = p.risk_exposure_minor();
  f.opportunity_value = p.opportunity_value_minor();
  f.open_issues = p.open_issues();
  f.resources_booked = p.resources_booked();
  f.over_allocated_resources = p.over_allocated_resources();
  f.open_change_requests = p.open_change_requests();
  f.open_findings = p.open_findings();
  f.compliance = ShortName(cv1::ComplianceStatus_Name(p.compliance()), "COMPLIANCE_STATUS_");
  return f;
}

absl::StatusOr<PortfolioSnapshot> ProjectionViews::Overview(const ViewScope& scope,
                                                            std::optional<absl::CivilDay> as_of) {
  jv1::GetPortfolioOverviewRequest request;
  if (as_of) *request.mutable_as_of() = dates::ToDate(*as_of);
  if (scope.level == ScopeLevel::kPortfolio) request.set_portfolio_id(scope.id);
  if (scope.level == ScopeLevel::kProgramme) request.set_programme_id(scope.id);
  request.set_sort(jv1::OVERVIEW_SORT_CODE);
  request.set_page_size(1000);
  PortfolioSnapshot snapshot;
  bool first = true;
  do {
    ASSIGN_OR_RETURN(jv1::GetPortfolioOverviewResponse page, overview_(request));
    if (first) {
      snapshot.status_date = dates::Day(page.status_date());
      for (const jv1::OverviewRollUp& r : page.programmes()) {
        if (scope.level == ScopeLevel::kProject) continue;  // re-derived below
        snapshot.programmes.push_back(RollUpOf(r));
      }
      for (const jv1::OverviewRollUp& r : page.portfolios()) {
        if (scope.level == ScopeLevel::kProject) continue;
        snapshot.portfolios.push_back(RollUpOf(r));
      }
      first = false;
    }
    for (const jv1::ProjectOverview& p : page.projects()) {
      if (scope.level == ScopeLevel::kProject && p.project_id() != scope.id) continue;
      snapshot.projects.push_back(ProjectFiguresOf(p));
    }
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  return snapshot;
}

absl::StatusOr<ResourceLoad> ProjectionViews::ResourceLoadByWeek(const ViewScope&,
                                                                 std::optional<absl::CivilDay>) {
  return NotServedYet("resource utilisation", "resource load by week (resource x week)");
}

absl::StatusOr<RiskRegister> ProjectionViews::Risks(const ViewScope&,
                                                    std::optional<absl::CivilDay>) {
  return NotServedYet("risk", "risk register with exposure over time");
}

absl::StatusOr<DependencyGraph> ProjectionViews::Dependencies(const ViewScope&,
                                                              std::optional<absl::CivilDay>) {
  return NotServedYet("dependencies", "dependency graph");
}

}  // namespace pmo::reporting
