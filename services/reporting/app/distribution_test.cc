#include "services/reporting/app/distribution.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/proto_time.h"
#include "libs/base/testing/status_matchers.h"
#include "libs/base/testing/temp_dir.h"
#include "libs/eventsourcing/event_codec.h"
#include "libs/eventstore/sqlite_event_store.h"
#include "services/reporting/adapters/sqlite_webhook_secrets.h"
#include "services/reporting/adapters/webhook_client.h"
#include "services/reporting/testing/mock_webhook_ports.h"
#include "services/reporting/testing/webhook_receiver.h"

namespace pmo::reporting {
namespace {

using ::testing::_;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::NiceMock;
using ::testing::Return;

// One project; the status date is the day asked for. Can be made to fail
// like an unreachable projection.
class OneProjectViews final : public ConsolidatedViews {
 public:
  absl::StatusOr<PortfolioSnapshot> Overview(
      const ViewScope&, std::optional<absl::CivilDay> as_of) override {
    if (unavailable) return absl::UnavailableError("projection unreachable");
    asked.push_back(as_of);
    PortfolioSnapshot s;
    s.status_date = as_of.value_or(absl::CivilDay(2027, 3, 1));
    ProjectFigures p;
    p.project_id = "p-erp";
    p.code = "ERP";
    p.name = "ERP rollout";
    p.health = "GREEN";
    s.projects.push_back(p);
    return s;
  }
  absl::StatusOr<ResourceLoad> ResourceLoadByWeek(
      const ViewScope&, std::optional<absl::CivilDay>) override {
    return absl::UnimplementedError("");
  }
  absl::StatusOr<RiskRegister> Risks(const ViewScope&,
                                     std::optional<absl::CivilDay>) override {
    return absl::UnimplementedError("");
  }
  absl::StatusOr<DependencyGraph> Dependencies(
      const ViewScope&, std::optional<absl::CivilDay>) override {
    return absl::UnimplementedError("");
  }
  bool unavailable = false;
  std::vector<std::optional<absl::CivilDay>> asked;
};

// The test receivers listen on 127.0.0.1 over http: allowed explicitly,
// as an operator would with --webhook_allow=127.0.0.1 --webhook_allow_http.
WebhookTargetPolicy LoopbackAllowed() {
  auto policy =
      WebhookTargetPolicy::FromAllowList("127.0.0.1", /*allow_http=*/true);
  EXPECT_TRUE(policy.ok()) << policy.status();
  return *policy;
}

absl::Time At(int y, int m, int d, int h = 7) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, h, 0, 0),
                         absl::UTCTimeZone());
}

class DistributionTest : public ::testing::Test {
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
    plans_ = std::make_unique<PlanHandlers>(*store_, *secrets_, clock_,
                                            LoopbackAllowed());
    inboxes_ = std::make_unique<InboxHandlers>(*store_, clock_);
    generator_ = std::make_unique<ReportGenerator>(views_, 2);
    distribution_ =
        std::make_unique<Distribution>(*store_, *plans_, *inboxes_, *generator_,
                                       *secrets_, sender_, clock_, retry_);
  }

  eventsourcing::CommandContext Context(const std::string& request_id) {
    eventsourcing::CommandContext c;
    c.request_id = request_id;
    c.metadata.actor = "pmo-office";
    return c;
  }

  // A plan starting at 07:00 on 1 March 2027 with one stakeholder and one
  // daily HTML status report to them.
  std::string PlanWithDailyReport(v1::Channel channel,
                                  const std::string& webhook_url = "") {
    auto plan = plans_->Create("Board reporting", At(2027, 3, 1),
                               Context("create-plan"));
    EXPECT_TRUE(plan.ok()) << plan.status();
    plan_id_ = plan->plan_id();
    v1::Stakeholder sponsor;
    sponsor.set_name("Sponsor");
    sponsor.add_project_ids("p-erp");
    sponsor.set_webhook_url(webhook_url);
    auto added = plans_->AddStakeholder(plan_id_, sponsor,
                                        webhook_url.empty() ? "" : kSecret,
                                        Context("add-sponsor"));
    EXPECT_TRUE(added.ok()) << added.status();
    v1::Distribution d;
    d.set_stakeholder_id(added->second);
    d.mutable_report()->set_type(v1::REPORT_TYPE_PORTFOLIO_STATUS);
    d.mutable_report()->set_format(v1::REPORT_FORMAT_HTML);
    d.set_frequency(v1::FREQUENCY_DAILY);
    d.set_channel(channel);
    auto distributed =
        plans_->AddDistribution(plan_id_, d, Context("add-daily"));
    EXPECT_TRUE(distributed.ok()) << distributed.status();
    return added->second;
  }

  std::vector<v1::InboxItem> Inbox(const std::string& stakeholder_id) {
    auto items = inboxes_->List(stakeholder_id, 0, 100);
    EXPECT_TRUE(items.ok());
    return items.ok() ? *items : std::vector<v1::InboxItem>{};
  }

  // Every event of `type` in the store, decoded.
  template <typename Event>
  std::vector<Event> EventsOf() {
    std::vector<Event> out;
    auto all = store_->ReadAll(0, 100000);
    EXPECT_TRUE(all.ok());
    for (const auto& e : *all) {
      if (e.event_type != Event::descriptor()->full_name()) continue;
      Event event;
      EXPECT_TRUE(event.ParseFromString(e.payload));
      out.push_back(event);
    }
    return out;
  }

  static constexpr char kSecret[] = "s3cret-signing-key-0123456789";
  ::pmo::testing::TempDir dir_;
  ManualClock clock_{At(2027, 3, 1, 8)};
  OneProjectViews views_;
  HttpWebhookSender sender_{absl::Seconds(5), "", LoopbackAllowed()};
  RetryPolicy retry_{absl::Seconds(2), absl::Minutes(10), 5};
  std::unique_ptr<eventstore::SqliteEventStore> store_;
  std::unique_ptr<WebhookSecrets> secrets_;
  std::unique_ptr<PlanHandlers> plans_;
  std::unique_ptr<InboxHandlers> inboxes_;
  std::unique_ptr<ReportGenerator> generator_;
  std::unique_ptr<Distribution> distribution_;
  std::string plan_id_;
};

