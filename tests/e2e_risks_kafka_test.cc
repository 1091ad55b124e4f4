// The risk register end to end with a real Kafka broker: pmo-projects and
// pmo-risks as separate processes. The register learns the portfolio
// structure from pmo.projects.events.v1; two projects' risks are combined
// over gRPC; re-assessing one member changes the combined exposure
// (CombinedExposureChanged); the portfolio's own matrix re-rates its risks
// (RiskRerated); a threat that occurs opens an issue (IssueRaised). All of it
// is read back from pmo.risks.events.v1.

#include <signal.h>
#include <sys/wait.h>

#include <map>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/testing/temp_dir.h"
#include "pmo/projects/v1/portfolios_service.grpc.pb.h"
#include "pmo/projects/v1/projects_service.grpc.pb.h"
#include "pmo/risks/v1/events.pb.h"
#include "pmo/risks/v1/risks_service.grpc.pb.h"
#include "tests/support/grpc_testing.h"
#include "tests/support/kafka_broker.h"
#include "tests/support/project_requests.h"
#include "tests/support/service_process.h"

namespace pmo {
namespace {

namespace kv1 = ::pmo::risks::v1;
namespace pv1 = ::pmo::projects::v1;
using testing::ServiceProcess;

TEST(EndToEndRisksKafka,
     CombinedExposureRatingsAndIssuesFollowTheRegisterOnKafka) {
  testing::TempDir dir;
  auto broker = testing::KafkaBroker::Start(dir.File("kafka"));
  ASSERT_TRUE(broker.ok()) << broker.status();
  const std::string bootstrap = (*broker)->bootstrap();
  ServiceProcess projects("pmo-projects",
                          {"--listen", "127.0.0.1:0", "--data_dir",
                           dir.File("projects"), "--kafka_brokers", bootstrap});
  ServiceProcess risks_process(
      "pmo-risks", {"--listen", "127.0.0.1:0", "--data_dir", dir.File("risks"),
                    "--kafka_brokers", bootstrap});
  ASSERT_GT(projects.port, 0);
  ASSERT_GT(risks_process.port, 0);

  // Portfolio CORP -> programme DIGITAL -> projects ERP and CRM.
  auto project_stub =
      pv1::ProjectsService::NewStub(testing::LoopbackChannel(projects.port));
  auto portfolio_stub =
      pv1::PortfoliosService::NewStub(testing::LoopbackChannel(projects.port));
  pv1::CreatePortfolioRequest corp;
  corp.set_request_id("corp");
  corp.set_code("CORP");
  corp.set_name("Corporate");
  pv1::CreatePortfolioResponse portfolio;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(portfolio_stub->CreatePortfolio(&ctx, corp, &portfolio).ok());
  }
  const std::string portfolio_id = portfolio.portfolio().portfolio_id();
  pv1::CreateProgrammeRequest digital;
  digital.set_request_id("digital");
  digital.set_code("DIGITAL");
  digital.set_name("Digital");
  digital.set_portfolio_id(portfolio_id);
  pv1::CreateProgrammeResponse programme;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(
        portfolio_stub->CreateProgramme(&ctx, digital, &programme).ok());
  }
  std::vector<std::string> project_ids;
  for (const char* code : {"ERP", "CRM"}) {
    grpc::ClientContext ctx;
    pv1::CreateProjectResponse created;
    ASSERT_TRUE(
        project_stub
            ->CreateProject(&ctx, testing::NewProjectRequest(code), &created)
            .ok());
    project_ids.push_back(created.project().project_id());
    pv1::AssignProjectToProgrammeRequest assign;
    assign.set_request_id(std::string("assign-") + code);
    assign.set_project_id(project_ids.back());
    assign.set_programme_id(programme.programme().programme_id());
    pv1::AssignProjectToProgrammeResponse assigned;
    grpc::ClientContext ctx2;
    ASSERT_TRUE(
        portfolio_stub->AssignProjectToProgramme(&ctx2, assign, &assigned)
            .ok());
  }

