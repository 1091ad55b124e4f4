// ProjectionViews against hand-built projection answers: the wire messages
// become the report structs, every page is read, and a scope the RPC cannot
// filter by is picked out from the overview's project ids. Then whom the
// projection sees calling: the service, or the reader a view is seen by,
// over a real channel and in-process.

#include "services/reporting/adapters/projection_views.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server_builder.h>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/testing/status_matchers.h"
#include "libs/grpcserver/call_context.h"

namespace pmo::reporting {
namespace {

namespace jv1 = ::pmo::projection::v1;
namespace pv1 = ::pmo::projects::v1;
using ::pmo::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

void SetDate(google::type::Date* d, int y, int m, int day) {
  d->set_year(y);
  d->set_month(m);
  d->set_day(day);
}

// The overview of programme PRG (id pg-1, in portfolio CORP): project ERP.
jv1::GetPortfolioOverviewResponse ProgrammeOverview() {
  jv1::GetPortfolioOverviewResponse r;
  SetDate(r.mutable_status_date(), 2027, 3, 31);
  jv1::ProjectOverview* p = r.add_projects();
  p->set_project_id("p-erp");
  p->set_code("ERP");
  p->set_programme_id("pg-1");
  p->set_programme_code("PRG");
  p->set_portfolio_id("pf-1");
  p->set_portfolio_code("CORP");
  return r;
}

jv1::WeekLoad* AddWeek(jv1::ResourceLoad* r, int month, int day,
                       double capacity, double load,
                       const std::string& project_id) {
  jv1::WeekLoad* w = r->add_weeks();
  SetDate(w->mutable_week_start(), 2027, month, day);
  w->set_capacity_hours(capacity);
  w->set_load_hours(load);
  jv1::ProjectLoadShare* share = w->add_shares();
  share->set_project_id(project_id);
  share->set_hours(load);
  return w;
}

struct Recorded {
  std::vector<jv1::GetPortfolioOverviewRequest> overview;
  std::vector<jv1::GetResourceLoadRequest> load;
  std::vector<jv1::ListRiskRegisterRequest> register_pages;
  std::vector<jv1::GetRiskExposureHistoryRequest> history;
  std::vector<jv1::GetDependencyGraphRequest> graph;
  // Whom each call was made as: the reader's subject, or "service".
  std::vector<std::string> readers;
};

ProjectionCalls HandBuilt(Recorded& asked) {
  ProjectionCalls calls;
  calls.overview = [&asked](const jv1::GetPortfolioOverviewRequest& request,
                            const Reader* reader) {
    asked.readers.push_back(reader ? reader->principal.subject : "service");
    asked.overview.push_back(request);
    return absl::StatusOr<jv1::GetPortfolioOverviewResponse>(
        ProgrammeOverview());
  };
  // Two pages: Alice (booked to ERP, over-allocated in the second week),
  // then Bob (booked only to another programme's project).
  calls.resource_load = [&asked](const jv1::GetResourceLoadRequest& request,
                                 const Reader* reader) {
    asked.readers.push_back(reader ? reader->principal.subject : "service");
    asked.load.push_back(request);
    jv1::GetResourceLoadResponse r;
    SetDate(r.mutable_status_date(), 2027, 3, 31);
    jv1::ResourceLoad* res = r.add_resources();
    if (request.page_token().empty()) {
      res->set_resource_id("r-alice");
      res->set_name("Alice");
      AddWeek(res, 3, 29, 40, 32, "p-erp");
      AddWeek(res, 4, 5, 40, 48, "p-erp");
      r.set_next_page_token("page-2");
    } else {
      res->set_resource_id("r-bob");
      res->set_name("Bob");
      AddWeek(res, 3, 29, 40, 40, "p-other");
      AddWeek(res, 4, 5, 40, 0, "p-other");
    }
    return absl::StatusOr<jv1::GetResourceLoadResponse>(r);
  };
  calls.risk_register = [&asked](const jv1::ListRiskRegisterRequest& request,
                                 const Reader* reader) {
    asked.readers.push_back(reader ? reader->principal.subject : "service");
    asked.register_pages.push_back(request);
    jv1::ListRiskRegisterResponse r;
    SetDate(r.mutable_status_date(), 2027, 3, 31);
    auto add = [&r](const std::string& id, jv1::RegisterEntryKind kind,
                    const std::string& scope, const std::string& code, int p,
                    int i, int64_t ev, bool open) {
      jv1::RegisterEntry* e = r.add_entries();
      e->set_id(id);
      e->set_kind(kind);
      e->set_scope_id(scope);
      e->set_project_code(code);
      e->set_title("Risk " + id);
      e->set_probability(p);
      e->set_impact(i);
      e->set_expected_value_minor(ev);
      e->set_open(open);
    };
    add("t-erp", jv1::REGISTER_ENTRY_KIND_THREAT, "p-erp", "ERP", 3, 4, 12'000,
        true);
    add("o-prg", jv1::REGISTER_ENTRY_KIND_OPPORTUNITY, "pg-1", "", 2, 2, 5'000,
        true);
    add("t-prg", jv1::REGISTER_ENTRY_KIND_THREAT, "pg-1", "", 7, 1, 9'000,
        true);
    add("t-other", jv1::REGISTER_ENTRY_KIND_THREAT, "p-other", "OTH", 5, 5,
        99'000, true);
    add("t-closed", jv1::REGISTER_ENTRY_KIND_THREAT, "p-erp", "ERP", 5, 5,
        77'000, false);
    add("i-erp", jv1::REGISTER_ENTRY_KIND_ISSUE, "p-erp", "ERP", 0, 0, 0, true);
    return absl::StatusOr<jv1::ListRiskRegisterResponse>(r);
  };
  calls.exposure_history =
      [&asked](const jv1::GetRiskExposureHistoryRequest& request,
               const Reader* reader) {
        asked.readers.push_back(reader ? reader->principal.subject : "service");
        asked.history.push_back(request);
        jv1::GetRiskExposureHistoryResponse r;
        SetDate(r.mutable_status_date(), 2027, 3, 31);
        jv1::ExposurePoint* a = r.add_points();
        SetDate(a->mutable_day(), 2027, 3, 24);
        a->set_risk_exposure_minor(10'000);
        jv1::ExposurePoint* b = r.add_points();
        SetDate(b->mutable_day(), 2027, 3, 31);
        b->set_risk_exposure_minor(21'000);
        b->set_opportunity_value_minor(5'000);
        return absl::StatusOr<jv1::GetRiskExposureHistoryResponse>(r);
      };
  // ERP's Design -> CRM's Build (FS + 2, put at risk by Design's slip),
  // OTH's Spec -> CRM's Test (SS).
  calls.dependency_graph = [&asked](
                               const jv1::GetDependencyGraphRequest& request,
                               const Reader* reader) {
    asked.readers.push_back(reader ? reader->principal.subject : "service");
    asked.graph.push_back(request);
    jv1::GetDependencyGraphResponse r;
    SetDate(r.mutable_status_date(), 2027, 3, 31);
    auto add = [&r](const std::string& from, const std::string& from_code,
                    const std::string& task, const std::string& to_task,
                    pv1::DependencyType type, int lag) {
      jv1::ProjectDependency* d = r.add_dependencies();
      d->set_predecessor_project_id(from);
      d->set_predecessor_project_code(from_code);
      d->set_predecessor_task_id(task);
      d->set_successor_project_id("p-crm");
      d->set_successor_project_code("CRM");
      d->set_successor_task_id(to_task);
      d->set_type(type);
      d->set_lag_days(lag);
    };
    add("p-erp", "ERP", "design", "build", pv1::DEPENDENCY_TYPE_FINISH_TO_START,
        2);
    add("p-other", "OTH", "spec", "test", pv1::DEPENDENCY_TYPE_START_TO_START,
        0);
    jv1::SlipImpact* slip = r.add_slips();
    slip->set_slipped_project_id("p-erp");
    slip->set_slipped_task_id("design");
    slip->set_slip_days(5);
    slip->set_project_at_risk_id("p-crm");
    slip->add_tasks_at_risk()->set_task_id("build");
    return absl::StatusOr<jv1::GetDependencyGraphResponse>(r);
  };
  return calls;
}

TEST(ProjectionViews,
     AProgrammesResourceLoadKeepsTheResourcesBookedToItsProjects) {
  Recorded asked;
  ProjectionViews views(HandBuilt(asked));
  auto load = views.ResourceLoadByWeek({ScopeLevel::kProgramme, "pg-1"},
                                       absl::CivilDay(2027, 3, 31));
  ASSERT_TRUE(load.ok()) << load.status();
  ASSERT_EQ(asked.load.size(), 2u);
  EXPECT_EQ(asked.load[0].page_size(), 1000);
  EXPECT_EQ(asked.load[0].as_of().day(), 31);
  EXPECT_EQ(asked.load[0].project_id(), "");
  EXPECT_EQ(asked.load[1].page_token(), "page-2");
  EXPECT_EQ(asked.overview[0].programme_id(), "pg-1");
  EXPECT_EQ(load->status_date, absl::CivilDay(2027, 3, 31));
  EXPECT_THAT(load->week_starts, ElementsAre(absl::CivilDay(2027, 3, 29),
                                             absl::CivilDay(2027, 4, 5)));
  ASSERT_EQ(load->resources.size(), 1u);
  EXPECT_EQ(load->resources[0].name, "Alice");
  ASSERT_EQ(load->resources[0].weeks.size(), 2u);
  EXPECT_EQ(load->resources[0].weeks[1].capacity_hours, 40);
  EXPECT_EQ(load->resources[0].weeks[1].booked_hours, 48);
}

TEST(ProjectionViews, AProjectsResourceLoadIsFilteredByTheProjection) {
  Recorded asked;
  ProjectionViews views(HandBuilt(asked));
  auto load =
      views.ResourceLoadByWeek({ScopeLevel::kProject, "p-erp"}, std::nullopt);
  ASSERT_TRUE(load.ok()) << load.status();
  EXPECT_EQ(asked.load[0].project_id(), "p-erp");
  EXPECT_FALSE(asked.load[0].has_as_of());
  EXPECT_TRUE(asked.overview.empty());
  EXPECT_EQ(load->resources.size(),
            2u);  // the projection filtered; nothing dropped here
}

TEST(ProjectionViews,
     AProgrammesRisksAreItsOwnAndItsProjectsOpenThreatsAndOpportunities) {
  Recorded asked;
  ProjectionViews views(HandBuilt(asked));
  auto risks = views.Risks({ScopeLevel::kProgramme, "pg-1"},
                           absl::CivilDay(2027, 3, 31));
  ASSERT_TRUE(risks.ok()) << risks.status();
  EXPECT_EQ(asked.register_pages[0].project_id(), "");
  EXPECT_EQ(asked.register_pages[0].portfolio_id(), "");
  EXPECT_EQ(asked.history[0].programme_id(), "pg-1");
  EXPECT_EQ(asked.history[0].as_of().day(), 31);
  ASSERT_EQ(risks->open_risks.size(), 3u);
  EXPECT_EQ(risks->open_risks[0].risk_id, "t-erp");
  EXPECT_EQ(risks->open_risks[0].project_code, "ERP");
  EXPECT_EQ(risks->open_risks[0].exposure, 12'000);
  EXPECT_EQ(risks->open_risks[1].project_code,
            "PRG");  // the programme's own code
  EXPECT_TRUE(risks->open_risks[1].opportunity);
  EXPECT_EQ(risks->open_risks[2].probability, 7);
  EXPECT_EQ(risks->matrix_size, 7);  // a rating above 5 widens the heat map
  ASSERT_EQ(risks->trend.size(), 2u);
  EXPECT_EQ(risks->trend[1].day, absl::CivilDay(2027, 3, 31));
  EXPECT_EQ(risks->trend[1].threat_exposure, 21'000);
  EXPECT_EQ(risks->trend[1].opportunity_value, 5'000);
}

TEST(ProjectionViews, APortfolioOrProjectScopeIsAskedOfTheRegister) {
  Recorded asked;
  ProjectionViews views(HandBuilt(asked));
  ASSERT_TRUE(views.Risks({ScopeLevel::kPortfolio, "pf-1"}, std::nullopt).ok());
  ASSERT_TRUE(views.Risks({ScopeLevel::kProject, "p-erp"}, std::nullopt).ok());
  EXPECT_EQ(asked.register_pages[0].portfolio_id(), "pf-1");
  EXPECT_EQ(asked.history[0].portfolio_id(), "pf-1");
  EXPECT_EQ(asked.register_pages[1].project_id(), "p-erp");
  EXPECT_EQ(asked.history[1].project_id(), "p-erp");
}

TEST(ProjectionViews,
     ADependencyIsAtRiskWhenItsPredecessorsSlipReachesTheSuccessor) {
  Recorded asked;
  ProjectionViews views(HandBuilt(asked));
  auto graph = views.Dependencies({ScopeLevel::kProject, "p-crm"},
                                  absl::CivilDay(2027, 3, 31));
  ASSERT_TRUE(graph.ok()) << graph.status();
  EXPECT_EQ(asked.graph[0].project_id(), "p-crm");
  ASSERT_EQ(graph->dependencies.size(), 2u);
  const DependencyLine& erp = graph->dependencies[0];
  EXPECT_EQ(erp.from_project_code, "ERP");
  EXPECT_EQ(erp.from_task, "design");  // the view carries task ids, not names
  EXPECT_EQ(erp.to_project_code, "CRM");
  EXPECT_EQ(erp.type, "FS");
  EXPECT_EQ(erp.lag_days, 2);
  EXPECT_TRUE(erp.at_risk);
  EXPECT_EQ(graph->dependencies[1].type, "SS");
  EXPECT_FALSE(graph->dependencies[1].at_risk);
}

TEST(ProjectionViews, AProgrammesDependenciesAreTheLinksTouchingItsProjects) {
  Recorded asked;
  ProjectionViews views(HandBuilt(asked));
  auto graph =
      views.Dependencies({ScopeLevel::kProgramme, "pg-1"}, std::nullopt);
  ASSERT_TRUE(graph.ok()) << graph.status();
  EXPECT_EQ(asked.graph[0].project_id(), "");
  ASSERT_EQ(graph->dependencies.size(), 1u);
  EXPECT_EQ(graph->dependencies[0].from_project_code, "ERP");
}

TEST(ProjectionViews, TheProjectionsRefusalReachesTheCaller) {
  Recorded asked;
  ProjectionCalls calls = HandBuilt(asked);
  calls.dependency_graph =
      [](const jv1::GetDependencyGraphRequest&,
         const Reader*) -> absl::StatusOr<jv1::GetDependencyGraphResponse> {
    return absl::UnavailableError(
        "projection GetDependencyGraph: connection refused");
  };
  ProjectionViews views(std::move(calls));
  EXPECT_THAT(views.Dependencies({}, std::nullopt),
              StatusIs(absl::StatusCode::kUnavailable,
                       HasSubstr("GetDependencyGraph")));
}

TEST(ProjectionViews, ViewsSeenByAReaderAskEveryCallAsThatReader) {
  Recorded asked;
  ProjectionViews service(HandBuilt(asked));
  ASSERT_TRUE(
      service.Risks({ScopeLevel::kProgramme, "pg-1"}, std::nullopt).ok());
  EXPECT_THAT(asked.readers, ::testing::Each("service"));
  const size_t by_service = asked.readers.size();

  const std::unique_ptr<ProjectionViews> alices = service.SeenBy(
      {"token-of-alice", {"alice", {auth::Role::kProjectManager}, {"p-erp"}}});
  ASSERT_TRUE(
      alices->Risks({ScopeLevel::kProgramme, "pg-1"}, std::nullopt).ok());
  ASSERT_TRUE(alices->ResourceLoadByWeek({}, std::nullopt).ok());
  ASSERT_TRUE(alices->Dependencies({}, std::nullopt).ok());
  ASSERT_GT(asked.readers.size(), by_service);
  EXPECT_THAT(std::vector<std::string>(asked.readers.begin() + by_service,
                                       asked.readers.end()),
              ::testing::Each("alice"));
}

// A projection that records, per call, its caller's headers and the
// principal its handler sees.
class CallerRecordingPortfolio final : public jv1::PortfolioService::Service {
 public:
  struct Call {
    std::string authorization;  // "-" when absent
    std::string principal_header;
    std::string caller;  // grpcserver::CallerOf(context).name
    std::vector<std::string> managed;
  };

  grpc::Status GetPortfolioOverview(
      grpc::ServerContext* context, const jv1::GetPortfolioOverviewRequest*,
      jv1::GetPortfolioOverviewResponse* response) override {
    const auto header = [&](const char* name) {
      const auto it = context->client_metadata().find(name);
      return it == context->client_metadata().end()
                 ? std::string("-")
                 : std::string(it->second.data(), it->second.size());
    };
    const grpcserver::CallerPrincipal caller = grpcserver::CallerOf(*context);
    calls.push_back({header("authorization"), header("x-pmo-principal"),
                     caller.name, caller.grants.managed_projects});
    *response = ProgrammeOverview();
    return grpc::Status::OK;
  }

  std::vector<Call> calls;
};

TEST(ProjectionOverChannel, SendsTheServicesNameOrTheReadersOwnTokenNeverBoth) {
  CallerRecordingPortfolio projection;
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                           &port);
  builder.RegisterService(&projection);
  const std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  ASSERT_GT(port, 0);
  const auto channel = grpc::CreateChannel(absl::StrCat("127.0.0.1:", port),
                                           grpc::InsecureChannelCredentials());
  ProjectionViews service(
      ProjectionOverChannel(channel, channel, absl::Seconds(10)));

  ASSERT_TRUE(service.Overview({}, std::nullopt).ok());
  ASSERT_TRUE(service
                  .SeenBy({"token-of-alice",
                           {"alice", {auth::Role::kProjectManager}, {}}})
                  ->Overview({}, std::nullopt)
                  .ok());
  ASSERT_EQ(projection.calls.size(), 2u);
  EXPECT_EQ(projection.calls[0].authorization, "-");
  EXPECT_EQ(projection.calls[0].principal_header, "service:reporting");
  EXPECT_EQ(projection.calls[1].authorization, "Bearer token-of-alice");
  EXPECT_EQ(projection.calls[1].principal_header, "-");

  // A reader without a token is refused here, not quietly read as the
  // service (which sees everything).
  EXPECT_THAT(service.SeenBy({"", {"bob", {auth::Role::kProjectManager}, {}}})
                  ->Overview({}, std::nullopt),
              StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("bob")));
  EXPECT_EQ(projection.calls.size(), 2u);
  server->Shutdown();
}

TEST(ProjectionInProcess,
     TheHandlerSeesTheReaderAsItsCallerAndTheServiceAsNobody) {
  CallerRecordingPortfolio projection;
  jv1::ConsolidatedViewsService::Service
      views;  // unused: every call UNIMPLEMENTED
  ProjectionViews service(ProjectionInProcess(projection, views));
  ASSERT_TRUE(service.Overview({}, std::nullopt).ok());
  ASSERT_TRUE(
      service.SeenBy({"", {"alice", {auth::Role::kProjectManager}, {"p-erp"}}})
          ->Overview({}, std::nullopt)
          .ok());
  ASSERT_EQ(projection.calls.size(), 2u);
  // Unregistered, as before readers existed: the projection's handlers
  // answer such an in-process call with everything.
  EXPECT_EQ(projection.calls[0].caller, "anonymous");
  EXPECT_EQ(projection.calls[1].caller, "alice");
  EXPECT_THAT(projection.calls[1].managed, ElementsAre("p-erp"));
  EXPECT_EQ(projection.calls[1].authorization,
            "-");  // nothing goes over a wire
}

}  // namespace
}  // namespace pmo::reporting