TEST_F(DistributionTest, AMissedRunAfterDowntimeIsCaughtUpOnceNotManyTimes) {
  const std::string sponsor = PlanWithDailyReport(v1::CHANNEL_INBOX);
  EXPECT_EQ(distribution_->RunOnce().reports_delivered, 1);  // the 1 March slot
  EXPECT_EQ(distribution_->RunOnce().reports_delivered,
            0);  // nothing more today
  // Down from 1 March until 5 March 09:00: the slots of 2, 3, 4 and 5 March
  // have passed. One run catches up: the 5 March report, once.
  clock_.Set(At(2027, 3, 5, 9));
  EXPECT_EQ(distribution_->RunOnce().reports_delivered, 1);
  EXPECT_EQ(distribution_->RunOnce().reports_delivered, 0);

  const std::vector<v1::InboxItem> items = Inbox(sponsor);
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].sequence(), 1);
  EXPECT_EQ(items[1].sequence(), 2);
  EXPECT_EQ(FromTimestamp(items[1].report().slot()), At(2027, 3, 5));
  // Each slot's report is as of the slot's day.
  EXPECT_THAT(views_.asked, ElementsAre(absl::CivilDay(2027, 3, 1),
                                        absl::CivilDay(2027, 3, 5)));
  EXPECT_EQ(items[1].report().report().title(),
            "Portfolio status - Enterprise - 2027-03-05");
  EXPECT_THAT(items[1].report().report().content(), HasSubstr("ERP rollout"));
  const auto runs = EventsOf<v1::DistributionRun>();
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].skipped_slots(), 0);
  EXPECT_EQ(runs[1].skipped_slots(), 3);
  EXPECT_EQ(runs[1].inbox_item_id(), items[1].item_id());
}

TEST_F(DistributionTest, ADeliveryRepeatedAfterACrashLandsOnce) {
  const std::string sponsor = PlanWithDailyReport(v1::CHANNEL_INBOX);
  // As if a first tick delivered the item and crashed before recording the
  // run on the plan: the item is in the inbox, the slot is not recorded.
  auto plan = plans_->Get(plan_id_);
  ASSERT_TRUE(plan.ok());
  v1::InboxItem item;
  item.set_item_id(ScheduledItemId(
      plan_id_, plan->distributions(0).distribution_id(), At(2027, 3, 1)));
  item.mutable_report()->set_plan_id(plan_id_);
  ASSERT_OK(inboxes_->Deliver(sponsor, item, Context("")).status());

  EXPECT_EQ(distribution_->RunOnce().reports_delivered, 1);
  EXPECT_EQ(Inbox(sponsor).size(), 1u);
  EXPECT_EQ(EventsOf<v1::InboxItemDelivered>().size(), 1u);
  EXPECT_EQ(EventsOf<v1::DistributionRun>().size(), 1u);
}

