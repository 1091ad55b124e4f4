#include "services/reporting/domain/webhook_delivery.h"

#include "gtest/gtest.h"

namespace pmo::reporting {
namespace {

TEST(WebhookBackoff, DoublesUpToTheCap) {
  RetryPolicy p{absl::Seconds(2), absl::Seconds(30), 8};
  EXPECT_EQ(BackoffAfter(p, 1), absl::Seconds(2));
  EXPECT_EQ(BackoffAfter(p, 2), absl::Seconds(4));
  EXPECT_EQ(BackoffAfter(p, 4), absl::Seconds(16));
  EXPECT_EQ(BackoffAfter(p, 5), absl::Seconds(30));
  EXPECT_EQ(BackoffAfter(p, 60), absl::Seconds(30));
}

void ApplyAll(WebhookDeliveryAggregate& d,
              absl::StatusOr<eventsourcing::Decision> decision, absl::Time at) {
  ASSERT_TRUE(decision.ok()) << decision.status();
  for (const auto& e : decision->events) d.Apply(*e, at);
}

TEST(WebhookDelivery, RetriesWithBackoffThenGivesUp) {
  const absl::Time t0 = absl::FromUnixSeconds(1'800'000'000);
  const RetryPolicy policy{absl::Seconds(2), absl::Hours(1), 3};
  WebhookDeliveryAggregate d;
  v1::WebhookDeliveryQueued q;
  q.set_delivery_id("del-1");
  q.set_url("http://127.0.0.1:1/hook");
  ApplyAll(d, d.Queue(q), t0);
  EXPECT_EQ(d.next_attempt_at(), t0);
  // Queued again: nothing new.
  EXPECT_TRUE(d.Queue(q)->events.empty());
  ApplyAll(d, d.RecordAttempt({503, "HTTP 503"}, t0, policy), t0);
  EXPECT_TRUE(d.pending());
  EXPECT_EQ(d.next_attempt_at(), t0 + absl::Seconds(2));
  ApplyAll(
      d, d.RecordAttempt({0, "connect failed"}, t0 + absl::Seconds(2), policy),
      t0);
  EXPECT_EQ(d.next_attempt_at(), t0 + absl::Seconds(6));
  ApplyAll(d, d.RecordAttempt({500, "HTTP 500"}, t0 + absl::Seconds(6), policy),
           t0);
  EXPECT_FALSE(d.pending());
  EXPECT_TRUE(d.gave_up());
  EXPECT_EQ(d.attempts(), 3);
  EXPECT_TRUE(d.RecordAttempt({200, ""}, t0, policy)->events.empty());
}

TEST(WebhookDelivery, ASuccessEndsIt) {
  WebhookDeliveryAggregate d;
  v1::WebhookDeliveryQueued q;
  q.set_delivery_id("del-1");
  ApplyAll(d, d.Queue(q), absl::UnixEpoch());
  auto decision = d.RecordAttempt({204, ""}, absl::UnixEpoch(), {});
  ASSERT_TRUE(decision.ok());
  const auto& event =
      dynamic_cast<const v1::WebhookDeliveryAttempted&>(*decision->events[0]);
  EXPECT_TRUE(event.delivered());
  EXPECT_FALSE(event.has_next_attempt_at());
  ApplyAll(d, std::move(decision), absl::UnixEpoch());
  EXPECT_TRUE(d.delivered());
  EXPECT_FALSE(d.pending());
}

}  // namespace
}  // namespace pmo::reporting
