#include "services/reporting/app/plan_handlers.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/errors.h"
#include "libs/base/testing/temp_dir.h"
#include "libs/eventstore/sqlite_event_store.h"
#include "services/reporting/adapters/sqlite_webhook_secrets.h"
#include "services/reporting/testing/mock_webhook_ports.h"

namespace pmo::reporting {
namespace {

using ::testing::_;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::NiceMock;
using ::testing::Return;

std::vector<std::string> FieldsOf(const absl::Status& s) {
  std::vector<std::string> out;
  for (const FieldViolation& v : FieldViolationsOf(s)) out.push_back(v.field);
  return out;
}

class PlanHandlersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store =
        eventstore::SqliteEventStore::Open(dir_.File("reporting-events.db"));
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    auto secrets =
        SqliteWebhookSecrets::Open(dir_.File("reporting-secrets.db"));
    ASSERT_TRUE(secrets.ok());
    secrets_ = *std::move(secrets);
    WebhookTargetPolicy policy;
    policy.set_resolver(
        [](const std::string&) -> absl::StatusOr<std::vector<std::string>> {
          return absl::UnavailableError("no DNS in this test");
        });
    plans_ = std::make_unique<PlanHandlers>(*store_, *secrets_, Clock::Real(),
                                            policy);
    auto plan = plans_->Create("Board", std::nullopt, Context("plan"));
    ASSERT_TRUE(plan.ok()) << plan.status();
    plan_id_ = plan->plan_id();
  }

  static eventsourcing::CommandContext Context(const std::string& request_id) {
    eventsourcing::CommandContext c;
    c.request_id = request_id;
    c.metadata.actor = "pmo-office";
    return c;
  }

  absl::StatusOr<std::pair<v1::CommunicationPlan, std::string>> Add(
      const std::string& name, const std::vector<std::string>& projects,
      const std::string& url = "", const std::string& principal = "") {
    v1::Stakeholder s;
    s.set_name(name);
    for (const std::string& p : projects) s.add_project_ids(p);
    s.set_webhook_url(url);
    s.set_principal(principal);
    return plans_->AddStakeholder(plan_id_, s,
                                  url.empty() ? "" : "0123456789abcdef-secret",
                                  Context("add-" + name));
  }

  int64_t StoredEvents() {
    auto all = store_->ReadAll(0, 100000);
    EXPECT_TRUE(all.ok());
    return all.ok() ? static_cast<int64_t>(all->size()) : -1;
  }

  ::pmo::testing::TempDir dir_;
  std::unique_ptr<eventstore::SqliteEventStore> store_;
  std::unique_ptr<WebhookSecrets> secrets_;
  std::unique_ptr<PlanHandlers> plans_;
  std::string plan_id_;
};

TEST_F(PlanHandlersTest, AWebhookToAPrivateAddressIsRefusedAndNothingIsKept) {
  const int64_t before = StoredEvents();
  for (const std::string url :
       {"https://127.0.0.1/hook", "https://169.254.169.254/latest",
        "https://10.0.0.1/hook", "http://203.0.113.7/hook",
        "https://localhost:8443/hook"}) {
    auto refused = Add("Sponsor", {"p-erp"}, url);
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument)
        << url;
    EXPECT_THAT(FieldsOf(refused.status()), ElementsAre("webhook_url")) << url;
  }
  EXPECT_EQ(StoredEvents(), before);
  auto plan = plans_->Get(plan_id_);
  ASSERT_TRUE(plan.ok());
  EXPECT_THAT(plan->stakeholders(), IsEmpty());
  EXPECT_TRUE(Add("Sponsor", {"p-erp"}, "https://203.0.113.7/hook").ok());
}

// The secret is stored before the event that names its stakeholder: a
// secrets store that refuses the write refuses the stakeholder, and nothing
// is appended.
TEST_F(PlanHandlersTest, ASecretsStoreThatRefusesTheWriteAddsNoStakeholder) {
  NiceMock<testing::MockWebhookSecrets> secrets;
  secrets.DelegateTo(*secrets_);
  EXPECT_CALL(secrets, Put(_, "0123456789abcdef-secret"))
      .WillOnce(Return(absl::UnavailableError("secrets file locked")));
  WebhookTargetPolicy policy;
  plans_ =
      std::make_unique<PlanHandlers>(*store_, secrets, Clock::Real(), policy);
  const int64_t before = StoredEvents();
  EXPECT_EQ(
      Add("Sponsor", {"p-erp"}, "https://203.0.113.7/hook").status().code(),
      absl::StatusCode::kUnavailable);
  EXPECT_EQ(StoredEvents(), before);
  auto plan = plans_->Get(plan_id_);
  ASSERT_TRUE(plan.ok());
  EXPECT_THAT(plan->stakeholders(), IsEmpty());
}

