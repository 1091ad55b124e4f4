// Security of a PMO server end to end: the projects service in-process on
// real SQLite files, behind mutual TLS and bearer JWTs, called over real
// gRPC on 127.0.0.1. Every refusal is checked for its status and for
// nothing appended to the event store.
//
// Then the all-in-one `pmo` behind the same flags: a project manager's
// consolidated views and reports cover only the projects in their token.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <functional>

#include "absl/time/clock.h"
#include "libs/auth/testing/token_issuer.h"
#include "libs/auth/token_verifier.h"
#include "libs/base/testing/status_matchers.h"
#include "libs/base/testing/temp_dir.h"
#include "libs/grpcserver/service_host.h"
#include "pmo/configuration/v1/tools_service.grpc.pb.h"
#include "pmo/projection/v1/portfolio_service.grpc.pb.h"
#include "pmo/projection/v1/views_service.grpc.pb.h"
#include "pmo/projects/v1/portfolios_service.grpc.pb.h"
#include "pmo/projects/v1/projects_service.grpc.pb.h"
#include "pmo/reporting/v1/reporting_service.grpc.pb.h"
#include "pmo/resources/v1/resources_service.grpc.pb.h"
#include "pmo/risks/v1/risks_service.grpc.pb.h"
#include "services/projects/projects_module.h"
#include "tests/support/grpc_testing.h"
#include "tests/support/managed_portfolio.h"
#include "tests/support/project_requests.h"
#include "tests/support/service_process.h"
#include "tests/support/test_pki.h"

namespace pmo {
namespace {

using auth::testing::TokenIssuer;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
namespace pv1 = ::pmo::projects::v1;

class SecuredProjectsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<testing::TestPki> pki = testing::MakeTestPki(dir_.path());
    ASSERT_TRUE(pki.ok()) << pki.status();
    pki_ = *pki;
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
    options.security.tls_certificate_file = pki_.server_cert;
    options.security.tls_private_key_file = pki_.server_key;
    options.security.tls_client_ca_file = pki_.ca_cert;
    options.security.tls_refresh = absl::Seconds(1);
    options.security.token_verifier = *std::move(verifier);
    auto host =
        grpcserver::ServiceHost::Start(options, module_->grpc_services());
    ASSERT_TRUE(host.ok()) << host.status();
    host_ = *std::move(host);
    mtls_ = {.tls_ca_file = pki_.ca_cert,
             .tls_cert_file = pki_.client_cert,
             .tls_key_file = pki_.client_key};
    stub_ = pv1::ProjectsService::NewStub(
        testing::LoopbackChannel(host_->port(), mtls_));

    // Two projects, one per manager, created by the PMO administrator.
    alice_project_ = Create("ERP", admin_);
    bob_project_ = Create("CRM", admin_);
  }

  std::string Token(const std::string& subject,
                    const std::vector<std::string>& roles,
                    const std::vector<std::string>& managed = {}) const {
    return issuer_.Sign(issuer_.Claims(subject, roles, managed));
  }

  void Authorize(grpc::ClientContext& context, const std::string& token) const {
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    grpcclient::ClientSecurity with_token = mtls_;
    with_token.bearer_token = token;
    grpcclient::AddCallCredentials(context, with_token);
  }

  std::string Create(const std::string& code, const std::string& token) {
    grpc::ClientContext context;
    Authorize(context, token);
    pv1::CreateProjectResponse response;
    grpc::Status s = stub_->CreateProject(
        &context, testing::NewProjectRequest(code), &response);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return response.project().project_id();
  }

  grpc::Status AddTask(pv1::ProjectsService::Stub& stub,
                       const std::string& project_id,
                       const std::string& token) {
    grpc::ClientContext context;
    Authorize(context, token);
    pv1::AddTaskRequest request;
    request.set_request_id("task-" + std::to_string(++requests_));
    request.set_project_id(project_id);
    request.set_name("Design");
    request.set_duration_days(5);
    pv1::AddTaskResponse response;
    return stub.AddTask(&context, request, &response);
  }
  grpc::Status AddTask(const std::string& project_id,
                       const std::string& token) {
    return AddTask(*stub_, project_id, token);
  }

