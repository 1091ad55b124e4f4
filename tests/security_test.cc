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
#include "tests/support/project_requests.h"
#include "tests/support/service_process.h"
#include "tests/support/test_pki.h"

namespace pmo {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using auth::testing::TokenIssuer;
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
    auto host = grpcserver::ServiceHost::Start(options, module_->grpc_services());
    ASSERT_TRUE(host.ok()) << host.status();
    host_ = *std::move(host);
    mtls_ = {.tls_ca_file = pki_.ca_cert,
             .tls_cert_file = pki_.client_cert,
             .tls_key_file = pki_.client_key};
    stub_ = pv1::ProjectsService::NewStub(testing::LoopbackChannel(host_->port(), mtls_));

    // Two projects, one per manager, created by the PMO administrator.
    alice_project_ = Create("ERP", admin_);
    bob_project_ = Create("CRM", admin_);
  }

  std::string Token(const std::string& subject, const std::vector<std::string>& roles,
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
    grpc::Status s = stub_->CreateProject(&context, testing::NewProjectRequest(code), &response);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return response.project().project_id();
  }

  grpc::Status AddTask(pv1::ProjectsService::Stub& stub, const std::string& project_id,
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
  grpc::Status AddTask(const std::string& project_id, const std::string& token) {
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
  const std::string alice = Token("alice", {"project_manager"}, {alice_project_});
  ASSERT_TRUE(AddTask(alice_project_, alice).ok());
  auto events = module_->store->ReadAll(0, 100);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 3u);
  EXPECT_EQ((*events)[0].metadata.actor, "pmo-admin-1");
  EXPECT_EQ((*events)[2].metadata.actor, "alice");
  for (const auto& event : *events) {
    EXPECT_THAT(event.payload, Not(HasSubstr(alice.substr(alice.rfind('.') + 1))));
    EXPECT_THAT(event.metadata.actor, Not(HasSubstr("Bearer")));
  }
}

TEST_F(SecuredProjectsTest, RefusesACallWithoutAToken) {
  const int64_t head = Head();
  grpc::Status s = AddTask(alice_project_, "");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED) << s.error_message();
  EXPECT_THAT(s.error_message(), HasSubstr("no bearer token"));
  EXPECT_EQ(Head(), head);
}

TEST_F(SecuredProjectsTest, RefusesAnExpiredToken) {
  const int64_t head = Head();
  const std::string expired = issuer_.Sign(issuer_.Claims(
      "pmo-admin-1", {"pmo_admin"}, {}, absl::Minutes(10), absl::Now() - absl::Hours(1)));
  grpc::Status s = AddTask(alice_project_, expired);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(s.error_message(), HasSubstr("expired"));
  EXPECT_THAT(s.error_message(), Not(HasSubstr(expired.substr(0, 16))));
  EXPECT_EQ(Head(), head);
}

TEST_F(SecuredProjectsTest, RefusesAWrongAudience) {
  const int64_t head = Head();
  grpc::Status s = AddTask(alice_project_, issuer_.Sign(issuer_.Claims(
                                               "pmo-admin-1", {"pmo_admin"}, {},
                                               absl::Minutes(10), absl::Now(), "billing")));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(s.error_message(), HasSubstr("audience"));
  EXPECT_EQ(Head(), head);
}

TEST_F(SecuredProjectsTest, RefusesAForgedSignature) {
  const int64_t head = Head();
  TokenIssuer forger;  // same kid, claims and issuer name; another key
  grpc::Status s = AddTask(alice_project_,
                           forger.Sign(forger.Claims("pmo-admin-1", {"pmo_admin"})));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(s.error_message(), HasSubstr("signature"));
  EXPECT_EQ(Head(), head);
}

