// Topic settings at start-up, against a real broker (scripts/kafka/broker.sh):
// missing topics are created as specified, a second start changes nothing,
// and an existing topic that would lose events stops the service.

#include "libs/kafka/topic_settings.h"

#include <librdkafka/rdkafka.h>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/ids.h"
#include "libs/base/testing/status_matchers.h"
#include "libs/base/testing/temp_dir.h"
#include "tests/support/kafka_broker.h"

namespace pmo::kafka {
namespace {

using ::pmo::testing::StatusIs;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

constexpr absl::Duration kTimeout = absl::Seconds(30);

// What the broker reports about a topic, read with librdkafka directly
// rather than through the code under test.
struct BrokerView {
  int partitions = 0;
  std::map<std::string, std::string> configs;
};

BrokerView Describe(const std::string& bootstrap, const std::string& topic) {
  BrokerView view;
  char error[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap.c_str(), error,
                    sizeof error);
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof error);
  const rd_kafka_metadata_t* md = nullptr;
  if (rd_kafka_metadata(rk, 1, nullptr, &md, 10000) ==
      RD_KAFKA_RESP_ERR_NO_ERROR) {
    for (int i = 0; i < md->topic_cnt; ++i) {
      if (topic == md->topics[i].topic)
        view.partitions = md->topics[i].partition_cnt;
    }
    rd_kafka_metadata_destroy(md);
  }
  rd_kafka_queue_t* queue = rd_kafka_queue_new(rk);
  rd_kafka_ConfigResource_t* resource =
      rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, topic.c_str());
  rd_kafka_DescribeConfigs(rk, &resource, 1, nullptr, queue);
  rd_kafka_event_t* event = rd_kafka_queue_poll(queue, 10000);
  if (event != nullptr) {
    size_t n = 0;
    const rd_kafka_ConfigResource_t** resources =
        rd_kafka_DescribeConfigs_result_resources(
            rd_kafka_event_DescribeConfigs_result(event), &n);
    for (size_t r = 0; r < n; ++r) {
      size_t entries_count = 0;
      const rd_kafka_ConfigEntry_t** entries =
          rd_kafka_ConfigResource_configs(resources[r], &entries_count);
      for (size_t e = 0; e < entries_count; ++e) {
        const char* value = rd_kafka_ConfigEntry_value(entries[e]);
        view.configs[rd_kafka_ConfigEntry_name(entries[e])] =
            value ? value : "";
      }
    }
    rd_kafka_event_destroy(event);
  }
  rd_kafka_ConfigResource_destroy(resource);
  rd_kafka_queue_destroy(queue);
  rd_kafka_destroy(rk);
  return view;
}

class TopicSettingsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new pmo::testing::TempDir();
    auto broker = pmo::testing::KafkaBroker::Start(dir_->File("kafka"));
    ASSERT_TRUE(broker.ok()) << broker.status();
    broker_ = broker->release();
  }
  static void TearDownTestSuite() {
    delete broker_;
    delete dir_;
  }
  void SetUp() override {
    ASSERT_NE(broker_, nullptr);
    // Each test its own context, so its own topics.
    context_ = "topictest" + NewUuid().substr(0, 8);
  }
  Properties Client() const {
    return {{"bootstrap.servers", broker_->bootstrap()}};
  }

  static pmo::testing::TempDir* dir_;
  static pmo::testing::KafkaBroker* broker_;
  std::string context_;
};
pmo::testing::TempDir* TopicSettingsTest::dir_ = nullptr;
pmo::testing::KafkaBroker* TopicSettingsTest::broker_ = nullptr;

TEST(TopicSpecs, EventsAreKeptForeverAndNeverCompacted) {
  const TopicSpec spec = EventsTopicSpec(
      "risks", {.events_partitions = 12, .replication_factor = 3});
  EXPECT_EQ(spec.name, "pmo.risks.events.v1");
  EXPECT_EQ(spec.partitions, 12);
  EXPECT_EQ(spec.replication_factor, 3);
  EXPECT_EQ(spec.configs.at("retention.ms"), "-1");
  EXPECT_EQ(spec.configs.at("retention.bytes"), "-1");
  EXPECT_EQ(spec.configs.at("cleanup.policy"), "delete");
  EXPECT_EQ(spec.configs.at("min.insync.replicas"), "2");
  EXPECT_THAT(spec.guarded,
              ElementsAre("cleanup.policy", "retention.bytes", "retention.ms"));
}

TEST(TopicSpecs, DeadLettersHaveOnePartitionAndOnlyTheirPolicyGuarded) {
  const TopicSpec spec = DeadLetterTopicSpec("projection", {});
  EXPECT_EQ(spec.name, "pmo.projection.deadletter.v1");
  EXPECT_EQ(spec.partitions, 1);
  EXPECT_EQ(spec.replication_factor, -1);
  EXPECT_EQ(spec.configs.at("retention.ms"), "-1");
  // One broker copy cannot demand two in-sync replicas.
  EXPECT_FALSE(spec.configs.contains("min.insync.replicas"));
  EXPECT_THAT(spec.guarded, ElementsAre("cleanup.policy"));
}

