#include "libs/outbox/outbox_relay.h"

#include <mutex>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/ids.h"
#include "libs/base/testing/status_matchers.h"
#include "libs/base/testing/temp_dir.h"
#include "libs/eventstore/sqlite_event_store.h"

namespace pmo::outbox {
namespace {

// Records what it was given; can be told to fail deliveries.
class FakeProducer : public EventProducer {
 public:
  size_t Produce(const std::vector<eventstore::RecordedEvent>& events,
                 absl::Time deadline) override {
    std::lock_guard lock(mu);
    size_t delivered = 0;
    for (const auto& e : events) {
      if (fail_from_position > 0 && e.position >= fail_from_position) break;
      sent.push_back(e.position);
      ++delivered;
    }
    ++calls;
    if (fail_from_position > 0 && --failures_left == 0) fail_from_position = 0;
    return delivered;
  }
  std::mutex mu;
  std::vector<int64_t> sent;
  int64_t fail_from_position = 0;
  int failures_left = 0;
  int calls = 0;
};

class OutboxRelayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(store_,
                         eventstore::SqliteEventStore::Open(dir_.File("e.db")));
    ASSERT_OK_AND_ASSIGN(checkpoints_, eventstore::SqliteCheckpointStore::Open(
                                           dir_.File("e.db")));
  }
  void AppendEvents(int n) {
    for (int i = 0; i < n; ++i) {
      eventstore::AppendRequest r;
      r.stream_id = "s" + std::to_string(i % 3);
      r.stream_type = "test";
      r.events.push_back({NewUuid(), "pmo.test.v1.E", "x", absl::Now()});
      ASSERT_OK(store_->Append(r).status());
    }
  }
  std::unique_ptr<OutboxRelay> MakeRelay(FakeProducer** producer) {
    auto p = std::make_unique<FakeProducer>();
    *producer = p.get();
    OutboxRelay::Options options;
    options.batch_size = 7;
    options.retry_backoff = absl::Milliseconds(10);
    return std::make_unique<OutboxRelay>(*store_, *checkpoints_, std::move(p),
                                         options);
  }
  pmo::testing::TempDir dir_;
  std::unique_ptr<eventstore::SqliteEventStore> store_;
  std::unique_ptr<eventstore::SqliteCheckpointStore> checkpoints_;
};

TEST_F(OutboxRelayTest, PublishesInStoreOrderAndCheckpoints) {
  AppendEvents(20);
  FakeProducer* producer;
  auto relay = MakeRelay(&producer);
  relay->Start();
  ASSERT_TRUE(relay->WaitUntilPublished(absl::Seconds(30)));
  AppendEvents(5);  // arriving while it runs
  ASSERT_TRUE(relay->WaitUntilPublished(absl::Seconds(30)));
  relay->Stop(absl::Seconds(5));
  std::vector<int64_t> expected;
  for (int64_t i = 1; i <= 25; ++i) expected.push_back(i);
  EXPECT_EQ(producer->sent, expected);
  EXPECT_THAT(checkpoints_->Load("outbox-relay"),
              pmo::testing::IsOkAndHolds(25));
}

TEST_F(OutboxRelayTest, FailedDeliveryIsResentFromTheCheckpointInOrder) {
  AppendEvents(20);
  FakeProducer* producer;
  auto relay = MakeRelay(&producer);
  producer->fail_from_position = 10;  // 10.. fail three times, then succeed
  producer->failures_left = 3;
  relay->Start();
  ASSERT_TRUE(relay->WaitUntilPublished(absl::Seconds(30)));
  relay->Stop(absl::Seconds(5));
  // Nothing lost, nothing out of order: 1..20, and 10 never before 9.
  std::vector<int64_t> expected;
  for (int64_t i = 1; i <= 20; ++i) expected.push_back(i);
  EXPECT_EQ(producer->sent, expected);
  EXPECT_GE(producer->calls, 4);
}

TEST_F(OutboxRelayTest, RestartResumesAfterTheCheckpoint) {
  AppendEvents(10);
  FakeProducer* first;
  {
    auto relay = MakeRelay(&first);
    relay->Start();
    ASSERT_TRUE(relay->WaitUntilPublished(absl::Seconds(30)));
  }
  AppendEvents(3);
  FakeProducer* second;
  auto relay = MakeRelay(&second);
  relay->Start();
  ASSERT_TRUE(relay->WaitUntilPublished(absl::Seconds(30)));
  relay->Stop(absl::Seconds(5));
  EXPECT_THAT(second->sent, ::testing::ElementsAre(11, 12, 13));
}

// A leadership the test hands over by hand.
class SwitchedLeadership : public RelayLeadership {
 public:
  bool TryLead() override { return lead.load(); }
  std::atomic<bool> lead{false};
};

TEST_F(OutboxRelayTest,
       AStandbyPublishesNothingAndTakesOverFromTheSavedCheckpoint) {
  AppendEvents(10);
  ASSERT_OK(
      checkpoints_->Save("outbox-relay", 4));  // where the old leader got to
  SwitchedLeadership leadership;
  auto producer = std::make_unique<FakeProducer>();
  FakeProducer* sent = producer.get();
  OutboxRelay::Options options;
  options.leadership = &leadership;
  options.standby_poll = absl::Milliseconds(5);
  OutboxRelay relay(*store_, *checkpoints_, std::move(producer), options);
  relay.Start();
  absl::SleepFor(absl::Milliseconds(100));
  EXPECT_FALSE(relay.leading());
  {
    std::lock_guard lock(sent->mu);
    EXPECT_EQ(sent->calls, 0);
  }
  leadership.lead = true;
  ASSERT_TRUE(relay.WaitUntilPublished(absl::Seconds(30)));
  EXPECT_TRUE(relay.leading());
  relay.Stop(absl::Seconds(5));
  EXPECT_EQ(sent->sent, (std::vector<int64_t>{5, 6, 7, 8, 9, 10}));
}

}  // namespace
}  // namespace pmo::outbox
