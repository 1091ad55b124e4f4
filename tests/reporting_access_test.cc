// The reporting service's access rules with real tokens against a secured
// `pmo` started without --webhook_allow (docs/security.md):
//  - a project manager adding a stakeholder learns nothing of the plan's
//    other projects (their stakeholders, webhook URLs);
//  - a webhook to loopback, link-local or private addresses is refused,
//    naming the field, and nothing is recorded;
//  - a stakeholder reads their own inbox and no one else's;
//  - a report of a project nobody knows is NOT_FOUND.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "tests/support/managed_portfolio.h"

namespace pmo {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

namespace rv1 = ::pmo::reporting::v1;

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

class ReportingAccessTest : public testing::ManagedPortfolioTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(ManagedPortfolioTest::SetUp());
    communication_ = rv1::CommunicationService::NewStub(channel_);
    rv1::CreateCommunicationPlanRequest create;
    create.set_request_id("board");
    create.set_name("Programme board");
    rv1::CreateCommunicationPlanResponse created;
    const grpc::Status s = As(admin_, [&](auto* c) {
      return communication_->CreateCommunicationPlan(c, create, &created);
    });
    ASSERT_TRUE(s.ok()) << s.error_message();
    plan_id_ = created.plan().plan_id();
  }

  grpc::Status AddStakeholder(const std::string& token, const std::string& name,
                              const std::string& project_id,
                              const std::string& webhook_url,
                              const std::string& principal,
                              rv1::AddStakeholderResponse* added) {
    rv1::AddStakeholderRequest add;
    add.set_request_id("add-" + name);
    add.set_plan_id(plan_id_);
    add.set_name(name);
    add.add_project_ids(project_id);
    add.set_webhook_url(webhook_url);
    if (!webhook_url.empty()) add.set_webhook_secret("0123456789abcdef-secret");
    add.set_principal(principal);
    return As(token, [&](auto* c) {
      return communication_->AddStakeholder(c, add, added);
    });
  }

  rv1::CommunicationPlan Plan() {
    rv1::GetCommunicationPlanRequest get;
    get.set_plan_id(plan_id_);
    rv1::GetCommunicationPlanResponse got;
    const grpc::Status s = As(admin_, [&](auto* c) {
      return communication_->GetCommunicationPlan(c, get, &got);
    });
    EXPECT_TRUE(s.ok()) << s.error_message();
    return got.plan();
  }

  grpc::Status Inbox(const std::string& token,
                     const std::string& stakeholder_id,
                     rv1::ListInboxResponse* listed) {
    rv1::ListInboxRequest list;
    list.set_stakeholder_id(stakeholder_id);
    return As(token, [&](auto* c) {
      return communication_->ListInbox(c, list, listed);
    });
  }

  std::unique_ptr<rv1::CommunicationService::Stub> communication_;
  std::string plan_id_;
};

