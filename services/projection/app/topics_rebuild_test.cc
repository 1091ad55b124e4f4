// The rebuild from the topics and its switch, without Kafka: the log is a
// scripted EventLogReader over the same deliveries the live view got. The
// Kafka end of it runs in tests/e2e_rebuild_kafka_test.cc.

#include "services/projection/app/topics_rebuild.h"

#include <condition_variable>
#include <filesystem>
#include <fstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/testing/status_matchers.h"
#include "libs/base/testing/temp_dir.h"
#include "services/projection/adapters/open_view_storage.h"
#include "services/projection/app/hand_built_history.h"

namespace pmo::projection {
namespace {

using ::pmo::testing::IsOkAndHolds;
using ::testing::HasSubstr;
using Phase = ViewRebuildStatus::Phase;

// Every partition's messages, as a topic holds them; a reader reads them
// in order from the first.
class ScriptedLog {
 public:
  explicit ScriptedLog(std::vector<subscription::Delivery> messages)
      : messages_(std::move(messages)) {}

  class Reader final : public subscription::EventLogReader {
   public:
    explicit Reader(ScriptedLog& log) : log_(log) {}
    absl::StatusOr<std::vector<subscription::Delivery>> Read(
        absl::Duration wait, int max) override {
      std::unique_lock lock(log_.mu_);
      log_.gate_.wait(lock, [&] { return log_.open_; });
      std::vector<subscription::Delivery> out;
      while (next_ < log_.messages_.size() &&
             static_cast<int>(out.size()) < max) {
        out.push_back(log_.messages_[next_++]);
      }
      if (out.empty()) {
        lock.unlock();
        absl::SleepFor(std::min(wait, absl::Milliseconds(5)));
      }
      return out;
    }

   private:
    ScriptedLog& log_;
    size_t next_ = 0;
  };

  TopicsRebuild::OpenReader Opener() {
    return
        [this]()
            -> absl::StatusOr<std::unique_ptr<subscription::EventLogReader>> {
          return std::make_unique<Reader>(*this);
        };
  }
  // Readers wait while closed.
  void SetOpen(bool open) {
    {
      std::lock_guard lock(mu_);
      open_ = open;
    }
    gate_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable gate_;
  bool open_ = true;
  std::vector<subscription::Delivery> messages_;
};

// The hand-built portfolio and 200 more projects, on two topics.
std::vector<subscription::Delivery> Enterprise() {
  history::History h = history::Portfolio();
  for (int i = 0; i < 200; ++i) {
    ::pmo::projects::v1::ProjectCreated created;
    created.set_code(absl::StrCat("P", 1000 + i));
    created.set_name("Project");
    created.set_manager(i % 2 ? "alice" : "bob");
    h.Add("projects", "project", absl::StrCat("p-", i),
          absl::CivilDay(2027, 1, 1 + i % 28), created);
  }
  return history::Deliveries(h.events());
}

class TopicsRebuildTest : public ::testing::Test {
 protected:
  void SetUp() override {
    all_ = Enterprise();
    ASSERT_GT(all_.size(), 200u);
    ASSERT_OK_AND_ASSIGN(std::string live, generations_->LiveName());
    ASSERT_EQ(live, "portfolio-view.db");
    ASSERT_OK_AND_ASSIGN(auto view, generations_->Open(live));
    served_ = std::make_unique<ServedView>(std::move(view));
  }

  // Hands the live view deliveries [from, to) in batches of `batch`.
  void Feed(size_t from, size_t to, size_t batch) {
    for (size_t i = from; i < to; i += batch) {
      std::vector<subscription::Delivery> part(
          all_.begin() + i, all_.begin() + std::min(to, i + batch));
      ASSERT_OK(served_->Handle(part));
    }
  }

  absl::StatusOr<std::string> ReferenceDigest(
      const std::vector<subscription::Delivery>& deliveries) {
    auto reference = OpenPortfolioView(dir_.File("reference.db"));
    if (!reference.ok()) return reference.status();
    if (absl::Status s = (*reference)->Handle(deliveries); !s.ok()) return s;
    return (*reference)->Digest();
  }

