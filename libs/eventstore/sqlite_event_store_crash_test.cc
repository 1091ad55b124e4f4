// Kills a writer process with SIGKILL at random moments, many rounds, and
// checks after each that every acknowledged event is in the store exactly
// once, in order, with no gaps in stream versions or store positions.

#include <signal.h>
#include <sys/wait.h>

#include <map>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "libs/base/testing/status_matchers.h"
#include "libs/base/testing/temp_dir.h"
#include "libs/eventstore/sqlite_event_store.h"
#include "tests/support/child_process.h"

namespace pmo::eventstore {
namespace {

constexpr int kRounds = 25;
constexpr int kWriterThreads = 8;

TEST(SqliteEventStoreCrash, AcknowledgedAppendsSurviveSigkill) {
  pmo::testing::TempDir dir;
  const std::string db = dir.File("events.db");
  std::mt19937 random(std::random_device{}());
  std::uniform_int_distribution<int> kill_after_ms(20, 400);
  std::map<std::string, int64_t> acked;  // stream -> highest acked version
  int64_t total_acks = 0;

  for (int round = 0; round < kRounds; ++round) {
    {
      pmo::testing::ChildProcess writer({PMO_BINARY_DIR
                                         "/bin/store_crash_writer",
                                         db, std::to_string(kWriterThreads)});
      const absl::Time kill_at =
          absl::Now() + absl::Milliseconds(kill_after_ms(random));
      while (absl::Now() < kill_at) {
        std::optional<std::string> line =
            writer.ReadLine(kill_at - absl::Now());
        if (!line) continue;
        std::vector<std::string> parts = absl::StrSplit(*line, ' ');
        ASSERT_EQ(parts.size(), 4u) << *line;
        int64_t version = std::stoll(parts[2]);
        ASSERT_GT(version, acked[parts[1]]) << "acks out of order";
        acked[parts[1]] = version;
        ++total_acks;
      }
      writer.Signal(SIGKILL);
      // Acks already in the pipe were acknowledged before the kill.
      while (std::optional<std::string> line =
                 writer.ReadLine(absl::Seconds(5))) {
        std::vector<std::string> parts = absl::StrSplit(*line, ' ');
        if (parts.size() != 4) continue;  // a line cut by the kill
        acked[parts[1]] =
            std::max<int64_t>(acked[parts[1]], std::stoll(parts[2]));
        ++total_acks;
      }
      std::optional<int> status = writer.Wait(absl::Seconds(10));
      ASSERT_TRUE(status.has_value());
      ASSERT_TRUE(WIFSIGNALED(*status))
          << "writer exited on its own: " << *status;
    }

    ASSERT_OK_AND_ASSIGN(auto store, SqliteEventStore::Open(db));
    // Positions are 1..head with no gap and no repeat.
    int64_t expected_position = 0;
    std::map<std::string, int64_t> stored;  // stream -> last version seen
    while (true) {
      ASSERT_OK_AND_ASSIGN(auto page, store->ReadAll(expected_position, 5000));
      if (page.empty()) break;
      for (const RecordedEvent& e : page) {
        ASSERT_EQ(e.position, ++expected_position) << "gap in positions";
        ASSERT_EQ(e.stream_version, stored[e.stream_id] + 1)
            << "gap or repeat in " << e.stream_id;
        stored[e.stream_id] = e.stream_version;
        ASSERT_EQ(e.payload, absl::StrCat(e.stream_id, ":", e.stream_version));
      }
    }
    EXPECT_EQ(expected_position, store->HeadPosition());
    for (const auto& [stream, version] : acked) {
      ASSERT_GE(stored[stream], version)
          << "round " << round << ": acknowledged " << stream << " v" << version
          << " lost";
    }
    for (const auto& [stream, version] : stored) {
      // Appends are pairs: a torn append would leave an odd version.
      ASSERT_EQ(version % 2, 0) << stream << " holds half an append";
    }
  }
  // The test means something only if the writer got work acknowledged.
  EXPECT_GT(total_acks, kRounds);
  std::printf("%d rounds, %lld acknowledged appends checked\n", kRounds,
              static_cast<long long>(total_acks));
}

}  // namespace
}  // namespace pmo::eventstore