TEST_F(DistributionTest, AnUnreachableProjectionLeavesTheSlotForTheNextTick) {
  const std::string sponsor = PlanWithDailyReport(v1::CHANNEL_INBOX);
  views_.unavailable = true;
  const TickSummary failed = distribution_->RunOnce();
  EXPECT_EQ(failed.reports_delivered, 0);
  EXPECT_EQ(failed.failures, 1);
  EXPECT_TRUE(Inbox(sponsor).empty());
  views_.unavailable = false;
  EXPECT_EQ(distribution_->RunOnce().reports_delivered, 1);
  EXPECT_EQ(Inbox(sponsor).size(), 1u);
}

TEST_F(DistributionTest,
       WebhooksAreSignedRetriedWithBackoffAndEveryAttemptRecorded) {
  testing::WebhookReceiver receiver({503, 204});
  PlanWithDailyReport(v1::CHANNEL_WEBHOOK, receiver.Url("/pmo"));

  TickSummary first =
      distribution_->RunOnce();  // delivered to the inbox; POST answered 503
  EXPECT_EQ(first.reports_delivered, 1);
  EXPECT_EQ(first.webhook_attempts, 1);
  EXPECT_EQ(first.webhooks_delivered, 0);
  clock_.Advance(absl::Seconds(1));  // the back-off (2 s) has not passed
  EXPECT_EQ(distribution_->RunOnce().webhook_attempts, 0);
  clock_.Advance(absl::Seconds(1));
  TickSummary second = distribution_->RunOnce();
  EXPECT_EQ(second.webhook_attempts, 1);
  EXPECT_EQ(second.webhooks_delivered, 1);
  clock_.Advance(absl::Hours(1));
  EXPECT_EQ(distribution_->RunOnce().webhook_attempts, 0);  // delivered: done

  const std::vector<testing::ReceivedRequest> got = receiver.requests();
  ASSERT_EQ(got.size(), 2u);
  for (const testing::ReceivedRequest& r : got) {
    EXPECT_EQ(r.method, "POST");
    EXPECT_EQ(r.path, "/pmo");
    EXPECT_EQ(r.headers.at("content-type"), "text/html; charset=utf-8");
    EXPECT_THAT(
        r.body,
        HasSubstr("<h1>Portfolio status - Enterprise - 2027-03-01</h1>"));
    // The receiver's check: HMAC-SHA256 of "<timestamp>.<body>" with the
    // shared secret.
    const std::string timestamp = r.headers.at("x-pmo-timestamp");
    EXPECT_EQ(
        r.headers.at("x-pmo-signature"),
        "sha256=" + testing::HmacSha256Hex(kSecret, timestamp + "." + r.body));
    EXPECT_NE(r.headers.at("x-pmo-signature"),
              "sha256=" + testing::HmacSha256Hex("another-secret-0123456789",
                                                 timestamp + "." + r.body));
  }
  EXPECT_EQ(got[0].headers.at("x-pmo-timestamp"),
            absl::StrCat(absl::ToUnixSeconds(At(2027, 3, 1, 8))));
  EXPECT_EQ(got[0].headers.at("x-pmo-delivery"),
            got[1].headers.at("x-pmo-delivery"));

  const auto attempts = EventsOf<v1::WebhookDeliveryAttempted>();
  ASSERT_EQ(attempts.size(), 2u);
  EXPECT_EQ(attempts[0].http_status(), 503);
  EXPECT_FALSE(attempts[0].delivered());
  EXPECT_EQ(FromTimestamp(attempts[0].next_attempt_at()),
            At(2027, 3, 1, 8) + absl::Seconds(2));
  EXPECT_EQ(attempts[1].http_status(), 204);
  EXPECT_TRUE(attempts[1].delivered());
  // The secret is in no event: only its fingerprint.
  auto all = store_->ReadAll(0, 100000);
  ASSERT_TRUE(all.ok());
  for (const auto& e : *all)
    EXPECT_EQ(e.payload.find(kSecret), std::string::npos) << e.event_type;
  const auto added = EventsOf<v1::StakeholderAdded>();
  ASSERT_EQ(added.size(), 1u);
  EXPECT_EQ(added[0].stakeholder().webhook_secret_fingerprint(),
            SecretFingerprint(kSecret));
}

