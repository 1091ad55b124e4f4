// What every service binary sets up besides its API (libs/operability),
// seen from outside: pmo-risks against a real broker creates its topics with
// the settings of docs/kafka.md, serves Prometheus /metrics (RPCs by method
// and code, relay lag, consumer lag per partition) and a plain-text health
// port; a pre-existing events topic that would expire events stops it; the
// caller's trace context reaches Kafka and the next service.

#include <librdkafka/rdkafka.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/testing/temp_dir.h"
#include "libs/kafka/topic_settings.h"
#include "pmo/configuration/v1/configuration_service.grpc.pb.h"
#include "pmo/configuration/v1/library_service.grpc.pb.h"
#include "pmo/projects/v1/projects_service.grpc.pb.h"
#include "pmo/risks/v1/risks_service.grpc.pb.h"
#include "tests/support/child_process.h"
#include "tests/support/grpc_testing.h"
#include "tests/support/http_get.h"
#include "tests/support/kafka_broker.h"
#include "tests/support/project_requests.h"

namespace pmo {
namespace {

using ::testing::HasSubstr;
using testing::HttpGet;

// The port printed on the child's "<prefix> N" line, 0 when none came.
int PortFromLine(testing::ChildProcess& child, const std::string& prefix) {
  auto line = child.WaitForLineStartingWith(prefix, absl::Seconds(60));
  return line ? std::atoi(line->substr(prefix.size()).c_str()) : 0;
}

std::string TopicConfig(const std::string& bootstrap, const std::string& topic,
                        const std::string& key) {
  char error[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap.c_str(), error,
                    sizeof error);
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof error);
  rd_kafka_queue_t* queue = rd_kafka_queue_new(rk);
  rd_kafka_ConfigResource_t* resource =
      rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, topic.c_str());
  rd_kafka_DescribeConfigs(rk, &resource, 1, nullptr, queue);
  std::string value = "(no answer)";
  if (rd_kafka_event_t* event = rd_kafka_queue_poll(queue, 10000)) {
    size_t n = 0;
    const rd_kafka_ConfigResource_t** resources =
        rd_kafka_DescribeConfigs_result_resources(
            rd_kafka_event_DescribeConfigs_result(event), &n);
    for (size_t r = 0; r < n; ++r) {
      size_t count = 0;
      const rd_kafka_ConfigEntry_t** entries =
          rd_kafka_ConfigResource_configs(resources[r], &count);
      for (size_t e = 0; e < count; ++e) {
        if (key == rd_kafka_ConfigEntry_name(entries[e])) {
          value = rd_kafka_ConfigEntry_value(entries[e])
                      ? rd_kafka_ConfigEntry_value(entries[e])
                      : "";
        }
      }
    }
    rd_kafka_event_destroy(event);
  }
  rd_kafka_ConfigResource_destroy(resource);
  rd_kafka_queue_destroy(queue);
  rd_kafka_destroy(rk);
  return value;
}

class OperabilityKafkaTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    auto broker = testing::KafkaBroker::Start(dir_->File("kafka"));
    ASSERT_TRUE(broker.ok()) << broker.status();
    broker_ = broker->release();
  }
  static void TearDownTestSuite() {
    delete broker_;
    delete dir_;
  }
  static testing::TempDir* dir_;
  static testing::KafkaBroker* broker_;
};
testing::TempDir* OperabilityKafkaTest::dir_ = nullptr;
testing::KafkaBroker* OperabilityKafkaTest::broker_ = nullptr;

