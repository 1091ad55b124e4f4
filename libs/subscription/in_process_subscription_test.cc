// InProcessSubscription over a real SQLite event store file, delivering to a
// handler that keeps what it saw and its offsets in its own SQLite file in
// one transaction per batch (sqlite_offsets), as a read model does.

#include "libs/subscription/in_process_subscription.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "libs/base/status_macros.h"
#include "libs/base/testing/status_matchers.h"
#include "libs/base/testing/temp_dir.h"
#include "libs/eventstore/sqlite_event_store.h"
#include "libs/sqlite/sqlite.h"
#include "libs/subscription/command_feed.h"
#include "libs/subscription/sqlite_offsets.h"

namespace pmo::subscription {
namespace {

using ::testing::Each;
using ::testing::ElementsAre;
using ::testing::Le;

// A read model: the positions it applied, and its offsets, in one file.
class RecordingHandler : public EventHandler {
 public:
  static std::unique_ptr<RecordingHandler> Open(const std::string& path) {
    auto db = sqlite::Database::Open(path);
    EXPECT_TRUE(db.ok()) << db.status();
    if (!db.ok()) return nullptr;
    auto handler =
        std::unique_ptr<RecordingHandler>(new RecordingHandler(*std::move(db)));
    EXPECT_OK(
        handler->db_->Execute("CREATE TABLE IF NOT EXISTS applied (position "
                              "INTEGER NOT NULL, stream_id TEXT NOT NULL)"));
    EXPECT_OK(CreateOffsetsTable(*handler->db_));
    return handler;
  }

  absl::StatusOr<std::optional<int64_t>> ResumeOffset(
      const std::string& source, int32_t partition) override {
    std::lock_guard lock(mu_);
    if (resume_failures_ > 0) {
      --resume_failures_;
      return absl::UnavailableError("offsets not readable yet");
    }
    resumed_from_.push_back(source);
    return LoadOffset(*db_, source, partition);
  }

  absl::Status Handle(const std::vector<Delivery>& batch) override {
    std::lock_guard lock(mu_);
    batch_sizes_.push_back(static_cast<int>(batch.size()));
    return sqlite::InTransaction(*db_, [&]() -> absl::Status {
      ASSIGN_OR_RETURN(
          sqlite::Statement insert,
          db_->Prepare(
              "INSERT INTO applied (position, stream_id) VALUES (?, ?)"));
      for (const Delivery& d : batch) {
        deliveries_.push_back(
            {d.source, d.partition, d.offset, d.event.position});
        insert.Reset();
        insert.Bind(1, d.event.position).Bind(2, d.event.stream_id);
        RETURN_IF_ERROR(insert.Run());
      }
      RETURN_IF_ERROR(SaveOffsets(*db_, batch));
      if (handle_failures_ > 0) {
        --handle_failures_;
        return absl::UnavailableError(
            "view storage hiccup");  // rolls the batch back
      }
      return absl::OkStatus();
    });
  }

  // Positions kept (committed) by the handler, in order.
  std::vector<int64_t> Applied() {
    std::lock_guard lock(mu_);
    std::vector<int64_t> out;
    auto stmt = db_->Prepare("SELECT position FROM applied ORDER BY rowid");
    EXPECT_TRUE(stmt.ok()) << stmt.status();
    if (!stmt.ok()) return out;
    while (true) {
      absl::StatusOr<bool> row = stmt->Step();
      EXPECT_TRUE(row.ok()) << row.status();
      if (!row.ok() || !*row) break;
      out.push_back(stmt->ColumnInt(0));
    }
    return out;
  }

  struct Seen {
    std::string source;
    int32_t partition;
    int64_t offset;
    int64_t position;
  };
  std::vector<Seen> deliveries() {
    std::lock_guard lock(mu_);
    return deliveries_;
  }
  std::vector<int> batch_sizes() {
    std::lock_guard lock(mu_);
    return batch_sizes_;
  }
  std::vector<std::string> resumed_from() {
    std::lock_guard lock(mu_);
    return resumed_from_;
  }
  void FailNextHandles(int n) {
    std::lock_guard lock(mu_);
    handle_failures_ = n;
  }
  void FailNextResumes(int n) {
    std::lock_guard lock(mu_);
    resume_failures_ = n;
  }
  sqlite::Database& db() { return *db_; }

 private:
  explicit RecordingHandler(std::unique_ptr<sqlite::Database> db)
      : db_(std::move(db)) {}
  std::mutex mu_;
  std::unique_ptr<sqlite::Database> db_;
  std::vector<Seen> deliveries_;
  std::vector<int> batch_sizes_;
  std::vector<std::string> resumed_from_;
  int handle_failures_ = 0;
  int resume_failures_ = 0;
};

class InProcessSubscriptionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = eventstore::SqliteEventStore::Open(dir_.File("events.db"));
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    handler_ = RecordingHandler::Open(dir_.File("view.db"));
    ASSERT_NE(handler_, nullptr);
  }

