// The projects service's own access rules end to end, with real RS256
// tokens over mutual TLS (as tests/security_test.cc): amounts bounded so
// earned value always answers, separation of duties on gate reviews and
// approvals, ranking as a read, programme membership as an administrator's
// write, and one-line names. Every refusal is checked for appending
// nothing.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/time/clock.h"
#include "libs/auth/testing/token_issuer.h"
#include "libs/auth/token_verifier.h"
#include "libs/base/testing/temp_dir.h"
#include "libs/grpcclient/client_security.h"
#include "libs/grpcserver/service_host.h"
#include "pmo/projects/v1/portfolios_service.grpc.pb.h"
#include "pmo/projects/v1/projects_service.grpc.pb.h"
#include "services/projects/projects_module.h"
#include "tests/support/grpc_testing.h"
#include "tests/support/project_requests.h"
#include "tests/support/test_pki.h"

namespace pmo {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
namespace pv1 = ::pmo::projects::v1;

constexpr int64_t k2To53 = int64_t{1} << 53;
constexpr char kWaterfall[] = "b0000000-0000-4000-8000-0000000000a1";

class ProjectsAccessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<testing::TestPki> pki = testing::MakeTestPki(dir_.path());
    ASSERT_TRUE(pki.ok()) << pki.status();
    auto module = ::pmo::projects::ProjectsModule::Open(dir_.File("data"));
    ASSERT_TRUE(module.ok()) << module.status();
    module_ = *std::move(module);
    auto keys = auth::KeySet::ParseJwks(issuer_.Jwks());
    ASSERT_TRUE(keys.ok()) << keys.status();
    auto verifier = auth::TokenVerifier::Create(
        *std::move(keys), {.issuer = auth::testing::kTestIssuer,
                           .audience = auth::testing::kTestAudience});
    ASSERT_TRUE(verifier.ok()) << verifier.status();
    grpcserver::ServiceHostOptions options;
    options.listen_address = "127.0.0.1:0";
    options.log_requests = false;
    options.security.tls_certificate_file = pki->server_cert;
    options.security.tls_private_key_file = pki->server_key;
    options.security.tls_client_ca_file = pki->ca_cert;
    options.security.token_verifier = *std::move(verifier);
    auto host =
        grpcserver::ServiceHost::Start(options, module_->grpc_services());
    ASSERT_TRUE(host.ok()) << host.status();
    host_ = *std::move(host);
    mtls_ = {.tls_ca_file = pki->ca_cert,
             .tls_cert_file = pki->client_cert,
             .tls_key_file = pki->client_key};
    auto channel = testing::LoopbackChannel(host_->port(), mtls_);
    projects_ = pv1::ProjectsService::NewStub(channel);
    portfolios_ = pv1::PortfoliosService::NewStub(channel);

    // ERP is alice's (its manager field, and her token lists it).
    pv1::CreateProjectResponse created;
    ASSERT_TRUE(Call(admin_, [&](auto* c) {
                  return projects_->CreateProject(
                      c, testing::NewProjectRequest("ERP"), &created);
                }).ok());
    erp_ = created.project().project_id();
    alice_ = Token("alice", {"project_manager"}, {erp_});
  }

  std::string Token(const std::string& subject,
                    const std::vector<std::string>& roles,
                    const std::vector<std::string>& managed = {}) const {
    return issuer_.Sign(issuer_.Claims(subject, roles, managed));
  }

  template <typename Rpc>
  grpc::Status Call(const std::string& token, Rpc rpc) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    grpcclient::ClientSecurity with_token = mtls_;
    with_token.bearer_token = token;
    grpcclient::AddCallCredentials(context, with_token);
    return rpc(&context);
  }

  int64_t Head() const { return module_->store->HeadPosition(); }

  grpc::Status Cost(const std::string& token, const std::string& request_id,
                    int64_t amount) {
    pv1::RecordActualCostRequest cost;
    cost.set_request_id(request_id);
    cost.set_project_id(erp_);
    cost.mutable_cost_date()->set_year(2027);
    cost.mutable_cost_date()->set_month(2);
    cost.mutable_cost_date()->set_day(1);
    cost.set_amount_minor(amount);
    cost.set_category("labour");
    pv1::RecordActualCostResponse response;
    return Call(token, [&](auto* c) {
      return projects_->RecordActualCost(c, cost, &response);
    });
  }

  // ERP follows a two-phase methodology, as if the configuration service
  // had published it.
  void FollowMethodology() {
    google::protobuf::RepeatedPtrField<pv1::Phase> phases;
    for (const char* name : {"Initiate", "Plan"}) {
      pv1::Phase* phase = phases.Add();
      phase->set_name(name);
      phase->mutable_gate()->set_name(std::string(name) + " gate");
    }
    eventsourcing::CommandContext context;
    context.request_id = "library-waterfall";
    ASSERT_TRUE(module_->handlers
                    ->RegisterMethodology(kWaterfall, "Waterfall", "2027.1",
                                          phases, context)
                    .ok());
    pv1::ApplyMethodologyRequest apply;
    apply.set_request_id("apply");
    apply.set_project_id(erp_);
    apply.set_methodology_id(kWaterfall);
    pv1::ApplyMethodologyResponse applied;
    const grpc::Status s = Call(alice_, [&](auto* c) {
      return projects_->ApplyMethodology(c, apply, &applied);
    });
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  grpc::Status Review(const std::string& token, const std::string& request_id,
                      const std::string& typed_reviewer,
                      pv1::RecordGateReviewResponse* out) {
    pv1::RecordGateReviewRequest review;
    review.set_request_id(request_id);
    review.set_project_id(erp_);
    review.set_decision(pv1::GATE_DECISION_APPROVE);
    review.set_reviewer(typed_reviewer);
    review.mutable_review_date()->set_year(2027);
    review.mutable_review_date()->set_month(2);
    review.mutable_review_date()->set_day(1);
    return Call(token, [&](auto* c) {
      return projects_->RecordGateReview(c, review, out);
    });
  }

  testing::TempDir dir_;
  auth::testing::TokenIssuer issuer_;
  std::unique_ptr<::pmo::projects::ProjectsModule> module_;
  std::unique_ptr<grpcserver::ServiceHost> host_;
  grpcclient::ClientSecurity mtls_;
  std::unique_ptr<pv1::ProjectsService::Stub> projects_;
  std::unique_ptr<pv1::PortfoliosService::Stub> portfolios_;
  const std::string admin_ = Token("pmo-admin-1", {"pmo_admin"});
  const std::string analyst_ = Token("ana", {"pmo_analyst"});
  std::string alice_;
  std::string erp_;
};

