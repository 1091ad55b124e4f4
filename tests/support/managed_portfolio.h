#pragma once

// A secured all-in-one `pmo` (mutual TLS, RS256 tokens from a JWKS file,
// the web dashboard on loopback) holding a small portfolio that tests of a
// project manager's narrowed views read: over gRPC, on pmo's dashboard, and
// on pmo-reporting's dashboard reading pmo as its projection.
//
// Three projects: ERP (alice's) and CRM (bob's) in programme DIGITAL of
// portfolio CORP, HR in none. ERP and CRM each have a threat (expected
// value 5,000 and 6,000 at 31 March 2027), book the same person at 60 %
// on 1-5 March 2027 (24 hours each that week) and use the same tool (2 and
// 3 seats). CRM's Integrate follows ERP's Design; HR's Train follows CRM's
// Integrate. Alice must see ERP's figures only: the programme's roll-up is
// ERP alone, the shared person's other load one anonymous share, the
// tool's other use left out, and the HR link not at all.

#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/auth/testing/token_issuer.h"
#include "libs/base/testing/temp_dir.h"
#include "libs/grpcclient/client_security.h"
#include "libs/operability/testing/https_get.h"
#include "pmo/configuration/v1/tools_service.grpc.pb.h"
#include "pmo/projection/v1/portfolio_service.grpc.pb.h"
#include "pmo/projection/v1/views_service.grpc.pb.h"
#include "pmo/projects/v1/portfolios_service.grpc.pb.h"
#include "pmo/projects/v1/projects_service.grpc.pb.h"
#include "pmo/reporting/v1/reporting_service.grpc.pb.h"
#include "pmo/resources/v1/resources_service.grpc.pb.h"
#include "pmo/risks/v1/risks_service.grpc.pb.h"
#include "tests/support/grpc_testing.h"
#include "tests/support/project_requests.h"
#include "tests/support/service_process.h"
#include "tests/support/test_pki.h"

namespace pmo::testing {

namespace cv1 = ::pmo::configuration::v1;
namespace jv1 = ::pmo::projection::v1;
namespace kv1 = ::pmo::risks::v1;
namespace pv1 = ::pmo::projects::v1;
namespace rsv1 = ::pmo::resources::v1;
namespace rv1 = ::pmo::reporting::v1;

inline google::type::Date Day(int y, int m, int d) {
  google::type::Date out;
  out.set_year(y);
  out.set_month(m);
  out.set_day(d);
  return out;
}

class ManagedPortfolioTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto pki = testing::MakeTestPki(dir_.path());
    ASSERT_TRUE(pki.ok()) << pki.status();
    pki_ = *pki;
    std::ofstream(JwksFile()) << issuer_.Jwks();
    server_ = std::make_unique<testing::ServiceProcess>(
        "pmo", std::vector<std::string>{
                   "--listen", "127.0.0.1:0", "--data_dir", dir_.File("data"),
                   "--tls_cert_file", pki->server_cert, "--tls_key_file",
                   pki->server_key, "--tls_client_ca_file", pki->ca_cert,
                   "--jwks_file", JwksFile(), "--jwt_issuer",
                   auth::testing::kTestIssuer, "--log_requests=false",
                   "--dashboard_listen", "127.0.0.1:0"});
    ASSERT_GT(server_->port, 0);
    dashboard_port_ = server_->PortPrintedBefore("pmo dashboard on port");
    ASSERT_GT(dashboard_port_, 0);
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

  std::string Token(const std::string& subject,
                    const std::vector<std::string>& roles,
                    const std::vector<std::string>& managed = {}) const {
    return issuer_.Sign(issuer_.Claims(subject, roles, managed));
  }

  // The file of the token issuer's public keys pmo verifies tokens with.
  std::string JwksFile() const { return dir_.File("jwks.json"); }

  // GET `target` from the web dashboard on `port` with `token`, over HTTPS
  // (pmo and pmo-reporting serve it with their --tls_cert_file, signed by
  // pki_'s CA): the HTTP status and the body, or 0 and libcurl's reason.
  std::pair<int, std::string> Page(int port, const std::string& token,
                                   const std::string& target) const {
    const testing::HttpsAnswer answer = testing::HttpsGet(
        port, target, pki_.ca_cert, {"Authorization: Bearer " + token});
    return {answer.status, answer.status != 0 ? answer.body : answer.error};
  }

  // Calls `rpc` with `token`, retrying while the callee has not learnt the
  // project yet (the resources and risks services learn it from events).
  template <typename Rpc>
  grpc::Status As(const std::string& token, Rpc rpc) {
    return testing::RetryWhileFailedPrecondition(
        [&] { return Call(token, rpc); });
  }

  // One call with `token`, no retry (a FAILED_PRECONDITION is an answer).
  template <typename Rpc>
  grpc::Status Call(const std::string& token, Rpc rpc) {
    grpc::ClientContext context;
    WithToken(context, token);
    return rpc(&context);
  }

