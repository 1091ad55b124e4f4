#include "services/reporting/adapters/projection_views.h"

#include <grpcpp/client_context.h>

#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "libs/base/proto_time.h"
#include "libs/base/status_macros.h"
#include "libs/dates/calendar_dates.h"
#include "libs/grpcserver/call_context.h"
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
  if (e.has_schedule_performance_index())
    p.spi = e.schedule_performance_index();
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

// A ProjectionCall over a stub's blocking method: the service's own calls
// on `stub`, a reader's on `readers_stub` with the reader's token.
template <typename Stub, typename Request, typename Response>
ProjectionCall<Request, Response> OverChannel(
    std::shared_ptr<Stub> stub, std::shared_ptr<Stub> readers_stub,
    grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&,
                                 Response*),
    const std::string& rpc, absl::Duration deadline) {
  return [stub, readers_stub, method, rpc, deadline](
             const Request& request,
             const Reader* reader) -> absl::StatusOr<Response> {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + deadline));
    Stub* via = stub.get();
    if (reader != nullptr) {
      // Never fall back to the service's own sight: a reader without a
      // token would see everything.
      if (reader->bearer_token.empty()) {
        return absl::UnauthenticatedError(
            absl::StrCat("projection ", rpc, ": no bearer token of ",
                         reader->principal.subject, " to forward"));
      }
      context.AddMetadata("authorization", "Bearer " + reader->bearer_token);
      via = readers_stub.get();
    } else {
      context.AddMetadata("x-pmo-principal", "service:reporting");
    }
    Response response;
    const grpc::Status s = (via->*method)(&context, request, &response);
    if (!s.ok()) {
      const absl::Status status = grpcserver::FromGrpcStatus(s);
      // Say where a refusal came from: the projection refusing our request
      // is our bug (or the reader's roles), not a bad report spec.
      return absl::Status(status.code(), absl::StrCat("projection ", rpc, ": ",
                                                      status.message()));
    }
    return response;
  };
}

// The reader as the caller that the handler of an in-process call sees,
// for the length of the call.
class InProcessCaller {
 public:
  InProcessCaller(const grpc::ServerContext& context, const Reader* reader)
      : context_(reader != nullptr ? &context : nullptr) {
    if (context_ == nullptr) return;
    grpcserver::RememberCaller(
        context_,
        grpcserver::CallerPrincipal{.name = reader->principal.subject,
                                    .authenticated = true,
                                    .grants = reader->principal},
        /*authorize=*/true);
  }
  ~InProcessCaller() {
    if (context_ != nullptr) grpcserver::ForgetCaller(context_);
  }
  InProcessCaller(const InProcessCaller&) = delete;
  InProcessCaller& operator=(const InProcessCaller&) = delete;

 private:
  const grpc::ServerContext* context_;
};

// A ProjectionCall straight into a service's handler.
template <typename Service, typename Request, typename Response>
ProjectionCall<Request, Response> InProcess(
    Service& service,
    grpc::Status (Service::*method)(grpc::ServerContext*, const Request*,
                                    Response*)) {
  return [&service, method](const Request& request,
                            const Reader* reader) -> absl::StatusOr<Response> {
    grpc::ServerContext context;
    const InProcessCaller caller(context, reader);
    Response response;
    const grpc::Status s = (service.*method)(&context, &request, &response);
    if (!s.ok()) return grpcserver::FromGrpcStatus(s);
    return response;
  };
}

// "FS", "SS", "FF", "SF"; "" for unspecified.
std::string DependencyTypeCode(pv1::DependencyType type) {
  switch (type) {
    case pv1::DEPENDENCY_TYPE_FINISH_TO_START:
      return "FS";
    case pv1::DEPENDENCY_TYPE_START_TO_START:
      return "SS";
    case pv1::DEPENDENCY_TYPE_FINISH_TO_FINISH:
      return "FF";
    case pv1::DEPENDENCY_TYPE_START_TO_FINISH:
      return "SF";
    default:
      return "";
  }
}

// The heat map's scale: the register gives each rating, not the matrix it
// is on, so 5 x 5 unless some rating is larger.
constexpr int kDefaultMatrixSize = 5;
constexpr int kPageSize = 1000;

}  // namespace

