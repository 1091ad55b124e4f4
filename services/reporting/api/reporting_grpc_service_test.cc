// The reporting module's gRPC services on a real server on 127.0.0.1:0,
// its stores in real SQLite files, reading a projection whose answers are
// hand-built wire messages (so the conversion from them is checked too).

#include "services/reporting/api/reporting_grpc_service.h"

#include <grpcpp/create_channel.h>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "libs/base/testing/temp_dir.h"
#include "libs/grpcserver/service_host.h"
#include "services/reporting/reporting_module.h"

namespace pmo::reporting {
namespace {

namespace jv1 = ::pmo::projection::v1;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::UnorderedElementsAre;

std::vector<std::string> BadFields(const grpc::Status& s) {
  google::rpc::Status details;
  std::vector<std::string> out;
  if (!details.ParseFromString(s.error_details())) return out;
  for (const auto& any : details.details()) {
    google::rpc::BadRequest bad;
    if (any.UnpackTo(&bad)) {
      for (const auto& v : bad.field_violations()) out.push_back(v.field());
    }
  }
  return out;
}

// Two pages: ERP (GREEN, compliant, a milestone) then CRM.
absl::StatusOr<jv1::GetPortfolioOverviewResponse> TwoPages(
    std::vector<jv1::GetPortfolioOverviewRequest>* asked,
    const jv1::GetPortfolioOverviewRequest& request) {
  asked->push_back(request);
  jv1::GetPortfolioOverviewResponse r;
  r.mutable_status_date()->set_year(2027);
  r.mutable_status_date()->set_month(3);
  r.mutable_status_date()->set_day(31);
  jv1::ProjectOverview* p = r.add_projects();
  if (request.page_token().empty()) {
    p->set_project_id("11111111-1111-4111-8111-111111111111");
    p->set_code("ERP");
    p->set_name("ERP <rollout>");
    p->set_status(pmo::projects::v1::PROJECT_STATUS_ACTIVE);
    p->set_health(pmo::projects::v1::HEALTH_GREEN);
    p->set_compliance(pmo::configuration::v1::COMPLIANCE_STATUS_COMPLIANT);
    p->set_next_milestone("Go-live");
    p->mutable_next_milestone_date()->set_year(2027);
    p->mutable_next_milestone_date()->set_month(6);
    p->mutable_next_milestone_date()->set_day(30);
    p->mutable_earned_value()->set_schedule_performance_index(0.96);
    r.set_next_page_token("page-2");
  } else {
    p->set_project_id("22222222-2222-4222-8222-222222222222");
    p->set_code("CRM");
    p->set_name("CRM");
  }
  return r;
}

// ERP's open threats: supplier (P4 x I5, 40,000) and staff (P2 x I3,
// 6,000); an opportunity (P3 x I3) that stays off the threat heat map.
jv1::ListRiskRegisterResponse ErpRegister() {
  jv1::ListRiskRegisterResponse r;
  r.mutable_status_date()->set_year(2027);
  r.mutable_status_date()->set_month(3);
  r.mutable_status_date()->set_day(31);
  auto add = [&r](const std::string& title, jv1::RegisterEntryKind kind, int p,
                  int i, int64_t ev) {
    jv1::RegisterEntry* e = r.add_entries();
    e->set_id("risk-" + title);
    e->set_kind(kind);
    e->set_scope_id("11111111-1111-4111-8111-111111111111");
    e->set_project_code("ERP");
    e->set_title(title);
    e->set_open(true);
    e->set_probability(p);
    e->set_impact(i);
    e->set_expected_value_minor(ev);
  };
  add("supplier", jv1::REGISTER_ENTRY_KIND_THREAT, 4, 5, 40'000);
  add("staff", jv1::REGISTER_ENTRY_KIND_THREAT, 2, 3, 6'000);
  add("reuse", jv1::REGISTER_ENTRY_KIND_OPPORTUNITY, 3, 3, 8'000);
  return r;
}

jv1::GetRiskExposureHistoryResponse ErpExposure() {
  jv1::GetRiskExposureHistoryResponse r;
  *r.mutable_status_date() = ErpRegister().status_date();
  jv1::ExposurePoint* p = r.add_points();
  *p->mutable_day() = r.status_date();
  p->set_risk_exposure_minor(46'000);
  p->set_opportunity_value_minor(8'000);
  return r;
}

class ReportingApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ProjectionCalls projection;
    projection.overview =
        [this](const jv1::GetPortfolioOverviewRequest& request, const Reader*) {
          return TwoPages(&asked_, request);
        };
    projection.risk_register = [](const jv1::ListRiskRegisterRequest&,
                                  const Reader*) {
      return absl::StatusOr<jv1::ListRiskRegisterResponse>(ErpRegister());
    };
    projection.exposure_history = [](const jv1::GetRiskExposureHistoryRequest&,
                                     const Reader*) {
      return absl::StatusOr<jv1::GetRiskExposureHistoryResponse>(ErpExposure());
    };
    auto module =
        ReportingModule::Open(dir_.File("reporting"), std::move(projection));
    ASSERT_TRUE(module.ok()) << module.status();
    module_ = *std::move(module);
    grpcserver::ServiceHostOptions options;
    options.listen_address = "127.0.0.1:0";
    options.log_requests = false;
    auto host =
        grpcserver::ServiceHost::Start(options, module_->grpc_services());
    ASSERT_TRUE(host.ok()) << host.status();
    host_ = *std::move(host);
    auto channel =
        grpc::CreateChannel(absl::StrCat("127.0.0.1:", host_->port()),
                            grpc::InsecureChannelCredentials());
    reports_ = v1::ReportsService::NewStub(channel);
    communication_ = v1::CommunicationService::NewStub(channel);
  }
  void TearDown() override {
    if (host_) host_->Stop(absl::Seconds(5));
  }

  ::pmo::testing::TempDir dir_;
  std::vector<jv1::GetPortfolioOverviewRequest> asked_;
  std::unique_ptr<ReportingModule> module_;
  std::unique_ptr<grpcserver::ServiceHost> host_;
  std::unique_ptr<v1::ReportsService::Stub> reports_;
  std::unique_ptr<v1::CommunicationService::Stub> communication_;
};

TEST_F(ReportingApiTest, AProjectReportReadsEveryPageAndKeepsThatProject) {
  v1::GetReportRequest request;
  request.mutable_spec()->set_type(v1::REPORT_TYPE_PORTFOLIO_STATUS);
  request.mutable_spec()->set_format(v1::REPORT_FORMAT_JSON);
  request.mutable_spec()->mutable_scope()->set_level(v1::SCOPE_LEVEL_PROJECT);
  request.mutable_spec()->mutable_scope()->set_id(
      "11111111-1111-4111-8111-111111111111");
  grpc::ClientContext ctx;
  v1::GetReportResponse response;
  ASSERT_TRUE(reports_->GetReport(&ctx, request, &response).ok());
  ASSERT_EQ(asked_.size(), 2u);
  EXPECT_EQ(asked_[1].page_token(), "page-2");
  EXPECT_EQ(asked_[0].page_size(), 1000);
  const std::string& json = response.report().content();
  EXPECT_EQ(response.report().title(),
            "Portfolio status - Project ERP - 2027-03-31");
  EXPECT_THAT(json,
              HasSubstr("\"code\":\"ERP\",\"name\":\"ERP \\u003crollout>\""));
  EXPECT_THAT(json, HasSubstr("\"status\":\"ACTIVE\""));
  EXPECT_THAT(
      json,
      HasSubstr("\"health\":\"GREEN\",\"reported_health\":\"\",\"spi\":0.9600,"
                "\"cpi\":null,\"next_milestone\":\"Go-live\","
                "\"next_milestone_date\":\"2027-06-30\""));
  EXPECT_THAT(json, HasSubstr("\"compliance\":\"COMPLIANT\""));
  EXPECT_THAT(json, Not(HasSubstr("CRM")));
}

TEST_F(ReportingApiTest, APortfolioScopeAndAsOfAreAskedOfTheProjection) {
  v1::GetReportRequest request;
  request.mutable_spec()->set_type(v1::REPORT_TYPE_COMPLIANCE);
  request.mutable_spec()->set_format(v1::REPORT_FORMAT_CSV);
  request.mutable_spec()->mutable_scope()->set_level(v1::SCOPE_LEVEL_PORTFOLIO);
  request.mutable_spec()->mutable_scope()->set_id("pf-1");
  request.mutable_spec()->mutable_as_of()->set_year(2027);
  request.mutable_spec()->mutable_as_of()->set_month(3);
  request.mutable_spec()->mutable_as_of()->set_day(31);
  grpc::ClientContext ctx;
  v1::GetReportResponse response;
  ASSERT_TRUE(reports_->GetReport(&ctx, request, &response).ok());
  EXPECT_EQ(asked_[0].portfolio_id(), "pf-1");
  EXPECT_EQ(asked_[0].as_of().day(), 31);
  EXPECT_THAT(response.report().content(),
              HasSubstr("code,name,compliance,open_findings\r\nERP,ERP "
                        "<rollout>,COMPLIANT,0\r\n"
                        "CRM,CRM,NOT_AUDITED,0\r\n"));
}

TEST_F(ReportingApiTest,
       ARiskReportIsBuiltFromTheRegisterAndTheExposureHistory) {
  v1::GetReportRequest request;
  request.mutable_spec()->set_type(v1::REPORT_TYPE_RISK);
  request.mutable_spec()->set_format(v1::REPORT_FORMAT_CSV);
  request.mutable_spec()->mutable_scope()->set_level(v1::SCOPE_LEVEL_PROJECT);
  request.mutable_spec()->mutable_scope()->set_id(
      "11111111-1111-4111-8111-111111111111");
  grpc::ClientContext ctx;
  v1::GetReportResponse response;
  const grpc::Status s = reports_->GetReport(&ctx, request, &response);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(response.report().title(), "Risk - Project ERP - 2027-03-31");
  const std::string& csv = response.report().content();
  // Impact 5 down to 1, probability 1 to 5 across.
  EXPECT_THAT(
      csv,
      HasSubstr(
          "impact,probability_1,probability_2,probability_3,probability_4,"
          "probability_5\r\n5,0,0,0,1,0\r\n4,0,0,0,0,0\r\n3,0,1,0,0,0\r\n"));
  EXPECT_THAT(
      csv, HasSubstr("1,supplier,ERP,4,5,40000\r\n2,staff,ERP,2,3,6000\r\n"));
  EXPECT_THAT(csv, HasSubstr("2027-03-31,46000,8000\r\n"));
}

TEST_F(ReportingApiTest, AReportWhoseViewIsNotWiredSaysWhichRpc) {
  v1::GetReportRequest request;
  request.mutable_spec()->set_type(v1::REPORT_TYPE_DEPENDENCIES);
  request.mutable_spec()->set_format(v1::REPORT_FORMAT_JSON);
  grpc::ClientContext ctx;
  v1::GetReportResponse response;
  const grpc::Status s = reports_->GetReport(&ctx, request, &response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNIMPLEMENTED);
  EXPECT_THAT(s.error_message(), HasSubstr("GetDependencyGraph"));
}

TEST_F(ReportingApiTest, BadRequestsNameTheirFields) {
  {
    v1::AddStakeholderRequest bad;
    bad.set_plan_id("not-a-uuid");
    bad.set_expected_version(0);
    grpc::ClientContext ctx;
    v1::AddStakeholderResponse r;
    const grpc::Status s = communication_->AddStakeholder(&ctx, bad, &r);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(BadFields(s), UnorderedElementsAre("request_id", "plan_id",
                                                   "expected_version"));
  }
  {
    v1::AddDistributionRequest bad;
    bad.set_request_id("d-1");
    bad.set_plan_id("11111111-1111-4111-8111-111111111111");
    bad.mutable_report()->set_type(v1::REPORT_TYPE_EARNED_VALUE);
    bad.mutable_report()->mutable_as_of()->set_year(2027);
    grpc::ClientContext ctx;
    v1::AddDistributionResponse r;
    const grpc::Status s = communication_->AddDistribution(&ctx, bad, &r);
    EXPECT_THAT(BadFields(s),
                UnorderedElementsAre("report.format", "report.as_of"));
  }
  {
    v1::ListInboxRequest bad;
    bad.set_stakeholder_id("11111111-1111-4111-8111-111111111111");
    bad.set_page_size(101);
    bad.set_after_sequence(-1);
    grpc::ClientContext ctx;
    v1::ListInboxResponse r;
    const grpc::Status s = communication_->ListInbox(&ctx, bad, &r);
    EXPECT_THAT(BadFields(s),
                UnorderedElementsAre("page_size", "after_sequence"));
  }
  {
    v1::CreateCommunicationPlanRequest bad;
    bad.set_request_id("plan-1");
    grpc::ClientContext ctx;
    v1::CreateCommunicationPlanResponse r;
    const grpc::Status s =
        communication_->CreateCommunicationPlan(&ctx, bad, &r);
    EXPECT_THAT(BadFields(s), ElementsAre("name"));
  }
  {
    v1::GetCommunicationPlanRequest missing;
    missing.set_plan_id("11111111-1111-4111-8111-111111111111");
    grpc::ClientContext ctx;
    v1::GetCommunicationPlanResponse r;
    EXPECT_EQ(
        communication_->GetCommunicationPlan(&ctx, missing, &r).error_code(),
        grpc::StatusCode::NOT_FOUND);
  }
}

TEST_F(ReportingApiTest, TheWatchStreamReceivesAnAnnouncementAsItLands) {
  v1::CreateCommunicationPlanRequest create;
  create.set_request_id("plan-1");
  create.set_name("Programme board");
  grpc::ClientContext c1;
  v1::CreateCommunicationPlanResponse plan;
  ASSERT_TRUE(communication_->CreateCommunicationPlan(&c1, create, &plan).ok());
  v1::AddStakeholderRequest add;
  add.set_request_id("sponsor");
  add.set_plan_id(plan.plan().plan_id());
  add.set_name("Sponsor");
  add.add_project_ids("11111111-1111-4111-8111-111111111111");
  grpc::ClientContext c2;
  v1::AddStakeholderResponse added;
  ASSERT_TRUE(communication_->AddStakeholder(&c2, add, &added).ok());
  // A retried request names the same stakeholder and adds nobody.
  grpc::ClientContext c3;
  v1::AddStakeholderResponse again;
  ASSERT_TRUE(communication_->AddStakeholder(&c3, add, &again).ok());
  EXPECT_EQ(again.stakeholder_id(), added.stakeholder_id());
  EXPECT_EQ(again.plan().stakeholders_size(), 1);

  grpc::ClientContext watch_ctx;
  watch_ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
  v1::WatchInboxRequest watch;
  watch.set_stakeholder_id(added.stakeholder_id());
  auto stream = communication_->WatchInbox(&watch_ctx, watch);

  v1::PublishAnnouncementRequest announce;
  announce.set_request_id("gate-3");
  announce.set_title("Gate 3 changes");
  announce.set_body("Gate 3 now needs a benefits review.");
  announce.add_project_ids("11111111-1111-4111-8111-111111111111");
  grpc::ClientContext c4;
  c4.AddMetadata("x-pmo-principal", "pmo-office");
  v1::PublishAnnouncementResponse published;
  ASSERT_TRUE(
      communication_->PublishAnnouncement(&c4, announce, &published).ok());
  EXPECT_THAT(published.stakeholder_ids(), ElementsAre(added.stakeholder_id()));

  v1::WatchInboxResponse item;
  ASSERT_TRUE(stream->Read(&item));
  EXPECT_EQ(item.item().sequence(), 1);
  EXPECT_EQ(item.item().announcement().title(), "Gate 3 changes");
  EXPECT_EQ(item.item().announcement().author(), "pmo-office");
  watch_ctx.TryCancel();
  while (stream->Read(&item)) {
  }
  (void)stream->Finish();
}

TEST_F(ReportingApiTest, ItemScopesNameTheRecordsOwnersNotWhatTheRequestSays) {
  v1::CreateCommunicationPlanRequest create;
  create.set_request_id("plan-1");
  create.set_name("Board");
  grpc::ClientContext c1;
  v1::CreateCommunicationPlanResponse plan;
  ASSERT_TRUE(communication_->CreateCommunicationPlan(&c1, create, &plan).ok());
  v1::AddStakeholderRequest add;
  add.set_request_id("jane");
  add.set_plan_id(plan.plan().plan_id());
  add.set_name("Jane");
  add.set_principal("jane");
  add.add_project_ids("p-erp");
  grpc::ClientContext c2;
  v1::AddStakeholderResponse jane;
  ASSERT_TRUE(communication_->AddStakeholder(&c2, add, &jane).ok());
  EXPECT_EQ(jane.plan().stakeholders(0).principal(), "jane");

  const auth::ItemScopes& scopes = *module_->communication_grpc_service;
  const auto* service =
      v1::ListInboxRequest::descriptor()->file()->FindServiceByName(
          "CommunicationService");
  ASSERT_NE(service, nullptr);
  v1::ListInboxRequest list;
  list.set_stakeholder_id(jane.stakeholder_id());
  auto inbox = scopes.ScopeOf(*service->FindMethodByName("ListInbox"), list);
  ASSERT_TRUE(inbox.ok()) << inbox.status();
  ASSERT_TRUE(inbox->has_value());
  EXPECT_THAT((*inbox)->owners, ElementsAre("jane"));
  EXPECT_TRUE((*inbox)->project_ids.empty());
  v1::WatchInboxRequest watch;
  watch.set_stakeholder_id("11111111-1111-4111-8111-111111111111");
  EXPECT_EQ(scopes.ScopeOf(*service->FindMethodByName("WatchInbox"), watch)
                .status()
                .code(),
            absl::StatusCode::kNotFound);

  v1::GetCommunicationPlanRequest get;
  get.set_plan_id(plan.plan().plan_id());
  auto whole =
      scopes.ScopeOf(*service->FindMethodByName("GetCommunicationPlan"), get);
  ASSERT_TRUE(whole.ok() && whole->has_value());
  EXPECT_THAT((*whole)->project_ids, ElementsAre("p-erp"));
  v1::AddDistributionRequest distribute;
  distribute.set_plan_id(plan.plan().plan_id());
  distribute.set_stakeholder_id(jane.stakeholder_id());
  auto to_jane =
      scopes.ScopeOf(*service->FindMethodByName("AddDistribution"), distribute);
  ASSERT_TRUE(to_jane.ok() && to_jane->has_value());
  EXPECT_THAT((*to_jane)->project_ids, ElementsAre("p-erp"));
  // Not keyed by an item this service resolves: the request's projects decide.
  EXPECT_FALSE(
      scopes.ScopeOf(*service->FindMethodByName("AddStakeholder"), add)
          ->has_value());

  // A stakeholder in no project makes the plan PMO-wide.
  add.set_request_id("board");
  add.set_name("Board");
  add.clear_project_ids();
  grpc::ClientContext c3;
  v1::AddStakeholderResponse board;
  ASSERT_TRUE(communication_->AddStakeholder(&c3, add, &board).ok());
  whole =
      scopes.ScopeOf(*service->FindMethodByName("GetCommunicationPlan"), get);
  ASSERT_TRUE(whole.ok() && whole->has_value());
  EXPECT_TRUE((*whole)->project_ids.empty());

  // Reading an unknown stakeholder's inbox is NOT_FOUND for anyone.
  v1::ListInboxRequest unknown;
  unknown.set_stakeholder_id("11111111-1111-4111-8111-111111111111");
  grpc::ClientContext c4;
  v1::ListInboxResponse listed;
  EXPECT_EQ(communication_->ListInbox(&c4, unknown, &listed).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

}  // namespace
}  // namespace pmo::reporting
