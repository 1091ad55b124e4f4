// Fault: the projection killed with SIGKILL in the middle of catching up.
//
// pmo-projects stores a backlog of events (creations, status changes,
// tasks: streams of several versions) and relays them to Kafka. A
// pmo-projection then starts on it and is killed as soon as its view has
// moved, several times, each time somewhere else in the backlog; each
// restart resumes from the offsets its view stored with its rows. The test
// proves that no event was applied twice or skipped:
//  - the view's version of every project equals the store's last version;
//  - nothing is left parked waiting for a gap;
//  - the digest equals that of a view rebuilt from offset 0 by a process
//    that was never killed.
//
// Offsets live in the view, not in Kafka, so each restart may use a new
// consumer group: it then does not wait for the killed member's session to
// time out.

#include <signal.h>
#include <sys/wait.h>

#include <map>
#include <random>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/testing/temp_dir.h"
#include "libs/sqlite/sqlite.h"
#include "pmo/projects/v1/projects_service.grpc.pb.h"
#include "tests/support/create_project_load.h"
#include "tests/support/fault_rounds.h"
#include "tests/support/grpc_testing.h"
#include "tests/support/kafka_broker.h"
#include "tests/support/portfolio_probe.h"
#include "tests/support/service_process.h"
#include "tests/support/stored_projects.h"

