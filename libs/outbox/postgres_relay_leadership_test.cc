#include "libs/outbox/postgres_relay_leadership.h"

#include <mutex>

#include "gmock/gmock.h"
#include "libs/base/ids.h"
#include "libs/base/testing/status_matchers.h"
#include "libs/eventstore/postgres_event_store.h"
#include "libs/outbox/outbox_relay.h"
#include "libs/postgres/testing/test_cluster.h"

namespace pmo::outbox {
namespace {

using ::pmo::testing::IsOkAndHolds;

// Records every position it is given; delivers everything.
class RecordingProducer : public EventProducer {
 public:
  explicit RecordingProducer(std::vector<int64_t>& sent, std::mutex& mu)
      : sent_(sent), mu_(mu) {}
  size_t Produce(const std::vector<eventstore::RecordedEvent>& events,
                 absl::Time deadline) override {
    std::lock_guard lock(mu_);
    for (const auto& e : events) sent_.push_back(e.position);
    return events.size();
  }

 private:
  std::vector<int64_t>& sent_;
  std::mutex& mu_;
};

bool Eventually(const std::function<bool()>& condition) {
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (!condition()) {
    if (absl::Now() > deadline) return false;
    absl::SleepFor(absl::Milliseconds(20));
  }
  return true;
}

class PostgresRelayLeadershipTest : public ::testing::Test {
 protected:
  void AppendEvents(eventstore::EventStore& store, int n) {
    for (int i = 0; i < n; ++i) {
      eventstore::AppendRequest r;
      r.stream_id = "s" + std::to_string(i % 3);
      r.stream_type = "test";
      r.events.push_back({NewUuid(), "pmo.test.v1.E", "x", absl::Now()});
      ASSERT_OK(store.Append(r).status());
    }
  }
  const std::string url_ = postgres::testing::TestClusterUrl();
  const std::string schema_ = postgres::testing::FreshSchema("relay");
};

TEST_F(PostgresRelayLeadershipTest, OneLeaderPerSchemaAndTheStandbyTakesOver) {
  ASSERT_OK_AND_ASSIGN(auto a, PostgresRelayLeadership::Open(url_, schema_));
  ASSERT_OK_AND_ASSIGN(auto b, PostgresRelayLeadership::Open(url_, schema_));
  EXPECT_TRUE(a->TryLead());
  EXPECT_FALSE(b->TryLead());
  EXPECT_TRUE(a->TryLead());  // still held, not taken twice
  EXPECT_FALSE(b->TryLead());
  a.reset();  // the leader's session ends
  EXPECT_TRUE(Eventually([&] { return b->TryLead(); }));
}

TEST_F(PostgresRelayLeadershipTest,
       TwoReplicasRelayEveryEventOnceAcrossAHandover) {
  ASSERT_OK_AND_ASSIGN(auto store_a, eventstore::PostgresEventStore::Open(
                                         url_, {.schema = schema_}));
  ASSERT_OK_AND_ASSIGN(auto store_b, eventstore::PostgresEventStore::Open(
                                         url_, {.schema = schema_}));
  ASSERT_OK_AND_ASSIGN(
      auto checkpoints_a,
      eventstore::PostgresCheckpointStore::Open(url_, schema_));
  ASSERT_OK_AND_ASSIGN(
      auto checkpoints_b,
      eventstore::PostgresCheckpointStore::Open(url_, schema_));
  ASSERT_OK_AND_ASSIGN(auto lead_a,
                       PostgresRelayLeadership::Open(url_, schema_));
  ASSERT_OK_AND_ASSIGN(auto lead_b,
                       PostgresRelayLeadership::Open(url_, schema_));
  std::mutex mu;
  std::vector<int64_t> sent_a, sent_b;
  OutboxRelay::Options options;
  options.batch_size = 7;
  options.standby_poll = absl::Milliseconds(50);
  options.leadership = lead_a.get();
  // Replica a starts first and leads; b stands by.
  ASSERT_TRUE(lead_a->TryLead());
  OutboxRelay relay_a(*store_a, *checkpoints_a,
                      std::make_unique<RecordingProducer>(sent_a, mu), options);
  options.leadership = lead_b.get();
  auto relay_b = std::make_unique<OutboxRelay>(
      *store_b, *checkpoints_b, std::make_unique<RecordingProducer>(sent_b, mu),
      options);
  relay_a.Start();
  relay_b->Start();

  AppendEvents(*store_a, 30);
  AppendEvents(*store_b, 20);  // written on b, relayed by a
  ASSERT_TRUE(Eventually([&] { return relay_a.published_position() == 50; }));
  EXPECT_FALSE(relay_b->leading());

  // Replica a goes away: its relay stops, its session (and lock) ends.
  relay_a.Stop(absl::Seconds(5));
  lead_a.reset();
  AppendEvents(*store_b, 15);
  ASSERT_TRUE(Eventually([&] { return relay_b->published_position() == 65; }));
  EXPECT_TRUE(relay_b->leading());
  relay_b->Stop(absl::Seconds(5));

  std::lock_guard lock(mu);
  std::vector<int64_t> expected_a, expected_b;
  for (int64_t p = 1; p <= 50; ++p) expected_a.push_back(p);
  for (int64_t p = 51; p <= 65; ++p) expected_b.push_back(p);
  EXPECT_EQ(sent_a, expected_a);
  EXPECT_EQ(sent_b,
            expected_b);  // from a's checkpoint: nothing twice, nothing lost
  EXPECT_THAT(checkpoints_b->Load("outbox-relay"), IsOkAndHolds(65));
}

}  // namespace
}  // namespace pmo::outbox
