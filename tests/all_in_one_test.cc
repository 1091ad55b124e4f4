// The all-in-one `pmo` binary as a user runs it: a real process, a real
// data directory, real gRPC on 127.0.0.1.

#include <grpcpp/generic/generic_stub.h>
#include <signal.h>
#include <sys/wait.h>

#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/testing/temp_dir.h"
#include "pmo/configuration/v1/change_control_service.grpc.pb.h"
#include "pmo/configuration/v1/configuration_service.grpc.pb.h"
#include "pmo/configuration/v1/documents_service.grpc.pb.h"
#include "pmo/configuration/v1/library_service.grpc.pb.h"
#include "pmo/configuration/v1/quality_service.grpc.pb.h"
#include "pmo/configuration/v1/tools_service.grpc.pb.h"
#include "pmo/projection/v1/portfolio_service.grpc.pb.h"
#include "pmo/projection/v1/views_service.grpc.pb.h"
#include "pmo/projects/v1/portfolios_service.grpc.pb.h"
#include "pmo/projects/v1/projects_service.grpc.pb.h"
#include "pmo/resources/v1/resources_service.grpc.pb.h"
#include "pmo/risks/v1/risks_service.grpc.pb.h"
#include "tests/support/child_process.h"
#include "tests/support/grpc_testing.h"
#include "tests/support/project_requests.h"

namespace pmo {
namespace {

namespace pv1 = ::pmo::projects::v1;
namespace jv1 = ::pmo::projection::v1;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

class PmoProcess {
 public:
  explicit PmoProcess(const std::string& data_dir, const std::string& listen = "127.0.0.1:0")
      : process_({PMO_BINARY_DIR "/bin/pmo", "--listen", listen, "--data_dir", data_dir}) {}
  int WaitForPort() {
    auto line = process_.WaitForLineStartingWith("pmo listening", absl::Seconds(30));
    return line ? testing::PortFromStartupLine(*line) : 0;
  }
  testing::ChildProcess& process() { return process_; }

 private:
  testing::ChildProcess process_;
};

std::vector<std::string> PortfolioCodes(jv1::PortfolioService::Stub& stub,
                                        jv1::ListPortfolioProjectsResponse* last = nullptr) {
  grpc::ClientContext ctx;
  jv1::ListPortfolioProjectsRequest req;
  jv1::ListPortfolioProjectsResponse resp;
  EXPECT_TRUE(stub.ListPortfolioProjects(&ctx, req, &resp).ok());
  std::vector<std::string> codes;
  for (const auto& p : resp.projects()) codes.push_back(p.code());
  if (last) *last = resp;
  return codes;
}

// Polls the portfolio until it lists `n` projects (the view follows the
// store asynchronously) or 30 s pass.
std::vector<std::string> WaitForPortfolio(jv1::PortfolioService::Stub& stub, size_t n) {
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  std::vector<std::string> codes;
  while (absl::Now() < deadline) {
    codes = PortfolioCodes(stub);
    if (codes.size() >= n) break;
    absl::SleepFor(absl::Milliseconds(20));
  }
  return codes;
}

std::string Digest(jv1::PortfolioService::Stub& stub) {
  grpc::ClientContext ctx;
  jv1::GetPortfolioDigestResponse resp;
  EXPECT_TRUE(stub.GetPortfolioDigest(&ctx, {}, &resp).ok());
  return resp.digest();
}

TEST(AllInOne, CreateListRestartListAgain) {
  testing::TempDir dir;
  std::string project_id, digest;
  {
    PmoProcess pmo(dir.File("data"));
    const int port = pmo.WaitForPort();
    ASSERT_GT(port, 0);
    auto channel = testing::LoopbackChannel(port);
    auto projects = pv1::ProjectsService::NewStub(channel);
    auto portfolio = jv1::PortfolioService::NewStub(channel);
    for (const char* code : {"ERP", "CRM", "HR-2027"}) {
      grpc::ClientContext ctx;
      pv1::CreateProjectResponse resp;
      ASSERT_TRUE(projects->CreateProject(&ctx, testing::NewProjectRequest(code), &resp).ok());
      if (std::string(code) == "CRM") project_id = resp.project().project_id();
    }
    pv1::ChangeProjectStatusRequest approve;
    approve.set_request_id("approve-crm");
    approve.set_project_id(project_id);
    approve.set_status(pv1::PROJECT_STATUS_APPROVED);
    approve.set_reason("portfolio board");
    grpc::ClientContext ctx;
    pv1::ChangeProjectStatusResponse changed;
    ASSERT_TRUE(projects->ChangeProjectStatus(&ctx, approve, &changed).ok());
    EXPECT_EQ(changed.project().version(), 2);

    EXPECT_THAT(WaitForPortfolio(*portfolio, 3), ElementsAre("CRM", "ERP", "HR-2027"));
    // Wait for the status change too, then remember the view's digest.
    for (int i = 0; i < 1500; ++i) {
      jv1::ListPortfolioProjectsResponse resp;
      PortfolioCodes(*portfolio, &resp);
      if (resp.projects(0).status() == pv1::PROJECT_STATUS_APPROVED) break;
      absl::SleepFor(absl::Milliseconds(20));
    }
    digest = Digest(*portfolio);

    pmo.process().Signal(SIGTERM);
    auto status = pmo.process().Wait(absl::Seconds(30));
    ASSERT_TRUE(status.has_value());
    EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << *status;
  }
  PmoProcess again(dir.File("data"));
  const int port = again.WaitForPort();
  ASSERT_GT(port, 0);
  auto channel = testing::LoopbackChannel(port);
  auto projects = pv1::ProjectsService::NewStub(channel);
  auto portfolio = jv1::PortfolioService::NewStub(channel);
  grpc::ClientContext ctx;
  pv1::ListProjectsResponse listed;
  ASSERT_TRUE(projects->ListProjects(&ctx, {}, &listed).ok());
  std::vector<std::string> codes;
  for (const auto& p : listed.projects()) codes.push_back(p.code());
  EXPECT_THAT(codes, ElementsAre("ERP", "CRM", "HR-2027"));  // creation order
  EXPECT_EQ(listed.projects(1).status(), pv1::PROJECT_STATUS_APPROVED);
  jv1::ListPortfolioProjectsResponse view;
  EXPECT_THAT(PortfolioCodes(*portfolio, &view), ElementsAre("CRM", "ERP", "HR-2027"));
  EXPECT_EQ(Digest(*portfolio), digest);
  ASSERT_EQ(view.freshness().positions_size(), 1);
  EXPECT_EQ(view.freshness().positions(0).source(), "store:projects");
  EXPECT_EQ(view.freshness().positions(0).position(), 5);  // next after 4 events
}

class AllInOneApi : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    pmo_ = new PmoProcess(dir_->File("data"));
    port_ = pmo_->WaitForPort();
  }
  static void TearDownTestSuite() {
    delete pmo_;
    delete dir_;
  }
  void SetUp() override {
    ASSERT_GT(port_, 0);
    channel_ = testing::LoopbackChannel(port_);
    projects_ = pv1::ProjectsService::NewStub(channel_);
    portfolio_ = jv1::PortfolioService::NewStub(channel_);
  }
  template <typename Req, typename Resp, typename Fn>
  grpc::Status Call(Fn fn, const Req& req, Resp* resp) {
    grpc::ClientContext ctx;
    return ((*projects_).*fn)(&ctx, req, resp);
  }
  // A new project's id; the configuration service learns it from the
  // projects events a moment later (retry its first command while NOT_FOUND).
  std::string NewProject(const std::string& code) {
    pv1::CreateProjectResponse created;
    grpc::ClientContext ctx;
    grpc::Status s = projects_->CreateProject(&ctx, testing::NewProjectRequest(code), &created);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return created.project().project_id();
  }
  template <typename Call>
  static grpc::Status RetryWhileNotFound(Call rpc) {
    grpc::Status s;
    const absl::Time deadline = absl::Now() + absl::Seconds(30);
    do {
      s = rpc();
      if (s.error_code() == grpc::StatusCode::NOT_FOUND) absl::SleepFor(absl::Milliseconds(100));
    } while (s.error_code() == grpc::StatusCode::NOT_FOUND && absl::Now() < deadline);
    return s;
  }
  static testing::TempDir* dir_;
  static PmoProcess* pmo_;
  static int port_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<pv1::ProjectsService::Stub> projects_;
  std::unique_ptr<jv1::PortfolioService::Stub> portfolio_;
};
testing::TempDir* AllInOneApi::dir_;
PmoProcess* AllInOneApi::pmo_;
int AllInOneApi::port_;