  int64_t Head() const { return module_->store->HeadPosition(); }

  testing::TempDir dir_;
  testing::TestPki pki_;
  TokenIssuer issuer_;
  std::unique_ptr<::pmo::projects::ProjectsModule> module_;
  std::unique_ptr<grpcserver::ServiceHost> host_;
  grpcclient::ClientSecurity mtls_;
  std::unique_ptr<pv1::ProjectsService::Stub> stub_;
  const std::string admin_ = Token("pmo-admin-1", {"pmo_admin"});
  std::string alice_project_, bob_project_;
  int requests_ = 0;
};

TEST_F(SecuredProjectsTest, EveryEventRecordsTheTokensSubjectAndNoCredential) {
  const std::string alice =
      Token("alice", {"project_manager"}, {alice_project_});
  ASSERT_TRUE(AddTask(alice_project_, alice).ok());
  auto events = module_->store->ReadAll(0, 100);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 3u);
  EXPECT_EQ((*events)[0].metadata.actor, "pmo-admin-1");
  EXPECT_EQ((*events)[2].metadata.actor, "alice");
  for (const auto& event : *events) {
    EXPECT_THAT(event.payload,
                Not(HasSubstr(alice.substr(alice.rfind('.') + 1))));
    EXPECT_THAT(event.metadata.actor, Not(HasSubstr("Bearer")));
  }
}

TEST_F(SecuredProjectsTest, RefusesACallWithoutAToken) {
  const int64_t head = Head();
  grpc::Status s = AddTask(alice_project_, "");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED)
      << s.error_message();
  EXPECT_THAT(s.error_message(), HasSubstr("no bearer token"));
  EXPECT_EQ(Head(), head);
}

TEST_F(SecuredProjectsTest, RefusesAnExpiredToken) {
  const int64_t head = Head();
  const std::string expired = issuer_.Sign(
      issuer_.Claims("pmo-admin-1", {"pmo_admin"}, {}, absl::Minutes(10),
                     absl::Now() - absl::Hours(1)));
  grpc::Status s = AddTask(alice_project_, expired);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(s.error_message(), HasSubstr("expired"));
  EXPECT_THAT(s.error_message(), Not(HasSubstr(expired.substr(0, 16))));
  EXPECT_EQ(Head(), head);
}

TEST_F(SecuredProjectsTest, RefusesAWrongAudience) {
  const int64_t head = Head();
  grpc::Status s = AddTask(
      alice_project_,
      issuer_.Sign(issuer_.Claims("pmo-admin-1", {"pmo_admin"}, {},
                                  absl::Minutes(10), absl::Now(), "billing")));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(s.error_message(), HasSubstr("audience"));
  EXPECT_EQ(Head(), head);
}

TEST_F(SecuredProjectsTest, RefusesAForgedSignature) {
  const int64_t head = Head();
  TokenIssuer forger;  // same kid, claims and issuer name; another key
  grpc::Status s = AddTask(
      alice_project_, forger.Sign(forger.Claims("pmo-admin-1", {"pmo_admin"})));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(s.error_message(), HasSubstr("signature"));
  EXPECT_EQ(Head(), head);
}

TEST_F(SecuredProjectsTest, RefusesAManagerWritingToAnotherManagersProject) {
  const std::string alice =
      Token("alice", {"project_manager"}, {alice_project_});
  const int64_t head = Head();
  grpc::Status s = AddTask(bob_project_, alice);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(s.error_message(),
              HasSubstr("alice does not manage project " + bob_project_));
  EXPECT_EQ(Head(), head);
  // Her own project: accepted, one event.
  EXPECT_TRUE(AddTask(alice_project_, alice).ok());
  EXPECT_EQ(Head(), head + 1);
}