TEST_F(OperabilityKafkaTest,
       ARiskServiceMakesItsTopicsAndReportsMetricsAndHealth) {
  ASSERT_NE(broker_, nullptr);
  const std::string& bootstrap = broker_->bootstrap();
  testing::ChildProcess risks({testing::PmoBinary("pmo-risks"), "--listen",
                               "127.0.0.1:0", "--data_dir", dir_->File("risks"),
                               "--kafka_brokers", bootstrap, "--metrics_listen",
                               "127.0.0.1:0", "--health_listen", "127.0.0.1:0",
                               "--kafka_topic_partitions", "3"});
  const int metrics_port = PortFromLine(risks, "pmo-risks metrics on port ");
  const int health_port = PortFromLine(risks, "pmo-risks health on port ");
  const int grpc_port = PortFromLine(risks, "pmo-risks listening on port ");
  ASSERT_GT(metrics_port, 0);
  ASSERT_GT(health_port, 0);
  ASSERT_GT(grpc_port, 0);

  // Its own events, the projects events it reads, its dead letters: all
  // made before it started, kept forever.
  for (const char* topic : {"pmo.risks.events.v1", "pmo.projects.events.v1",
                            "pmo.risks.deadletter.v1"}) {
    EXPECT_EQ(TopicConfig(bootstrap, topic, "retention.ms"), "-1") << topic;
    EXPECT_EQ(TopicConfig(bootstrap, topic, "cleanup.policy"), "delete")
        << topic;
  }

  // The health port answers like the API's own health service.
  const std::string healthcheck =
      testing::PmoBinary("pmo-healthcheck") + " --addr 127.0.0.1:";
  EXPECT_EQ(std::system((healthcheck + std::to_string(health_port)).c_str()),
            0);
  EXPECT_EQ(std::system((healthcheck + std::to_string(grpc_port)).c_str()), 0);
  EXPECT_NE(std::system((healthcheck + "1 --timeout 1s 2>/dev/null").c_str()),
            0);

  // A refused command is counted under its method and code.
  auto stub =
      risks::v1::RisksService::NewStub(testing::LoopbackChannel(grpc_port));
  grpc::ClientContext ctx;
  risks::v1::IdentifyRiskResponse identified;
  EXPECT_EQ(
      stub->IdentifyRisk(&ctx, risks::v1::IdentifyRiskRequest(), &identified)
          .error_code(),
      grpc::StatusCode::INVALID_ARGUMENT);

  // An unreadable projects event: dead-lettered, and the consumer's position
  // (so its lag) becomes known for that partition.
  ASSERT_TRUE(testing::ProduceRecords(bootstrap, "pmo.projects.events.v1",
                                      {{0, 0, "p-1", "not an event", {}}})
                  .ok());
  std::string metrics;
  const absl::Time deadline = absl::Now() + absl::Seconds(60);
  while (absl::Now() < deadline) {
    metrics = HttpGet(metrics_port, "/metrics");
    if (metrics.find("pmo_kafka_consumer_lag_messages{") != std::string::npos)
      break;
    absl::SleepFor(absl::Milliseconds(250));
  }
  EXPECT_THAT(metrics, HasSubstr("HTTP/1.1 200 OK"));
  EXPECT_THAT(
      metrics,
      HasSubstr(
          "pmo_grpc_server_handled_total{grpc_method=\"/pmo.risks.v1."
          "RisksService/IdentifyRisk\",grpc_code=\"INVALID_ARGUMENT\"} 1"));
  EXPECT_THAT(
      metrics,
      HasSubstr(
          "pmo_grpc_server_handling_seconds_count{grpc_method=\"/pmo."
          "risks.v1.RisksService/IdentifyRisk\",grpc_code=\"INVALID_ARGUMENT"
          "\"} 1"));
  EXPECT_THAT(metrics,
              HasSubstr("pmo_outbox_relay_lag_events{context=\"risks\"} 0"));
  EXPECT_THAT(metrics,
              HasSubstr("pmo_eventstore_head_position{context=\"risks\"} 0"));
  EXPECT_THAT(metrics,
              HasSubstr("pmo_kafka_consumer_lag_messages{group=\"pmo-risks-"));
  EXPECT_THAT(metrics,
              HasSubstr("topic=\"pmo.projects.events.v1\",partition=\""));
  EXPECT_EQ(TopicConfig(bootstrap, "pmo.risks.deadletter.v1", "cleanup.policy"),
            "delete");

  risks.Signal(SIGTERM);
  auto status = risks.Wait(absl::Seconds(30));
  ASSERT_TRUE(status.has_value());
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0);
}

