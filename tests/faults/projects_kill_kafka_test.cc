// Fault: pmo-projects (store + outbox relay to Kafka) killed with SIGKILL
// under load, several times, with pmo-projection consuming the topic.
//
// Beyond the all-in-one kill test this exercises the relay: a kill can fall
// between a Kafka delivery and the relay's checkpoint, so the restarted
// relay sends some events again (at-least-once). The test proves that every
// acknowledged command is stored exactly once (read from the store file),
// reaches the topic (every stored event, by its CloudEvents id), and that
// the projection, which drops the duplicates, converges to the digest of a
// view rebuilt from offset 0.
//
// PMO_FAULT_KILLS sets the number of kills (default 3).

#include <random>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/testing/temp_dir.h"
#include "tests/support/create_project_load.h"
#include "tests/support/fault_rounds.h"
#include "tests/support/kafka_broker.h"
#include "tests/support/portfolio_probe.h"
#include "tests/support/service_process.h"
#include "tests/support/stored_events.h"
#include "tests/support/stored_projects.h"

namespace pmo {
namespace {

using testing::CreateProjectLoad;
using testing::EnvInt;
using testing::SentCommand;
using testing::ServiceProcess;

TEST(ProjectsKillWithKafka,
     AcknowledgedCommandsAreStoredOnceAndTheViewConverges) {
  const int kills = EnvInt("PMO_FAULT_KILLS", 3);
  testing::TempDir dir;
  auto broker = testing::KafkaBroker::Start(dir.File("kafka"));
  ASSERT_TRUE(broker.ok()) << broker.status();
  const std::string bootstrap = (*broker)->bootstrap();
  const std::string data = dir.File("projects");
  const std::vector<std::string> projects_args =
      testing::KafkaServiceArgs(data, bootstrap);
  ServiceProcess projection(
      "pmo-projection", testing::KafkaServiceArgs(dir.File("live"), bootstrap,
                                                  {"--group_id", "kill-live"}));
  ASSERT_GT(projection.port, 0);

  std::mt19937 rng(EnvInt("PMO_FAULT_SEED", 9));
  std::vector<SentCommand> sent;
  for (int k = 0; k < kills; ++k) {
    ServiceProcess projects("pmo-projects", projects_args);
    ASSERT_GT(projects.port, 0) << "restart " << k;
    CreateProjectLoad::Options options;
    options.code_prefix = "PJ" + std::to_string(k);
    CreateProjectLoad load(projects.port, options);
    const absl::Status killed =
        testing::KillOnceTheLoadFlows(projects.process, load, rng);
    ASSERT_TRUE(killed.ok()) << "round " << k << ": " << killed;
    for (SentCommand& c : load.TakeSent()) sent.push_back(std::move(c));
  }

  ServiceProcess projects("pmo-projects", projects_args);
  ASSERT_GT(projects.port, 0);
  for (SentCommand& c : sent) {
    if (c.acked()) continue;
    testing::RetryUntilAcked(projects.port, c, absl::Seconds(30));
    ASSERT_TRUE(c.acked()) << c.request.request_id() << ": " << c.error;
  }
  const int64_t total = static_cast<int64_t>(sent.size());
  ASSERT_TRUE(testing::WaitForPortfolioCount(projection.port, total,
                                             absl::Seconds(240)));
  EXPECT_EQ(testing::PortfolioDigest(projection.port).project_count(), total);

  auto stored = testing::ReadStoredProjects(data + "/projects-events.db");
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->streams_by_code.size(), sent.size());
  for (const SentCommand& c : sent) {
    auto [begin, end] = stored->streams_by_code.equal_range(c.request.code());
    ASSERT_EQ(std::distance(begin, end), 1) << c.request.code();
    EXPECT_EQ(begin->second, c.project_id) << c.request.code();
  }
  // Every stored event on the topic under its project's key, nothing else.
  auto events = testing::ReadStoredEvents(data + "/projects-events.db");
  ASSERT_TRUE(events.ok()) << events.status();
  auto tally = testing::ReadTopicAndCheckAgainstStore(
      bootstrap, "pmo.projects.events.v1", *events);
  ASSERT_TRUE(tally.ok()) << tally.status();

  ServiceProcess rebuilt("pmo-projection", testing::KafkaServiceArgs(
                                               dir.File("rebuilt"), bootstrap,
                                               {"--group_id", "kill-rebuild"}));
  ASSERT_GT(rebuilt.port, 0);
  ASSERT_TRUE(
      testing::WaitForPortfolioCount(rebuilt.port, total, absl::Seconds(240)));
  EXPECT_TRUE(testing::WaitForEqualDigests(projection.port, rebuilt.port,
                                           absl::Seconds(60)));
  std::printf(
      "projects-kill-with-kafka: kills=%d commands=%lld stored_once=%zu "
      "topic_records=%zu (resent by the relay after a kill: %lld)\n",
      kills, static_cast<long long>(total), stored->streams_by_code.size(),
      static_cast<size_t>(tally->records),
      static_cast<long long>(tally->resent));

  for (ServiceProcess* s : {&projects, &projection, &rebuilt}) {
    EXPECT_EQ(s->StopCleanly(), absl::OkStatus());
  }
}

}  // namespace
}  // namespace pmo
