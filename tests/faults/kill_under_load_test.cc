// Fault: the all-in-one pmo killed with SIGKILL under load, several times.
//
// Client threads send CreateProject commands, each with a request_id of its
// own, while the process is killed at a random moment (mid group commit,
// mid view batch, mid reply). After the last kill a fresh process gets every
// unacknowledged command again with the same request_id, then the test
// proves from the store file itself that every command is stored exactly
// once under the project id first acknowledged, and that the portfolio view
// converged to the same digest as a view rebuilt from the store.
//
// PMO_FAULT_KILLS sets the number of kills (default 3; the soak variant
// fault_kill_under_load_soak runs 100).

#include <signal.h>
#include <sys/wait.h>

#include <filesystem>
#include <random>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/testing/temp_dir.h"
#include "tests/support/create_project_load.h"
#include "tests/support/fault_rounds.h"
#include "tests/support/portfolio_probe.h"
#include "tests/support/service_process.h"
#include "tests/support/stored_projects.h"

namespace pmo {
namespace {

using testing::CreateProjectLoad;
using testing::EnvInt;
using testing::SentCommand;
using testing::ServiceProcess;

ServiceProcess StartPmo(const std::string& data_dir) {
  return ServiceProcess("pmo", {"--listen", "127.0.0.1:0", "--data_dir",
                                data_dir, "--log_requests=false"});
}

void StopGracefully(ServiceProcess& s) {
  EXPECT_EQ(s.StopCleanly(), absl::OkStatus());
}

TEST(KillUnderLoad, EveryAcknowledgedCommandIsStoredOnceAndTheViewConverges) {
  const int kills = EnvInt("PMO_FAULT_KILLS", 3);
  testing::TempDir dir;
  const std::string data = dir.File("data");
  // Fixed seed: a failing run can be repeated with the same kill moments.
  std::mt19937 rng(EnvInt("PMO_FAULT_SEED", 9));

  std::vector<SentCommand> sent;
  int64_t acked_before_kills = 0;
  for (int k = 0; k < kills; ++k) {
    ServiceProcess pmo = StartPmo(data);
    ASSERT_GT(pmo.port, 0) << "restart " << k;
    CreateProjectLoad::Options load_options;
    load_options.code_prefix = "K" + std::to_string(k);
    CreateProjectLoad load(pmo.port, load_options);
    // Kill once the load is flowing, at a moment that differs per round.
    const absl::Status killed =
        testing::KillOnceTheLoadFlows(pmo.process, load, rng);
    ASSERT_TRUE(killed.ok()) << "round " << k << ": " << killed;
    for (SentCommand& c : load.TakeSent()) {
      acked_before_kills += c.acked();
      sent.push_back(std::move(c));
    }
  }

  // Before any restart, straight from the file the killed process left:
  // every acknowledged command is on disk (an acknowledgement means fsync),
  // and some unacknowledged ones may be too (cut off between the commit and
  // the reply) - the retries below must not store those twice.
  int in_doubt_stored = 0;
  {
    auto on_disk = testing::ReadStoredProjects(data + "/projects-events.db");
    ASSERT_TRUE(on_disk.ok()) << on_disk.status();
    for (const SentCommand& c : sent) {
      const bool stored = on_disk->streams_by_code.count(c.request.code()) > 0;
      if (c.acked()) {
        EXPECT_TRUE(stored) << "acknowledged but lost: " << c.request.code();
      }
      if (!c.acked() && stored) ++in_doubt_stored;
    }
  }

  ServiceProcess pmo = StartPmo(data);
  ASSERT_GT(pmo.port, 0);
  // Acknowledged ids must survive the retries unchanged.
  std::map<std::string, std::string> first_ids;
  int retried = 0;
  for (SentCommand& c : sent) {
    if (c.acked()) {
      first_ids[c.request.code()] = c.project_id;
      continue;
    }
    ++retried;
    testing::RetryUntilAcked(pmo.port, c, absl::Seconds(30));
    ASSERT_TRUE(c.acked()) << c.request.request_id() << ": " << c.error;
  }
  for (SentCommand& c : sent) {
    if (!first_ids.count(c.request.code())) continue;
    SentCommand again = c;  // the same request id once more: the first result
    testing::RetryUntilAcked(pmo.port, again, absl::Seconds(30));
    ASSERT_EQ(again.project_id, c.project_id) << c.request.request_id();
    break;  // one is enough here; the store check below covers them all
  }

  const int64_t total = static_cast<int64_t>(sent.size());
  ASSERT_TRUE(
      testing::WaitForPortfolioCount(pmo.port, total, absl::Seconds(120)));
  const auto live = testing::PortfolioDigest(pmo.port);
  EXPECT_EQ(live.project_count(), total);
  StopGracefully(pmo);

  // Exactly once, read from the store file.
  auto stored = testing::ReadStoredProjects(data + "/projects-events.db");
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->streams_by_code.size(), sent.size());
  for (const SentCommand& c : sent) {
    auto [begin, end] = stored->streams_by_code.equal_range(c.request.code());
    ASSERT_EQ(std::distance(begin, end), 1) << c.request.code();
    EXPECT_EQ(begin->second, c.project_id) << c.request.code();
  }

  // The view as a rebuild from the store would make it: a copy of the data
  // without the view's file.
  const std::string rebuilt_data = dir.File("rebuilt");
  std::filesystem::create_directories(rebuilt_data);
  for (const auto& entry : std::filesystem::directory_iterator(data)) {
    if (entry.path().filename().string().rfind("portfolio-view.db", 0) == 0)
      continue;
    std::filesystem::copy(
        entry.path(), rebuilt_data + "/" + entry.path().filename().string());
  }
  ServiceProcess rebuilt = StartPmo(rebuilt_data);
  ASSERT_GT(rebuilt.port, 0);
  ASSERT_TRUE(
      testing::WaitForPortfolioCount(rebuilt.port, total, absl::Seconds(120)));
  EXPECT_EQ(testing::PortfolioDigest(rebuilt.port).digest(), live.digest());
  StopGracefully(rebuilt);

  // Figures for docs/reliability.md.
  std::printf(
      "kill-under-load: kills=%d commands=%lld acked_before_kill=%lld "
      "retried_after_restart=%d (already stored before the retry: %d) "
      "stored_once=%zu\n",
      kills, static_cast<long long>(total),
      static_cast<long long>(acked_before_kills), retried, in_doubt_stored,
      stored->streams_by_code.size());
}

}  // namespace
}  // namespace pmo
