#include "services/reporting/domain/communication_plan.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/errors.h"
#include "libs/base/proto_time.h"
#include "libs/base/testing/status_matchers.h"

namespace pmo::reporting {
namespace {

using ::pmo::testing::StatusIs;
using ::pmo::testing::ViolatesRule;

void ApplyAll(CommunicationPlanAggregate& plan,
              absl::StatusOr<eventsourcing::Decision> d) {
  ASSERT_TRUE(d.ok()) << d.status();
  for (const auto& e : d->events) plan.Apply(*e, absl::Now());
}

class CommunicationPlanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ApplyAll(plan_, plan_.Create("plan-1", "Board reporting", start_));
    v1::Stakeholder sponsor;
    sponsor.set_stakeholder_id("s-1");
    sponsor.set_name("Sponsor");
    ApplyAll(plan_, plan_.AddStakeholder(sponsor));
  }
  v1::Distribution Daily(v1::Channel channel) {
    v1::Distribution d;
    d.set_distribution_id("d-1");
    d.set_stakeholder_id("s-1");
    d.mutable_report()->set_type(v1::REPORT_TYPE_PORTFOLIO_STATUS);
    d.mutable_report()->set_format(v1::REPORT_FORMAT_HTML);
    d.set_frequency(v1::FREQUENCY_DAILY);
    d.set_channel(channel);
    return d;
  }
  const absl::Time start_ = absl::FromUnixSeconds(1'800'000'000);
  CommunicationPlanAggregate plan_;
};

TEST_F(CommunicationPlanTest, RefusesADuplicateStakeholderAndBadFields) {
  v1::Stakeholder again;
  again.set_stakeholder_id("s-2");
  again.set_name("Sponsor");
  EXPECT_THAT(plan_.AddStakeholder(again),
              StatusIs(absl::StatusCode::kAlreadyExists));
  v1::Stakeholder bad;
  bad.set_webhook_url("ftp://example.invalid/hook");
  bad.add_project_ids("");
  auto refused = plan_.AddStakeholder(bad);
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kInvalidArgument));
  std::vector<std::string> fields;
  for (const FieldViolation& f : FieldViolationsOf(refused.status()))
    fields.push_back(f.field);
  EXPECT_THAT(fields, ::testing::UnorderedElementsAre("name", "webhook_url",
                                                      "project_ids[0]"));
  v1::Stakeholder with_credentials;
  with_credentials.set_name("Board");
  with_credentials.set_webhook_url(
      "https://user:password@hooks.example.invalid/pmo");
  EXPECT_THAT(with_credentials.webhook_url(), ::testing::HasSubstr("@"));
  EXPECT_THAT(plan_.AddStakeholder(with_credentials),
              StatusIs(absl::StatusCode::kInvalidArgument));
  v1::Stakeholder https;
  https.set_name("Board");
  https.set_webhook_url("https://hooks.example.invalid:8443/pmo?team=board");
  EXPECT_TRUE(plan_.AddStakeholder(https).ok());
}

TEST_F(CommunicationPlanTest, AWebhookDistributionNeedsAWebhook) {
  EXPECT_THAT(plan_.AddDistribution(Daily(v1::CHANNEL_WEBHOOK)),
              ViolatesRule("WEBHOOK_NOT_CONFIGURED"));
  v1::Distribution nobody = Daily(v1::CHANNEL_INBOX);
  nobody.set_stakeholder_id("s-9");
  nobody.set_frequency(v1::FREQUENCY_UNSPECIFIED);
  auto refused = plan_.AddDistribution(nobody);
  std::vector<std::string> fields;
  for (const FieldViolation& f : FieldViolationsOf(refused.status()))
    fields.push_back(f.field);
  EXPECT_THAT(fields,
              ::testing::UnorderedElementsAre("stakeholder_id", "frequency"));
}

TEST_F(CommunicationPlanTest, ARunIsRecordedOncePerSlot) {
  ApplyAll(plan_, plan_.AddDistribution(Daily(v1::CHANNEL_INBOX)));
  const absl::Time now = start_ + absl::Hours(50);  // slots 0, 1, 2 passed
  std::optional<DueRun> due = plan_.DueFor(plan_.state().distributions(0), now);
  ASSERT_TRUE(due.has_value());
  EXPECT_EQ(due->slot, start_ + absl::Hours(48));
  EXPECT_EQ(due->skipped_slots, 2);
  ApplyAll(plan_, plan_.RecordRun("d-1", *due, "item-1"));
  EXPECT_EQ(FromTimestamp(plan_.state().distributions(0).last_slot()),
            due->slot);
  // The same slot again (a retried tick) records nothing.
  auto again = plan_.RecordRun("d-1", *due, "item-1");
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->events.empty());
  EXPECT_FALSE(plan_.DueFor(plan_.state().distributions(0), now).has_value());
}

}  // namespace
}  // namespace pmo::reporting