TEST_F(AllInOneApi, EachMalformedRequestNamesItsBadFields) {
  {
    grpc::ClientContext ctx;
    pv1::CreateProjectResponse resp;
    grpc::Status s = projects_->CreateProject(&ctx, {}, &resp);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(testing::BadRequestFields(s),
                UnorderedElementsAre("request_id", "code", "name", "manager",
                                     "planned_start", "planned_end"));
  }
  {
    pv1::CreateProjectRequest bad = testing::NewProjectRequest("OK-CODE");
    bad.mutable_planned_start()->set_month(2);
    bad.mutable_planned_start()->set_day(30);  // 30 February
    bad.set_name(std::string(201, 'n'));
    grpc::ClientContext ctx;
    pv1::CreateProjectResponse resp;
    grpc::Status s = projects_->CreateProject(&ctx, bad, &resp);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(testing::BadRequestFields(s), UnorderedElementsAre("planned_start", "name"));
  }
  {
    pv1::CreateProjectRequest bad = testing::NewProjectRequest("ENDS-EARLY");
    bad.mutable_planned_end()->set_year(2026);
    grpc::ClientContext ctx;
    pv1::CreateProjectResponse resp;
    grpc::Status s = projects_->CreateProject(&ctx, bad, &resp);
    EXPECT_THAT(testing::BadRequestFields(s), ElementsAre("planned_end"));
  }
  {
    grpc::ClientContext ctx;
    pv1::GetProjectRequest req;
    req.set_project_id("not-a-uuid");
    pv1::GetProjectResponse resp;
    grpc::Status s = projects_->GetProject(&ctx, req, &resp);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(testing::BadRequestFields(s), ElementsAre("project_id"));
  }
  {
    grpc::ClientContext ctx;
    pv1::ChangeProjectStatusRequest req;
    req.set_expected_version(-3);
    pv1::ChangeProjectStatusResponse resp;
    grpc::Status s = projects_->ChangeProjectStatus(&ctx, req, &resp);
    EXPECT_THAT(testing::BadRequestFields(s),
                UnorderedElementsAre("request_id", "project_id", "status", "reason",
                                     "expected_version"));
  }
  {
    grpc::ClientContext ctx;
    pv1::ListProjectsRequest req;
    req.set_page_size(-1);
    pv1::ListProjectsResponse resp;
    grpc::Status s = projects_->ListProjects(&ctx, req, &resp);
    EXPECT_THAT(testing::BadRequestFields(s), ElementsAre("page_size"));
  }
  {
    grpc::ClientContext ctx;
    pv1::ListProjectsRequest req;
    req.set_page_token("forged");
    pv1::ListProjectsResponse resp;
    grpc::Status s = projects_->ListProjects(&ctx, req, &resp);
    EXPECT_THAT(testing::BadRequestFields(s), ElementsAre("page_token"));
  }
  {
    grpc::ClientContext ctx;
    jv1::ListPortfolioProjectsRequest req;
    req.set_page_token("forged");
    req.set_status(static_cast<pv1::ProjectStatus>(99));
    jv1::ListPortfolioProjectsResponse resp;
    grpc::Status s = portfolio_->ListPortfolioProjects(&ctx, req, &resp);
    EXPECT_THAT(testing::BadRequestFields(s), UnorderedElementsAre("page_token", "status"));
  }
}

TEST_F(AllInOneApi, BusinessErrorsUseTheContractCodes) {
  pv1::CreateProjectResponse created;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(projects_->CreateProject(&ctx, testing::NewProjectRequest("RULES"), &created).ok());
  }
  {  // The same request again: the first answer, nothing new.
    grpc::ClientContext ctx;
    pv1::CreateProjectResponse retry;
    ASSERT_TRUE(projects_->CreateProject(&ctx, testing::NewProjectRequest("RULES"), &retry).ok());
    EXPECT_EQ(retry.project().project_id(), created.project().project_id());
  }
  {  // Another request for the same code.
    pv1::CreateProjectRequest again = testing::NewProjectRequest("RULES");
    again.set_request_id("another");
    grpc::ClientContext ctx;
    pv1::CreateProjectResponse resp;
    EXPECT_EQ(projects_->CreateProject(&ctx, again, &resp).error_code(),
              grpc::StatusCode::ALREADY_EXISTS);
  }
  {
    grpc::ClientContext ctx;
    pv1::GetProjectRequest req;
    req.set_project_id("00000000-0000-4000-8000-000000000000");
    pv1::GetProjectResponse resp;
    EXPECT_EQ(projects_->GetProject(&ctx, req, &resp).error_code(),
              grpc::StatusCode::NOT_FOUND);
  }
  pv1::ChangeProjectStatusRequest change;
  change.set_project_id(created.project().project_id());
  change.set_reason("why not");
  {  // PROPOSED -> CLOSED skips the lifecycle.
    change.set_request_id("close-early");
    change.set_status(pv1::PROJECT_STATUS_CLOSED);
    grpc::ClientContext ctx;
    pv1::ChangeProjectStatusResponse resp;
    EXPECT_EQ(projects_->ChangeProjectStatus(&ctx, change, &resp).error_code(),
              grpc::StatusCode::FAILED_PRECONDITION);
  }
  {  // A stale expected_version.
    change.set_request_id("stale");
    change.set_status(pv1::PROJECT_STATUS_APPROVED);
    change.set_expected_version(7);
    grpc::ClientContext ctx;
    pv1::ChangeProjectStatusResponse resp;
    grpc::Status s = projects_->ChangeProjectStatus(&ctx, change, &resp);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::ABORTED);
    EXPECT_EQ(testing::ConflictCurrentVersion(s), 1);
  }
}