  // One event in `stream` (a stream's versions follow each other).
  void Append(const std::string& stream) {
    eventstore::AppendRequest request;
    request.stream_id = stream;
    request.stream_type = "project";
    request.events.push_back({absl::StrCat("e-", ++appended_), "pmo.test.Event",
                              "", absl::UnixEpoch()});
    ASSERT_OK(store_->Append(std::move(request)).status());
  }
  void AppendMany(int n) {
    for (int i = 0; i < n; ++i) Append(absl::StrCat("p-", i % 3));
  }

  static std::vector<int64_t> Range(int64_t from, int64_t to) {
    std::vector<int64_t> out;
    for (int64_t p = from; p <= to; ++p) out.push_back(p);
    return out;
  }

  pmo::testing::TempDir dir_;
  std::unique_ptr<eventstore::SqliteEventStore> store_;
  std::unique_ptr<RecordingHandler> handler_;
  int appended_ = 0;
};

TEST_F(InProcessSubscriptionTest, DeliversEveryEventInPositionOrder) {
  AppendMany(7);
  InProcessSubscription subscription(*store_, "projects", *handler_);
  EXPECT_EQ(subscription.source(), "store:projects");
  subscription.Start();
  ASSERT_TRUE(subscription.WaitUntilCaughtUp(absl::Seconds(5)));
  EXPECT_EQ(subscription.handled_position(), 7);
  EXPECT_EQ(handler_->Applied(), Range(1, 7));
  for (const RecordingHandler::Seen& seen : handler_->deliveries()) {
    EXPECT_EQ(seen.source, "store:projects");
    EXPECT_EQ(seen.partition, 0);
    EXPECT_EQ(seen.offset, seen.position);
  }
  EXPECT_THAT(handler_->resumed_from(), ElementsAre("store:projects"));
  // The handler saved "next to read".
  EXPECT_THAT(LoadOffset(handler_->db(), "store:projects", 0),
              pmo::testing::IsOkAndHolds(std::optional<int64_t>(8)));
}

TEST_F(InProcessSubscriptionTest, FollowsNewCommits) {
  InProcessSubscription subscription(*store_, "projects", *handler_);
  subscription.Start();
  ASSERT_TRUE(subscription.WaitUntilCaughtUp(absl::Seconds(5)));  // empty store
  EXPECT_TRUE(handler_->Applied().empty());

  AppendMany(3);
  ASSERT_TRUE(subscription.WaitUntilCaughtUp(absl::Seconds(5)));
  AppendMany(2);
  ASSERT_TRUE(subscription.WaitUntilCaughtUp(absl::Seconds(5)));
  EXPECT_EQ(handler_->Applied(), Range(1, 5));
  EXPECT_EQ(subscription.handled_position(), 5);
}

TEST_F(InProcessSubscriptionTest, BatchesAreAtMostTheBatchSize) {
  AppendMany(7);
  InProcessSubscription subscription(*store_, "projects", *handler_,
                                     /*batch_size=*/2);
  subscription.Start();
  ASSERT_TRUE(subscription.WaitUntilCaughtUp(absl::Seconds(5)));
  EXPECT_THAT(handler_->batch_sizes(), Each(Le(2)));
  EXPECT_GE(handler_->batch_sizes().size(), 4u);
  EXPECT_EQ(handler_->Applied(), Range(1, 7));
}

TEST_F(InProcessSubscriptionTest, ResumesWhereTheHandlerLeftOff) {
  AppendMany(4);
  {
    InProcessSubscription first(*store_, "projects", *handler_);
    first.Start();
    ASSERT_TRUE(first.WaitUntilCaughtUp(absl::Seconds(5)));
  }  // stopped, as at a restart
  AppendMany(3);

  // A new handler over the same file: only the new events are delivered.
  handler_.reset();
  std::unique_ptr<RecordingHandler> reopened =
      RecordingHandler::Open(dir_.File("view.db"));
  ASSERT_NE(reopened, nullptr);
  InProcessSubscription second(*store_, "projects", *reopened);
  second.Start();
  ASSERT_TRUE(second.WaitUntilCaughtUp(absl::Seconds(5)));
  ASSERT_FALSE(reopened->deliveries().empty());
  EXPECT_EQ(reopened->deliveries().front().position, 5);
  EXPECT_EQ(reopened->Applied(), Range(1, 7));  // each position kept once
}