TEST_F(SecuredProjectsTest, AnalystReadsEverythingAndWritesNothing) {
  const std::string analyst = Token("ana", {"pmo_analyst"});
  grpc::ClientContext context;
  Authorize(context, analyst);
  pv1::ListProjectsResponse list;
  ASSERT_TRUE(
      stub_->ListProjects(&context, pv1::ListProjectsRequest(), &list).ok());
  EXPECT_EQ(list.projects_size(), 2);
  const int64_t head = Head();
  EXPECT_EQ(AddTask(alice_project_, analyst).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Head(), head);
}

TEST_F(SecuredProjectsTest, RefusesAPlainTextClient) {
  const int64_t head = Head();
  auto plain =
      pv1::ProjectsService::NewStub(testing::LoopbackChannel(host_->port()));
  grpc::Status s = AddTask(*plain, alice_project_, admin_);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE) << s.error_message();
  EXPECT_EQ(Head(), head);
}

TEST_F(SecuredProjectsTest, RefusesATlsClientWithoutACertificate) {
  const int64_t head = Head();
  auto no_cert = pv1::ProjectsService::NewStub(
      testing::LoopbackChannel(host_->port(), {.tls_ca_file = pki_.ca_cert}));
  grpc::Status s = AddTask(*no_cert, alice_project_, admin_);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE) << s.error_message();
  EXPECT_EQ(Head(), head);
}

TEST_F(SecuredProjectsTest,
       AServiceSendsTheTokenInItsFileAndFollowsItsRenewal) {
  // What pmo-reporting does with --client_token_file: the token rides on
  // the channel, and a renewed file is used from the next call on.
  const std::string token_file = dir_.File("service.token");
  std::ofstream(token_file) << admin_ << "\n";
  grpcclient::ClientSecurity service = mtls_;
  service.token_file = token_file;
  auto stub = pv1::ProjectsService::NewStub(
      testing::LoopbackChannel(host_->port(), service));
  auto add_task = [&] {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    pv1::AddTaskRequest request;
    request.set_request_id("service-task-" + std::to_string(++requests_));
    request.set_project_id(alice_project_);
    request.set_name("Build");
    request.set_duration_days(3);
    pv1::AddTaskResponse response;
    return stub->AddTask(&context, request, &response);
  };
  EXPECT_TRUE(add_task().ok());
  std::ofstream(token_file + ".new") << Token("reporting", {"service"}) << "\n";
  std::filesystem::rename(token_file + ".new", token_file);
  const int64_t head = Head();
  grpc::Status s = add_task();
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED)
      << s.error_message();
  EXPECT_EQ(Head(), head);
}

TEST_F(SecuredProjectsTest, ServesARenewedCertificateWithoutARestart) {
  // A new CA issues the server's next certificate and the clients' next
  // ones; the files are replaced in place, as a certificate manager does.
  auto next = testing::MakeTestPki(dir_.path(), "next-");
  ASSERT_TRUE(next.ok()) << next.status();
  const grpcclient::ClientSecurity next_mtls{.tls_ca_file = next->ca_cert,
                                             .tls_cert_file = next->client_cert,
                                             .tls_key_file = next->client_key};
  auto next_stub = pv1::ProjectsService::NewStub(
      testing::LoopbackChannel(host_->port(), next_mtls));
  EXPECT_EQ(AddTask(*next_stub, alice_project_, admin_).error_code(),
            grpc::StatusCode::UNAVAILABLE);
  for (const auto& [from, to] : {std::pair{next->server_cert, pki_.server_cert},
                                 std::pair{next->server_key, pki_.server_key},
                                 std::pair{next->ca_cert, pki_.ca_cert}}) {
    std::filesystem::copy_file(from, to + ".new");
    std::filesystem::rename(to + ".new",
                            to);  // atomic: never a half-written file
  }
  // The server re-reads the files every second; a fresh channel each try so
  // no failed connection is cached.
  grpc::Status s;
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  do {
    absl::SleepFor(absl::Milliseconds(200));
    auto stub = pv1::ProjectsService::NewStub(
        testing::LoopbackChannel(host_->port(), next_mtls));
    s = AddTask(*stub, alice_project_, admin_);
  } while (!s.ok() && absl::Now() < deadline);
  EXPECT_TRUE(s.ok()) << s.error_message();
  // The old CA no longer vouches for the server.
  auto old_stub = pv1::ProjectsService::NewStub(
      testing::LoopbackChannel(host_->port(), mtls_));
  EXPECT_EQ(AddTask(*old_stub, alice_project_, admin_).error_code(),
            grpc::StatusCode::UNAVAILABLE);
}