TEST_F(AllInOneApi, PortfolioRankingScheduleAndEarnedValueOverGrpc) {
  auto portfolios = pv1::PortfoliosService::NewStub(channel_);
  pv1::CreatePortfolioRequest create_pf;
  create_pf.set_request_id("pf-corp");
  create_pf.set_code("CORP");
  create_pf.set_name("Corporate");
  pv1::CreatePortfolioResponse pf;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(portfolios->CreatePortfolio(&ctx, create_pf, &pf).ok());
  }
  pv1::DefineStrategicObjectiveRequest objective;
  objective.set_request_id("obj-growth");
  objective.set_portfolio_id(pf.portfolio().portfolio_id());
  objective.set_name("Growth");
  objective.set_weight(2);
  pv1::DefineStrategicObjectiveResponse growth;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(portfolios->DefineStrategicObjective(&ctx, objective, &growth).ok());
  }
  pv1::CreateProgrammeRequest create_pg;
  create_pg.set_request_id("pg-digital");
  create_pg.set_code("DIGITAL");
  create_pg.set_name("Digital");
  create_pg.set_portfolio_id(pf.portfolio().portfolio_id());
  pv1::CreateProgrammeResponse pg;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(portfolios->CreateProgramme(&ctx, create_pg, &pg).ok());
  }
  std::vector<std::string> ids;
  for (const char* code : {"RANK-A", "RANK-B"}) {
    grpc::ClientContext ctx;
    pv1::CreateProjectResponse created;
    ASSERT_TRUE(projects_->CreateProject(&ctx, testing::NewProjectRequest(code), &created).ok());
    ids.push_back(created.project().project_id());
    pv1::AssignProjectToProgrammeRequest assign;
    assign.set_request_id(std::string("assign-") + code);
    assign.set_project_id(ids.back());
    assign.set_programme_id(pg.programme().programme_id());
    grpc::ClientContext ctx2;
    pv1::AssignProjectToProgrammeResponse assigned;
    ASSERT_TRUE(portfolios->AssignProjectToProgramme(&ctx2, assign, &assigned).ok());
    pv1::ScoreProjectRequest score;
    score.set_request_id(std::string("score-") + code);
    score.set_project_id(ids.back());
    score.set_portfolio_id(pf.portfolio().portfolio_id());
    score.set_objective_id(growth.objective_id());
    score.set_score(code == std::string("RANK-A") ? 4 : 9);
    grpc::ClientContext ctx3;
    pv1::ScoreProjectResponse scored;
    ASSERT_TRUE(portfolios->ScoreProject(&ctx3, score, &scored).ok());
  }
  {
    pv1::RankPortfolioRequest req;
    req.set_portfolio_id(pf.portfolio().portfolio_id());
    grpc::ClientContext ctx;
    pv1::RankPortfolioResponse ranking;
    ASSERT_TRUE(portfolios->RankPortfolio(&ctx, req, &ranking).ok());
    ASSERT_EQ(ranking.projects_size(), 2);
    EXPECT_EQ(ranking.projects(0).code(), "RANK-B");
    EXPECT_DOUBLE_EQ(ranking.projects(0).weighted_score(), 9.0);
  }
  // Budget, a cost and progress, then earned value on a status date.
  pv1::SetBudgetRequest budget;
  budget.set_request_id("budget-a");
  budget.set_project_id(ids[0]);
  budget.mutable_budget()->set_currency("EUR");
  budget.mutable_budget()->set_budget_at_completion_minor(1000000);
  auto* period = budget.mutable_budget()->add_planned_values();
  period->mutable_date()->set_year(2020);
  period->mutable_date()->set_month(1);
  period->mutable_date()->set_day(31);
  period->set_amount_minor(1000000);
  {
    grpc::ClientContext ctx;
    pv1::SetBudgetResponse resp;
    grpc::Status s = projects_->SetBudget(&ctx, budget, &resp);
    ASSERT_TRUE(s.ok()) << s.error_message();
    EXPECT_EQ(resp.project().budget().budget_at_completion_minor(), 1000000);
  }
  {
    pv1::RecordActualCostRequest cost;
    cost.set_request_id("cost-a");
    cost.set_project_id(ids[0]);
    cost.mutable_cost_date()->set_year(2020);
    cost.mutable_cost_date()->set_month(1);
    cost.mutable_cost_date()->set_day(15);
    cost.set_amount_minor(-5);
    cost.set_category("labour");
    grpc::ClientContext ctx;
    pv1::RecordActualCostResponse resp;
    grpc::Status bad = projects_->RecordActualCost(&ctx, cost, &resp);
    EXPECT_THAT(testing::BadRequestFields(bad), ElementsAre("amount_minor"));
    cost.set_amount_minor(500000);
    grpc::ClientContext ctx2;
    ASSERT_TRUE(projects_->RecordActualCost(&ctx2, cost, &resp).ok());
  }
  {
    pv1::ReportProgressRequest progress;
    progress.set_request_id("progress-a");
    progress.set_project_id(ids[0]);
    progress.mutable_measured_on()->set_year(2020);
    progress.mutable_measured_on()->set_month(1);
    progress.mutable_measured_on()->set_day(31);
    progress.set_percent_complete(40);
    grpc::ClientContext ctx;
    pv1::ReportProgressResponse resp;
    ASSERT_TRUE(projects_->ReportProgress(&ctx, progress, &resp).ok());
  }
  {
    // Recorded today, so only a status date from today on sees them.
    const absl::CivilDay today = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()) + 1;
    pv1::GetEarnedValueRequest req;
    req.set_project_id(ids[0]);
    req.mutable_status_date()->set_year(static_cast<int>(today.year()));
    req.mutable_status_date()->set_month(today.month());
    req.mutable_status_date()->set_day(today.day());
    grpc::ClientContext ctx;
    pv1::GetEarnedValueResponse ev;
    grpc::Status s = projects_->GetEarnedValue(&ctx, req, &ev);
    ASSERT_TRUE(s.ok()) << s.error_message();
    EXPECT_EQ(ev.planned_value_minor(), 1000000);
    EXPECT_EQ(ev.earned_value_minor(), 400000);
    EXPECT_EQ(ev.actual_cost_minor(), 500000);
    EXPECT_DOUBLE_EQ(ev.cost_performance_index(), 0.8);
    EXPECT_EQ(ev.computed_health(), pv1::HEALTH_RED);
    EXPECT_EQ(ev.forecast_typical().estimate_at_completion_minor(), 1250000);
  }
}