ProjectionCalls ProjectionOverChannel(
    const std::shared_ptr<grpc::Channel>& channel,
    const std::shared_ptr<grpc::Channel>& readers_channel,
    absl::Duration deadline) {
  using Portfolio = jv1::PortfolioService::Stub;
  using Views = jv1::ConsolidatedViewsService::Stub;
  const std::shared_ptr<Portfolio> portfolio =
      jv1::PortfolioService::NewStub(channel);
  const std::shared_ptr<Portfolio> readers_portfolio =
      jv1::PortfolioService::NewStub(readers_channel);
  const std::shared_ptr<Views> views =
      jv1::ConsolidatedViewsService::NewStub(channel);
  const std::shared_ptr<Views> readers_views =
      jv1::ConsolidatedViewsService::NewStub(readers_channel);
  ProjectionCalls calls;
  calls.overview = OverChannel(portfolio, readers_portfolio,
                               &Portfolio::GetPortfolioOverview,
                               "GetPortfolioOverview", deadline);
  calls.resource_load =
      OverChannel(views, readers_views, &Views::GetResourceLoad,
                  "GetResourceLoad", deadline);
  calls.risk_register =
      OverChannel(views, readers_views, &Views::ListRiskRegister,
                  "ListRiskRegister", deadline);
  calls.exposure_history =
      OverChannel(views, readers_views, &Views::GetRiskExposureHistory,
                  "GetRiskExposureHistory", deadline);
  calls.dependency_graph =
      OverChannel(views, readers_views, &Views::GetDependencyGraph,
                  "GetDependencyGraph", deadline);
  return calls;
}

ProjectionCalls ProjectionInProcess(
    jv1::PortfolioService::Service& portfolio,
    jv1::ConsolidatedViewsService::Service& views) {
  using Views = jv1::ConsolidatedViewsService::Service;
  ProjectionCalls calls;
  calls.overview = InProcess(
      portfolio, &jv1::PortfolioService::Service::GetPortfolioOverview);
  calls.resource_load = InProcess(views, &Views::GetResourceLoad);
  calls.risk_register = InProcess(views, &Views::ListRiskRegister);
  calls.exposure_history = InProcess(views, &Views::GetRiskExposureHistory);
  calls.dependency_graph = InProcess(views, &Views::GetDependencyGraph);
  return calls;
}

template <typename Request, typename Response>
absl::StatusOr<Response> ProjectionViews::Ask(
    const ProjectionCall<Request, Response>& call, absl::string_view rpc,
    const Request& request) const {
  if (!call) {
    return absl::UnimplementedError(absl::StrCat(
        "the projection's ", rpc, " is not wired to the reporting service"));
  }
  return call(request, reader_ ? &*reader_ : nullptr);
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
  f.reported_health =
      ShortName(pv1::Health_Name(p.reported_health()), "HEALTH_");
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
  f.compliance = ShortName(cv1::ComplianceStatus_Name(p.compliance()),
                           "COMPLIANCE_STATUS_");
  return f;
}