TEST_F(OperabilityKafkaTest, AnEventsTopicThatExpiresEventsStopsTheService) {
  ASSERT_NE(broker_, nullptr);
  const std::string& bootstrap = broker_->bootstrap();
  // As an operator might have left it: a topic that drops events after a
  // week (e.g. auto-created by a broker with the default retention).
  kafka::TopicSpec weekly = kafka::EventsTopicSpec("resources", {});
  weekly.configs["retention.ms"] = "604800000";
  ASSERT_TRUE(kafka::EnsureTopics({{"bootstrap.servers", bootstrap}}, {weekly},
                                  absl::Seconds(30))
                  .ok());
  ASSERT_EQ(TopicConfig(bootstrap, "pmo.resources.events.v1", "retention.ms"),
            "604800000");
  testing::ChildProcess resources(
      {testing::PmoBinary("pmo-resources"), "--listen", "127.0.0.1:0",
       "--data_dir", dir_->File("resources"), "--kafka_brokers", bootstrap});
  auto status = resources.Wait(absl::Seconds(60));
  ASSERT_TRUE(status.has_value())
      << "pmo-resources started on a 7-day events topic";
  EXPECT_TRUE(WIFEXITED(*status));
  EXPECT_EQ(WEXITSTATUS(*status), 2);
}

// W3C trace context from a caller's gRPC metadata into the Kafka headers of
// the event it caused, and back out of Kafka into the events another
// service records because of it: configuration publishes a methodology, the
// projects service adopts it from pmo.configuration.events.v1.
TEST_F(OperabilityKafkaTest,
       TraceContextTravelsFromGrpcThroughKafkaIntoTheNextService) {
  ASSERT_NE(broker_, nullptr);
  const std::string& bootstrap = broker_->bootstrap();
  testing::ChildProcess configuration(
      {testing::PmoBinary("pmo-configuration"), "--listen", "127.0.0.1:0",
       "--data_dir", dir_->File("trace-config"), "--kafka_brokers", bootstrap,
       "--log_format", "json"});
  testing::ChildProcess projects({testing::PmoBinary("pmo-projects"),
                                  "--listen", "127.0.0.1:0", "--data_dir",
                                  dir_->File("trace-projects"),
                                  "--kafka_brokers", bootstrap});
  const int configuration_port =
      PortFromLine(configuration, "pmo-configuration listening on port ");
  ASSERT_GT(configuration_port, 0);
  ASSERT_GT(PortFromLine(projects, "pmo-projects listening on port "), 0);

  const std::string trace_id = "4bf92f3577b34da6a3ce929d0e0e4736";
  configuration::v1::PublishMethodologyVersionRequest publish;
  publish.set_request_id("publish-scrum");
  publish.set_name("Scrum");
  publish.set_version("2027.1");
  configuration::v1::MethodologyPhase* phase = publish.add_phases();
  phase->set_name("Sprint");
  phase->mutable_gate()->set_name("Review");
  configuration::v1::PublishMethodologyVersionResponse published;
  {
    auto library = configuration::v1::LibraryService::NewStub(
        testing::LoopbackChannel(configuration_port));
    grpc::ClientContext ctx;
    ctx.AddMetadata("traceparent", "00-" + trace_id + "-00f067aa0ba902b7-01");
    grpc::Status s =
        library->PublishMethodologyVersion(&ctx, publish, &published);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  const std::vector<testing::KafkaRecord> published_events = testing::ReadTopic(
      bootstrap, "pmo.configuration.events.v1", 1, absl::Seconds(60));
  ASSERT_FALSE(published_events.empty());
  const std::string traceparent =
      published_events[0].headers.count("traceparent")
          ? published_events[0].headers.at("traceparent")
          : "";
  // Same trace; the configuration service's own span as the parent.
  EXPECT_THAT(traceparent, ::testing::StartsWith("00-" + trace_id + "-"));
  EXPECT_THAT(traceparent, ::testing::Not(HasSubstr("00f067aa0ba902b7")));

  // The projects service adopts the version and records it under the same
  // trace, and that event reaches Kafka with it.
  std::vector<testing::KafkaRecord> adopted;
  const absl::Time deadline = absl::Now() + absl::Seconds(60);
  while (absl::Now() < deadline && adopted.empty()) {
    for (testing::KafkaRecord& r : testing::ReadTopic(
             bootstrap, "pmo.projects.events.v1", 1, absl::Seconds(5))) {
      if (r.headers.count("traceparent") &&
          r.headers.at("traceparent").find(trace_id) != std::string::npos) {
        adopted.push_back(std::move(r));
      }
    }
  }
  ASSERT_FALSE(adopted.empty())
      << "no projects event carries trace " << trace_id;
  EXPECT_EQ(adopted[0].headers.at("traceparent"), traceparent);

  for (testing::ChildProcess* p : {&projects, &configuration}) {
    p->Signal(SIGTERM);
    auto status = p->Wait(absl::Seconds(60));
    ASSERT_TRUE(status.has_value());
    EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0);
  }
}

