// The consolidated overview end to end, twice: every service as its own
// process with a real Kafka broker (pmo-projects, pmo-resources, pmo-risks,
// pmo-projection), then the all-in-one `pmo`. The same scripted portfolio is
// created over gRPC in each; the overview as of 31 March 2027 must show the
// hand-worked numbers, and the two modes must give the same answer.
//
// Portfolio CORP -> programme DIGITAL -> projects ERP and CRM:
//   ERP: budget 100,000 (30,000 planned by 31 Mar, 70,000 by 30 Jun), cost
//        20,000 on 15 Mar, 25 % done on 31 Mar -> PV 30,000, EV 25,000,
//        AC 20,000; a threat p3 x 10,000 -> exposure 5,000.
//   CRM: budget 50,000 (10,000 by 31 Mar), cost 10,000 on 20 Mar, 20 % done
//        -> PV 10,000, EV 10,000, AC 10,000; a threat p2 x 20,000 -> 6,000.
//   Alice booked 60 % to each in the week of 1 March (over-allocated then,
//   so not any more on 31 March).
//   Programme: PV 40,000, EV 35,000, AC 30,000; exposure 11,000.
// The other consolidated views as of the same day: Alice's week of 1 March
// has 40 h of capacity and 48 h of load (24 h each for ERP and CRM), no
// over-allocation from 31 March on; the register has the two threats
// (11,000 together), and the exposure was 11,000 every week of March.

#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <functional>

#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "libs/base/testing/temp_dir.h"
#include "pmo/projection/v1/portfolio_service.grpc.pb.h"
#include "pmo/projection/v1/views_service.grpc.pb.h"
#include "pmo/projects/v1/portfolios_service.grpc.pb.h"
#include "pmo/projects/v1/projects_service.grpc.pb.h"
#include "pmo/resources/v1/resources_service.grpc.pb.h"
#include "pmo/risks/v1/risks_service.grpc.pb.h"
#include "tests/support/grpc_testing.h"
#include "tests/support/kafka_broker.h"
#include "tests/support/project_requests.h"
#include "tests/support/service_process.h"