TEST_F(InProcessSubscriptionTest, OffsetsAreKeptPerSourceName) {
  AppendMany(3);
  {
    InProcessSubscription projects(*store_, "projects", *handler_);
    projects.Start();
    ASSERT_TRUE(projects.WaitUntilCaughtUp(absl::Seconds(5)));
  }
  // The same handler following another store name starts at the beginning.
  InProcessSubscription risks(*store_, "risks", *handler_);
  risks.Start();
  ASSERT_TRUE(risks.WaitUntilCaughtUp(absl::Seconds(5)));
  EXPECT_EQ(handler_->Applied(), (std::vector<int64_t>{1, 2, 3, 1, 2, 3}));
}

TEST_F(InProcessSubscriptionTest, AFailedBatchIsDeliveredAgainAndKeptOnce) {
  AppendMany(5);
  handler_->FailNextHandles(1);
  InProcessSubscription subscription(*store_, "projects", *handler_);
  subscription.Start();
  ASSERT_TRUE(subscription.WaitUntilCaughtUp(absl::Seconds(5)));
  EXPECT_EQ(handler_->batch_sizes().size(), 2u);  // the failed one, then again
  EXPECT_EQ(handler_->Applied(),
            Range(1, 5));  // nothing of the failed batch kept
}

TEST_F(InProcessSubscriptionTest, AResumeOffsetErrorIsRetried) {
  AppendMany(2);
  handler_->FailNextResumes(1);
  InProcessSubscription subscription(*store_, "projects", *handler_);
  subscription.Start();
  ASSERT_TRUE(subscription.WaitUntilCaughtUp(absl::Seconds(5)));
  EXPECT_EQ(handler_->Applied(), Range(1, 2));
}

TEST_F(InProcessSubscriptionTest,
       WaitUntilCaughtUpTimesOutWhileTheHandlerFails) {
  AppendMany(2);
  handler_->FailNextHandles(1000);
  InProcessSubscription subscription(*store_, "projects", *handler_);
  subscription.Start();
  EXPECT_FALSE(subscription.WaitUntilCaughtUp(absl::Milliseconds(300)));
  EXPECT_EQ(subscription.handled_position(), 0);
  EXPECT_TRUE(handler_->Applied().empty());
}

TEST_F(InProcessSubscriptionTest, StopWithoutStartAndTwiceIsHarmless) {
  InProcessSubscription idle(*store_, "projects", *handler_);
  idle.Stop();
  InProcessSubscription running(*store_, "projects", *handler_);
  running.Start();
  running.Stop();
  running.Stop();
  SUCCEED();
}

class SqliteOffsetsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = sqlite::Database::Open(dir_.File("view.db"));
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = *std::move(db);
    ASSERT_OK(CreateOffsetsTable(*db_));
  }
  static Delivery At(const std::string& source, int32_t partition,
                     int64_t offset) {
    Delivery d;
    d.source = source;
    d.partition = partition;
    d.offset = offset;
    return d;
  }
  pmo::testing::TempDir dir_;
  std::unique_ptr<sqlite::Database> db_;
};

TEST_F(SqliteOffsetsTest, NothingSavedIsNullopt) {
  EXPECT_THAT(LoadOffset(*db_, "pmo.projects.events.v1", 0),
              pmo::testing::IsOkAndHolds(std::nullopt));
  EXPECT_THAT(LoadOffsets(*db_),
              pmo::testing::IsOkAndHolds(::testing::IsEmpty()));
  EXPECT_OK(CreateOffsetsTable(*db_));  // idempotent
}

TEST_F(SqliteOffsetsTest, SavesOnePastTheHighestOffsetOfEachPartition) {
  ASSERT_OK(SaveOffsets(
      *db_, {At("topic-a", 0, 10), At("topic-a", 1, 4), At("topic-a", 0, 12),
             At("topic-a", 0, 11), At("topic-b", 0, 0)}));
  EXPECT_THAT(LoadOffset(*db_, "topic-a", 0),
              pmo::testing::IsOkAndHolds(std::optional<int64_t>(13)));
  EXPECT_THAT(LoadOffset(*db_, "topic-a", 1),
              pmo::testing::IsOkAndHolds(std::optional<int64_t>(5)));
  EXPECT_THAT(LoadOffset(*db_, "topic-b", 0),
              pmo::testing::IsOkAndHolds(std::optional<int64_t>(1)));
  EXPECT_THAT(LoadOffset(*db_, "topic-b", 1),
              pmo::testing::IsOkAndHolds(std::nullopt));

  ASSERT_OK_AND_ASSIGN(std::vector<SavedOffset> all, LoadOffsets(*db_));
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].source, "topic-a");
  EXPECT_EQ(all[0].partition, 0);
  EXPECT_EQ(all[0].next_offset, 13);
  EXPECT_EQ(all[1].source, "topic-a");
  EXPECT_EQ(all[1].partition, 1);
  EXPECT_EQ(all[2].source, "topic-b");
}