TEST_F(ReportingAccessTest,
       AManagerAddingAStakeholderLearnsNothingOfOtherProjects) {
  rv1::AddStakeholderResponse crm_sponsor;
  ASSERT_TRUE(AddStakeholder(admin_, "CRM sponsor", crm_,
                             "https://crm-board.example.com/hook", "carol",
                             &crm_sponsor)
                  .ok());
  rv1::AddStakeholderResponse added;
  const grpc::Status s =
      AddStakeholder(alice_, "ERP sponsor", erp_, "", "", &added);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(added.plan().plan_id(), plan_id_);
  EXPECT_EQ(added.plan().version(), 3);
  ASSERT_EQ(added.plan().stakeholders_size(), 1);
  EXPECT_EQ(added.plan().stakeholders(0).stakeholder_id(),
            added.stakeholder_id());
  const std::string answer = added.SerializeAsString();
  EXPECT_THAT(answer, Not(HasSubstr("crm-board.example.com")));
  EXPECT_THAT(answer, Not(HasSubstr("CRM sponsor")));
  EXPECT_THAT(answer, Not(HasSubstr(crm_)));
  // The whole plan is still refused to her (it holds CRM's stakeholder).
  rv1::GetCommunicationPlanRequest get;
  get.set_plan_id(plan_id_);
  rv1::GetCommunicationPlanResponse got;
  EXPECT_EQ(As(alice_,
               [&](auto* c) {
                 return communication_->GetCommunicationPlan(c, get, &got);
               })
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // Nor may she distribute a report to CRM's stakeholder, or a portfolio
  // report to her own.
  rv1::AddDistributionRequest to_crm;
  to_crm.set_request_id("to-crm");
  to_crm.set_plan_id(plan_id_);
  to_crm.set_stakeholder_id(crm_sponsor.stakeholder_id());
  to_crm.mutable_report()->set_type(rv1::REPORT_TYPE_PORTFOLIO_STATUS);
  to_crm.mutable_report()->set_format(rv1::REPORT_FORMAT_JSON);
  to_crm.mutable_report()->mutable_scope()->set_level(rv1::SCOPE_LEVEL_PROJECT);
  to_crm.mutable_report()->mutable_scope()->set_id(erp_);
  to_crm.set_frequency(rv1::FREQUENCY_WEEKLY);
  to_crm.set_channel(rv1::CHANNEL_INBOX);
  rv1::AddDistributionResponse distributed;
  EXPECT_EQ(As(alice_,
               [&](auto* c) {
                 return communication_->AddDistribution(c, to_crm,
                                                        &distributed);
               })
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  rv1::AddDistributionRequest portfolio = to_crm;
  portfolio.set_request_id("portfolio");
  portfolio.set_stakeholder_id(added.stakeholder_id());
  portfolio.mutable_report()->mutable_scope()->set_level(
      rv1::SCOPE_LEVEL_PORTFOLIO);
  portfolio.mutable_report()->mutable_scope()->set_id(corp_);
  EXPECT_EQ(As(alice_,
               [&](auto* c) {
                 return communication_->AddDistribution(c, portfolio,
                                                        &distributed);
               })
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // Her own project's report to her own stakeholder: allowed, and the
  // answer again holds her part of the plan only.
  rv1::AddDistributionRequest own = to_crm;
  own.set_request_id("own");
  own.set_stakeholder_id(added.stakeholder_id());
  const grpc::Status ok = As(alice_, [&](auto* c) {
    return communication_->AddDistribution(c, own, &distributed);
  });
  ASSERT_TRUE(ok.ok()) << ok.error_message();
  EXPECT_THAT(distributed.SerializeAsString(),
              Not(HasSubstr("crm-board.example.com")));
  EXPECT_EQ(distributed.plan().distributions_size(), 1);
}

TEST_F(ReportingAccessTest,
       AWebhookToAPrivateAddressIsRefusedWithoutTheAllowFlag) {
  const int64_t version = Plan().version();
  for (const std::string url :
       {"https://127.0.0.1:9/hook", "https://169.254.169.254/latest",
        "https://10.0.0.1/hook", "https://[::1]/hook", "https://localhost/hook",
        "http://203.0.113.7/hook"}) {
    rv1::AddStakeholderResponse added;
    const grpc::Status s =
        AddStakeholder(alice_, "Hook", erp_, url, "", &added);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << url;
    EXPECT_THAT(BadFields(s), ElementsAre("webhook_url")) << url;
  }
  const rv1::CommunicationPlan plan = Plan();
  EXPECT_EQ(plan.version(), version);
  EXPECT_EQ(plan.stakeholders_size(), 0);
}

TEST_F(ReportingAccessTest, AStakeholderReadsTheirOwnInboxOnly) {
  rv1::AddStakeholderResponse jane, carol;
  ASSERT_TRUE(AddStakeholder(admin_, "Jane", erp_, "", "jane", &jane).ok());
  ASSERT_TRUE(AddStakeholder(admin_, "Carol", crm_, "", "carol", &carol).ok());
  rv1::PublishAnnouncementRequest announce;
  announce.set_request_id("gate");
  announce.set_title("Gate review");
  announce.set_body("Gate 3 on Friday.");
  announce.add_project_ids(erp_);
  announce.add_project_ids(crm_);
  rv1::PublishAnnouncementResponse published;
  const grpc::Status p = As(admin_, [&](auto* c) {
    return communication_->PublishAnnouncement(c, announce, &published);
  });
  ASSERT_TRUE(p.ok()) << p.error_message();

  const std::string jane_token = Token("jane", {"stakeholder"});
  rv1::ListInboxResponse listed;
  const grpc::Status own = Inbox(jane_token, jane.stakeholder_id(), &listed);
  ASSERT_TRUE(own.ok()) << own.error_message();
  ASSERT_EQ(listed.items_size(), 1);
  EXPECT_EQ(listed.items(0).announcement().title(), "Gate review");
  rv1::ListInboxResponse other;
  EXPECT_EQ(Inbox(jane_token, carol.stakeholder_id(), &other).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(other.items_size(), 0);
  // Watching is reading: her own stream opens, Carol's is refused.
  rv1::WatchInboxRequest watch;
  watch.set_stakeholder_id(carol.stakeholder_id());
  grpc::ClientContext context;
  grpcclient::ClientSecurity with_token = mtls_;
  with_token.bearer_token = jane_token;
  grpcclient::AddCallCredentials(context, with_token);
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  auto stream = communication_->WatchInbox(&context, watch);
  rv1::WatchInboxResponse item;
  EXPECT_FALSE(stream->Read(&item));
  EXPECT_EQ(stream->Finish().error_code(), grpc::StatusCode::PERMISSION_DENIED);
  // An unknown stakeholder is NOT_FOUND.
  EXPECT_EQ(Inbox(jane_token, "11111111-1111-4111-8111-111111111111", &other)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
  // A manager of the project reads no stakeholder's inbox (a plan is
  // PMO-wide; the inbox may hold reports of other scopes).
  EXPECT_EQ(Inbox(alice_, jane.stakeholder_id(), &other).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(ReportingAccessTest, AReportOfAnUnknownProjectIsNotFound) {
  const grpc::Status unknown = Report(admin_, rv1::SCOPE_LEVEL_PROJECT,
                                      "99999999-9999-4999-8999-999999999999");
  EXPECT_EQ(unknown.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(unknown.error_message(), HasSubstr("spec.scope"));
  EXPECT_TRUE(Report(admin_, rv1::SCOPE_LEVEL_PROJECT, erp_).ok());
}

}  // namespace
}  // namespace pmo