TEST(ServiceHostSecurityTest, FollowsTheIssuersKeyRotationInTheJwksFile) {
  testing::TempDir dir;
  auto module = ::pmo::projects::ProjectsModule::Open(dir.File("data"));
  ASSERT_TRUE(module.ok()) << module.status();
  TokenIssuer before, after;
  std::ofstream(dir.File("jwks.json")) << before.Jwks();
  grpcserver::ServiceHostOptions options;
  options.listen_address = "127.0.0.1:0";
  options.log_requests = false;
  options.security.jwks_file = dir.File("jwks.json");
  options.security.jwt_issuer = auth::testing::kTestIssuer;
  options.security.jwt_audience = auth::testing::kTestAudience;
  options.security.jwks_refresh = absl::Seconds(1);
  auto host =
      grpcserver::ServiceHost::Start(options, (*module)->grpc_services());
  ASSERT_TRUE(host.ok()) << host.status();
  auto stub =
      pv1::ProjectsService::NewStub(testing::LoopbackChannel((*host)->port()));
  auto list = [&](const TokenIssuer& issuer) {
    grpc::ClientContext context;
    context.AddMetadata(
        "authorization",
        "Bearer " + issuer.Sign(issuer.Claims("ana", {"pmo_analyst"})));
    pv1::ListProjectsResponse response;
    return stub->ListProjects(&context, pv1::ListProjectsRequest(), &response)
        .error_code();
  };
  ASSERT_EQ(list(before), grpc::StatusCode::OK);
  ASSERT_EQ(list(after), grpc::StatusCode::UNAUTHENTICATED);

  std::ofstream(dir.File("jwks.json.new")) << after.Jwks();
  std::filesystem::rename(dir.File("jwks.json.new"), dir.File("jwks.json"));
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (list(after) != grpc::StatusCode::OK && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(200));
  }
  EXPECT_EQ(list(after), grpc::StatusCode::OK);
  EXPECT_EQ(list(before), grpc::StatusCode::UNAUTHENTICATED);
}