TEST_F(AllInOneApi, RisksAreRatedOverGrpcAndAnOccurredThreatOpensAnIssue) {
  namespace kv1 = ::pmo::risks::v1;
  pv1::CreateProjectResponse project;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(projects_->CreateProject(&ctx, testing::NewProjectRequest("RISKY"), &project).ok());
  }
  auto risks = kv1::RisksService::NewStub(channel_);
  kv1::IdentifyRiskRequest identify;
  identify.set_request_id("risk-1");
  identify.set_level(kv1::RISK_LEVEL_PROJECT);
  identify.set_scope_id(project.project().project_id());
  identify.set_kind(kv1::RISK_KIND_THREAT);
  identify.set_title("Data migration overruns");
  identify.set_category("Technical");
  identify.set_owner("alice");
  kv1::IdentifyRiskResponse identified;
  {
    // The register learns the project in-process, a moment after it is
    // created: FAILED_PRECONDITION (UNKNOWN_PROJECT) until then.
    grpc::Status s = testing::RetryWhileFailedPrecondition(
        [&] {
          grpc::ClientContext ctx;
          return risks->IdentifyRisk(&ctx, identify, &identified);
        },
        absl::Seconds(30));
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  kv1::AssessRiskRequest assess;
  assess.set_request_id("risk-1-assess");
  assess.set_risk_id(identified.risk().risk_id());
  assess.mutable_assessment()->set_probability(3);
  assess.mutable_assessment()->mutable_impact()->set_schedule(4);
  assess.mutable_assessment()->set_cost_impact_minor(1000);
  kv1::AssessRiskResponse assessed;
  {
    grpc::ClientContext ctx;
    grpc::Status s = risks->AssessRisk(&ctx, assess, &assessed);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  // 3 x 4 = 12: HIGH; EV 0.5 x 1000 = 500.
  EXPECT_EQ(assessed.risk().inherent_rating().score(), 12);
  EXPECT_EQ(assessed.risk().inherent_rating().rating(), "HIGH");
  EXPECT_EQ(assessed.risk().inherent_rating().expected_value_minor(), 500);
  assess.set_request_id("risk-1-bad");
  assess.mutable_assessment()->set_probability(9);
  {
    grpc::ClientContext ctx;
    grpc::Status bad = risks->AssessRisk(&ctx, assess, &assessed);
    EXPECT_THAT(testing::BadRequestFields(bad), ElementsAre("assessment.probability"));
  }

  kv1::GetContingencyReserveRequest reserve;
  reserve.set_level(kv1::RISK_LEVEL_PROJECT);
  reserve.set_scope_id(project.project().project_id());
  kv1::GetContingencyReserveResponse points;
  {
    grpc::ClientContext ctx;
    grpc::Status s = risks->GetContingencyReserve(&ctx, reserve, &points);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  ASSERT_FALSE(points.points().empty());
  EXPECT_EQ(points.points(points.points_size() - 1).threat_expected_value_minor(), 500);

  kv1::ChangeRiskStatusRequest occur;
  occur.set_request_id("risk-1-occurred");
  occur.set_risk_id(identified.risk().risk_id());
  occur.set_status(kv1::RISK_STATUS_OCCURRED);
  occur.set_reason("Cut-over weekend missed");
  kv1::ChangeRiskStatusResponse occurred;
  {
    grpc::ClientContext ctx;
    grpc::Status s = risks->ChangeRiskStatus(&ctx, occur, &occurred);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  EXPECT_EQ(occurred.issue().priority(), kv1::ISSUE_PRIORITY_HIGH);
  EXPECT_EQ(occurred.risk().issue_id(), occurred.issue().issue_id());
  kv1::ResolveIssueRequest resolve;
  resolve.set_request_id("issue-1-resolve");
  resolve.set_issue_id(occurred.issue().issue_id());
  kv1::ResolveIssueResponse resolved;
  {
    grpc::ClientContext ctx;
    grpc::Status missing = risks->ResolveIssue(&ctx, resolve, &resolved);
    EXPECT_THAT(testing::BadRequestFields(missing), ElementsAre("resolution"));
  }
  resolve.set_resolution("Second cut-over the next weekend");
  {
    grpc::ClientContext ctx;
    grpc::Status s = risks->ResolveIssue(&ctx, resolve, &resolved);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  EXPECT_EQ(resolved.issue().status(), kv1::ISSUE_STATUS_RESOLVED);
}

TEST_F(AllInOneApi, TheOverviewConsolidatesProjectsAndRisksNowAndAsOfADay) {
  namespace kv1 = ::pmo::risks::v1;
  namespace jv1 = ::pmo::projection::v1;
  pv1::CreateProjectResponse project;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(projects_->CreateProject(&ctx, testing::NewProjectRequest("OVERVIEW"), &project).ok());
  }
  const std::string id = project.project().project_id();
  auto risks = kv1::RisksService::NewStub(channel_);
  kv1::IdentifyRiskRequest identify;
  identify.set_request_id("overview-risk");
  identify.set_level(kv1::RISK_LEVEL_PROJECT);
  identify.set_scope_id(id);
  identify.set_kind(kv1::RISK_KIND_THREAT);
  identify.set_title("Vendor late");
  identify.set_category("External");
  identify.set_owner("alice");
  kv1::IdentifyRiskResponse identified;
  grpc::Status s = testing::RetryWhileFailedPrecondition(
      [&] {
        grpc::ClientContext ctx;
        return risks->IdentifyRisk(&ctx, identify, &identified);
      },
      absl::Seconds(30));
  ASSERT_TRUE(s.ok()) << s.error_message();
  kv1::AssessRiskRequest assess;
  assess.set_request_id("overview-risk-assess");
  assess.set_risk_id(identified.risk().risk_id());
  assess.mutable_assessment()->set_probability(3);  // 0.5 x 8,000 = 4,000
  assess.mutable_assessment()->mutable_impact()->set_cost(2);
  assess.mutable_assessment()->set_cost_impact_minor(8'000);
  kv1::AssessRiskResponse assessed;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(risks->AssessRisk(&ctx, assess, &assessed).ok());
  }

  // The view takes the risk in a moment later.
  auto view = jv1::PortfolioService::NewStub(channel_);
  jv1::GetPortfolioOverviewRequest request;
  request.set_sort(jv1::OVERVIEW_SORT_RISK_EXPOSURE);
  jv1::GetPortfolioOverviewResponse overview;
  for (const absl::Time deadline = absl::Now() + absl::Seconds(30);;) {
    grpc::ClientContext ctx;
    overview.Clear();
    ASSERT_TRUE(view->GetPortfolioOverview(&ctx, request, &overview).ok());
    if ((overview.projects_size() > 0 && overview.projects(0).risk_exposure_minor() > 0) ||
        absl::Now() > deadline) {
      break;
    }
    absl::SleepFor(absl::Milliseconds(50));
  }
  ASSERT_GT(overview.projects_size(), 0);
  EXPECT_EQ(overview.projects(0).project_id(), id);  // the highest exposure first
  EXPECT_EQ(overview.projects(0).risk_exposure_minor(), 4'000);
  EXPECT_EQ(overview.projects(0).open_risks(), 1);
  EXPECT_FALSE(overview.freshness().positions().empty());

  // As of a day before any of it happened: nothing.
  request.mutable_as_of()->set_year(2020);
  request.mutable_as_of()->set_month(1);
  request.mutable_as_of()->set_day(1);
  {
    grpc::ClientContext ctx;
    jv1::GetPortfolioOverviewResponse then;
    ASSERT_TRUE(view->GetPortfolioOverview(&ctx, request, &then).ok());
    EXPECT_EQ(then.total_projects(), 0);
  }
  request.mutable_as_of()->set_month(13);
  {
    grpc::ClientContext ctx;
    jv1::GetPortfolioOverviewResponse bad;
    grpc::Status invalid = view->GetPortfolioOverview(&ctx, request, &bad);
    EXPECT_THAT(testing::BadRequestFields(invalid), ElementsAre("as_of"));
  }
}

// The consolidated views beside the overview, over gRPC: resource load by
// week with each project's share, the risk register, field errors, and a
// rebuild switched in with the live view's digest.
TEST_F(AllInOneApi, TheConsolidatedViewsShowLoadAndRisksAndRebuildToTheSameDigest) {
  namespace kv1 = ::pmo::risks::v1;
  namespace rv1 = ::pmo::resources::v1;
  pv1::CreateProjectResponse project;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(projects_->CreateProject(&ctx, testing::NewProjectRequest("VIEWS"), &project).ok());
  }
  const std::string id = project.project().project_id();
  auto pool = rv1::ResourcesService::NewStub(channel_);
  rv1::RegisterResourceRequest carol;
  carol.set_request_id("views-carol");
  carol.set_name("Carol");
  carol.set_kind(rv1::RESOURCE_KIND_PERSON);
  for (bool working : {true, true, true, true, true, false, false}) {
    carol.mutable_calendar()->add_working_weekdays(working);
  }
  carol.mutable_calendar()->set_hours_per_day(8);
  carol.mutable_calendar()->mutable_employed_from()->set_year(2027);
  carol.mutable_calendar()->mutable_employed_from()->set_month(1);
  carol.mutable_calendar()->mutable_employed_from()->set_day(1);
  rv1::RegisterResourceResponse registered;
  {
    grpc::ClientContext ctx;
    grpc::Status s = pool->RegisterResource(&ctx, carol, &registered);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  rv1::AllocateResourceRequest book;  // 6 h a day, Monday 1 to Friday 5 March 2027
  book.set_request_id("views-book");
  book.set_resource_id(registered.resource().resource_id());
  book.set_project_id(id);
  book.mutable_from()->set_year(2027);
  book.mutable_from()->set_month(3);
  book.mutable_from()->set_day(1);
  *book.mutable_to() = book.from();
  book.mutable_to()->set_day(5);
  book.set_unit(rv1::ALLOCATION_UNIT_HOURS_PER_DAY);
  book.set_amount(6);
  rv1::AllocateResourceResponse booked;
  grpc::Status s = testing::RetryWhileFailedPrecondition(
      [&] {
        grpc::ClientContext ctx;
        return pool->AllocateResource(&ctx, book, &booked);
      },
      absl::Seconds(30));
  ASSERT_TRUE(s.ok()) << s.error_message();
  auto risks = kv1::RisksService::NewStub(channel_);
  kv1::IdentifyRiskRequest identify;
  identify.set_request_id("views-risk");
  identify.set_level(kv1::RISK_LEVEL_PROJECT);
  identify.set_scope_id(id);
  identify.set_kind(kv1::RISK_KIND_OPPORTUNITY);
  identify.set_title("Reuse the CRM connector");
  identify.set_category("Technical");
  identify.set_owner("carol");
  kv1::IdentifyRiskResponse identified;
  s = testing::RetryWhileFailedPrecondition(
      [&] {
        grpc::ClientContext ctx;
        return risks->IdentifyRisk(&ctx, identify, &identified);
      },
      absl::Seconds(30));
  ASSERT_TRUE(s.ok()) << s.error_message();

  auto views = jv1::ConsolidatedViewsService::NewStub(channel_);
  jv1::GetResourceLoadRequest load_request;
  load_request.set_resource_id(registered.resource().resource_id());
  *load_request.mutable_first_week() = book.from();
  load_request.set_weeks(1);
  jv1::GetResourceLoadResponse load;
  jv1::ListRiskRegisterRequest register_request;
  register_request.set_project_id(id);
  jv1::ListRiskRegisterResponse entries;
  for (const absl::Time deadline = absl::Now() + absl::Seconds(30);;) {
    grpc::ClientContext load_ctx, register_ctx;
    load.Clear();
    entries.Clear();
    ASSERT_TRUE(views->GetResourceLoad(&load_ctx, load_request, &load).ok());
    ASSERT_TRUE(views->ListRiskRegister(&register_ctx, register_request, &entries).ok());
    const bool loaded = load.resources_size() == 1 && load.resources(0).weeks(0).load_hours() > 0;
    if ((loaded && entries.entries_size() == 1) || absl::Now() > deadline) break;
    absl::SleepFor(absl::Milliseconds(50));
  }
  ASSERT_EQ(load.resources_size(), 1);
  ASSERT_EQ(load.resources(0).weeks_size(), 1);
  EXPECT_DOUBLE_EQ(load.resources(0).weeks(0).capacity_hours(), 40);
  EXPECT_DOUBLE_EQ(load.resources(0).weeks(0).load_hours(), 30);
  ASSERT_EQ(load.resources(0).weeks(0).shares_size(), 1);
  EXPECT_EQ(load.resources(0).weeks(0).shares(0).project_code(), "VIEWS");
  EXPECT_FALSE(load.freshness().positions().empty());
  // Stored, then applied in process a moment later: a small positive lag.
  const int64_t lag_ns =
      load.freshness().apply_lag().seconds() * 1'000'000'000 + load.freshness().apply_lag().nanos();
  EXPECT_GT(lag_ns, 0);
  EXPECT_LT(lag_ns, 30'000'000'000);
  ASSERT_EQ(entries.entries_size(), 1);
  EXPECT_EQ(entries.entries(0).kind(), jv1::REGISTER_ENTRY_KIND_OPPORTUNITY);
  EXPECT_EQ(entries.entries(0).title(), "Reuse the CRM connector");
  EXPECT_EQ(entries.entries(0).project_code(), "VIEWS");

  load_request.set_weeks(54);
  load_request.set_page_token("not-ours");
  {
    grpc::ClientContext ctx;
    grpc::Status invalid = views->GetResourceLoad(&ctx, load_request, &load);
    EXPECT_THAT(testing::BadRequestFields(invalid), UnorderedElementsAre("weeks", "page_token"));
  }

  auto portfolio = jv1::PortfolioService::NewStub(channel_);
  const std::string before = Digest(*portfolio);
  {
    grpc::ClientContext ctx;
    jv1::StartViewRebuildResponse started;
    ASSERT_TRUE(views->StartViewRebuild(&ctx, {}, &started).ok());
  }
  jv1::GetViewRebuildResponse rebuild;
  for (const absl::Time deadline = absl::Now() + absl::Seconds(30);;) {
    grpc::ClientContext ctx;
    ASSERT_TRUE(views->GetViewRebuild(&ctx, {}, &rebuild).ok());
    if (rebuild.rebuild().phase() != jv1::VIEW_REBUILD_PHASE_RUNNING || absl::Now() > deadline) break;
    absl::SleepFor(absl::Milliseconds(20));
  }
  EXPECT_EQ(rebuild.rebuild().phase(), jv1::VIEW_REBUILD_PHASE_SWITCHED) << rebuild.rebuild().error();
  EXPECT_TRUE(rebuild.rebuild().digests_equal());
  EXPECT_GT(rebuild.rebuild().events_folded(), 0);
  // No topics in process: the view's journal (pmo-projection reads the
  // topics, e2e_rebuild_kafka_test).
  EXPECT_EQ(rebuild.rebuild().source(), jv1::VIEW_REBUILD_SOURCE_JOURNAL);
  EXPECT_EQ(Digest(*portfolio), before);
}

TEST_F(AllInOneApi, AMethodologyPublishedInTheLibraryStartsAProjectInProcess) {
  namespace cv1 = ::pmo::configuration::v1;
  auto library = cv1::LibraryService::NewStub(channel_);
  cv1::PublishMethodologyVersionRequest publish;
  publish.set_request_id("publish-prince2");
  publish.set_name("PRINCE2");
  publish.set_version("7");
  for (const char* name : {"Starting up", "Initiating", "Delivering"}) {
    cv1::MethodologyPhase* phase = publish.add_phases();
    phase->set_name(name);
    phase->mutable_gate()->set_name(std::string(name) + " gate");
    phase->mutable_gate()->add_criteria("Board approves");
  }
  cv1::PublishMethodologyVersionResponse published;
  {
    grpc::ClientContext ctx;
    grpc::Status s = library->PublishMethodologyVersion(&ctx, publish, &published);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  pv1::CreateProjectResponse created;
  ASSERT_TRUE(Call(&pv1::ProjectsService::Stub::CreateProject,
                   testing::NewProjectRequest("PRINCE"), &created)
                  .ok());
  pv1::ApplyMethodologyRequest apply;
  apply.set_request_id("apply-prince2");
  apply.set_project_id(created.project().project_id());
  apply.set_methodology_id(published.methodology().methodology_id());
  pv1::ApplyMethodologyResponse applied;
  // Delivered in-process, asynchronously: NOT_FOUND until it arrives.
  grpc::Status s;
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  do {
    s = Call(&pv1::ProjectsService::Stub::ApplyMethodology, apply, &applied);
    if (s.error_code() != grpc::StatusCode::NOT_FOUND) break;
    absl::SleepFor(absl::Milliseconds(20));
  } while (absl::Now() < deadline);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(applied.project().methodology().name(), "PRINCE2");
  EXPECT_EQ(applied.project().methodology().phases_size(), 3);
}

TEST_F(AllInOneApi, AWithdrawnMethodologyVersionStartsNoNewProject) {
  namespace cv1 = ::pmo::configuration::v1;
  auto library = cv1::LibraryService::NewStub(channel_);
  auto publish = [&](const std::string& version) {
    cv1::PublishMethodologyVersionRequest request;
    request.set_request_id("publish-scrum-" + version);
    request.set_name("Scrum");
    request.set_version(version);
    cv1::MethodologyPhase* phase = request.add_phases();
    phase->set_name("Sprint");
    phase->mutable_gate()->set_name("Review");
    grpc::ClientContext ctx;
    cv1::PublishMethodologyVersionResponse published;
    grpc::Status s = library->PublishMethodologyVersion(&ctx, request, &published);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return published.methodology().methodology_id();
  };
  const std::string old_id = publish("1");
  {
    cv1::WithdrawMethodologyVersionRequest withdraw;
    withdraw.set_request_id("withdraw-scrum-1");
    withdraw.set_methodology_id(old_id);
    withdraw.set_reason("replaced by 2");
    grpc::ClientContext ctx;
    cv1::WithdrawMethodologyVersionResponse withdrawn;
    ASSERT_TRUE(library->WithdrawMethodologyVersion(&ctx, withdraw, &withdrawn).ok());
  }
  // Published after the withdrawal: once the projects service knows it, it
  // has taken in the withdrawal too (the feed keeps store order).
  const std::string new_id = publish("2");
  pv1::CreateProjectResponse created;
  ASSERT_TRUE(Call(&pv1::ProjectsService::Stub::CreateProject,
                   testing::NewProjectRequest("SCRUM"), &created)
                  .ok());
  pv1::ApplyMethodologyRequest apply;
  apply.set_request_id("apply-scrum-2");
  apply.set_project_id(created.project().project_id());
  apply.set_methodology_id(new_id);
  pv1::ApplyMethodologyResponse applied;
  grpc::Status s;
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  // Wait for version 2, then version 1 is refused with the rule.
  do {
    s = Call(&pv1::ProjectsService::Stub::ApplyMethodology, apply, &applied);
    if (s.error_code() != grpc::StatusCode::NOT_FOUND) break;
    absl::SleepFor(absl::Milliseconds(20));
  } while (absl::Now() < deadline);
  ASSERT_TRUE(s.ok()) << s.error_message();
  pv1::CreateProjectResponse other;
  ASSERT_TRUE(Call(&pv1::ProjectsService::Stub::CreateProject,
                   testing::NewProjectRequest("SCRUM-OLD"), &other)
                  .ok());
  apply.set_request_id("apply-scrum-1");
  apply.set_project_id(other.project().project_id());
  apply.set_methodology_id(old_id);
  s = Call(&pv1::ProjectsService::Stub::ApplyMethodology, apply, &applied);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << s.error_message();
  EXPECT_THAT(testing::PreconditionRules(s), ElementsAre("METHODOLOGY_WITHDRAWN"));
}

TEST_F(AllInOneApi, ConfigurationChangeControlOverGrpc) {
  namespace cv1 = ::pmo::configuration::v1;
  auto items = cv1::ConfigurationService::NewStub(channel_);
  auto changes = cv1::ChangeControlService::NewStub(channel_);
  {  // An unknown project is NOT_FOUND, naming the field.
    cv1::RegisterConfigurationItemRequest ghost;
    ghost.set_request_id("ci-ghost");
    ghost.set_project_id("ghost");
    ghost.set_type(cv1::ITEM_TYPE_DESIGN);
    ghost.set_identifier("DES-1");
    ghost.set_title("t");
    ghost.set_owner("bob");
    grpc::ClientContext ctx;
    cv1::RegisterConfigurationItemResponse refused;
    grpc::Status s = items->RegisterConfigurationItem(&ctx, ghost, &refused);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
    EXPECT_THAT(s.error_message(), HasSubstr("project_id: no project ghost"));
  }
  const std::string erp = NewProject("CFGERP");
  cv1::RegisterConfigurationItemRequest item;
  item.set_request_id("ci-1");
  item.set_project_id(erp);
  item.set_type(cv1::ITEM_TYPE_DESIGN);
  item.set_identifier("DES-1");
  item.set_title("Invoice batch design");
  item.set_owner("bob");
  cv1::RegisterConfigurationItemResponse registered;
  {
    grpc::Status s = RetryWhileNotFound([&] {
      grpc::ClientContext ctx;
      return items->RegisterConfigurationItem(&ctx, item, &registered);
    });
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  {
    grpc::ClientContext ctx;
    cv1::RegisterConfigurationItemResponse again;
    item.set_request_id("ci-1-dup");
    EXPECT_EQ(items->RegisterConfigurationItem(&ctx, item, &again).error_code(),
              grpc::StatusCode::ALREADY_EXISTS);
  }
  cv1::SubmitChangeRequestRequest submit;
  submit.set_request_id("cr-1");
  submit.set_project_id(erp);
  submit.set_title("t");
  submit.set_reason("r");
  submit.set_requester("carol");
  submit.add_affected_item_ids("not-a-uuid");
  cv1::SubmitChangeRequestResponse submitted;
  grpc::ClientContext ctx;
  grpc::Status bad = changes->SubmitChangeRequest(&ctx, submit, &submitted);
  EXPECT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(testing::BadRequestFields(bad), ElementsAre("affected_item_ids[0]"));
}

TEST_F(AllInOneApi, ToolsCatalogueFlagsOverUseAndExpiringLicencesOverGrpc) {
  namespace cv1 = ::pmo::configuration::v1;
  auto tools = cv1::ToolsService::NewStub(channel_);
  cv1::CatalogueToolRequest catalogue;
  catalogue.set_request_id("tool-jira");
  catalogue.set_name("Jira");
  catalogue.set_vendor("Atlassian");
  catalogue.set_licence_model(cv1::LICENCE_MODEL_PER_USER);
  catalogue.set_licence_count(10);
  catalogue.mutable_licence_expiry()->set_year(2027);
  catalogue.mutable_licence_expiry()->set_month(3);
  catalogue.mutable_licence_expiry()->set_day(31);
  cv1::CatalogueToolResponse catalogued;
  {
    grpc::ClientContext ctx;
    grpc::Status s = tools->CatalogueTool(&ctx, catalogue, &catalogued);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  const std::string tool_id = catalogued.tool().tool_id();
  const std::string erp = NewProject("TOOLERP");
  const std::string crm = NewProject("TOOLCRM");
  for (const auto& [project, seats] : {std::pair{erp, 6}, std::pair{crm, 5}}) {
    cv1::AssignToolToProjectRequest assign;
    assign.set_request_id(std::string("assign-jira-") + project);
    assign.set_tool_id(tool_id);
    assign.set_project_id(project);
    assign.set_seats(seats);
    cv1::AssignToolToProjectResponse assigned;
    grpc::Status s = RetryWhileNotFound([&] {
      grpc::ClientContext ctx;
      return tools->AssignToolToProject(&ctx, assign, &assigned);
    });
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  {  // Flags as of 15 March 2027 with a 30-day window: over-used and expiring.
    cv1::ListToolsRequest list;
    list.set_flagged_only(true);
    list.mutable_flags()->mutable_as_of()->set_year(2027);
    list.mutable_flags()->mutable_as_of()->set_month(3);
    list.mutable_flags()->mutable_as_of()->set_day(15);
    grpc::ClientContext ctx;
    cv1::ListToolsResponse listed;
    ASSERT_TRUE(tools->ListTools(&ctx, list, &listed).ok());
    ASSERT_EQ(listed.tools_size(), 1);
    EXPECT_EQ(listed.tools(0).seats_in_use(), 11);
    EXPECT_TRUE(listed.tools(0).over_used());
    EXPECT_TRUE(listed.tools(0).licence_expiring());
    EXPECT_EQ(listed.tools(0).version(), 3);
  }
  {  // A stale version is ABORTED; bad input names the fields.
    cv1::ReleaseToolFromProjectRequest release;
    release.set_request_id("release-stale");
    release.set_tool_id(tool_id);
    release.set_project_id(crm);
    release.set_expected_version(1);
    grpc::ClientContext ctx;
    cv1::ReleaseToolFromProjectResponse released;
    grpc::Status s = tools->ReleaseToolFromProject(&ctx, release, &released);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::ABORTED);
    EXPECT_EQ(testing::ConflictCurrentVersion(s), 3);
  }
  {
    cv1::ListToolsRequest bad;
    bad.mutable_flags()->set_expiry_warning_days(-1);
    bad.mutable_flags()->mutable_as_of()->set_month(13);
    bad.set_page_size(5000);
    bad.set_page_token("forged");
    grpc::ClientContext ctx;
    cv1::ListToolsResponse listed;
    grpc::Status s = tools->ListTools(&ctx, bad, &listed);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(testing::BadRequestFields(s),
                UnorderedElementsAre("flags.as_of", "flags.expiry_warning_days", "page_size",
                                     "page_token"));
  }
  {  // Pages in catalogue order.
    cv1::CatalogueToolRequest wiki;
    wiki.set_request_id("tool-confluence");
    wiki.set_name("Confluence");
    wiki.set_vendor("Atlassian");
    wiki.set_licence_model(cv1::LICENCE_MODEL_SITE);
    grpc::ClientContext ctx;
    cv1::CatalogueToolResponse catalogued_wiki;
    ASSERT_TRUE(tools->CatalogueTool(&ctx, wiki, &catalogued_wiki).ok());
    cv1::ListToolsRequest list;
    list.set_page_size(1);
    grpc::ClientContext ctx2;
    cv1::ListToolsResponse first;
    ASSERT_TRUE(tools->ListTools(&ctx2, list, &first).ok());
    ASSERT_EQ(first.tools_size(), 1);
    EXPECT_EQ(first.tools(0).name(), "Jira");
    ASSERT_FALSE(first.next_page_token().empty());
    list.set_page_token(first.next_page_token());
    grpc::ClientContext ctx3;
    cv1::ListToolsResponse second;
    ASSERT_TRUE(tools->ListTools(&ctx3, list, &second).ok());
    ASSERT_EQ(second.tools_size(), 1);
    EXPECT_EQ(second.tools(0).name(), "Confluence");
    EXPECT_TRUE(second.next_page_token().empty());
  }
  {  // Retired: no more assignments, naming the rule.
    cv1::RetireToolRequest retire;
    retire.set_request_id("retire-jira");
    retire.set_tool_id(tool_id);
    retire.set_reason("replaced");
    grpc::ClientContext ctx;
    cv1::RetireToolResponse retired;
    ASSERT_TRUE(tools->RetireTool(&ctx, retire, &retired).ok());
    EXPECT_EQ(retired.tool().assignments_size(), 0);
    cv1::AssignToolToProjectRequest assign;
    assign.set_request_id("assign-after-retire");
    assign.set_tool_id(tool_id);
    assign.set_project_id(erp);
    assign.set_seats(1);
    grpc::ClientContext ctx2;
    cv1::AssignToolToProjectResponse assigned;
    grpc::Status s = tools->AssignToolToProject(&ctx2, assign, &assigned);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
    EXPECT_THAT(testing::PreconditionRules(s), ElementsAre("TOOL_RETIRED"));
  }
}

TEST_F(AllInOneApi, QualityAuditFindingsActionsAndComplianceOverGrpc) {
  namespace cv1 = ::pmo::configuration::v1;
  auto quality = cv1::QualityService::NewStub(channel_);
  auto day = [](int month, int d) {
    google::type::Date date;
    date.set_year(2027);
    date.set_month(month);
    date.set_day(d);
    return date;
  };
  cv1::DefineQualityStandardRequest define;
  define.set_request_id("iso-9001");
  define.set_code("ISO 9001:2015");
  define.set_title("Quality management systems");
  define.set_issuing_body("ISO");
  for (const char* clause : {"7.5", "8.5.1"}) {
    cv1::StandardRequirement* r = define.add_requirements();
    r->set_clause(clause);
    r->set_text(std::string("Requirement ") + clause);
  }
  cv1::DefineQualityStandardResponse defined;
  {
    grpc::ClientContext ctx;
    grpc::Status s = quality->DefineQualityStandard(&ctx, define, &defined);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  const std::string standard_id = defined.standard().standard_id();
  cv1::PlanAuditRequest plan;
  plan.set_request_id("plan-erp-audit");
  const std::string erp_quality = NewProject("QUALERP");
  plan.set_project_id(erp_quality);
  plan.set_standard_id(standard_id);
  plan.set_body(cv1::AUDITING_BODY_EXTERNAL);
  plan.set_lead_auditor("Certification Ltd");
  *plan.mutable_planned_on() = day(3, 1);
  cv1::PlanAuditResponse planned;
  {
    grpc::Status s = RetryWhileNotFound([&] {
      grpc::ClientContext ctx;
      return quality->PlanAudit(&ctx, plan, &planned);
    });
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  const std::string audit_id = planned.audit().audit_id();
  {  // Findings wait for the fieldwork.
    cv1::RecordAuditFindingRequest finding;
    finding.set_request_id("finding-too-early");
    finding.set_audit_id(audit_id);
    finding.set_clause("8.5.1");
    finding.set_severity(cv1::FINDING_SEVERITY_MAJOR);
    finding.set_description("releases not traceable");
    grpc::ClientContext ctx;
    cv1::RecordAuditFindingResponse recorded;
    grpc::Status s = quality->RecordAuditFinding(&ctx, finding, &recorded);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
    EXPECT_THAT(testing::PreconditionRules(s), ElementsAre("AUDIT_WORKFLOW"));
  }
  {
    cv1::StartAuditRequest start;
    start.set_request_id("start-erp-audit");
    start.set_audit_id(audit_id);
    *start.mutable_started_on() = day(3, 2);
    start.set_expected_version(1);
    grpc::ClientContext ctx;
    cv1::StartAuditResponse started;
    ASSERT_TRUE(quality->StartAudit(&ctx, start, &started).ok());
    EXPECT_EQ(started.audit().status(), cv1::AUDIT_STATUS_IN_PROGRESS);
  }
  cv1::RecordAuditFindingRequest finding;
  finding.set_request_id("finding-1");
  finding.set_audit_id(audit_id);
  finding.set_clause("8.5.1");
  finding.set_severity(cv1::FINDING_SEVERITY_MAJOR);
  finding.set_description("releases not traceable");
  cv1::RecordAuditFindingResponse recorded;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(quality->RecordAuditFinding(&ctx, finding, &recorded).ok());
    EXPECT_EQ(recorded.finding_id(), "F1");
  }
  {
    cv1::AssignCorrectiveActionRequest assign;
    assign.set_request_id("action-1");
    assign.set_audit_id(audit_id);
    assign.set_finding_id("F1");
    assign.set_description("tag every release");
    assign.set_owner("bob");
    *assign.mutable_due() = day(4, 1);
    grpc::ClientContext ctx;
    cv1::AssignCorrectiveActionResponse assigned;
    ASSERT_TRUE(quality->AssignCorrectiveAction(&ctx, assign, &assigned).ok());
    EXPECT_EQ(assigned.action_id(), "A1");
  }
  {
    cv1::CompleteAuditRequest complete;
    complete.set_request_id("complete-erp-audit");
    complete.set_audit_id(audit_id);
    *complete.mutable_completed_on() = day(3, 4);
    complete.set_summary("one major non-conformity");
    grpc::ClientContext ctx;
    cv1::CompleteAuditResponse completed;
    ASSERT_TRUE(quality->CompleteAudit(&ctx, complete, &completed).ok());
  }
  {  // On 10 April the major finding is open and its action overdue.
    cv1::GetProjectComplianceRequest get;
    get.set_project_id(erp_quality);
    get.set_standard_id(standard_id);
    *get.mutable_as_of() = day(4, 10);
    grpc::ClientContext ctx;
    cv1::GetProjectComplianceResponse compliance;
    ASSERT_TRUE(quality->GetProjectCompliance(&ctx, get, &compliance).ok());
    EXPECT_EQ(compliance.compliance().status(), cv1::COMPLIANCE_STATUS_NON_COMPLIANT);
    EXPECT_EQ(compliance.compliance().overdue_corrective_actions(), 1);
    cv1::ListOverdueCorrectiveActionsRequest overdue;
    overdue.set_project_id(erp_quality);
    *overdue.mutable_as_of() = day(4, 10);
    grpc::ClientContext ctx2;
    cv1::ListOverdueCorrectiveActionsResponse listed;
    ASSERT_TRUE(quality->ListOverdueCorrectiveActions(&ctx2, overdue, &listed).ok());
    ASSERT_EQ(listed.actions_size(), 1);
    EXPECT_EQ(listed.actions(0).days_overdue(), 9);
    EXPECT_EQ(listed.actions(0).action().owner(), "bob");
  }
  {  // The owner cannot verify their own action.
    cv1::CompleteCorrectiveActionRequest done;
    done.set_request_id("action-1-done");
    done.set_audit_id(audit_id);
    done.set_action_id("A1");
    *done.mutable_completed_on() = day(4, 11);
    grpc::ClientContext ctx;
    cv1::CompleteCorrectiveActionResponse completed;
    ASSERT_TRUE(quality->CompleteCorrectiveAction(&ctx, done, &completed).ok());
    cv1::VerifyCorrectiveActionRequest verify;
    verify.set_request_id("action-1-self-verify");
    verify.set_audit_id(audit_id);
    verify.set_action_id("A1");
    verify.set_verified_by("bob");
    grpc::ClientContext ctx2;
    cv1::VerifyCorrectiveActionResponse verified;
    grpc::Status s = quality->VerifyCorrectiveAction(&ctx2, verify, &verified);
    EXPECT_THAT(testing::PreconditionRules(s), ElementsAre("VERIFIER_NOT_OWNER"));
    verify.set_request_id("action-1-verify");
    verify.set_verified_by("qa-lead");
    grpc::ClientContext ctx3;
    ASSERT_TRUE(quality->VerifyCorrectiveAction(&ctx3, verify, &verified).ok());
    cv1::CloseAuditFindingRequest close;
    close.set_request_id("close-f1");
    close.set_audit_id(audit_id);
    close.set_finding_id("F1");
    grpc::ClientContext ctx4;
    cv1::CloseAuditFindingResponse closed;
    ASSERT_TRUE(quality->CloseAuditFinding(&ctx4, close, &closed).ok());
  }
  {
    cv1::ListProjectComplianceRequest list;
    list.set_project_id(erp_quality);
    *list.mutable_as_of() = day(4, 12);
    grpc::ClientContext ctx;
    cv1::ListProjectComplianceResponse listed;
    ASSERT_TRUE(quality->ListProjectCompliance(&ctx, list, &listed).ok());
    ASSERT_EQ(listed.compliance_size(), 1);
    EXPECT_EQ(listed.compliance(0).status(), cv1::COMPLIANCE_STATUS_COMPLIANT);
    EXPECT_EQ(listed.compliance(0).audit_id(), audit_id);
  }
  {  // Bad input names the fields.
    cv1::PlanAuditRequest bad;
    bad.set_request_id("bad-plan");
    bad.set_standard_id("not-a-uuid");
    grpc::ClientContext ctx;
    cv1::PlanAuditResponse resp;
    grpc::Status s = quality->PlanAudit(&ctx, bad, &resp);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(testing::BadRequestFields(s),
                UnorderedElementsAre("standard_id", "project_id", "body", "lead_auditor",
                                     "planned_on"));
  }
}

TEST_F(AllInOneApi, ADocumentIsDraftedReviewedApprovedPublishedAndReadBackOverGrpc) {
  namespace cv1 = ::pmo::configuration::v1;
  auto documents = cv1::DocumentsService::NewStub(channel_);
  cv1::CreateDocumentRequest create;
  create.set_request_id("doc-change-procedure");
  create.set_kind(cv1::DOCUMENT_KIND_PROCEDURE);
  create.set_title("PROC-7 Change control procedure");
  create.set_owner("bob");
  create.set_body("# Change control\nEvery change goes to the board.\n");
  create.set_media_type("text/markdown");
  create.set_change_summary("first issue");
  cv1::CreateDocumentResponse created;
  {
    grpc::ClientContext ctx;
    grpc::Status s = documents->CreateDocument(&ctx, create, &created);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  const std::string id = created.document().document_id();
  {  // Approval before review is refused with the rule.
    cv1::ApproveDocumentVersionRequest approve;
    approve.set_request_id("approve-too-early");
    approve.set_document_id(id);
    approve.set_version_number(1);
    approve.set_approved_by("head-of-pmo");
    grpc::ClientContext ctx;
    cv1::ApproveDocumentVersionResponse resp;
    grpc::Status s = documents->ApproveDocumentVersion(&ctx, approve, &resp);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
    EXPECT_THAT(testing::PreconditionRules(s), ElementsAre("DOCUMENT_WORKFLOW"));
  }
  {
    cv1::RequestDocumentReviewRequest review;
    review.set_request_id("doc-review");
    review.set_document_id(id);
    review.set_version_number(1);
    review.set_expected_version(created.document().version());
    grpc::ClientContext ctx;
    cv1::RequestDocumentReviewResponse resp;
    ASSERT_TRUE(documents->RequestDocumentReview(&ctx, review, &resp).ok());
  }
  {
    cv1::ReviewDocumentRequest review;
    review.set_request_id("doc-reviewed");
    review.set_document_id(id);
    review.set_version_number(1);
    review.mutable_review()->set_reviewer("quality-office");
    review.mutable_review()->set_verdict(cv1::REVIEW_VERDICT_APPROVE);
    grpc::ClientContext ctx;
    cv1::ReviewDocumentResponse resp;
    ASSERT_TRUE(documents->ReviewDocument(&ctx, review, &resp).ok());
  }
  {
    cv1::ApproveDocumentVersionRequest approve;
    approve.set_request_id("doc-approve");
    approve.set_document_id(id);
    approve.set_version_number(1);
    approve.set_approved_by("head-of-pmo");
    grpc::ClientContext ctx;
    cv1::ApproveDocumentVersionResponse resp;
    ASSERT_TRUE(documents->ApproveDocumentVersion(&ctx, approve, &resp).ok());
  }
  {
    cv1::PublishDocumentVersionRequest publish;
    publish.set_request_id("doc-publish");
    publish.set_document_id(id);
    publish.set_version_number(1);
    grpc::ClientContext ctx;
    cv1::PublishDocumentVersionResponse resp;
    ASSERT_TRUE(documents->PublishDocumentVersion(&ctx, publish, &resp).ok());
    EXPECT_EQ(resp.document().versions(0).status(), cv1::DOCUMENT_VERSION_STATUS_PUBLISHED);
  }
  {
    cv1::SetDocumentApplicabilityRequest apply;
    apply.set_request_id("doc-applies");
    apply.set_document_id(id);
    apply.set_version_number(1);
    const std::string erp = NewProject("DOCERP");
    apply.add_project_ids(erp);
    cv1::SetDocumentApplicabilityResponse resp;
    grpc::Status s = RetryWhileNotFound([&] {
      grpc::ClientContext ctx;
      return documents->SetDocumentApplicability(&ctx, apply, &resp);
    });
    ASSERT_TRUE(s.ok()) << s.error_message();
    cv1::ListDocumentsRequest list;
    list.set_project_id(erp);
    grpc::ClientContext ctx2;
    cv1::ListDocumentsResponse listed;
    ASSERT_TRUE(documents->ListDocuments(&ctx2, list, &listed).ok());
    ASSERT_EQ(listed.documents_size(), 1);
    EXPECT_EQ(listed.documents(0).document_id(), id);
  }
  {
    cv1::GetDocumentBodyRequest get;
    get.set_document_id(id);
    get.set_version_number(1);
    grpc::ClientContext ctx;
    cv1::GetDocumentBodyResponse body;
    ASSERT_TRUE(documents->GetDocumentBody(&ctx, get, &body).ok());
    EXPECT_EQ(body.body(), create.body());
    EXPECT_EQ(body.content_sha256().size(), 64u);
  }
  {  // A body over 1 MiB is refused naming the field.
    cv1::DraftDocumentVersionRequest draft;
    draft.set_request_id("doc-too-big");
    draft.set_document_id(id);
    draft.set_body(std::string((1 << 20) + 1, 'x'));
    draft.set_media_type("text/plain");
    draft.set_change_summary("too big");
    grpc::ClientContext ctx;
    cv1::DraftDocumentVersionResponse resp;
    grpc::Status s = documents->DraftDocumentVersion(&ctx, draft, &resp);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(testing::BadRequestFields(s), ElementsAre("body"));
  }
}

std::string Flatten(const grpc::ByteBuffer& buffer);

TEST_F(AllInOneApi, HealthIsServing) {
  // grpc.health.v1.Health/Check with an empty request; the reply's field 1
  // is the status, SERVING = 1.
  grpc::GenericStub stub(channel_);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  grpc::ByteBuffer request(nullptr, 0), response;
  grpc::Status result;
  bool done = false;
  std::mutex mu;
  std::condition_variable cv;
  stub.UnaryCall(&ctx, "/grpc.health.v1.Health/Check", grpc::StubOptions(), &request,
                 &response, [&](grpc::Status s) {
                   std::lock_guard lock(mu);
                   result = s;
                   done = true;
                   cv.notify_one();
                 });
  std::unique_lock lock(mu);
  cv.wait(lock, [&] { return done; });
  ASSERT_TRUE(result.ok()) << result.error_message();
  EXPECT_EQ(Flatten(response), std::string("\x08\x01", 2));
}

std::string Flatten(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  EXPECT_TRUE(buffer.Dump(&slices).ok());
  std::string bytes;
  for (const auto& s : slices) bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
  return bytes;
}

TEST_F(AllInOneApi, ReflectionListsTheServices) {
  // grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo is a
  // bidirectional stream; one request with list_services (field 7, "") is
  // answered with the service names.
  grpc::GenericStub stub(channel_);
  grpc::CompletionQueue cq;
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  auto call = stub.PrepareCall(&ctx, "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", &cq);
  void* tag;
  bool ok;
  auto step = [&](intptr_t expected) {
    ASSERT_TRUE(cq.Next(&tag, &ok));
    ASSERT_EQ(reinterpret_cast<intptr_t>(tag), expected);
    ASSERT_TRUE(ok);
  };
  call->StartCall(reinterpret_cast<void*>(1));
  step(1);
  const std::string list_services("\x3a\x00", 2);
  grpc::Slice slice(list_services);
  grpc::ByteBuffer request(&slice, 1);
  call->Write(request, reinterpret_cast<void*>(2));
  step(2);
  grpc::ByteBuffer response;
  call->Read(&response, reinterpret_cast<void*>(3));
  step(3);
  const std::string bytes = Flatten(response);
  EXPECT_NE(bytes.find("pmo.projects.v1.ProjectsService"), std::string::npos);
  EXPECT_NE(bytes.find("pmo.projection.v1.PortfolioService"), std::string::npos);
  EXPECT_NE(bytes.find("pmo.projection.v1.ConsolidatedViewsService"), std::string::npos);
  EXPECT_NE(bytes.find("pmo.configuration.v1.ToolsService"), std::string::npos);
  EXPECT_NE(bytes.find("pmo.configuration.v1.QualityService"), std::string::npos);
  EXPECT_NE(bytes.find("grpc.health.v1.Health"), std::string::npos);
  call->WritesDone(reinterpret_cast<void*>(4));
  step(4);
  grpc::Status status;
  call->Finish(&status, reinterpret_cast<void*>(5));
  step(5);
  EXPECT_TRUE(status.ok()) << status.error_message();
  cq.Shutdown();
  while (cq.Next(&tag, &ok)) {
  }
}

TEST(AllInOneStartup, RefusesToListenBeyondLoopbackWithoutInsecure) {
  testing::TempDir dir;
  PmoProcess pmo(dir.File("data"), "0.0.0.0:0");
  auto status = pmo.process().Wait(absl::Seconds(30));
  ASSERT_TRUE(status.has_value());
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) != 0);
}

}  // namespace
}  // namespace pmo