// Two costs of 2^53 minor units used to be taken, and the project's earned
// value was INVALID_ARGUMENT from then on.
TEST_F(ProjectsAccessTest,
       TwoCostsOf2To53AreRefusedAndEarnedValueStillAnswers) {
  pv1::SetBudgetRequest budget;
  budget.set_request_id("budget");
  budget.set_project_id(erp_);
  budget.mutable_budget()->set_currency("EUR");
  budget.mutable_budget()->set_budget_at_completion_minor(100000);
  pv1::PlannedAmount* planned = budget.mutable_budget()->add_planned_values();
  planned->mutable_date()->set_year(2027);
  planned->mutable_date()->set_month(3);
  planned->mutable_date()->set_day(31);
  planned->set_amount_minor(100000);
  pv1::SetBudgetResponse set;
  ASSERT_TRUE(Call(alice_, [&](auto* c) {
                return projects_->SetBudget(c, budget, &set);
              }).ok());

  const int64_t head = Head();
  for (const char* request_id : {"cost-1", "cost-2"}) {
    const grpc::Status s = Cost(alice_, request_id, k2To53);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << s.error_message();
    EXPECT_THAT(testing::BadRequestFields(s), ElementsAre("amount_minor"));
  }
  EXPECT_EQ(Head(), head);

  // Within the bound one by one, beyond it together: the second is refused
  // by rule and nothing is appended.
  const int64_t six_tenths = 600'000'000'000'000;
  ASSERT_TRUE(Cost(alice_, "cost-3", six_tenths).ok());
  const grpc::Status beyond = Cost(alice_, "cost-4", six_tenths);
  EXPECT_EQ(beyond.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(testing::PreconditionRules(beyond), ElementsAre("AMOUNT_LIMIT"));
  EXPECT_THAT(beyond.error_message(), HasSubstr("amount_minor"));
  EXPECT_EQ(Head(), head + 1);

  pv1::GetEarnedValueRequest ask;
  ask.set_project_id(erp_);
  ask.mutable_status_date()->set_year(2027);
  ask.mutable_status_date()->set_month(12);
  ask.mutable_status_date()->set_day(31);
  pv1::GetEarnedValueResponse ev;
  const grpc::Status s = Call(analyst_, [&](auto* c) {
    return projects_->GetEarnedValue(c, ask, &ev);
  });
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(ev.actual_cost_minor(), six_tenths);
}

TEST_F(ProjectsAccessTest,
       AManagersReviewOfTheirOwnGateIsRefusedAndAnAdminsRecordsTheCaller) {
  ASSERT_NO_FATAL_FAILURE(FollowMethodology());
  const int64_t head = Head();
  pv1::RecordGateReviewResponse reviewed;
  for (const std::string typed : {"alice", "PMO board"}) {
    const grpc::Status s = Review(alice_, "alice-" + typed, typed, &reviewed);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION)
        << s.error_message();
    EXPECT_THAT(testing::PreconditionRules(s),
                ElementsAre("SEPARATION_OF_DUTIES"));
  }
  // A co-manager by token only (the project's manager field says alice).
  const std::string carol = Token("carol", {"project_manager"}, {erp_});
  EXPECT_THAT(testing::PreconditionRules(Review(carol, "carol", "", &reviewed)),
              ElementsAre("SEPARATION_OF_DUTIES"));
  EXPECT_EQ(Head(), head);

  // The administrator's review names the administrator, whatever was typed.
  const grpc::Status s = Review(admin_, "admin", "Dana Scully, CFO", &reviewed);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(reviewed.project().gate_reviews_size(), 1);
  EXPECT_EQ(reviewed.project().gate_reviews(0).reviewer(), "pmo-admin-1");
  EXPECT_EQ(reviewed.project().gate_reviews(0).reviewer_display_name(),
            "Dana Scully, CFO");
  EXPECT_EQ(Head(), head + 1);
  // Moving on after the approval stays alice's own step.
  pv1::EnterNextPhaseRequest next;
  next.set_request_id("next");
  next.set_project_id(erp_);
  pv1::EnterNextPhaseResponse entered;
  EXPECT_TRUE(Call(alice_, [&](auto* c) {
                return projects_->EnterNextPhase(c, next, &entered);
              }).ok());
}