TEST_F(SecuredProjectsTest, RefusesAManagerWritingToAnotherManagersProject) {
  const std::string alice = Token("alice", {"project_manager"}, {alice_project_});
  const int64_t head = Head();
  grpc::Status s = AddTask(bob_project_, alice);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(s.error_message(), HasSubstr("alice does not manage project " + bob_project_));
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
  ASSERT_TRUE(stub_->ListProjects(&context, pv1::ListProjectsRequest(), &list).ok());
  EXPECT_EQ(list.projects_size(), 2);
  const int64_t head = Head();
  EXPECT_EQ(AddTask(alice_project_, analyst).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Head(), head);
}

TEST_F(SecuredProjectsTest, RefusesAPlainTextClient) {
  const int64_t head = Head();
  auto plain = pv1::ProjectsService::NewStub(testing::LoopbackChannel(host_->port()));
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

TEST_F(SecuredProjectsTest, AServiceSendsTheTokenInItsFileAndFollowsItsRenewal) {
  // What pmo-reporting does with --client_token_file: the token rides on
  // the channel, and a renewed file is used from the next call on.
  const std::string token_file = dir_.File("service.token");
  std::ofstream(token_file) << admin_ << "\n";
  grpcclient::ClientSecurity service = mtls_;
  service.token_file = token_file;
  auto stub = pv1::ProjectsService::NewStub(testing::LoopbackChannel(host_->port(), service));
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
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED) << s.error_message();
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
  auto next_stub =
      pv1::ProjectsService::NewStub(testing::LoopbackChannel(host_->port(), next_mtls));
  EXPECT_EQ(AddTask(*next_stub, alice_project_, admin_).error_code(),
            grpc::StatusCode::UNAVAILABLE);
  for (const auto& [from, to] : {std::pair{next->server_cert, pki_.server_cert},
                                 std::pair{next->server_key, pki_.server_key},
                                 std::pair{next->ca_cert, pki_.ca_cert}}) {
    std::filesystem::copy_file(from, to + ".new");
    std::filesystem::rename(to + ".new", to);  // atomic: never a half-written file
  }
  // The server re-reads the files every second; a fresh channel each try so
  // no failed connection is cached.
  grpc::Status s;
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  do {
    absl::SleepFor(absl::Milliseconds(200));
    auto stub =
        pv1::ProjectsService::NewStub(testing::LoopbackChannel(host_->port(), next_mtls));
    s = AddTask(*stub, alice_project_, admin_);
  } while (!s.ok() && absl::Now() < deadline);
  EXPECT_TRUE(s.ok()) << s.error_message();
  // The old CA no longer vouches for the server.
  auto old_stub = pv1::ProjectsService::NewStub(testing::LoopbackChannel(host_->port(), mtls_));
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
  auto host = grpcserver::ServiceHost::Start(options, (*module)->grpc_services());
  ASSERT_TRUE(host.ok()) << host.status();
  auto stub = pv1::ProjectsService::NewStub(testing::LoopbackChannel((*host)->port()));
  auto list = [&](const TokenIssuer& issuer) {
    grpc::ClientContext context;
    context.AddMetadata("authorization",
                        "Bearer " + issuer.Sign(issuer.Claims("ana", {"pmo_analyst"})));
    pv1::ListProjectsResponse response;
    return stub->ListProjects(&context, pv1::ListProjectsRequest(), &response).error_code();
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

TEST(ServiceHostSecurityTest, RefusesToListenBeyondLoopbackWithoutTlsAndTokens) {
  grpcserver::ServiceHostOptions options;
  options.listen_address = "0.0.0.0:0";
  auto host = grpcserver::ServiceHost::Start(options, {});
  EXPECT_THAT(host, testing::StatusIs(absl::StatusCode::kFailedPrecondition,
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
              testing::StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("tls_cert_file")));
  options.security = {};
  options.security.jwks_file = "/nonexistent/jwks.json";
  options.security.jwt_issuer = "i";
  EXPECT_THAT(grpcserver::ServiceHost::Start(options, {}),
              testing::StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("jwks_file")));
}


// ---- A project manager's consolidated views (the all-in-one pmo) ----
//
// Three projects: ERP (alice's) and CRM (bob's) in programme DIGITAL of
// portfolio CORP, HR in none. ERP and CRM each have a threat (expected
// value 5,000 and 6,000 at 31 March 2027), book the same person at 60 %
// on 1-5 March 2027 (24 hours each that week) and use the same tool (2 and
// 3 seats). CRM's Integrate follows ERP's Design; HR's Train follows CRM's
// Integrate. Alice must see ERP's figures only: the programme's roll-up is
// ERP alone, the shared person's other load one anonymous share, the
// tool's other use left out, and the HR link not at all.

namespace jv1 = ::pmo::projection::v1;
namespace kv1 = ::pmo::risks::v1;
namespace rsv1 = ::pmo::resources::v1;
namespace cv1 = ::pmo::configuration::v1;
namespace rv1 = ::pmo::reporting::v1;

google::type::Date Day(int y, int m, int d) {
  google::type::Date out;
  out.set_year(y);
  out.set_month(m);
  out.set_day(d);
  return out;
}

class ManagerViewsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto pki = testing::MakeTestPki(dir_.path());
    ASSERT_TRUE(pki.ok()) << pki.status();
    std::ofstream(dir_.File("jwks.json")) << issuer_.Jwks();
    server_ = std::make_unique<testing::ServiceProcess>(
        "pmo", std::vector<std::string>{
                   "--listen", "127.0.0.1:0", "--data_dir", dir_.File("data"),
                   "--tls_cert_file", pki->server_cert, "--tls_key_file", pki->server_key,
                   "--tls_client_ca_file", pki->ca_cert, "--jwks_file", dir_.File("jwks.json"),
                   "--jwt_issuer", auth::testing::kTestIssuer, "--log_requests=false"});
    ASSERT_GT(server_->port, 0);
    mtls_ = {.tls_ca_file = pki->ca_cert,
             .tls_cert_file = pki->client_cert,
             .tls_key_file = pki->client_key};
    channel_ = testing::LoopbackChannel(server_->port, mtls_);
    projects_ = pv1::ProjectsService::NewStub(channel_);
    portfolios_ = pv1::PortfoliosService::NewStub(channel_);
    pool_ = rsv1::ResourcesService::NewStub(channel_);
    risks_ = kv1::RisksService::NewStub(channel_);
    tools_ = cv1::ToolsService::NewStub(channel_);
    portfolio_view_ = jv1::PortfolioService::NewStub(channel_);
    views_ = jv1::ConsolidatedViewsService::NewStub(channel_);
    reports_ = rv1::ReportsService::NewStub(channel_);
    ASSERT_NO_FATAL_FAILURE(LoadPortfolio());
    alice_ = Token("alice", {"project_manager"}, {erp_});
  }

  void TearDown() override {
    if (!server_) return;
    server_->process.Signal(SIGTERM);
    server_->process.Wait(absl::Seconds(60));
  }

  std::string Token(const std::string& subject, const std::vector<std::string>& roles,
                    const std::vector<std::string>& managed = {}) const {
    return issuer_.Sign(issuer_.Claims(subject, roles, managed));
  }

  // Calls `rpc` with `token`, retrying while the callee has not learnt the
  // project yet (the resources and risks services learn it from events).
  template <typename Rpc>
  grpc::Status As(const std::string& token, Rpc rpc) {
    return testing::RetryWhileFailedPrecondition([&] {
      grpc::ClientContext context;
      context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
      grpcclient::ClientSecurity with_token = mtls_;
      with_token.bearer_token = token;
      grpcclient::AddCallCredentials(context, with_token);
      return rpc(&context);
    });
  }

  std::string NewProject(const std::string& code, const std::string& programme_id) {
    pv1::CreateProjectResponse created;
    EXPECT_TRUE(As(admin_, [&](auto* c) {
                  return projects_->CreateProject(c, testing::NewProjectRequest(code), &created);
                }).ok());
    const std::string id = created.project().project_id();
    if (!programme_id.empty()) {
      pv1::AssignProjectToProgrammeRequest assign;
      assign.set_request_id("assign-" + code);
      assign.set_project_id(id);
      assign.set_programme_id(programme_id);
      pv1::AssignProjectToProgrammeResponse assigned;
      EXPECT_TRUE(As(admin_, [&](auto* c) {
                    return portfolios_->AssignProjectToProgramme(c, assign, &assigned);
                  }).ok());
    }
    return id;
  }

  std::string NewTask(const std::string& project_id, const std::string& name) {
    pv1::AddTaskRequest task;
    task.set_request_id("task-" + name);
    task.set_project_id(project_id);
    task.set_name(name);
    task.set_duration_days(10);
    pv1::AddTaskResponse added;
    EXPECT_TRUE(As(admin_, [&](auto* c) { return projects_->AddTask(c, task, &added); }).ok());
    return added.task_id();
  }

  void Follows(const std::string& project_id, const std::string& task_id,
               const std::string& predecessor_project_id, const std::string& predecessor_task_id) {
    pv1::AddDependencyRequest link;
    link.set_request_id("link-" + task_id);
    link.set_project_id(project_id);
    link.mutable_predecessor()->set_project_id(predecessor_project_id);
    link.mutable_predecessor()->set_task_id(predecessor_task_id);
    link.set_successor_task_id(task_id);
    link.set_type(pv1::DEPENDENCY_TYPE_FINISH_TO_START);
    pv1::AddDependencyResponse linked;
    const grpc::Status s = As(admin_, [&](auto* c) { return projects_->AddDependency(c, link, &linked); });
    EXPECT_TRUE(s.ok()) << s.error_message();
  }

  void LoadPortfolio() {
    pv1::CreatePortfolioRequest corp;
    corp.set_request_id("corp");
    corp.set_code("CORP");
    corp.set_name("Corporate");
    pv1::CreatePortfolioResponse portfolio;
    ASSERT_TRUE(As(admin_, [&](auto* c) { return portfolios_->CreatePortfolio(c, corp, &portfolio); }).ok());
    corp_ = portfolio.portfolio().portfolio_id();
    pv1::CreateProgrammeRequest digital;
    digital.set_request_id("digital");
    digital.set_code("DIGITAL");
    digital.set_name("Digital");
    digital.set_portfolio_id(corp_);
    pv1::CreateProgrammeResponse programme;
    ASSERT_TRUE(As(admin_, [&](auto* c) {
                  return portfolios_->CreateProgramme(c, digital, &programme);
                }).ok());
    digital_ = programme.programme().programme_id();

    rsv1::RegisterResourceRequest person;
    person.set_request_id("dana");
    person.set_name("Dana");
    person.set_kind(rsv1::RESOURCE_KIND_PERSON);
    for (bool working : {true, true, true, true, true, false, false}) {
      person.mutable_calendar()->add_working_weekdays(working);
    }
    person.mutable_calendar()->set_hours_per_day(8);
    *person.mutable_calendar()->mutable_employed_from() = Day(2027, 1, 1);
    rsv1::RegisterResourceResponse registered;
    ASSERT_TRUE(As(admin_, [&](auto* c) { return pool_->RegisterResource(c, person, &registered); }).ok());
    resource_ = registered.resource().resource_id();

    cv1::CatalogueToolRequest tool;
    tool.set_request_id("jira");
    tool.set_name("Jira");
    tool.set_vendor("Atlassian");
    tool.set_licence_model(cv1::LICENCE_MODEL_PER_USER);
    tool.set_licence_count(10);
    cv1::CatalogueToolResponse catalogued;
    ASSERT_TRUE(As(admin_, [&](auto* c) { return tools_->CatalogueTool(c, tool, &catalogued); }).ok());

    erp_ = NewProject("ERP", digital_);
    crm_ = NewProject("CRM", digital_);
    hr_ = NewProject("HR", "");
    struct Plan {
      std::string id, code;
      int probability;
      int64_t impact_money;
      int seats;
    };
    for (const Plan& p : {Plan{erp_, "ERP", 3, 10'000, 2}, Plan{crm_, "CRM", 2, 20'000, 3}}) {
      kv1::IdentifyRiskRequest identify;
      identify.set_request_id("risk-" + p.code);
      identify.set_level(kv1::RISK_LEVEL_PROJECT);
      identify.set_scope_id(p.id);
      identify.set_kind(kv1::RISK_KIND_THREAT);
      identify.set_title("Supplier of " + p.code + " fails");
      identify.set_category("External/Suppliers");
      identify.set_owner("alice");
      kv1::IdentifyRiskResponse identified;
      ASSERT_TRUE(As(admin_, [&](auto* c) { return risks_->IdentifyRisk(c, identify, &identified); }).ok());
      kv1::AssessRiskRequest assess;
      assess.set_request_id("assess-" + p.code);
      assess.set_risk_id(identified.risk().risk_id());
      assess.mutable_assessment()->set_probability(p.probability);
      assess.mutable_assessment()->mutable_impact()->set_cost(2);
      assess.mutable_assessment()->set_cost_impact_minor(p.impact_money);
      kv1::AssessRiskResponse assessed;
      ASSERT_TRUE(As(admin_, [&](auto* c) { return risks_->AssessRisk(c, assess, &assessed); }).ok());

      rsv1::AllocateResourceRequest book;
      book.set_request_id("book-" + p.code);
      book.set_resource_id(resource_);
      book.set_project_id(p.id);
      *book.mutable_from() = Day(2027, 3, 1);
      *book.mutable_to() = Day(2027, 3, 5);
      book.set_unit(rsv1::ALLOCATION_UNIT_PERCENT);
      book.set_amount(60);
      rsv1::AllocateResourceResponse booked;
      const grpc::Status s = As(admin_, [&](auto* c) { return pool_->AllocateResource(c, book, &booked); });
      ASSERT_TRUE(s.ok()) << s.error_message();

      cv1::AssignToolToProjectRequest use;
      use.set_request_id("use-" + p.code);
      use.set_tool_id(catalogued.tool().tool_id());
      use.set_project_id(p.id);
      use.set_seats(p.seats);
      cv1::AssignToolToProjectResponse used;
      ASSERT_TRUE(As(admin_, [&](auto* c) { return tools_->AssignToolToProject(c, use, &used); }).ok());
    }
    const std::string design = NewTask(erp_, "Design");
    const std::string integrate = NewTask(crm_, "Integrate");
    const std::string train = NewTask(hr_, "Train");
    Follows(crm_, integrate, erp_, design);
    Follows(hr_, train, crm_, integrate);

    // Until the consolidated view has taken everything in (seen by the
    // administrator): both threats, both bookings, both links.
    const absl::Time deadline = absl::Now() + absl::Seconds(90);
    for (;; absl::SleepFor(absl::Milliseconds(200))) {
      const jv1::GetPortfolioOverviewResponse o = Overview(admin_);
      const jv1::GetDependencyGraphResponse g = Graph(admin_);
      int complete = 0;
      for (const auto& p : o.projects()) complete += p.risk_exposure_minor() > 0 && p.bookings() > 0;
      if ((complete == 2 && g.dependencies_size() == 2 && Configuration(admin_).tools_size() == 1 &&
           Configuration(admin_).tools(0).uses_size() == 2) ||
          absl::Now() > deadline) {
        break;
      }
    }
  }

  jv1::GetPortfolioOverviewResponse Overview(const std::string& token, grpc::Status* status = nullptr,
                                             const std::string& portfolio_id = "") {
    jv1::GetPortfolioOverviewRequest request;
    *request.mutable_as_of() = Day(2027, 3, 31);
    request.set_portfolio_id(portfolio_id);
    jv1::GetPortfolioOverviewResponse response;
    const grpc::Status s = As(token, [&](auto* c) {
      return portfolio_view_->GetPortfolioOverview(c, request, &response);
    });
    if (status != nullptr) *status = s;
    return response;
  }
  jv1::GetDependencyGraphResponse Graph(const std::string& token) {
    jv1::GetDependencyGraphResponse response;
    As(token, [&](auto* c) {
      return views_->GetDependencyGraph(c, jv1::GetDependencyGraphRequest(), &response);
    });
    return response;
  }
  jv1::GetConfigurationAcrossProjectsResponse Configuration(const std::string& token) {
    jv1::GetConfigurationAcrossProjectsResponse response;
    As(token, [&](auto* c) {
      return views_->GetConfigurationAcrossProjects(
          c, jv1::GetConfigurationAcrossProjectsRequest(), &response);
    });
    return response;
  }
  jv1::GetResourceLoadResponse Load(const std::string& token, const std::string& project_id,
                                    grpc::Status* status) {
    jv1::GetResourceLoadRequest request;
    *request.mutable_first_week() = Day(2027, 3, 1);
    request.set_weeks(1);
    request.set_project_id(project_id);
    jv1::GetResourceLoadResponse response;
    *status = As(token, [&](auto* c) { return views_->GetResourceLoad(c, request, &response); });
    return response;
  }
  jv1::ListRiskRegisterResponse Register(const std::string& token, const std::string& portfolio_id) {
    jv1::ListRiskRegisterRequest request;
    *request.mutable_as_of() = Day(2027, 3, 31);
    request.set_portfolio_id(portfolio_id);
    jv1::ListRiskRegisterResponse response;
    const grpc::Status s =
        As(token, [&](auto* c) { return views_->ListRiskRegister(c, request, &response); });
    EXPECT_TRUE(s.ok()) << s.error_message();
    return response;
  }
  int64_t LatestExposure(const std::string& token, const std::string& programme_id) {
    jv1::GetRiskExposureHistoryRequest request;
    *request.mutable_as_of() = Day(2027, 3, 31);
    request.set_programme_id(programme_id);
    jv1::GetRiskExposureHistoryResponse response;
    const grpc::Status s =
        As(token, [&](auto* c) { return views_->GetRiskExposureHistory(c, request, &response); });
    EXPECT_TRUE(s.ok()) << s.error_message();
    return response.points().empty() ? -1 : response.points().rbegin()->risk_exposure_minor();
  }
  grpc::Status Report(const std::string& token, rv1::ScopeLevel level, const std::string& id,
                      std::string* content = nullptr) {
    rv1::GetReportRequest request;
    request.mutable_spec()->set_type(rv1::REPORT_TYPE_PORTFOLIO_STATUS);
    request.mutable_spec()->set_format(rv1::REPORT_FORMAT_CSV);
    request.mutable_spec()->mutable_scope()->set_level(level);
    request.mutable_spec()->mutable_scope()->set_id(id);
    rv1::GetReportResponse response;
    const grpc::Status s = As(token, [&](auto* c) { return reports_->GetReport(c, request, &response); });
    if (content != nullptr) *content = response.report().content();
    return s;
  }

  testing::TempDir dir_;
  TokenIssuer issuer_;
  std::unique_ptr<testing::ServiceProcess> server_;
  grpcclient::ClientSecurity mtls_;
  std::shared_ptr<grpc::Channel> channel_;
  const std::string admin_ = Token("pmo-admin-1", {"pmo_admin"});
  const std::string analyst_ = Token("ana", {"pmo_analyst"});
  std::string alice_;
  std::string corp_, digital_, resource_, erp_, crm_, hr_;

  std::unique_ptr<pv1::ProjectsService::Stub> projects_;
  std::unique_ptr<pv1::PortfoliosService::Stub> portfolios_;
  std::unique_ptr<rsv1::ResourcesService::Stub> pool_;
  std::unique_ptr<kv1::RisksService::Stub> risks_;
  std::unique_ptr<cv1::ToolsService::Stub> tools_;
  std::unique_ptr<jv1::PortfolioService::Stub> portfolio_view_;
  std::unique_ptr<jv1::ConsolidatedViewsService::Stub> views_;
  std::unique_ptr<rv1::ReportsService::Stub> reports_;
};