TEST_F(SqliteOffsetsTest, NeverMovesBackwards) {
  ASSERT_OK(SaveOffsets(*db_, {At("topic-a", 0, 20)}));
  ASSERT_OK(
      SaveOffsets(*db_, {At("topic-a", 0, 5)}));  // a redelivered older message
  EXPECT_THAT(LoadOffset(*db_, "topic-a", 0),
              pmo::testing::IsOkAndHolds(std::optional<int64_t>(21)));
  ASSERT_OK(SaveOffsets(*db_, {At("topic-a", 0, 21)}));
  EXPECT_THAT(LoadOffset(*db_, "topic-a", 0),
              pmo::testing::IsOkAndHolds(std::optional<int64_t>(22)));
}

TEST_F(SqliteOffsetsTest, ARolledBackTransactionKeepsNoOffset) {
  absl::Status s = sqlite::InTransaction(*db_, [&]() -> absl::Status {
    RETURN_IF_ERROR(SaveOffsets(*db_, {At("topic-a", 0, 3)}));
    return absl::AbortedError("the view write failed");
  });
  EXPECT_FALSE(s.ok());
  EXPECT_THAT(LoadOffset(*db_, "topic-a", 0),
              pmo::testing::IsOkAndHolds(std::nullopt));
}

TEST_F(SqliteOffsetsTest, AnEmptyBatchSavesNothing) {
  ASSERT_OK(SaveOffsets(*db_, {}));
  EXPECT_THAT(LoadOffsets(*db_),
              pmo::testing::IsOkAndHolds(::testing::IsEmpty()));
}

// CommandFeed: the use case runs first, the offsets are saved after it.
class CommandFeedTest : public ::testing::Test {
 protected:
  static Delivery Event(const std::string& id, int64_t offset) {
    Delivery d;
    d.source = "pmo.configuration.events.v1";
    d.offset = offset;
    d.event.event_id = id;
    return d;
  }
  absl::StatusOr<std::unique_ptr<CommandFeed>> Open() {
    return CommandFeed::Open(dir_.File("feed.db"),
                             [this](const eventstore::RecordedEvent& e) {
                               if (e.event_id == refuse_) {
                                 return absl::UnavailableError("store down");
                               }
                               taken_.push_back(e.event_id);
                               return absl::OkStatus();
                             });
  }
  pmo::testing::TempDir dir_;
  std::string refuse_;
  std::vector<std::string> taken_;
};

TEST_F(CommandFeedTest, TakesEachReadableEventThenSavesTheOffsets) {
  ASSERT_OK_AND_ASSIGN(auto feed, Open());
  Delivery unreadable = Event("bad", 1);
  unreadable.undecodable_reason = "not a CloudEvent";
  ASSERT_OK(feed->Handle({Event("e1", 0), unreadable, Event("e3", 2)}));
  EXPECT_THAT(taken_, ::testing::ElementsAre("e1", "e3"));
  // A reopened feed resumes past the batch.
  feed.reset();
  ASSERT_OK_AND_ASSIGN(feed, Open());
  EXPECT_THAT(feed->ResumeOffset("pmo.configuration.events.v1", 0),
              pmo::testing::IsOkAndHolds(std::optional<int64_t>(3)));
}

TEST_F(CommandFeedTest, AFailedCommandSavesNoOffsetOfItsBatch) {
  ASSERT_OK_AND_ASSIGN(auto feed, Open());
  ASSERT_OK(feed->Handle({Event("e1", 0)}));
  refuse_ = "e3";
  EXPECT_THAT(feed->Handle({Event("e2", 1), Event("e3", 2)}),
              pmo::testing::StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(feed->ResumeOffset("pmo.configuration.events.v1", 0),
              pmo::testing::IsOkAndHolds(std::optional<int64_t>(1)));
  // Delivered again once the store is back: e2 is taken again (its
  // command's request id makes that harmless), then the offsets move.
  refuse_.clear();
  ASSERT_OK(feed->Handle({Event("e2", 1), Event("e3", 2)}));
  EXPECT_THAT(taken_, ::testing::ElementsAre("e1", "e2", "e2", "e3"));
  EXPECT_THAT(feed->ResumeOffset("pmo.configuration.events.v1", 0),
              pmo::testing::IsOkAndHolds(std::optional<int64_t>(3)));
}

}  // namespace
}  // namespace pmo::subscription