TEST_F(DistributionTest, AReceiverThatIsDownIsRetriedUntilGivenUp) {
  int port = 0;
  {
    testing::WebhookReceiver gone;  // bound, then closed: nothing listens there
    port = gone.port();
  }
  PlanWithDailyReport(v1::CHANNEL_WEBHOOK,
                      absl::StrCat("http://127.0.0.1:", port, "/hook"));
  int attempts = 0;
  for (int tick = 0; tick < 40; ++tick) {
    attempts += distribution_->RunOnce().webhook_attempts;
    clock_.Advance(absl::Seconds(30));
  }
  EXPECT_EQ(attempts, retry_.max_attempts);
  const auto recorded = EventsOf<v1::WebhookDeliveryAttempted>();
  ASSERT_EQ(recorded.size(), 5u);
  EXPECT_EQ(recorded.back().http_status(), 0);
  EXPECT_FALSE(recorded.back().has_next_attempt_at());  // given up
}

TEST_F(DistributionTest, AnnouncementsReachTheProjectsStakeholdersOnce) {
  const std::string sponsor = PlanWithDailyReport(v1::CHANNEL_INBOX);
  v1::Stakeholder other;
  other.set_name("CRM board");
  other.add_project_ids("p-crm");
  auto added = plans_->AddStakeholder(plan_id_, other, "", Context("add-crm"));
  ASSERT_TRUE(added.ok());
  v1::Announcement a;
  a.set_title("New stage gate");
  a.set_body("Gate 3 now needs a benefits review.");
  a.add_project_ids("p-erp");
  ASSERT_OK_AND_ASSIGN(v1::AnnouncementPublished published,
                       distribution_->Announce(a, Context("announce-gate-3")));
  EXPECT_THAT(published.stakeholder_ids(), ElementsAre(sponsor));
  EXPECT_EQ(published.announcement().author(), "pmo-office");
  // The same request again: the same announcement, delivered once.
  ASSERT_OK_AND_ASSIGN(v1::AnnouncementPublished again,
                       distribution_->Announce(a, Context("announce-gate-3")));
  EXPECT_EQ(again.announcement().announcement_id(),
            published.announcement().announcement_id());
  const auto items = Inbox(sponsor);
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].announcement().title(), "New stage gate");
  EXPECT_TRUE(Inbox(added->second).empty());
  EXPECT_EQ(EventsOf<v1::AnnouncementPublished>().size(), 1u);
}

TEST_F(DistributionTest, AnAnnouncementGoesToTheWebhookToo) {
  testing::WebhookReceiver receiver({200});
  PlanWithDailyReport(v1::CHANNEL_INBOX, receiver.Url("/announcements"));
  v1::Announcement a;
  a.set_title("Freeze \"Q2\"");
  a.set_body("No releases from 1 June.");
  a.add_project_ids("p-erp");
  ASSERT_OK(distribution_->Announce(a, Context("announce-freeze")).status());
  const TickSummary tick = distribution_->RunOnce();
  // The announcement only: the daily report's channel is the inbox.
  EXPECT_EQ(tick.reports_delivered, 1);
  EXPECT_EQ(tick.webhooks_delivered, 1);
  ASSERT_EQ(receiver.requests().size(), 1u);
  const std::vector<testing::ReceivedRequest> got = receiver.requests();
  const testing::ReceivedRequest* announcement = nullptr;
  for (const auto& r : got) {
    if (r.headers.at("content-type") == "application/json") announcement = &r;
  }
  ASSERT_NE(announcement, nullptr);
  EXPECT_THAT(
      announcement->body,
      HasSubstr("\"title\":\"Freeze \\\"Q2\\\"\",\"body\":\"No releases "
                "from 1 June.\",\"author\":\"pmo-office\","
                "\"project_ids\":[\"p-erp\"]}"));
  EXPECT_EQ(
      announcement->headers.at("x-pmo-signature"),
      "sha256=" + testing::HmacSha256Hex(
                      kSecret, announcement->headers.at("x-pmo-timestamp") +
                                   "." + announcement->body));
}

// The same distribution, with the webhook ports replaced by gmock doubles:
// the secrets answer from the real store unless told otherwise, and the
// sender returns the outcome a test chooses and shows what was posted.
class DistributionWithMockPortsTest : public DistributionTest {
 protected:
  void SetUp() override {
    DistributionTest::SetUp();
    secrets_mock_.DelegateTo(*secrets_);
    plans_ = std::make_unique<PlanHandlers>(*store_, secrets_mock_, clock_,
                                            LoopbackAllowed());
    distribution_ = std::make_unique<Distribution>(
        *store_, *plans_, *inboxes_, *generator_, secrets_mock_, sender_mock_,
        clock_, retry_);
  }