  pmo::testing::TempDir dir_;
  std::shared_ptr<const ViewGenerations> generations_ =
      SqliteViewGenerations(dir_.path());
  std::vector<subscription::Delivery> all_;
  std::unique_ptr<ServedView> served_;
};

TEST_F(TopicsRebuildTest,
       SwitchesToAFreshFileWithTheLiveDigestWhileTheLiveViewGoesOn) {
  Feed(0, 100, 7);
  ScriptedLog log(all_);
  TopicsRebuild::Options options;
  options.max_batch = 10;  // many rounds, so the live view moves meanwhile
  TopicsRebuild rebuild(*served_, generations_, log.Opener(), options);
  std::shared_ptr<PortfolioView> old = served_->Current();

  ASSERT_OK(rebuild.Start());
  // The live subscription goes on delivering, and every query is answered,
  // throughout.
  std::thread subscription([&] { Feed(100, all_.size(), 3); });
  int queries = 0;
  while (rebuild.Status().phase == Phase::kRunning) {
    ASSERT_OK(served_->Current()
                  ->ComputeOverview(absl::CivilDay(2027, 3, 31), false)
                  .status());
    ++queries;
  }
  subscription.join();
  rebuild.Wait();

  const ViewRebuildStatus status = rebuild.Status();
  ASSERT_EQ(status.phase, Phase::kSwitched) << status.error;
  EXPECT_EQ(status.source, ViewRebuildStatus::Source::kTopics);
  EXPECT_FALSE(status.live_digest.empty());
  EXPECT_EQ(status.rebuilt_digest, status.live_digest);
  EXPECT_EQ(status.rebuilt_view, "portfolio-view-1.db");
  EXPECT_EQ(status.live_view, "portfolio-view-1.db");
  EXPECT_GE(status.events_folded, 100);
  EXPECT_GT(queries, 0);

  // The fresh view serves, with every delivery in it, whichever view the
  // last batches reached; a restart would open it.
  EXPECT_NE(served_->Current(), old);
  EXPECT_THAT(served_->Current()->Digest(),
              IsOkAndHolds(*ReferenceDigest(all_)));
  EXPECT_THAT(served_->Current()->ResumeOffset(all_.back().source, 0),
              IsOkAndHolds(all_.back().offset + 1));
  EXPECT_THAT(generations_->LiveName(), IsOkAndHolds("portfolio-view-1.db"));
  // The old file lasts as long as a query holds the old view.
  EXPECT_TRUE(std::filesystem::exists(dir_.File("portfolio-view.db")));
  old.reset();
  EXPECT_FALSE(std::filesystem::exists(dir_.File("portfolio-view.db")));
  EXPECT_TRUE(std::filesystem::exists(dir_.File("portfolio-view-1.db")));
}

TEST_F(TopicsRebuildTest, DifferentDigestsFailTheRebuildAndKeepTheLiveView) {
  Feed(0, all_.size(), 50);
  // The topics say something else than what the live view applied at one
  // offset: another project name.
  std::vector<subscription::Delivery> other = all_;
  for (subscription::Delivery& d : other) {
    if (d.event.event_type == "pmo.projects.v1.ProjectCreated") {
      ::pmo::projects::v1::ProjectCreated created;
      ASSERT_TRUE(created.ParseFromString(d.event.payload));
      created.set_name("Renamed");
      d.event.payload = created.SerializeAsString();
      break;
    }
  }
  ScriptedLog log(other);
  TopicsRebuild rebuild(*served_, generations_, log.Opener());
  const std::shared_ptr<PortfolioView> live = served_->Current();
  ASSERT_OK(rebuild.Start());
  rebuild.Wait();

  const ViewRebuildStatus status = rebuild.Status();
  EXPECT_EQ(status.phase, Phase::kFailed);
  EXPECT_FALSE(status.live_digest.empty());
  EXPECT_FALSE(status.rebuilt_digest.empty());
  EXPECT_NE(status.live_digest, status.rebuilt_digest);
  EXPECT_THAT(status.error, HasSubstr(status.rebuilt_digest));
  EXPECT_EQ(served_->Current(), live);
  EXPECT_THAT(generations_->LiveName(), IsOkAndHolds("portfolio-view.db"));
  EXPECT_EQ(status.live_view, "portfolio-view.db");
  EXPECT_FALSE(std::filesystem::exists(dir_.File(status.rebuilt_view)));
}

TEST_F(TopicsRebuildTest,
       ATopicThatLacksWhatTheLiveViewHasFailsAfterTheStallTimeout) {
  Feed(0, 50, 10);
  // The topics no longer hold the last events the live view applied.
  ScriptedLog log(
      std::vector<subscription::Delivery>(all_.begin(), all_.begin() + 40));
  TopicsRebuild::Options options;
  options.stall_timeout = absl::Milliseconds(300);
  TopicsRebuild rebuild(*served_, generations_, log.Opener(), options);
  const std::shared_ptr<PortfolioView> live = served_->Current();
  ASSERT_OK(rebuild.Start());
  rebuild.Wait();

  const ViewRebuildStatus status = rebuild.Status();
  EXPECT_EQ(status.phase, Phase::kFailed);
  EXPECT_THAT(status.error, HasSubstr("lacks 10 events"));
  EXPECT_EQ(status.events_folded, 40);
  EXPECT_EQ(served_->Current(), live);
  EXPECT_FALSE(std::filesystem::exists(dir_.File("portfolio-view-1.db")));
}

TEST_F(TopicsRebuildTest, ASecondStartWhileOneRunsIsRefused) {
  Feed(0, 20, 10);
  const absl::Duration live_lag = served_->Current()->ApplyLag();
  ScriptedLog log(all_);
  log.SetOpen(false);  // the first rebuild waits on its first read
  TopicsRebuild rebuild(*served_, generations_, log.Opener());
  ASSERT_OK(rebuild.Start());
  EXPECT_EQ(rebuild.Status().phase, Phase::kRunning);
  EXPECT_THAT(rebuild.Start(),
              ::pmo::testing::StatusIs(absl::StatusCode::kFailedPrecondition));
  log.SetOpen(true);
  rebuild.Wait();
  EXPECT_EQ(rebuild.Status().phase, Phase::kSwitched) << rebuild.Status().error;
  // Freshness goes on saying how late the last live batch was, not how old
  // the rebuild's last events were.
  EXPECT_EQ(served_->Current()->ApplyLag(), live_lag);
  // And the next one starts from the generation now live.
  ASSERT_OK(rebuild.Start());
  rebuild.Wait();
  EXPECT_EQ(rebuild.Status().phase, Phase::kSwitched) << rebuild.Status().error;
  EXPECT_THAT(generations_->LiveName(), IsOkAndHolds("portfolio-view-2.db"));
}

}  // namespace
}  // namespace pmo::projection