// A service that starts while Kafka is down waits for it (its topics must be
// checked before its relay could let the broker auto-create them), starts
// once Kafka is back, and gives up with exit code 2 after --kafka_topics_wait.
TEST(OperabilityStartUp, WaitsForKafkaThenStartsOrGivesUp) {
  testing::TempDir dir;
  testing::ChildProcess nowhere({testing::PmoBinary("pmo-configuration"),
                                 "--listen", "127.0.0.1:0", "--data_dir",
                                 dir.File("nowhere"), "--kafka_brokers",
                                 "127.0.0.1:1", "--kafka_topics_wait", "3s"});
  auto gave_up = nowhere.Wait(absl::Seconds(60));
  ASSERT_TRUE(gave_up.has_value());
  EXPECT_TRUE(WIFEXITED(*gave_up));
  EXPECT_EQ(WEXITSTATUS(*gave_up), 2);

  auto broker = testing::KafkaBroker::Start(dir.File("kafka"));
  ASSERT_TRUE(broker.ok()) << broker.status();
  ASSERT_TRUE((*broker)->Stop().ok());
  testing::ChildProcess waiting({testing::PmoBinary("pmo-configuration"),
                                 "--listen", "127.0.0.1:0", "--data_dir",
                                 dir.File("configuration"), "--kafka_brokers",
                                 (*broker)->bootstrap()});
  // Not serving while Kafka is away...
  EXPECT_FALSE(waiting
                   .WaitForLineStartingWith("pmo-configuration listening",
                                            absl::Seconds(3))
                   .has_value());
  // ...and serving once it is back.
  ASSERT_TRUE((*broker)->Restart().ok());
  EXPECT_GT(PortFromLine(waiting, "pmo-configuration listening on port "), 0);
  EXPECT_EQ(TopicConfig((*broker)->bootstrap(), "pmo.configuration.events.v1",
                        "retention.ms"),
            "-1");
  waiting.Signal(SIGTERM);
  auto status = waiting.Wait(absl::Seconds(60));
  ASSERT_TRUE(status.has_value());
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0);
}