TEST_F(PlanHandlersTest, TextThatReachesHeadersOrFilesHasNoControlCharacters) {
  const int64_t before = StoredEvents();
  v1::Stakeholder s;
  s.set_name("Jane\r\nX-Injected: 1");
  s.set_role("sponsor\n");
  s.set_principal("jane\tdoe");
  s.add_project_ids("p-erp\x01");
  auto refused = plans_->AddStakeholder(plan_id_, s, "", Context("bad-text"));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(FieldsOf(refused.status()),
              ::testing::UnorderedElementsAre("name", "role", "principal",
                                              "project_ids[0]"));
  s.set_name(std::string("Jane") + "\xe2\x80\xa8" + "Doe");  // U+2028
  s.set_role("");
  s.set_principal(std::string(257, 'j'));
  s.set_project_ids(0, "p-erp");
  EXPECT_THAT(
      FieldsOf(plans_->AddStakeholder(plan_id_, s, "", Context("bad-text-2"))
                   .status()),
      ::testing::UnorderedElementsAre("name", "principal"));
  EXPECT_THAT(
      FieldsOf(plans_->Create("Board\r\n", std::nullopt, Context("bad-plan"))
                   .status()),
      ElementsAre("name"));
  EXPECT_EQ(StoredEvents(), before);
}

TEST_F(PlanHandlersTest, AStakeholderIsFoundByIdWithTheirPrincipal) {
  auto added = Add("Jane", {"p-erp"}, "", "jane.doe");
  ASSERT_TRUE(added.ok()) << added.status();
  auto found = plans_->FindStakeholder(added->second);
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(found->principal(), "jane.doe");
  EXPECT_EQ(plans_->FindStakeholder("11111111-1111-4111-8111-111111111111")
                .status()
                .code(),
            absl::StatusCode::kNotFound);
}

TEST(PlanSeenBy, AManagerSeesOnlyTheirProjectsStakeholdersAndDistributions) {
  v1::CommunicationPlan plan;
  plan.set_plan_id("plan-1");
  plan.set_name("Board");
  plan.set_version(7);
  auto stakeholder = [&plan](const std::string& id,
                             const std::vector<std::string>& projects) {
    v1::Stakeholder* s = plan.add_stakeholders();
    s->set_stakeholder_id(id);
    s->set_name(id);
    s->set_webhook_url("https://" + id + ".example.com/hook");
    for (const std::string& p : projects) s->add_project_ids(p);
  };
  stakeholder("erp-sponsor", {"erp"});
  stakeholder("crm-sponsor", {"crm"});
  stakeholder("both", {"erp", "crm"});
  stakeholder("nobody", {});
  auto distribution = [&plan](const std::string& id, const std::string& to,
                              v1::ScopeLevel level, const std::string& scope) {
    v1::Distribution* d = plan.add_distributions();
    d->set_distribution_id(id);
    d->set_stakeholder_id(to);
    d->mutable_report()->mutable_scope()->set_level(level);
    d->mutable_report()->mutable_scope()->set_id(scope);
  };
  distribution("erp-status", "erp-sponsor", v1::SCOPE_LEVEL_PROJECT, "erp");
  distribution("erp-portfolio", "erp-sponsor", v1::SCOPE_LEVEL_PORTFOLIO,
               "corp");
  distribution("crm-status", "crm-sponsor", v1::SCOPE_LEVEL_PROJECT, "crm");

  auth::Principal alice{"alice", {auth::Role::kProjectManager}, {"erp"}};
  const v1::CommunicationPlan seen = PlanSeenBy(plan, alice);
  EXPECT_EQ(seen.plan_id(), "plan-1");
  EXPECT_EQ(seen.version(), 7);
  ASSERT_EQ(seen.stakeholders_size(), 1);
  EXPECT_EQ(seen.stakeholders(0).stakeholder_id(), "erp-sponsor");
  ASSERT_EQ(seen.distributions_size(), 1);
  EXPECT_EQ(seen.distributions(0).distribution_id(), "erp-status");

  auth::Principal analyst{"ana", {auth::Role::kPmoAnalyst}, {}};
  EXPECT_EQ(PlanSeenBy(plan, analyst).stakeholders_size(), 4);
  auth::Principal stakeholder_only{"jane", {auth::Role::kStakeholder}, {}};
  EXPECT_THAT(PlanSeenBy(plan, stakeholder_only).stakeholders(), IsEmpty());
}

}  // namespace
}  // namespace pmo::reporting