  // ERP: probability 3 (0.5), 10,000 -> EV 5,000. CRM: probability 2
  // (0.3), 20,000 -> EV 6,000. Combined EV 11,000; after ERP's residual
  // (probability 1: 0.1 -> EV 1,000) it is 7,000.
  auto risks =
      kv1::RisksService::NewStub(testing::LoopbackChannel(risks_process.port));
  std::vector<std::string> ids;
  for (auto [project, probability, money] :
       {std::tuple{project_ids[0], 3, 10'000},
        std::tuple{project_ids[1], 2, 20'000}}) {
    kv1::IdentifyRiskRequest identify;
    identify.set_request_id("identify-" + project);
    identify.set_level(kv1::RISK_LEVEL_PROJECT);
    identify.set_scope_id(project);
    identify.set_kind(kv1::RISK_KIND_THREAT);
    identify.set_title("Supplier Acme fails");
    identify.set_category("External/Suppliers");
    identify.set_owner("alice");
    kv1::IdentifyRiskResponse identified;
    grpc::Status s = testing::RetryWhileFailedPrecondition([&] {
      grpc::ClientContext ctx;
      return risks->IdentifyRisk(&ctx, identify, &identified);
    });
    ASSERT_TRUE(s.ok()) << s.error_message();
    ids.push_back(identified.risk().risk_id());
    kv1::AssessRiskRequest assess;
    assess.set_request_id("assess-" + project);
    assess.set_risk_id(ids.back());
    assess.mutable_assessment()->set_probability(probability);
    assess.mutable_assessment()->mutable_impact()->set_cost(3);
    assess.mutable_assessment()->set_cost_impact_minor(money);
    kv1::AssessRiskResponse assessed;
    grpc::ClientContext ctx2;
    ASSERT_TRUE(risks->AssessRisk(&ctx2, assess, &assessed).ok());
  }
  kv1::CombineRisksRequest combine;
  combine.set_request_id("combine-acme");
  combine.set_level(kv1::RISK_LEVEL_PORTFOLIO);
  combine.set_scope_id(portfolio_id);
  combine.set_title("Acme across the portfolio");
  combine.set_category("External/Suppliers");
  combine.set_owner("pmo");
  for (const std::string& id : ids) combine.add_member_risk_ids(id);
  kv1::CombineRisksResponse combined;
  {
    grpc::Status s = testing::RetryWhileFailedPrecondition([&] {
      grpc::ClientContext ctx;
      return risks->CombineRisks(&ctx, combine, &combined);
    });
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  EXPECT_EQ(combined.combined_risk().exposure().expected_value_minor(), 11'000);

  kv1::AssessRiskRequest residual;
  residual.set_request_id("erp-residual");
  residual.set_risk_id(ids[0]);
  residual.set_residual(true);
  residual.mutable_assessment()->set_probability(1);
  residual.mutable_assessment()->mutable_impact()->set_cost(3);
  residual.mutable_assessment()->set_cost_impact_minor(10'000);
  {
    kv1::AssessRiskResponse assessed;
    grpc::ClientContext ctx;
    ASSERT_TRUE(risks->AssessRisk(&ctx, residual, &assessed).ok());
  }

  // The portfolio's own matrix: probability of level 1..5 0.05, 0.2, 0.4,
  // 0.6, 0.8. ERP residual 0.05 x 10,000 = 500; CRM 0.2 x 20,000 = 4,000.
  kv1::ConfigureRiskMatrixRequest configure;
  configure.set_request_id("corp-matrix");
  configure.set_portfolio_id(portfolio_id);
  kv1::RiskMatrix* m = configure.mutable_matrix();
  m->set_probability_levels(5);
  m->set_impact_levels(5);
  for (double p : {0.05, 0.2, 0.4, 0.6, 0.8}) m->add_probability_of_level(p);
  for (auto [name, lo, hi] :
       {std::tuple{"LOW", 1, 4}, std::tuple{"MEDIUM", 5, 9},
        std::tuple{"HIGH", 10, 16}, std::tuple{"CRITICAL", 17, 25}}) {
    kv1::RatingBand* b = m->add_bands();
    b->set_rating(name);
    b->set_min_score(lo);
    b->set_max_score(hi);
  }
  kv1::ConfigureRiskMatrixResponse configured;
  {
    grpc::ClientContext ctx;
    grpc::Status s = risks->ConfigureRiskMatrix(&ctx, configure, &configured);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  EXPECT_EQ(configured.ratings_changed(),
            3);  // ERP inherent and residual, CRM inherent

  // CRM's threat occurs: its issue is opened and linked.
  kv1::ChangeRiskStatusRequest occur;
  occur.set_request_id("crm-occurred");
  occur.set_risk_id(ids[1]);
  occur.set_status(kv1::RISK_STATUS_OCCURRED);
  occur.set_reason("Acme missed the delivery");
  kv1::ChangeRiskStatusResponse occurred;
  {
    grpc::ClientContext ctx;
    grpc::Status s = risks->ChangeRiskStatus(&ctx, occur, &occurred);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  EXPECT_EQ(occurred.risk().issue_id(), occurred.issue().issue_id());

  // identified x2, assessed x2 (+ status x2), combined, joined x2, residual,
  // exposure changed, matrix configured, rerated x3, exposure changed,
  // issue raised, status changed: 18 records.
  auto records = testing::ReadTopic(bootstrap, "pmo.risks.events.v1", 18,
                                    absl::Seconds(60));
  std::multimap<std::string, const testing::KafkaRecord*> by_type;
  for (const auto& r : records) by_type.emplace(r.headers.at("ce_type"), &r);
  auto changes = by_type.equal_range("pmo.risks.v1.CombinedExposureChanged");
  ASSERT_EQ(std::distance(changes.first, changes.second), 2);
  const testing::KafkaRecord* first = changes.first->second;
  EXPECT_EQ(first->key, combined.combined_risk().combined_risk_id());
  EXPECT_EQ(first->headers.at("ce_source"), "/pmo/risks");
  kv1::CombinedExposureChanged event;
  ASSERT_TRUE(event.ParseFromString(first->value));
  EXPECT_EQ(event.member_risk_id(), ids[0]);
  EXPECT_EQ(event.exposure().expected_value_minor(), 7'000);
  EXPECT_NEAR(event.exposure().probability_any(), 0.37, 1e-9);
  ASSERT_TRUE(event.ParseFromString(std::next(changes.first)->second->value));
  EXPECT_EQ(event.exposure().expected_value_minor(), 4'500);
  EXPECT_EQ(event.exposure().matrix_version(), configured.matrix().version());
  EXPECT_EQ(by_type.count("pmo.risks.v1.RiskMatrixConfigured"), 1u);
  EXPECT_EQ(by_type.count("pmo.risks.v1.RiskRerated"), 3u);
  ASSERT_EQ(by_type.count("pmo.risks.v1.IssueRaised"), 1u);
  kv1::IssueRaised issue;
  ASSERT_TRUE(issue.ParseFromString(
      by_type.find("pmo.risks.v1.IssueRaised")->second->value));
  EXPECT_EQ(issue.risk_id(), ids[1]);
  EXPECT_EQ(issue.scope_id(), project_ids[1]);

  for (ServiceProcess* s : {&projects, &risks_process}) {
    EXPECT_EQ(s->StopCleanly(), absl::OkStatus());
  }
}

}  // namespace
}  // namespace pmo