TEST_F(TopicSettingsTest,
       CreatesMissingTopicsAsSpecifiedAndASecondStartChangesNothing) {
  const TopicLayout layout{.events_partitions = 4};
  const std::vector<TopicSpec> specs = {EventsTopicSpec(context_, layout),
                                        DeadLetterTopicSpec(context_, layout)};
  ASSERT_OK_AND_ASSIGN(auto first, EnsureTopics(Client(), specs, kTimeout));
  ASSERT_THAT(first, SizeIs(2));
  EXPECT_TRUE(first[0].created);
  EXPECT_TRUE(first[1].created);

  const BrokerView events = Describe(broker_->bootstrap(), specs[0].name);
  EXPECT_EQ(events.partitions, 4);
  EXPECT_EQ(events.configs.at("retention.ms"), "-1");
  EXPECT_EQ(events.configs.at("retention.bytes"), "-1");
  EXPECT_EQ(events.configs.at("cleanup.policy"), "delete");
  const BrokerView dead_letters = Describe(broker_->bootstrap(), specs[1].name);
  EXPECT_EQ(dead_letters.partitions, 1);
  EXPECT_EQ(dead_letters.configs.at("retention.ms"), "-1");

  ASSERT_OK_AND_ASSIGN(auto second, EnsureTopics(Client(), specs, kTimeout));
  ASSERT_THAT(second, SizeIs(2));
  for (const TopicOutcome& outcome : second) {
    EXPECT_FALSE(outcome.created) << outcome.topic;
    EXPECT_THAT(outcome.warnings, IsEmpty()) << outcome.topic;
  }
}

TEST_F(TopicSettingsTest, RefusesAnEventsTopicThatExpiresEvents) {
  TopicSpec weekly = EventsTopicSpec(context_, {});
  weekly.configs["retention.ms"] = "604800000";
  ASSERT_OK(EnsureTopics(Client(), {weekly}, kTimeout).status());

  EXPECT_THAT(EnsureTopics(Client(), {EventsTopicSpec(context_, {})}, kTimeout),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       AllOf(HasSubstr(weekly.name),
                             HasSubstr("retention.ms=604800000"),
                             HasSubstr("expected -1"))));
  // Nothing was changed behind the operator's back.
  EXPECT_EQ(
      Describe(broker_->bootstrap(), weekly.name).configs.at("retention.ms"),
      "604800000");
}

TEST_F(TopicSettingsTest, RefusesACompactedEventsTopic) {
  TopicSpec compacted = EventsTopicSpec(context_, {});
  compacted.configs["cleanup.policy"] = "compact";
  ASSERT_OK(EnsureTopics(Client(), {compacted}, kTimeout).status());

  EXPECT_THAT(EnsureTopics(Client(), {EventsTopicSpec(context_, {})}, kTimeout),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("cleanup.policy=compact (expected delete)")));
}

TEST_F(TopicSettingsTest, AnotherPartitionCountOrDeadLetterRetentionOnlyWarns) {
  ASSERT_OK(EnsureTopics(Client(),
                         {EventsTopicSpec(context_, {.events_partitions = 2})},
                         kTimeout)
                .status());
  TopicSpec expiring = DeadLetterTopicSpec(context_, {});
  expiring.configs["retention.ms"] = "86400000";
  ASSERT_OK(EnsureTopics(Client(), {expiring}, kTimeout).status());

  ASSERT_OK_AND_ASSIGN(
      auto outcomes,
      EnsureTopics(Client(),
                   {EventsTopicSpec(context_, {.events_partitions = 6}),
                    DeadLetterTopicSpec(context_, {})},
                   kTimeout));
  ASSERT_THAT(outcomes, SizeIs(2));
  EXPECT_THAT(outcomes[0].warnings,
              ElementsAre(HasSubstr("has 2 partitions (expected 6)")));
  EXPECT_THAT(outcomes[1].warnings,
              ElementsAre(HasSubstr("retention.ms=86400000 (expected -1)")));
}

TEST_F(TopicSettingsTest, AReplicationTheClusterCannotGiveNamesTheTopic) {
  const TopicSpec spec = EventsTopicSpec(context_, {.replication_factor = 3});
  EXPECT_THAT(
      EnsureTopics(Client(), {spec}, kTimeout),
      StatusIs(absl::StatusCode::kFailedPrecondition,
               AllOf(HasSubstr(spec.name), HasSubstr("replication factor 3"))));
}

TEST(TopicSettings, AnUnreachableClusterIsUnavailable) {
  EXPECT_THAT(EnsureTopics({{"bootstrap.servers", "127.0.0.1:1"}},
                           {EventsTopicSpec("nowhere", {})}, absl::Seconds(2)),
              StatusIs(absl::StatusCode::kUnavailable));
}

TEST(TopicSettings, ABadClientPropertyIsNamed) {
  EXPECT_THAT(EnsureTopics({{"no.such.property", "1"}},
                           {EventsTopicSpec("x", {})}, kTimeout),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("no.such.property")));
}

}  // namespace
}  // namespace pmo::kafka