TEST_F(ProjectsAccessTest, AManagerMayNotApproveTheirOwnProposal) {
  pv1::ChangeProjectStatusRequest approve;
  approve.set_request_id("approve");
  approve.set_project_id(erp_);
  approve.set_status(pv1::PROJECT_STATUS_APPROVED);
  approve.set_reason("business case accepted");
  pv1::ChangeProjectStatusResponse changed;
  const int64_t head = Head();
  const grpc::Status own = Call(alice_, [&](auto* c) {
    return projects_->ChangeProjectStatus(c, approve, &changed);
  });
  EXPECT_EQ(own.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(testing::PreconditionRules(own),
              ElementsAre("SEPARATION_OF_DUTIES"));
  EXPECT_EQ(Head(), head);
  ASSERT_TRUE(Call(admin_, [&](auto* c) {
                return projects_->ChangeProjectStatus(c, approve, &changed);
              }).ok());
  EXPECT_EQ(changed.project().status(), pv1::PROJECT_STATUS_APPROVED);
}

TEST_F(ProjectsAccessTest, RankingIsAReadAndProgrammesAreTheAdministrators) {
  pv1::CreatePortfolioRequest corp;
  corp.set_request_id("corp");
  corp.set_code("CORP");
  corp.set_name("Corporate");
  pv1::CreatePortfolioResponse portfolio;
  ASSERT_TRUE(Call(admin_, [&](auto* c) {
                return portfolios_->CreatePortfolio(c, corp, &portfolio);
              }).ok());
  pv1::CreateProgrammeRequest digital;
  digital.set_request_id("digital");
  digital.set_code("DIGITAL");
  digital.set_name("Digital");
  digital.set_portfolio_id(portfolio.portfolio().portfolio_id());
  pv1::CreateProgrammeResponse programme;
  ASSERT_TRUE(Call(admin_, [&](auto* c) {
                return portfolios_->CreateProgramme(c, digital, &programme);
              }).ok());

  // Alice's project is hers, but which programme holds it is not.
  pv1::AssignProjectToProgrammeRequest assign;
  assign.set_request_id("assign");
  assign.set_project_id(erp_);
  assign.set_programme_id(programme.programme().programme_id());
  pv1::AssignProjectToProgrammeResponse assigned;
  int64_t head = Head();
  const grpc::Status by_alice = Call(alice_, [&](auto* c) {
    return portfolios_->AssignProjectToProgramme(c, assign, &assigned);
  });
  EXPECT_EQ(by_alice.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Head(), head);
  ASSERT_TRUE(Call(admin_, [&](auto* c) {
                return portfolios_->AssignProjectToProgramme(c, assign,
                                                             &assigned);
              }).ok());

  pv1::RankPortfolioRequest rank;
  rank.set_portfolio_id(portfolio.portfolio().portfolio_id());
  pv1::RankPortfolioResponse ranking;
  head = Head();
  const grpc::Status s = Call(analyst_, [&](auto* c) {
    return portfolios_->RankPortfolio(c, rank, &ranking);
  });
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(ranking.projects_size(), 1);
  EXPECT_EQ(ranking.projects(0).code(), "ERP");
  EXPECT_EQ(Head(), head);  // a read records nothing
  // It lists every project of the portfolio: not a manager's read.
  EXPECT_EQ(Call(alice_,
                 [&](auto* c) {
                   return portfolios_->RankPortfolio(c, rank, &ranking);
                 })
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(ProjectsAccessTest, NamesWithLineBreaksAreRefusedNamingTheField) {
  pv1::CreateProjectRequest request = testing::NewProjectRequest("CRLF");
  request.set_name("Project\r\nX-Injected: yes");
  pv1::CreateProjectResponse created;
  const int64_t head = Head();
  const grpc::Status s = Call(admin_, [&](auto* c) {
    return projects_->CreateProject(c, request, &created);
  });
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(testing::BadRequestFields(s), Contains("name"));
  EXPECT_EQ(Head(), head);
}

}  // namespace
}  // namespace pmo