// The relay's lag on /metrics while Kafka is away: the command is stored and
// acknowledged, the event waits in the outbox, and the lag drops back to 0
// once the broker is back. A broker of its own, stopped mid-test. The
// configuration service takes items only for projects it knows, learnt from
// pmo.projects.events.v1: a pmo-projects process creates one first, and a
// first item (registered while Kafka is up, retried while NOT_FOUND) shows
// the project has arrived.
TEST(OperabilityRelayLag, TheRelayLagShowsEventsWaitingForKafka) {
  testing::TempDir dir;
  auto broker = testing::KafkaBroker::Start(dir.File("kafka"));
  ASSERT_TRUE(broker.ok()) << broker.status();
  testing::ChildProcess configuration(
      {testing::PmoBinary("pmo-configuration"), "--listen", "127.0.0.1:0",
       "--data_dir", dir.File("configuration"), "--kafka_brokers",
       (*broker)->bootstrap(), "--metrics_listen", "127.0.0.1:0"});
  testing::ChildProcess projects({testing::PmoBinary("pmo-projects"),
                                  "--listen", "127.0.0.1:0", "--data_dir",
                                  dir.File("projects"), "--kafka_brokers",
                                  (*broker)->bootstrap()});
  const int metrics_port =
      PortFromLine(configuration, "pmo-configuration metrics on port ");
  const int grpc_port =
      PortFromLine(configuration, "pmo-configuration listening on port ");
  const int projects_port =
      PortFromLine(projects, "pmo-projects listening on port ");
  ASSERT_GT(metrics_port, 0);
  ASSERT_GT(grpc_port, 0);
  ASSERT_GT(projects_port, 0);
  projects::v1::CreateProjectResponse created;
  {
    auto stub = projects::v1::ProjectsService::NewStub(
        testing::LoopbackChannel(projects_port));
    grpc::ClientContext ctx;
    grpc::Status s =
        stub->CreateProject(&ctx, testing::NewProjectRequest("ERP"), &created);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  auto items = configuration::v1::ConfigurationService::NewStub(
      testing::LoopbackChannel(grpc_port));
  configuration::v1::RegisterConfigurationItemRequest item;
  item.set_request_id("register-req-0");
  item.set_project_id(created.project().project_id());
  item.set_type(configuration::v1::ITEM_TYPE_REQUIREMENT);
  item.set_identifier("REQ-0");
  item.set_title("Invoices are numbered");
  item.set_owner("bob");
  configuration::v1::RegisterConfigurationItemResponse registered;
  {
    grpc::Status s;
    const absl::Time deadline = absl::Now() + absl::Seconds(60);
    do {
      grpc::ClientContext ctx;
      s = items->RegisterConfigurationItem(&ctx, item, &registered);
      if (s.error_code() != grpc::StatusCode::NOT_FOUND) break;
      absl::SleepFor(absl::Milliseconds(200));
    } while (absl::Now() < deadline);
    ASSERT_TRUE(s.ok()) << s.error_code() << " " << s.error_message();
  }
  // That first item reaches Kafka before the broker goes away.
  {
    std::string before;
    const absl::Time deadline = absl::Now() + absl::Seconds(60);
    while (absl::Now() < deadline) {
      before = HttpGet(metrics_port, "/metrics");
      if (before.find(
              "pmo_outbox_published_position{context=\"configuration\"} 1\n") !=
          std::string::npos) {
        break;
      }
      absl::SleepFor(absl::Milliseconds(250));
    }
    ASSERT_THAT(
        before,
        HasSubstr(
            "pmo_outbox_published_position{context=\"configuration\"} 1\n"));
  }
  ASSERT_TRUE((*broker)->Stop().ok());

  item.set_request_id("register-req-1");
  item.set_identifier("REQ-1");
  item.set_title("Invoices are approved in batches");
  {
    grpc::ClientContext ctx;
    grpc::Status s = items->RegisterConfigurationItem(&ctx, item, &registered);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  const std::string metrics = HttpGet(metrics_port, "/metrics");
  EXPECT_THAT(
      metrics,
      HasSubstr("pmo_eventstore_head_position{context=\"configuration\"} 2\n"));
  EXPECT_THAT(
      metrics,
      HasSubstr(
          "pmo_outbox_published_position{context=\"configuration\"} 1\n"));
  EXPECT_THAT(
      metrics,
      HasSubstr("pmo_outbox_relay_lag_events{context=\"configuration\"} 1\n"));
  EXPECT_THAT(
      metrics,
      ::testing::Not(HasSubstr(
          "pmo_outbox_relay_lag_seconds{context=\"configuration\"} 0\n")));

  ASSERT_TRUE((*broker)->Restart().ok());
  std::string after;
  const absl::Time deadline = absl::Now() + absl::Seconds(120);
  while (absl::Now() < deadline) {
    after = HttpGet(metrics_port, "/metrics");
    if (after.find(
            "pmo_outbox_relay_lag_events{context=\"configuration\"} 0\n") !=
        std::string::npos) {
      break;
    }
    absl::SleepFor(absl::Milliseconds(250));
  }
  EXPECT_THAT(
      after,
      HasSubstr(
          "pmo_outbox_published_position{context=\"configuration\"} 2\n"));
  EXPECT_THAT(
      after,
      HasSubstr("pmo_outbox_relay_lag_seconds{context=\"configuration\"} 0\n"));

  for (testing::ChildProcess* p : {&projects, &configuration}) {
    p->Signal(SIGTERM);
    auto status = p->Wait(absl::Seconds(60));
    ASSERT_TRUE(status.has_value());
    EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0);
  }
}

}  // namespace
}  // namespace pmo