TEST_F(ManagerViewsTest, OverviewAndProjectListHoldOnlyTheManagersProjectsAndRollUpOverThem) {
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
  EXPECT_EQ(mine.programmes(0).risk_exposure_minor(), 5'000);  // not ERP's + CRM's 11,000
  ASSERT_EQ(mine.portfolios_size(), 1);
  EXPECT_EQ(mine.portfolios(0).projects(), 1);
  EXPECT_EQ(mine.portfolios(0).risk_exposure_minor(), 5'000);
  EXPECT_GT(mine.freshness().positions_size(), 0);  // the freshness block stays
  EXPECT_EQ(Overview(alice_, &s, corp_).projects_size(), 1);

  jv1::ListPortfolioProjectsResponse listed;
  s = As(alice_, [&](auto* c) {
    return portfolio_view_->ListPortfolioProjects(c, jv1::ListPortfolioProjectsRequest(), &listed);
  });
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(listed.projects_size(), 1);
  EXPECT_EQ(listed.projects(0).project_id(), erp_);
  EXPECT_EQ(Overview(analyst_).projects_size(), 3);

  // The whole view's digest stays the PMO's.
  jv1::GetPortfolioDigestResponse digest;
  EXPECT_EQ(As(alice_, [&](auto* c) {
              return portfolio_view_->GetPortfolioDigest(c, jv1::GetPortfolioDigestRequest(), &digest);
            }).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(ManagerViewsTest, ASharedResourceShowsTheManagersShareAndTheRestAsOneAnonymousShare) {
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
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED) << s.error_message();
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

TEST_F(ManagerViewsTest, DependenciesAndConfigurationTouchOnlyTheManagersProjects) {
  EXPECT_EQ(Graph(admin_).dependencies_size(), 2);
  const jv1::GetDependencyGraphResponse mine = Graph(alice_);
  ASSERT_EQ(mine.dependencies_size(), 1);  // CRM after ERP; not HR after CRM
  EXPECT_EQ(mine.dependencies(0).predecessor_project_id(), erp_);
  EXPECT_EQ(mine.dependencies(0).successor_project_id(), crm_);
  EXPECT_THAT(mine.DebugString(), Not(HasSubstr(hr_)));

  const jv1::GetConfigurationAcrossProjectsResponse config = Configuration(alice_);
  ASSERT_EQ(config.tools_size(), 1);
  ASSERT_EQ(config.tools(0).uses_size(), 1);
  EXPECT_EQ(config.tools(0).uses(0).project_id(), erp_);
  EXPECT_EQ(config.tools(0).uses(0).seats(), 2);
  EXPECT_EQ(config.tools(0).seats_used(), 5);  // the licence's total, as one figure
  EXPECT_THAT(config.DebugString(), Not(HasSubstr(crm_)));
}

TEST_F(ManagerViewsTest, AManagerGetsReportsOfTheirOwnProjectOnly) {
  std::string content;
  grpc::Status s = Report(alice_, rv1::SCOPE_LEVEL_PROJECT, erp_, &content);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_THAT(content, HasSubstr("ERP"));
  EXPECT_THAT(content, Not(HasSubstr("CRM")));
  for (auto [level, id] : {std::pair{rv1::SCOPE_LEVEL_PROJECT, crm_},
                           std::pair{rv1::SCOPE_LEVEL_PORTFOLIO, corp_},
                           std::pair{rv1::SCOPE_LEVEL_PROGRAMME, digital_},
                           std::pair{rv1::SCOPE_LEVEL_UNSPECIFIED, std::string()}}) {
    s = Report(alice_, level, id);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED) << rv1::ScopeLevel_Name(level);
    EXPECT_THAT(s.error_message(), HasSubstr("spec.scope"));
  }
  s = Report(analyst_, rv1::SCOPE_LEVEL_PORTFOLIO, corp_, &content);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_THAT(content, HasSubstr("CRM"));
}

}  // namespace
}  // namespace pmo
