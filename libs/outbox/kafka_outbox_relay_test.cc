// The outbox relay against a real Kafka broker (scripts/kafka/broker.sh).

#include <map>
#include <thread>

#include "absl/strings/numbers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/ids.h"
#include "libs/base/testing/status_matchers.h"
#include "libs/base/testing/temp_dir.h"
#include "libs/eventstore/checkpoint_store.h"
#include "libs/eventstore/sqlite_event_store.h"
#include "libs/outbox/kafka_event_producer.h"
#include "libs/outbox/outbox_relay.h"
#include "tests/support/kafka_broker.h"

namespace pmo::outbox {
namespace {

using testing::KafkaRecord;

class KafkaOutboxRelayTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    broker_dir_ = new pmo::testing::TempDir();
    auto broker = pmo::testing::KafkaBroker::Start(broker_dir_->File("kafka"));
    ASSERT_TRUE(broker.ok()) << broker.status();
    broker_ = broker->release();
  }
  static void TearDownTestSuite() {
    delete broker_;
    delete broker_dir_;
  }
  void SetUp() override {
    ASSERT_NE(broker_, nullptr);
    ASSERT_OK_AND_ASSIGN(store_,
                         eventstore::SqliteEventStore::Open(dir_.File("e.db")));
    ASSERT_OK_AND_ASSIGN(checkpoints_, eventstore::SqliteCheckpointStore::Open(
                                           dir_.File("e.db")));
    // Each test its own context, so its own topic.
    context_ = "relaytest" + NewUuid().substr(0, 8);
  }
  std::unique_ptr<OutboxRelay> MakeRelay() {
    auto producer = KafkaEventProducer::Create(broker_->bootstrap(), context_);
    EXPECT_TRUE(producer.ok()) << producer.status();
    OutboxRelay::Options options;
    options.batch_size = 25;
    options.delivery_timeout = absl::Seconds(10);
    options.retry_backoff = absl::Milliseconds(200);
    return std::make_unique<OutboxRelay>(*store_, *checkpoints_,
                                         *std::move(producer), options);
  }
  void Append(int count) {
    for (int i = 0; i < count; ++i) {
      eventstore::AppendRequest r;
      r.stream_id = "project-" + std::to_string(appended_ % 4);
      r.stream_type = "project";
      r.events.push_back({NewUuid(), "pmo.test.v1.Changed",
                          std::to_string(appended_), absl::Now()});
      ASSERT_OK(store_->Append(r).status());
      ++appended_;
    }
  }
  // Per key, the versions in the order the topic holds them.
  static std::map<std::string, std::vector<int64_t>> VersionsByKey(
      const std::vector<KafkaRecord>& records) {
    std::map<std::string, std::vector<int64_t>> out;
    for (const KafkaRecord& r : records) {
      int64_t v = 0;
      EXPECT_TRUE(absl::SimpleAtoi(r.headers.at("ce_pmostreamversion"), &v));
      out[r.key].push_back(v);
    }
    return out;
  }
  // At-least-once in order: dropping repeats of what was already seen must
  // leave exactly 1, 2, ..., n for every key.
  static void ExpectCompleteAndOrdered(const std::vector<KafkaRecord>& records,
                                       int total) {
    int distinct = 0;
    for (const auto& [key, versions] : VersionsByKey(records)) {
      int64_t seen = 0;
      for (int64_t v : versions) {
        if (v <= seen) continue;  // a duplicate from a resend
        ASSERT_EQ(v, seen + 1) << key << ": version " << v << " after " << seen;
        seen = v;
        ++distinct;
      }
    }
    EXPECT_EQ(distinct, total);
  }

  static pmo::testing::TempDir* broker_dir_;
  static pmo::testing::KafkaBroker* broker_;
  pmo::testing::TempDir dir_;
  std::unique_ptr<eventstore::SqliteEventStore> store_;
  std::unique_ptr<eventstore::SqliteCheckpointStore> checkpoints_;
  std::string context_;
  int appended_ = 0;
};
pmo::testing::TempDir* KafkaOutboxRelayTest::broker_dir_;
pmo::testing::KafkaBroker* KafkaOutboxRelayTest::broker_;

TEST_F(KafkaOutboxRelayTest, PublishesEveryEventInOrderWithCloudEventsHeaders) {
  Append(100);
  auto relay = MakeRelay();
  relay->Start();
  ASSERT_TRUE(relay->WaitUntilPublished(absl::Seconds(60)));
  relay->Stop(absl::Seconds(5));
  auto records = pmo::testing::ReadTopic(broker_->bootstrap(),
                                         "pmo." + context_ + ".events.v1", 100,
                                         absl::Seconds(60));
  ASSERT_EQ(records.size(), 100u);  // no failure, so no resend
  ExpectCompleteAndOrdered(records, 100);
  const KafkaRecord& r = records.front();
  EXPECT_EQ(r.headers.at("ce_specversion"), "1.0");
  EXPECT_EQ(r.headers.at("ce_source"), "/pmo/" + context_);
  EXPECT_EQ(r.headers.at("ce_type"), "pmo.test.v1.Changed");
  EXPECT_EQ(r.headers.at("ce_subject"), r.key);
  EXPECT_EQ(r.headers.at("content-type"), "application/protobuf");
  EXPECT_TRUE(r.headers.count("ce_id") && r.headers.count("ce_time") &&
              r.headers.count("ce_pmoposition"));
  EXPECT_THAT(checkpoints_->Load("outbox-relay"),
              pmo::testing::IsOkAndHolds(100));
}

TEST_F(KafkaOutboxRelayTest, ARelayThatLostItsCheckpointResendsWithoutLoss) {
  Append(40);
  {
    auto relay = MakeRelay();
    relay->Start();
    ASSERT_TRUE(relay->WaitUntilPublished(absl::Seconds(60)));
  }
  // A crash between delivery and checkpoint looks like this.
  ASSERT_OK(checkpoints_->Save("outbox-relay", 15));
  Append(10);
  auto relay = MakeRelay();
  relay->Start();
  ASSERT_TRUE(relay->WaitUntilPublished(absl::Seconds(60)));
  relay->Stop(absl::Seconds(5));
  auto records = pmo::testing::ReadTopic(broker_->bootstrap(),
                                         "pmo." + context_ + ".events.v1", 75,
                                         absl::Seconds(60));
  EXPECT_EQ(records.size(), 40u + 25u + 10u);  // 16..40 twice
  ExpectCompleteAndOrdered(records, 50);
}

TEST_F(KafkaOutboxRelayTest, BrokerStoppedAndRestartedMidStreamLosesNothing) {
  auto relay = MakeRelay();
  relay->Start();
  Append(50);
  ASSERT_TRUE(relay->WaitUntilPublished(absl::Seconds(60)));

  ASSERT_OK(broker_->Stop());
  Append(50);  // stored while Kafka is down: commands go on
  absl::SleepFor(absl::Seconds(3));
  EXPECT_LT(relay->published_position(), 100);
  ASSERT_OK(broker_->Restart());
  Append(20);
  ASSERT_TRUE(relay->WaitUntilPublished(absl::Seconds(180)));
  relay->Stop(absl::Seconds(5));

  auto records = pmo::testing::ReadTopic(broker_->bootstrap(),
                                         "pmo." + context_ + ".events.v1", 120,
                                         absl::Seconds(60));
  ExpectCompleteAndOrdered(records, 120);
}

}  // namespace
}  // namespace pmo::outbox