  // Sets `context` up for one call over mutual TLS with `token` (no
  // authorization header when it is empty), ending within `deadline`.
  void WithToken(grpc::ClientContext& context, const std::string& token,
                 absl::Duration deadline = absl::Seconds(10)) const {
    context.set_deadline(absl::ToChronoTime(absl::Now() + deadline));
    if (token.empty()) return;
    grpcclient::ClientSecurity with_token = mtls_;
    with_token.bearer_token = token;
    grpcclient::AddCallCredentials(context, with_token);
  }

  std::string NewProject(const std::string& code,
                         const std::string& programme_id) {
    pv1::CreateProjectResponse created;
    EXPECT_TRUE(As(admin_, [&](auto* c) {
                  return projects_->CreateProject(
                      c, testing::NewProjectRequest(code), &created);
                }).ok());
    std::string id = created.project().project_id();
    if (!programme_id.empty()) {
      pv1::AssignProjectToProgrammeRequest assign;
      assign.set_request_id("assign-" + code);
      assign.set_project_id(id);
      assign.set_programme_id(programme_id);
      pv1::AssignProjectToProgrammeResponse assigned;
      EXPECT_TRUE(As(admin_, [&](auto* c) {
                    return portfolios_->AssignProjectToProgramme(c, assign,
                                                                 &assigned);
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
    EXPECT_TRUE(As(admin_, [&](auto* c) {
                  return projects_->AddTask(c, task, &added);
                }).ok());
    return added.task_id();
  }

  void Follows(const std::string& project_id, const std::string& task_id,
               const std::string& predecessor_project_id,
               const std::string& predecessor_task_id) {
    pv1::AddDependencyRequest link;
    link.set_request_id("link-" + task_id);
    link.set_project_id(project_id);
    link.mutable_predecessor()->set_project_id(predecessor_project_id);
    link.mutable_predecessor()->set_task_id(predecessor_task_id);
    link.set_successor_task_id(task_id);
    link.set_type(pv1::DEPENDENCY_TYPE_FINISH_TO_START);
    pv1::AddDependencyResponse linked;
    const grpc::Status s = As(admin_, [&](auto* c) {
      return projects_->AddDependency(c, link, &linked);
    });
    EXPECT_TRUE(s.ok()) << s.error_message();
  }

  void LoadPortfolio() {
    pv1::CreatePortfolioRequest corp;
    corp.set_request_id("corp");
    corp.set_code("CORP");
    corp.set_name("Corporate");
    pv1::CreatePortfolioResponse portfolio;
    ASSERT_TRUE(As(admin_, [&](auto* c) {
                  return portfolios_->CreatePortfolio(c, corp, &portfolio);
                }).ok());
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
    ASSERT_TRUE(As(admin_, [&](auto* c) {
                  return pool_->RegisterResource(c, person, &registered);
                }).ok());
    resource_ = registered.resource().resource_id();

    cv1::CatalogueToolRequest tool;
    tool.set_request_id("jira");
    tool.set_name("Jira");
    tool.set_vendor("Atlassian");
    tool.set_licence_model(cv1::LICENCE_MODEL_PER_USER);
    tool.set_licence_count(10);
    cv1::CatalogueToolResponse catalogued;
    ASSERT_TRUE(As(admin_, [&](auto* c) {
                  return tools_->CatalogueTool(c, tool, &catalogued);
                }).ok());

    erp_ = NewProject("ERP", digital_);
    crm_ = NewProject("CRM", digital_);
    hr_ = NewProject("HR", "");
    struct Plan {
      std::string id, code;
      int probability;
      int64_t impact_money;
      int seats;
    };
    for (const Plan& p :
         {Plan{erp_, "ERP", 3, 10'000, 2}, Plan{crm_, "CRM", 2, 20'000, 3}}) {
      kv1::IdentifyRiskRequest identify;
      identify.set_request_id("risk-" + p.code);
      identify.set_level(kv1::RISK_LEVEL_PROJECT);
      identify.set_scope_id(p.id);
      identify.set_kind(kv1::RISK_KIND_THREAT);
      identify.set_title("Supplier of " + p.code + " fails");
      identify.set_category("External/Suppliers");
      identify.set_owner("alice");
      kv1::IdentifyRiskResponse identified;
      ASSERT_TRUE(As(admin_, [&](auto* c) {
                    return risks_->IdentifyRisk(c, identify, &identified);
                  }).ok());
      kv1::AssessRiskRequest assess;
      assess.set_request_id("assess-" + p.code);
      assess.set_risk_id(identified.risk().risk_id());
      assess.mutable_assessment()->set_probability(p.probability);
      assess.mutable_assessment()->mutable_impact()->set_cost(2);
      assess.mutable_assessment()->set_cost_impact_minor(p.impact_money);
      kv1::AssessRiskResponse assessed;
      ASSERT_TRUE(As(admin_, [&](auto* c) {
                    return risks_->AssessRisk(c, assess, &assessed);
                  }).ok());

      rsv1::AllocateResourceRequest book;
      book.set_request_id("book-" + p.code);
      book.set_resource_id(resource_);
      book.set_project_id(p.id);
      *book.mutable_from() = Day(2027, 3, 1);
      *book.mutable_to() = Day(2027, 3, 5);
      book.set_unit(rsv1::ALLOCATION_UNIT_PERCENT);
      book.set_amount(60);
      rsv1::AllocateResourceResponse booked;
      const grpc::Status s = As(admin_, [&](auto* c) {
        return pool_->AllocateResource(c, book, &booked);
      });
      ASSERT_TRUE(s.ok()) << s.error_message();

      cv1::AssignToolToProjectRequest use;
      use.set_request_id("use-" + p.code);
      use.set_tool_id(catalogued.tool().tool_id());
      use.set_project_id(p.id);
      use.set_seats(p.seats);
      cv1::AssignToolToProjectResponse used;
      // The configuration service learns the project from events too: an
      // unknown one is NOT_FOUND until then.
      grpc::Status assigned;
      const absl::Time deadline = absl::Now() + absl::Seconds(60);
      do {
        assigned = As(admin_, [&](auto* c) {
          return tools_->AssignToolToProject(c, use, &used);
        });
        if (assigned.error_code() == grpc::StatusCode::NOT_FOUND)
          absl::SleepFor(absl::Milliseconds(100));
      } while (assigned.error_code() == grpc::StatusCode::NOT_FOUND &&
               absl::Now() < deadline);
      ASSERT_TRUE(assigned.ok()) << assigned.error_message();
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
      for (const auto& p : o.projects())
        complete += p.risk_exposure_minor() > 0 && p.bookings() > 0;
      if ((complete == 2 && g.dependencies_size() == 2 &&
           Configuration(admin_).tools_size() == 1 &&
           Configuration(admin_).tools(0).uses_size() == 2) ||
          absl::Now() > deadline) {
        break;
      }
    }
  }

  jv1::GetPortfolioOverviewResponse Overview(
      const std::string& token, grpc::Status* status = nullptr,
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
      return views_->GetDependencyGraph(c, jv1::GetDependencyGraphRequest(),
                                        &response);
    });
    return response;
  }
  jv1::GetConfigurationAcrossProjectsResponse Configuration(
      const std::string& token) {
    jv1::GetConfigurationAcrossProjectsResponse response;
    As(token, [&](auto* c) {
      return views_->GetConfigurationAcrossProjects(
          c, jv1::GetConfigurationAcrossProjectsRequest(), &response);
    });
    return response;
  }
  jv1::GetResourceLoadResponse Load(const std::string& token,
                                    const std::string& project_id,
                                    grpc::Status* status) {
    jv1::GetResourceLoadRequest request;
    *request.mutable_first_week() = Day(2027, 3, 1);
    request.set_weeks(1);
    request.set_project_id(project_id);
    jv1::GetResourceLoadResponse response;
    *status = As(token, [&](auto* c) {
      return views_->GetResourceLoad(c, request, &response);
    });
    return response;
  }
  jv1::ListRiskRegisterResponse Register(const std::string& token,
                                         const std::string& portfolio_id) {
    jv1::ListRiskRegisterRequest request;
    *request.mutable_as_of() = Day(2027, 3, 31);
    request.set_portfolio_id(portfolio_id);
    jv1::ListRiskRegisterResponse response;
    const grpc::Status s = As(token, [&](auto* c) {
      return views_->ListRiskRegister(c, request, &response);
    });
    EXPECT_TRUE(s.ok()) << s.error_message();
    return response;
  }
  int64_t LatestExposure(const std::string& token,
                         const std::string& programme_id) {
    jv1::GetRiskExposureHistoryRequest request;
    *request.mutable_as_of() = Day(2027, 3, 31);
    request.set_programme_id(programme_id);
    jv1::GetRiskExposureHistoryResponse response;
    const grpc::Status s = As(token, [&](auto* c) {
      return views_->GetRiskExposureHistory(c, request, &response);
    });
    EXPECT_TRUE(s.ok()) << s.error_message();
    return response.points().empty()
               ? -1
               : response.points().rbegin()->risk_exposure_minor();
  }
  grpc::Status Report(const std::string& token, rv1::ScopeLevel level,
                      const std::string& id, std::string* content = nullptr) {
    rv1::GetReportRequest request;
    request.mutable_spec()->set_type(rv1::REPORT_TYPE_PORTFOLIO_STATUS);
    request.mutable_spec()->set_format(rv1::REPORT_FORMAT_CSV);
    request.mutable_spec()->mutable_scope()->set_level(level);
    request.mutable_spec()->mutable_scope()->set_id(id);
    rv1::GetReportResponse response;
    grpc::Status s = As(token, [&](auto* c) {
      return reports_->GetReport(c, request, &response);
    });
    if (content != nullptr) *content = response.report().content();
    return s;
  }

  testing::TempDir dir_;
  testing::TestPki pki_;
  auth::testing::TokenIssuer issuer_;
  std::unique_ptr<testing::ServiceProcess> server_;
  int dashboard_port_ = 0;  // pmo's --dashboard_listen
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

}  // namespace pmo::testing