TEST(ServiceHostSecurityTest,
     RefusesToListenBeyondLoopbackWithoutTlsAndTokens) {
  grpcserver::ServiceHostOptions options;
  options.listen_address = "0.0.0.0:0";
  auto host = grpcserver::ServiceHost::Start(options, {});
  EXPECT_THAT(host,
              testing::StatusIs(
                  absl::StatusCode::kFailedPrecondition,
                  HasSubstr("without TLS and bearer-token authentication")));
  // TLS alone is not enough either.
  options.security.tls_certificate_file = "/nonexistent/server.pem";
  options.security.tls_private_key_file = "/nonexistent/server-key.pem";
  EXPECT_THAT(grpcserver::ServiceHost::Start(options, {}),
              testing::StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST(ServiceHostSecurityTest, NamesTheUnreadableSecurityFile) {
  grpcserver::ServiceHostOptions options;
  options.listen_address = "127.0.0.1:0";
  options.security.tls_certificate_file = "/nonexistent/server.pem";
  options.security.tls_private_key_file = "/nonexistent/server-key.pem";
  EXPECT_THAT(grpcserver::ServiceHost::Start(options, {}),
              testing::StatusIs(absl::StatusCode::kInvalidArgument,
                                HasSubstr("tls_cert_file")));
  options.security = {};
  options.security.jwks_file = "/nonexistent/jwks.json";
  options.security.jwt_issuer = "i";
  EXPECT_THAT(grpcserver::ServiceHost::Start(options, {}),
              testing::StatusIs(absl::StatusCode::kInvalidArgument,
                                HasSubstr("jwks_file")));
}

// ---- A project manager's consolidated views (the all-in-one pmo) ----
// tests/support/managed_portfolio.h says what the portfolio holds.

using ManagerViewsTest = testing::ManagedPortfolioTest;
namespace cv1 = ::pmo::configuration::v1;
namespace jv1 = ::pmo::projection::v1;
namespace kv1 = ::pmo::risks::v1;
namespace rsv1 = ::pmo::resources::v1;
namespace rv1 = ::pmo::reporting::v1;

TEST_F(ManagerViewsTest,
       OverviewAndProjectListHoldOnlyTheManagersProjectsAndRollUpOverThem) {
  grpc::Status s;
  const jv1::GetPortfolioOverviewResponse all = Overview(admin_);
  ASSERT_EQ(all.projects_size(), 3);
  ASSERT_EQ(all.programmes_size(), 2);  // DIGITAL, and the projects in none
  const jv1::GetPortfolioOverviewResponse mine = Overview(alice_, &s);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(mine.projects_size(), 1);
  EXPECT_EQ(mine.projects(0).code(), "ERP");
  EXPECT_EQ(mine.total_projects(), 1);
  ASSERT_EQ(mine.programmes_size(), 1);
  EXPECT_EQ(mine.programmes(0).code(), "DIGITAL");
  EXPECT_EQ(mine.programmes(0).projects(), 1);
  EXPECT_EQ(mine.programmes(0).risk_exposure_minor(),
            5'000);  // not ERP's + CRM's 11,000
  ASSERT_EQ(mine.portfolios_size(), 1);
  EXPECT_EQ(mine.portfolios(0).projects(), 1);
  EXPECT_EQ(mine.portfolios(0).risk_exposure_minor(), 5'000);
  EXPECT_GT(mine.freshness().positions_size(), 0);  // the freshness block stays
  EXPECT_EQ(Overview(alice_, &s, corp_).projects_size(), 1);

  jv1::ListPortfolioProjectsResponse listed;
  s = As(alice_, [&](auto* c) {
    return portfolio_view_->ListPortfolioProjects(
        c, jv1::ListPortfolioProjectsRequest(), &listed);
  });
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(listed.projects_size(), 1);
  EXPECT_EQ(listed.projects(0).project_id(), erp_);
  EXPECT_EQ(Overview(analyst_).projects_size(), 3);

  // The whole view's digest stays the PMO's.
  jv1::GetPortfolioDigestResponse digest;
  EXPECT_EQ(As(alice_,
               [&](auto* c) {
                 return portfolio_view_->GetPortfolioDigest(
                     c, jv1::GetPortfolioDigestRequest(), &digest);
               })
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(ManagerViewsTest,
       ASharedResourceShowsTheManagersShareAndTheRestAsOneAnonymousShare) {
  grpc::Status s;
  const jv1::GetResourceLoadResponse all = Load(admin_, "", &s);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(all.resources_size(), 1);
  ASSERT_EQ(all.resources(0).weeks(0).shares_size(), 2);
  const jv1::GetResourceLoadResponse mine = Load(alice_, "", &s);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(mine.resources_size(), 1);
  EXPECT_EQ(mine.total_resources(), 1);
  const jv1::WeekLoad& week = mine.resources(0).weeks(0);
  EXPECT_EQ(week.load_hours(), all.resources(0).weeks(0).load_hours());
  ASSERT_EQ(week.shares_size(), 2);
  EXPECT_EQ(week.shares(0).project_id(), erp_);
  EXPECT_DOUBLE_EQ(week.shares(0).hours(), 24);
  EXPECT_EQ(week.shares(1).project_id(), "");  // "other projects", together
  EXPECT_EQ(week.shares(1).project_code(), "");
  EXPECT_DOUBLE_EQ(week.shares(1).hours(), 24);
  EXPECT_THAT(mine.DebugString(), Not(HasSubstr(crm_)));
  EXPECT_THAT(mine.DebugString(), Not(HasSubstr("CRM")));

  Load(alice_, crm_, &s);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED)
      << s.error_message();
  EXPECT_THAT(s.error_message(), HasSubstr("does not manage project " + crm_));
}

TEST_F(ManagerViewsTest, RiskRegisterAndExposureCountOnlyTheManagersRisks) {
  const jv1::ListRiskRegisterResponse all = Register(admin_, "");
  EXPECT_EQ(all.total_entries(), 2);
  EXPECT_EQ(all.risk_exposure_minor(), 11'000);
  for (const std::string& portfolio : {std::string(), corp_}) {
    const jv1::ListRiskRegisterResponse mine = Register(alice_, portfolio);
    EXPECT_EQ(mine.total_entries(), 1);
    ASSERT_EQ(mine.entries_size(), 1);
    EXPECT_EQ(mine.entries(0).scope_id(), erp_);
    EXPECT_EQ(mine.risk_exposure_minor(), 5'000);
    EXPECT_EQ(mine.combined_risks_size(), 0);
  }
  EXPECT_EQ(LatestExposure(admin_, ""), 11'000);
  EXPECT_EQ(LatestExposure(alice_, ""), 5'000);
  EXPECT_EQ(LatestExposure(alice_, digital_), 5'000);
  EXPECT_EQ(LatestExposure(analyst_, digital_), 11'000);
}

TEST_F(ManagerViewsTest,
       DependenciesAndConfigurationTouchOnlyTheManagersProjects) {
  EXPECT_EQ(Graph(admin_).dependencies_size(), 2);
  const jv1::GetDependencyGraphResponse mine = Graph(alice_);
  ASSERT_EQ(mine.dependencies_size(), 1);  // CRM after ERP; not HR after CRM
  EXPECT_EQ(mine.dependencies(0).predecessor_project_id(), erp_);
  EXPECT_EQ(mine.dependencies(0).successor_project_id(), crm_);
  EXPECT_THAT(mine.DebugString(), Not(HasSubstr(hr_)));

  const jv1::GetConfigurationAcrossProjectsResponse config =
      Configuration(alice_);
  ASSERT_EQ(config.tools_size(), 1);
  ASSERT_EQ(config.tools(0).uses_size(), 1);
  EXPECT_EQ(config.tools(0).uses(0).project_id(), erp_);
  EXPECT_EQ(config.tools(0).uses(0).seats(), 2);
  EXPECT_EQ(config.tools(0).seats_used(),
            5);  // the licence's total, as one figure
  EXPECT_THAT(config.DebugString(), Not(HasSubstr(crm_)));
}

TEST_F(ManagerViewsTest, AManagerGetsReportsOfTheirOwnProjectOnly) {
  std::string content;
  grpc::Status s = Report(alice_, rv1::SCOPE_LEVEL_PROJECT, erp_, &content);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_THAT(content, HasSubstr("ERP"));
  EXPECT_THAT(content, Not(HasSubstr("CRM")));
  for (auto [level, id] :
       {std::pair{rv1::SCOPE_LEVEL_PROJECT, crm_},
        std::pair{rv1::SCOPE_LEVEL_PORTFOLIO, corp_},
        std::pair{rv1::SCOPE_LEVEL_PROGRAMME, digital_},
        std::pair{rv1::SCOPE_LEVEL_UNSPECIFIED, std::string()}}) {
    s = Report(alice_, level, id);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED)
        << rv1::ScopeLevel_Name(level);
    EXPECT_THAT(s.error_message(), HasSubstr("spec.scope"));
  }
  s = Report(analyst_, rv1::SCOPE_LEVEL_PORTFOLIO, corp_, &content);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_THAT(content, HasSubstr("CRM"));
}

// The dashboard follows the same roles: each page reads the views as the
// person asking, so alice's pages hold what her gRPC calls above answer.
TEST_F(ManagerViewsTest, TheDashboardShowsAManagerWhatTheirGrpcCallsAnswer) {
  const auto page = [&](const std::string& token, const std::string& target) {
    return Page(dashboard_port_, token, target);
  };
  auto [status, body] = page(admin_, "/?as_of=2027-03-31");
  ASSERT_EQ(status, 200) << body;
  EXPECT_THAT(
      body, AllOf(HasSubstr("<td>ERP</td>"), HasSubstr("<td>CRM</td>"),
                  HasSubstr("<td>HR</td>"), Not(HasSubstr("id=\"narrowed\""))));
  std::tie(status, body) = page(alice_, "/?as_of=2027-03-31");
  ASSERT_EQ(status, 200) << body;
  EXPECT_THAT(body,
              AllOf(HasSubstr("<td>ERP</td>"), Not(HasSubstr("<td>CRM</td>")),
                    Not(HasSubstr("<td>HR</td>")),
                    HasSubstr("Projects managed by alice only")));

  // Threat exposure: 11,000 for the PMO, ERP's 5,000 for alice (as
  // ListRiskRegister answered her above).
  std::tie(status, body) = page(admin_, "/risks?as_of=2027-03-31");
  ASSERT_EQ(status, 200) << body;
  EXPECT_THAT(body, AllOf(HasSubstr("<strong id=\"exposure\">11000</strong>"),
                          HasSubstr("Supplier of CRM fails")));
  std::tie(status, body) = page(alice_, "/risks?as_of=2027-03-31");
  ASSERT_EQ(status, 200) << body;
  EXPECT_THAT(body,
              AllOf(HasSubstr("<strong id=\"exposure\">5000</strong>"),
                    HasSubstr("Supplier of ERP fails"), Not(HasSubstr("CRM"))));

  // The shared person: CRM's 24 hours are one anonymous share for alice.
  std::tie(status, body) = page(admin_, "/resources?as_of=2027-03-01");
  ASSERT_EQ(status, 200) << body;
  EXPECT_THAT(body, AllOf(HasSubstr("ERP 24.0 h"), HasSubstr("CRM 24.0 h")));
  std::tie(status, body) = page(alice_, "/resources?as_of=2027-03-01");
  ASSERT_EQ(status, 200) << body;
  EXPECT_THAT(body,
              AllOf(HasSubstr("ERP 24.0 h"), HasSubstr("other projects 24.0 h"),
                    Not(HasSubstr("CRM"))));

  // The links touching ERP only: CRM after ERP, not HR after CRM.
  std::tie(status, body) = page(admin_, "/dependencies");
  ASSERT_EQ(status, 200) << body;
  EXPECT_THAT(body,
              AllOf(HasSubstr("ERP -&gt; CRM"), HasSubstr("CRM -&gt; HR")));
  std::tie(status, body) = page(alice_, "/dependencies");
  ASSERT_EQ(status, 200) << body;
  EXPECT_THAT(body, AllOf(HasSubstr("ERP -&gt; CRM"), Not(HasSubstr("HR"))));

  std::tie(status, body) = page(alice_, "/earned-value?as_of=2027-03-31");
  ASSERT_EQ(status, 200) << body;
  EXPECT_THAT(body, AllOf(HasSubstr("Earned value - Projects managed by alice"),
                          Not(HasSubstr("CRM"))));
  EXPECT_EQ(page(alice_, "/projects/" + erp_ + "/earned-value").first, 200);
  EXPECT_EQ(page(alice_, "/projects/" + crm_ + "/earned-value").first, 403);
  EXPECT_EQ(page(Token("carol", {}), "/risks").first, 403);  // no role at all
  EXPECT_EQ(page("not-a-token", "/risks").first, 401);
}

}  // namespace
}  // namespace pmo