  static std::string Header(const WebhookRequest& request,
                            const std::string& name) {
    for (const auto& [key, value] : request.headers) {
      if (key == name) return value;
    }
    return "";
  }

  static constexpr char kHook[] = "http://127.0.0.1:9/hook";
  NiceMock<testing::MockWebhookSecrets> secrets_mock_;
  testing::MockWebhookSender sender_mock_;
};

TEST_F(DistributionWithMockPortsTest,
       ARetryCarriesTheSameDeliveryIdAndASignatureOfItsOwnTime) {
  PlanWithDailyReport(v1::CHANNEL_WEBHOOK, kHook);
  std::vector<WebhookRequest> posted;
  EXPECT_CALL(sender_mock_, Post(Field(&WebhookRequest::url, kHook)))
      .WillOnce([&](const WebhookRequest& r) {
        posted.push_back(r);
        return AttemptOutcome{503, ""};
      })
      .WillOnce([&](const WebhookRequest& r) {
        posted.push_back(r);
        return AttemptOutcome{200, ""};
      });
  int delivered = 0;
  for (int tick = 0; tick < 10 && delivered == 0; ++tick) {
    delivered += distribution_->RunOnce().webhooks_delivered;
    clock_.Advance(absl::Seconds(30));
  }
  ASSERT_EQ(delivered, 1);
  ASSERT_EQ(posted.size(), 2u);
  EXPECT_FALSE(Header(posted[0], "X-PMO-Delivery").empty());
  EXPECT_EQ(Header(posted[0], "X-PMO-Delivery"),
            Header(posted[1], "X-PMO-Delivery"));
  EXPECT_EQ(posted[0].body, posted[1].body);
  // Each attempt is signed at its own time, so a receiver that rejects old
  // timestamps still accepts the retry.
  EXPECT_NE(Header(posted[0], "X-PMO-Timestamp"),
            Header(posted[1], "X-PMO-Timestamp"));
  for (const WebhookRequest& r : posted) {
    EXPECT_EQ(Header(r, "X-PMO-Signature"),
              WebhookSignature(kSecret, Header(r, "X-PMO-Timestamp"), r.body));
  }
  const auto attempts = EventsOf<v1::WebhookDeliveryAttempted>();
  ASSERT_EQ(attempts.size(), 2u);
  EXPECT_EQ(attempts[0].http_status(), 503);
  EXPECT_TRUE(attempts[0].has_next_attempt_at());
  EXPECT_EQ(attempts[1].http_status(), 200);
}

TEST_F(DistributionWithMockPortsTest,
       ASecretsStoreFaultPostsNothingAndUsesNoAttempt) {
  PlanWithDailyReport(v1::CHANNEL_WEBHOOK, kHook);
  EXPECT_CALL(secrets_mock_, Get(_))
      .WillOnce(Return(absl::UnavailableError("secrets file locked")));
  EXPECT_CALL(sender_mock_, Post(_)).Times(0);
  const TickSummary faulted = distribution_->RunOnce();
  EXPECT_EQ(faulted.reports_delivered, 1);
  EXPECT_EQ(faulted.webhook_attempts, 0);
  EXPECT_GE(faulted.failures, 1);
  EXPECT_TRUE(EventsOf<v1::WebhookDeliveryAttempted>().empty());
  ::testing::Mock::VerifyAndClearExpectations(&sender_mock_);
  ::testing::Mock::VerifyAndClearExpectations(&secrets_mock_);

  // The store is back: the delivery goes out on the next tick, as its
  // first attempt.
  secrets_mock_.DelegateTo(*secrets_);
  EXPECT_CALL(sender_mock_, Post(Field(&WebhookRequest::url, kHook)))
      .WillOnce(Return(AttemptOutcome{204, ""}));
  clock_.Advance(absl::Seconds(30));
  const TickSummary next = distribution_->RunOnce();
  EXPECT_EQ(next.webhooks_delivered, 1);
  EXPECT_EQ(next.failures, 0);
  const auto attempts = EventsOf<v1::WebhookDeliveryAttempted>();
  ASSERT_EQ(attempts.size(), 1u);
  EXPECT_EQ(attempts[0].http_status(), 204);
}

}  // namespace
}  // namespace pmo::reporting