namespace pmo {
namespace {

namespace pv1 = ::pmo::projects::v1;
using testing::CreateProjectLoad;
using testing::EnvInt;
using testing::SentCommand;
using testing::ServiceProcess;

struct ViewFile {
  std::map<std::string, int64_t> versions;
  int64_t parked = 0;
};

ViewFile ReadViewFile(const std::string& path) {
  ViewFile out;
  auto db = sqlite::Database::Open(path);
  EXPECT_TRUE(db.ok()) << db.status();
  if (!db.ok()) return out;
  // The view keys each stream by its source context: "projects/<id>".
  auto rows = (*db)->Prepare("SELECT stream_id, version FROM stream_versions");
  EXPECT_TRUE(rows.ok());
  while (rows.ok() && rows->Step().value_or(false)) {
    std::string key = rows->ColumnText(0);
    EXPECT_TRUE(absl::StartsWith(key, "projects/")) << key;
    out.versions[key.substr(key.find('/') + 1)] = rows->ColumnInt(1);
  }
  auto parked = (*db)->Prepare("SELECT COUNT(*) FROM parked_events");
  if (parked.ok() && parked->Step().value_or(false))
    out.parked = parked->ColumnInt(0);
  return out;
}

// Adds events to some projects so streams have several versions.
int AddLaterEvents(int port, const std::vector<SentCommand>& created) {
  auto stub = pv1::ProjectsService::NewStub(testing::LoopbackChannel(port));
  int events = 0;
  for (size_t i = 0; i < created.size(); ++i) {
    if (i % 2 == 0) {
      pv1::ChangeProjectStatusRequest req;
      req.set_request_id(absl::StrCat("approve-", i));
      req.set_project_id(created[i].project_id);
      req.set_status(pv1::PROJECT_STATUS_APPROVED);
      req.set_reason("portfolio board");
      grpc::ClientContext ctx;
      pv1::ChangeProjectStatusResponse resp;
      grpc::Status s = stub->ChangeProjectStatus(&ctx, req, &resp);
      EXPECT_TRUE(s.ok()) << s.error_message();
      events += s.ok();
    }
    if (i % 3 == 0) {
      pv1::AddTaskRequest req;
      req.set_request_id(absl::StrCat("task-", i));
      req.set_project_id(created[i].project_id);
      req.set_name("Design");
      req.set_duration_days(5);
      grpc::ClientContext ctx;
      pv1::AddTaskResponse resp;
      grpc::Status s = stub->AddTask(&ctx, req, &resp);
      EXPECT_TRUE(s.ok()) << s.error_message();
      events += s.ok();
    }
  }
  return events;
}

std::vector<std::string> ProjectionArgs(const std::string& data,
                                        const std::string& bootstrap,
                                        const std::string& group) {
  return {"--listen",
          "127.0.0.1:0",
          "--data_dir",
          data,
          "--kafka_brokers",
          bootstrap,
          "--group_id",
          group,
          "--log_requests=false"};
}

TEST(ProjectionKill, NoEventIsAppliedTwiceOrSkipped) {
  const int kills = EnvInt("PMO_PROJECTION_KILLS", 4);
  testing::TempDir dir;
  auto broker = testing::KafkaBroker::Start(dir.File("kafka"));
  ASSERT_TRUE(broker.ok()) << broker.status();
  const std::string bootstrap = (*broker)->bootstrap();
  ServiceProcess projects(
      "pmo-projects",
      {"--listen", "127.0.0.1:0", "--data_dir", dir.File("projects"),
       "--kafka_brokers", bootstrap, "--log_requests=false"});
  ASSERT_GT(projects.port, 0);

  // The backlog.
  CreateProjectLoad::Options options;
  options.code_prefix = "PK";
  options.max_per_thread = 300;
  CreateProjectLoad load(projects.port, options);
  const absl::Time limit = absl::Now() + absl::Seconds(240);
  while (load.acked() + load.failed() < int64_t{4} * 300 &&
         absl::Now() < limit) {
    absl::SleepFor(absl::Milliseconds(50));
  }
  load.Stop();
  std::vector<SentCommand> created = load.TakeSent();
  for (const SentCommand& c : created) ASSERT_TRUE(c.acked()) << c.error;
  const int64_t total_projects = static_cast<int64_t>(created.size());
  const int64_t total_events =
      total_projects + AddLaterEvents(projects.port, created);
  // The whole backlog is on the topic before the projection starts.
  ASSERT_GE(
      testing::ReadTopic(bootstrap, "pmo.projects.events.v1",
                         static_cast<size_t>(total_events), absl::Seconds(120))
          .size(),
      static_cast<size_t>(total_events));

  const std::string victim_data = dir.File("victim");
  std::mt19937 rng(EnvInt("PMO_FAULT_SEED", 9));
  std::uniform_int_distribution<int> delay_ms(0, 150);
  std::vector<int64_t> count_at_kill;
  for (int k = 0; k < kills; ++k) {
    ServiceProcess victim(
        "pmo-projection",
        ProjectionArgs(victim_data, bootstrap, absl::StrCat("victim-", k)));
    ASSERT_GT(victim.port, 0);
    const int64_t before =
        testing::PortfolioDigest(victim.port).project_count();
    // Kill as soon as the view has moved since the restart: it is then
    // in the middle of its catch-up, most likely inside a batch.
    const absl::Time until = absl::Now() + absl::Seconds(120);
    while (testing::PortfolioDigest(victim.port).project_count() <= before &&
           absl::Now() < until) {
      absl::SleepFor(absl::Milliseconds(5));
    }
    absl::SleepFor(absl::Milliseconds(delay_ms(rng)));
    victim.process.Signal(SIGKILL);
    ASSERT_TRUE(victim.process.Wait(absl::Seconds(30)).has_value());
    count_at_kill.push_back(before);
    if (before >= total_projects) break;  // nothing left to interrupt
  }

  ServiceProcess victim("pmo-projection",
                        ProjectionArgs(victim_data, bootstrap, "victim-final"));
  ServiceProcess rebuilt(
      "pmo-projection",
      ProjectionArgs(dir.File("rebuilt"), bootstrap, "never-killed"));
  ASSERT_GT(victim.port, 0);
  ASSERT_GT(rebuilt.port, 0);
  ASSERT_TRUE(testing::WaitForPortfolioCount(victim.port, total_projects,
                                             absl::Seconds(240)));
  ASSERT_TRUE(testing::WaitForPortfolioCount(rebuilt.port, total_projects,
                                             absl::Seconds(240)));
  EXPECT_TRUE(testing::WaitForEqualDigests(victim.port, rebuilt.port,
                                           absl::Seconds(60)));

  for (ServiceProcess* s : {&victim, &rebuilt}) {
    EXPECT_EQ(s->StopCleanly(), absl::OkStatus());
  }
  auto stored =
      testing::ReadStoredProjects(dir.File("projects") + "/projects-events.db");
  ASSERT_TRUE(stored.ok()) << stored.status();
  ASSERT_EQ(stored->event_count, total_events);
  const ViewFile view = ReadViewFile(victim_data + "/portfolio-view.db");
  EXPECT_EQ(view.versions, stored->versions);
  EXPECT_EQ(view.parked, 0);

  std::string counts;
  for (int64_t c : count_at_kill)
    absl::StrAppend(&counts, counts.empty() ? "" : ",", c);
  std::printf(
      "projection-kill: events=%lld projects=%lld kills=%zu "
      "view_count_at_each_restart=[%s]\n",
      static_cast<long long>(total_events),
      static_cast<long long>(total_projects), count_at_kill.size(),
      counts.c_str());
  projects.process.Signal(SIGTERM);
  EXPECT_TRUE(projects.process.Wait(absl::Seconds(60)).has_value());
}

}  // namespace
}  // namespace pmo