absl::StatusOr<PortfolioSnapshot> ProjectionViews::Overview(
    const ViewScope& scope, std::optional<absl::CivilDay> as_of) {
  jv1::GetPortfolioOverviewRequest request;
  if (as_of) *request.mutable_as_of() = dates::ToDate(*as_of);
  if (scope.level == ScopeLevel::kPortfolio) request.set_portfolio_id(scope.id);
  if (scope.level == ScopeLevel::kProgramme) request.set_programme_id(scope.id);
  request.set_sort(jv1::OVERVIEW_SORT_CODE);
  request.set_page_size(1000);
  PortfolioSnapshot snapshot;
  bool first = true;
  do {
    ASSIGN_OR_RETURN(jv1::GetPortfolioOverviewResponse page,
                     Ask(calls_.overview, "GetPortfolioOverview", request));
    if (first) {
      snapshot.status_date = dates::Day(page.status_date());
      if (page.freshness().has_last_event_record_time()) {
        snapshot.last_event_recorded =
            FromTimestamp(page.freshness().last_event_record_time());
      }
      snapshot.apply_lag = FromDurationProto(page.freshness().apply_lag());
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
      if (scope.level == ScopeLevel::kProject && p.project_id() != scope.id)
        continue;
      snapshot.projects.push_back(ProjectFiguresOf(p));
    }
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  return snapshot;
}

ResourceLoadRow ResourceLoadRowOf(const jv1::ResourceLoad& r) {
  ResourceLoadRow row;
  row.resource_id = r.resource_id();
  row.name = r.name();
  for (const jv1::WeekLoad& w : r.weeks()) {
    ResourceWeekLoad& week = row.weeks.emplace_back();
    week.capacity_hours = w.capacity_hours();
    week.booked_hours = w.load_hours();
    for (const jv1::ProjectLoadShare& s : w.shares()) {
      week.shares.push_back({s.project_id(), s.project_code(), s.hours()});
    }
  }
  return row;
}

RiskLine RiskLineOf(const jv1::RegisterEntry& e,
                    const std::string& scope_code) {
  RiskLine line;
  line.risk_id = e.id();
  line.title = e.title();
  line.project_code = e.project_code().empty() ? scope_code : e.project_code();
  line.probability = e.probability();
  line.impact = e.impact();
  line.exposure = e.expected_value_minor();
  line.opportunity = e.kind() == jv1::REGISTER_ENTRY_KIND_OPPORTUNITY;
  return line;
}

DependencyLine DependencyLineOf(const jv1::ProjectDependency& d,
                                const std::vector<jv1::SlipImpact>& slips) {
  DependencyLine line;
  line.from_project_code = d.predecessor_project_code();
  line.from_task = d.predecessor_task_id();
  line.to_project_code = d.successor_project_code();
  line.to_task = d.successor_task_id();
  line.type = DependencyTypeCode(d.type());
  line.lag_days = d.lag_days();
  for (const jv1::SlipImpact& slip : slips) {
    if (slip.slipped_project_id() != d.predecessor_project_id() ||
        slip.project_at_risk_id() != d.successor_project_id()) {
      continue;
    }
    bool successor_at_risk = slip.slipped_task_id() == d.predecessor_task_id();
    for (const jv1::TaskAtRisk& t : slip.tasks_at_risk()) {
      successor_at_risk =
          successor_at_risk || t.task_id() == d.successor_task_id();
    }
    line.at_risk = line.at_risk || successor_at_risk;
  }
  return line;
}

struct ProjectionViews::ScopeMembers {
  // Empty for the enterprise: everything is in scope.
  absl::flat_hash_set<std::string> project_ids;
  // Project, programme and portfolio id -> code.
  absl::flat_hash_map<std::string, std::string> codes;
  bool Contains(const ViewScope& scope, const std::string& project_id) const {
    return scope.level == ScopeLevel::kEnterprise ||
           project_ids.contains(project_id);
  }
};

absl::StatusOr<ProjectionViews::ScopeMembers> ProjectionViews::MembersOf(
    const ViewScope& scope, std::optional<absl::CivilDay> as_of) {
  ASSIGN_OR_RETURN(PortfolioSnapshot s, Overview(scope, as_of));
  ScopeMembers m;
  for (const ProjectFigures& p : s.projects) {
    if (scope.level != ScopeLevel::kEnterprise)
      m.project_ids.insert(p.project_id);
    m.codes[p.project_id] = p.code;
    m.codes[p.programme_id] = p.programme_code;
    m.codes[p.portfolio_id] = p.portfolio_code;
  }
  return m;
}

absl::StatusOr<ResourceLoad> ProjectionViews::ResourceLoadByWeek(
    const ViewScope& scope, std::optional<absl::CivilDay> as_of) {
  jv1::GetResourceLoadRequest request;
  if (as_of) *request.mutable_as_of() = dates::ToDate(*as_of);
  if (scope.level == ScopeLevel::kProject) request.set_project_id(scope.id);
  request.set_page_size(kPageSize);
  // A portfolio or programme keeps the resources booked to one of its
  // projects within the weeks (the view filters by one project only).
  std::optional<ScopeMembers> members;
  if (scope.level == ScopeLevel::kPortfolio ||
      scope.level == ScopeLevel::kProgramme) {
    ASSIGN_OR_RETURN(members, MembersOf(scope, as_of));
  }
  ResourceLoad load;
  bool first = true;
  do {
    ASSIGN_OR_RETURN(jv1::GetResourceLoadResponse page,
                     Ask(calls_.resource_load, "GetResourceLoad", request));
    if (first) load.status_date = dates::Day(page.status_date());
    for (const jv1::ResourceLoad& r : page.resources()) {
      if (first && load.week_starts.empty()) {
        for (const jv1::WeekLoad& w : r.weeks())
          load.week_starts.push_back(dates::Day(w.week_start()));
      }
      bool in_scope = !members.has_value();
      for (const jv1::WeekLoad& w : r.weeks()) {
        for (const jv1::ProjectLoadShare& share : w.shares()) {
          in_scope =
              in_scope || members->project_ids.contains(share.project_id());
        }
      }
      if (in_scope) load.resources.push_back(ResourceLoadRowOf(r));
    }
    first = false;
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  return load;
}

absl::StatusOr<RiskRegister> ProjectionViews::Risks(
    const ViewScope& scope, std::optional<absl::CivilDay> as_of) {
  ASSIGN_OR_RETURN(ScopeMembers members, MembersOf(scope, as_of));
  jv1::ListRiskRegisterRequest request;
  if (as_of) *request.mutable_as_of() = dates::ToDate(*as_of);
  if (scope.level == ScopeLevel::kProject) request.set_project_id(scope.id);
  if (scope.level == ScopeLevel::kPortfolio) request.set_portfolio_id(scope.id);
  request.set_page_size(kPageSize);
  RiskRegister risks;
  risks.matrix_size = kDefaultMatrixSize;
  do {
    ASSIGN_OR_RETURN(jv1::ListRiskRegisterResponse page,
                     Ask(calls_.risk_register, "ListRiskRegister", request));
    risks.status_date = dates::Day(page.status_date());
    for (const jv1::RegisterEntry& e : page.entries()) {
      if (!e.open() || e.kind() == jv1::REGISTER_ENTRY_KIND_ISSUE ||
          e.kind() == jv1::REGISTER_ENTRY_KIND_UNSPECIFIED) {
        continue;
      }
      // The register filters by portfolio or project; a programme keeps its
      // own risks and its projects'.
      if (scope.level == ScopeLevel::kProgramme && e.scope_id() != scope.id &&
          !members.project_ids.contains(e.scope_id())) {
        continue;
      }
      const auto code = members.codes.find(e.scope_id());
      risks.open_risks.push_back(RiskLineOf(
          e, code == members.codes.end() ? e.scope_id() : code->second));
      risks.matrix_size =
          std::max({risks.matrix_size, e.probability(), e.impact()});
    }
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());

  jv1::GetRiskExposureHistoryRequest history;
  if (as_of) *history.mutable_as_of() = dates::ToDate(*as_of);
  if (scope.level == ScopeLevel::kProject) history.set_project_id(scope.id);
  if (scope.level == ScopeLevel::kProgramme) history.set_programme_id(scope.id);
  if (scope.level == ScopeLevel::kPortfolio) history.set_portfolio_id(scope.id);
  ASSIGN_OR_RETURN(
      jv1::GetRiskExposureHistoryResponse trend,
      Ask(calls_.exposure_history, "GetRiskExposureHistory", history));
  for (const jv1::ExposurePoint& p : trend.points()) {
    risks.trend.push_back({dates::Day(p.day()), p.risk_exposure_minor(),
                           p.opportunity_value_minor()});
  }
  return risks;
}

absl::StatusOr<DependencyGraph> ProjectionViews::Dependencies(
    const ViewScope& scope, std::optional<absl::CivilDay> as_of) {
  jv1::GetDependencyGraphRequest request;
  if (as_of) *request.mutable_as_of() = dates::ToDate(*as_of);
  if (scope.level == ScopeLevel::kProject) request.set_project_id(scope.id);
  std::optional<ScopeMembers> members;
  if (scope.level == ScopeLevel::kPortfolio ||
      scope.level == ScopeLevel::kProgramme) {
    ASSIGN_OR_RETURN(members, MembersOf(scope, as_of));
  }
  ASSIGN_OR_RETURN(jv1::GetDependencyGraphResponse graph,
                   Ask(calls_.dependency_graph, "GetDependencyGraph", request));
  const std::vector<jv1::SlipImpact> slips(graph.slips().begin(),
                                           graph.slips().end());
  DependencyGraph out;
  out.status_date = dates::Day(graph.status_date());
  for (const jv1::ProjectDependency& d : graph.dependencies()) {
    // A portfolio or programme keeps the links touching one of its projects.
    if (members && !members->project_ids.contains(d.predecessor_project_id()) &&
        !members->project_ids.contains(d.successor_project_id())) {
      continue;
    }
    out.dependencies.push_back(DependencyLineOf(d, slips));
  }
  return out;
}

}  // namespace pmo::reporting