namespace pmo {
namespace {

namespace pv1 = ::pmo::projects::v1;
namespace rv1 = ::pmo::resources::v1;
namespace kv1 = ::pmo::risks::v1;
namespace jv1 = ::pmo::projection::v1;
using testing::ServiceProcess;

google::type::Date D(int y, int m, int d) {
  google::type::Date out;
  out.set_year(y);
  out.set_month(m);
  out.set_day(d);
  return out;
}

// Retries while the callee does not know the project yet (it learns it from
// the projects events), each call with a context of its own.
grpc::Status UntilKnown(
    const std::function<grpc::Status(grpc::ClientContext*)>& call) {
  return testing::RetryWhileFailedPrecondition([&] {
    grpc::ClientContext ctx;
    return call(&ctx);
  });
}

#define CALL(expr)                                                  \
  do {                                                              \
    grpc::Status s_ =                                               \
        UntilKnown([&](grpc::ClientContext* ctx) { return expr; }); \
    ASSERT_TRUE(s_.ok()) << #expr << ": " << s_.error_message();    \
  } while (0)

struct Ports {
  int projects, resources, risks, projection;
};

void CreatePortfolio(const Ports& ports) {
  auto projects =
      pv1::ProjectsService::NewStub(testing::LoopbackChannel(ports.projects));
  auto portfolios =
      pv1::PortfoliosService::NewStub(testing::LoopbackChannel(ports.projects));
  auto pool =
      rv1::ResourcesService::NewStub(testing::LoopbackChannel(ports.resources));
  auto risks =
      kv1::RisksService::NewStub(testing::LoopbackChannel(ports.risks));

  pv1::CreatePortfolioRequest corp;
  corp.set_request_id("corp");
  corp.set_code("CORP");
  corp.set_name("Corporate");
  pv1::CreatePortfolioResponse portfolio;
  CALL(portfolios->CreatePortfolio(ctx, corp, &portfolio));
  pv1::CreateProgrammeRequest digital;
  digital.set_request_id("digital");
  digital.set_code("DIGITAL");
  digital.set_name("Digital");
  digital.set_portfolio_id(portfolio.portfolio().portfolio_id());
  pv1::CreateProgrammeResponse programme;
  CALL(portfolios->CreateProgramme(ctx, digital, &programme));

  rv1::RegisterResourceRequest alice;
  alice.set_request_id("alice");
  alice.set_name("Alice");
  alice.set_kind(rv1::RESOURCE_KIND_PERSON);
  for (bool working : {true, true, true, true, true, false, false}) {
    alice.mutable_calendar()->add_working_weekdays(working);
  }
  alice.mutable_calendar()->set_hours_per_day(8);
  *alice.mutable_calendar()->mutable_employed_from() = D(2027, 1, 1);
  rv1::RegisterResourceResponse registered;
  CALL(pool->RegisterResource(ctx, alice, &registered));

  struct Plan {
    const char* code;
    int64_t bac, by_march;
    int cost_day;
    int64_t cost;
    double percent;
    int probability;
    int64_t impact_money;
  };
  for (const Plan& p :
       {Plan{"ERP", 100'000, 30'000, 15, 20'000, 25, 3, 10'000},
        Plan{"CRM", 50'000, 10'000, 20, 10'000, 20, 2, 20'000}}) {
    const std::string code = p.code;
    pv1::CreateProjectResponse created;
    CALL(projects->CreateProject(ctx, testing::NewProjectRequest(code),
                                 &created));
    const std::string id = created.project().project_id();
    pv1::AssignProjectToProgrammeRequest assign;
    assign.set_request_id("assign-" + code);
    assign.set_project_id(id);
    assign.set_programme_id(programme.programme().programme_id());
    pv1::AssignProjectToProgrammeResponse assigned;
    CALL(portfolios->AssignProjectToProgramme(ctx, assign, &assigned));
    pv1::SetBudgetRequest budget;
    budget.set_request_id("budget-" + code);
    budget.set_project_id(id);
    budget.mutable_budget()->set_currency("EUR");
    budget.mutable_budget()->set_budget_at_completion_minor(p.bac);
    auto* march = budget.mutable_budget()->add_planned_values();
    *march->mutable_date() = D(2027, 3, 31);
    march->set_amount_minor(p.by_march);
    auto* june = budget.mutable_budget()->add_planned_values();
    *june->mutable_date() = D(2027, 6, 30);
    june->set_amount_minor(p.bac - p.by_march);
    pv1::SetBudgetResponse budgeted;
    CALL(projects->SetBudget(ctx, budget, &budgeted));
    pv1::RecordActualCostRequest cost;
    cost.set_request_id("cost-" + code);
    cost.set_project_id(id);
    *cost.mutable_cost_date() = D(2027, 3, p.cost_day);
    cost.set_amount_minor(p.cost);
    cost.set_category("labour");
    pv1::RecordActualCostResponse costed;
    CALL(projects->RecordActualCost(ctx, cost, &costed));
    pv1::ReportProgressRequest progress;
    progress.set_request_id("progress-" + code);
    progress.set_project_id(id);
    *progress.mutable_measured_on() = D(2027, 3, 31);
    progress.set_percent_complete(p.percent);
    pv1::ReportProgressResponse reported;
    CALL(projects->ReportProgress(ctx, progress, &reported));

    kv1::IdentifyRiskRequest identify;
    identify.set_request_id("risk-" + code);
    identify.set_level(kv1::RISK_LEVEL_PROJECT);
    identify.set_scope_id(id);
    identify.set_kind(kv1::RISK_KIND_THREAT);
    identify.set_title("Supplier Acme fails");
    identify.set_category("External/Suppliers");
    identify.set_owner("alice");
    kv1::IdentifyRiskResponse identified;
    CALL(risks->IdentifyRisk(ctx, identify, &identified));
    kv1::AssessRiskRequest assess;
    assess.set_request_id("assess-" + code);
    assess.set_risk_id(identified.risk().risk_id());
    assess.mutable_assessment()->set_probability(p.probability);
    assess.mutable_assessment()->mutable_impact()->set_cost(2);
    assess.mutable_assessment()->set_cost_impact_minor(p.impact_money);
    kv1::AssessRiskResponse assessed;
    CALL(risks->AssessRisk(ctx, assess, &assessed));

    rv1::AllocateResourceRequest book;
    book.set_request_id("book-" + code);
    book.set_resource_id(registered.resource().resource_id());
    book.set_project_id(id);
    *book.mutable_from() = D(2027, 3, 1);
    *book.mutable_to() = D(2027, 3, 5);
    book.set_unit(rv1::ALLOCATION_UNIT_PERCENT);
    book.set_amount(60);
    rv1::AllocateResourceResponse booked;
    CALL(pool->AllocateResource(ctx, book, &booked));
  }
}

// The overview as of 31 March 2027, once the view has taken in all 2
// projects' risks and bookings (or 90 s have passed).
jv1::GetPortfolioOverviewResponse OverviewAsOfMarch(int projection_port) {
  auto view =
      jv1::PortfolioService::NewStub(testing::LoopbackChannel(projection_port));
  jv1::GetPortfolioOverviewRequest request;
  *request.mutable_as_of() = D(2027, 3, 31);
  jv1::GetPortfolioOverviewResponse response;
  for (const absl::Time deadline = absl::Now() + absl::Seconds(90);;) {
    grpc::ClientContext ctx;
    response.Clear();
    EXPECT_TRUE(view->GetPortfolioOverview(&ctx, request, &response).ok());
    int complete = 0;
    for (const auto& p : response.projects()) {
      complete += p.risk_exposure_minor() > 0 && p.bookings() > 0 &&
                  p.earned_value().earned_value_minor() > 0;
    }
    if (complete == 2 || absl::Now() > deadline) return response;
    absl::SleepFor(absl::Milliseconds(200));
  }
}

void ExpectHandWorkedNumbers(const jv1::GetPortfolioOverviewResponse& o) {
  ASSERT_EQ(o.projects_size(), 2);
  const jv1::ProjectOverview& crm = o.projects(0);  // by code
  const jv1::ProjectOverview& erp = o.projects(1);
  EXPECT_EQ(erp.code(), "ERP");
  EXPECT_EQ(erp.programme_code(), "DIGITAL");
  EXPECT_EQ(erp.portfolio_code(), "CORP");
  EXPECT_EQ(erp.earned_value().planned_value_minor(), 30'000);
  EXPECT_EQ(erp.earned_value().earned_value_minor(), 25'000);
  EXPECT_EQ(erp.earned_value().actual_cost_minor(), 20'000);
  EXPECT_EQ(erp.health(), pv1::HEALTH_RED);  // SPI 0.83
  EXPECT_EQ(erp.risk_exposure_minor(), 5'000);
  EXPECT_EQ(crm.earned_value().earned_value_minor(), 10'000);
  EXPECT_EQ(crm.health(), pv1::HEALTH_GREEN);
  EXPECT_EQ(crm.risk_exposure_minor(), 6'000);
  for (const auto& p : o.projects()) {
    EXPECT_EQ(p.open_risks(), 1);
    EXPECT_EQ(p.bookings(), 1);
    EXPECT_EQ(p.resources_booked(), 1);
    EXPECT_EQ(p.over_allocated_resources(), 0);
  }
  ASSERT_EQ(o.programmes_size(), 1);
  EXPECT_EQ(o.programmes(0).earned_value().planned_value_minor(), 40'000);
  EXPECT_EQ(o.programmes(0).earned_value().earned_value_minor(), 35'000);
  EXPECT_EQ(o.programmes(0).risk_exposure_minor(), 11'000);
  ASSERT_EQ(o.portfolios_size(), 1);
  EXPECT_EQ(o.portfolios(0).code(), "CORP");
}

// The answer without what differs between two deployments: ids and
// freshness.
jv1::GetPortfolioOverviewResponse Comparable(
    jv1::GetPortfolioOverviewResponse o) {
  o.clear_freshness();
  for (auto& p : *o.mutable_projects()) {
    p.clear_project_id();
    p.clear_programme_id();
    p.clear_portfolio_id();
  }
  for (auto* rollups : {o.mutable_programmes(), o.mutable_portfolios()}) {
    for (auto& r : *rollups) r.clear_id();
  }
  return o;
}

// The other views as of 31 March 2027, without what differs between two
// deployments (ids and freshness), as one message per view.
struct Views {
  jv1::GetResourceLoadResponse load;
  jv1::ListRiskRegisterResponse risks;
  jv1::GetRiskExposureHistoryResponse exposure;
};

Views ViewsAsOfMarch(int projection_port) {
  auto views = jv1::ConsolidatedViewsService::NewStub(
      testing::LoopbackChannel(projection_port));
  Views out;
  {
    jv1::GetResourceLoadRequest request;
    *request.mutable_as_of() = D(2027, 3, 31);
    *request.mutable_first_week() = D(2027, 3, 1);
    request.set_weeks(1);
    grpc::ClientContext ctx;
    EXPECT_TRUE(views->GetResourceLoad(&ctx, request, &out.load).ok());
    out.load.clear_freshness();
    for (auto& r : *out.load.mutable_resources()) {
      r.clear_resource_id();
      for (auto& w : *r.mutable_weeks()) {
        for (auto& share : *w.mutable_shares()) share.clear_project_id();
        // By project id, which differs: by code instead.
        std::sort(w.mutable_shares()->begin(), w.mutable_shares()->end(),
                  [](const auto& a, const auto& b) {
                    return a.project_code() < b.project_code();
                  });
      }
    }
  }
  {
    jv1::ListRiskRegisterRequest request;
    *request.mutable_as_of() = D(2027, 3, 31);
    grpc::ClientContext ctx;
    EXPECT_TRUE(views->ListRiskRegister(&ctx, request, &out.risks).ok());
    out.risks.clear_freshness();
    for (auto& e : *out.risks.mutable_entries()) {
      e.clear_id();
      e.clear_scope_id();
    }
    std::sort(out.risks.mutable_entries()->begin(),
              out.risks.mutable_entries()->end(),
              [](const auto& a, const auto& b) {
                return a.project_code() < b.project_code();
              });
  }
  {
    jv1::GetRiskExposureHistoryRequest request;
    *request.mutable_as_of() = D(2027, 3, 31);
    *request.mutable_from() = D(2027, 3, 1);
    grpc::ClientContext ctx;
    EXPECT_TRUE(
        views->GetRiskExposureHistory(&ctx, request, &out.exposure).ok());
    out.exposure.clear_freshness();
  }
  return out;
}

void ExpectHandWorkedViews(const Views& v) {
  ASSERT_EQ(v.load.resources_size(), 1);
  const jv1::ResourceLoad& alice = v.load.resources(0);
  EXPECT_EQ(alice.name(), "Alice");
  ASSERT_EQ(alice.weeks_size(), 1);
  EXPECT_DOUBLE_EQ(alice.weeks(0).capacity_hours(), 40);
  EXPECT_NEAR(alice.weeks(0).load_hours(), 48, 1e-9);
  ASSERT_EQ(alice.weeks(0).shares_size(), 2);
  EXPECT_EQ(alice.weeks(0).shares(0).project_code(), "CRM");
  EXPECT_NEAR(alice.weeks(0).shares(0).hours(), 24, 1e-9);
  EXPECT_EQ(alice.over_allocations_size(), 0);
  ASSERT_EQ(v.risks.entries_size(), 2);
  EXPECT_EQ(v.risks.risk_exposure_minor(), 11'000);
  EXPECT_EQ(v.risks.entries(1).project_code(), "ERP");
  EXPECT_EQ(v.risks.entries(1).expected_value_minor(), 5'000);
  ASSERT_EQ(v.exposure.points_size(), 6);  // 1, 8, 15, 22, 29 and 31 March
  for (const auto& p : v.exposure.points())
    EXPECT_EQ(p.risk_exposure_minor(), 11'000);
}

void ExpectSameViews(const Views& a, const Views& b) {
  google::protobuf::util::MessageDifferencer differ;
  std::string difference;
  differ.ReportDifferencesToString(&difference);
  EXPECT_TRUE(differ.Compare(a.load, b.load)) << difference;
  EXPECT_TRUE(differ.Compare(a.risks, b.risks)) << difference;
  EXPECT_TRUE(differ.Compare(a.exposure, b.exposure)) << difference;
}

void Stop(ServiceProcess& s) { EXPECT_EQ(s.StopCleanly(), absl::OkStatus()); }

TEST(EndToEndConsolidation,
     SeparateServicesOnKafkaAndTheAllInOneGiveTheSameOverviewAndViews) {
  testing::TempDir dir;
  jv1::GetPortfolioOverviewResponse separate, all_in_one;
  Views separate_views, all_in_one_views;
  {
    auto broker = testing::KafkaBroker::Start(dir.File("kafka"));
    ASSERT_TRUE(broker.ok()) << broker.status();
    const std::string bootstrap = (*broker)->bootstrap();
    auto args = [&](const std::string& name) {
      return std::vector<std::string>{"--listen",        "127.0.0.1:0",
                                      "--data_dir",      dir.File(name),
                                      "--kafka_brokers", bootstrap};
    };
    ServiceProcess projects("pmo-projects", args("projects"));
    ServiceProcess resources("pmo-resources", args("resources"));
    ServiceProcess risks("pmo-risks", args("risks"));
    ServiceProcess projection("pmo-projection", args("projection"));
    for (const ServiceProcess* s : {&projects, &resources, &risks, &projection})
      ASSERT_GT(s->port, 0);
    CreatePortfolio(
        {projects.port, resources.port, risks.port, projection.port});
    separate = OverviewAsOfMarch(projection.port);
    ExpectHandWorkedNumbers(separate);
    separate_views = ViewsAsOfMarch(projection.port);
    ExpectHandWorkedViews(separate_views);
    for (ServiceProcess* s : {&projection, &risks, &resources, &projects})
      Stop(*s);
  }
  {
    ServiceProcess pmo("pmo", {"--listen", "127.0.0.1:0", "--data_dir",
                               dir.File("all-in-one")});
    ASSERT_GT(pmo.port, 0);
    CreatePortfolio({pmo.port, pmo.port, pmo.port, pmo.port});
    all_in_one = OverviewAsOfMarch(pmo.port);
    ExpectHandWorkedNumbers(all_in_one);
    all_in_one_views = ViewsAsOfMarch(pmo.port);
    ExpectHandWorkedViews(all_in_one_views);
    Stop(pmo);
  }
  std::string difference;
  google::protobuf::util::MessageDifferencer differ;
  differ.ReportDifferencesToString(&difference);
  EXPECT_TRUE(differ.Compare(Comparable(separate), Comparable(all_in_one)))
      << difference;
  ExpectSameViews(separate_views, all_in_one_views);
}

}  // namespace
}  // namespace pmo
