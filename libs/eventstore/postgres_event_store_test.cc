#include "libs/eventstore/postgres_event_store.h"

#include <atomic>
#include <set>
#include <thread>

#include "gmock/gmock.h"
#include "libs/base/ids.h"
#include "libs/base/testing/status_matchers.h"
#include "libs/eventstore/testing/event_store_conformance.h"
#include "libs/postgres/testing/test_cluster.h"

namespace pmo::eventstore {
namespace {

using ::pmo::testing::StatusIs;
using testing::EventStoreConformance;
using ::testing::HasSubstr;
using ::testing::SizeIs;
using testing::StoreEngine;
using testing::StoreEngineParam;

// Every store of a test in a schema of its own on the local test cluster.
class PostgresEngine : public StoreEngine {
 public:
  absl::StatusOr<std::unique_ptr<EventStore>> OpenStore() override {
    return PostgresEventStore::Open(url_, {.schema = schema_});
  }
  absl::StatusOr<std::unique_ptr<CheckpointStore>> OpenCheckpoints() override {
    return PostgresCheckpointStore::Open(url_, schema_);
  }
  int64_t CommittedBatches(EventStore& store) override {
    return dynamic_cast<PostgresEventStore&>(store).committed_batches();
  }

 private:
  const std::string url_ = postgres::testing::TestClusterUrl();
  const std::string schema_ = postgres::testing::FreshSchema("conformance");
};

INSTANTIATE_TEST_SUITE_P(
    Postgres, EventStoreConformance,
    ::testing::Values(StoreEngineParam{
        "Postgres", [] { return std::make_unique<PostgresEngine>(); }}),
    testing::StoreEngineName);

AppendRequest OneEvent(std::string stream, std::optional<int64_t> expected,
                       std::string request_id = "") {
  AppendRequest r;
  r.stream_id = std::move(stream);
  r.stream_type = "project";
  r.expected_version = expected;
  r.events.push_back(
      {NewUuid(), "pmo.test.v1.Happened", "x", absl::FromUnixSeconds(1)});
  r.request_id = std::move(request_id);
  return r;
}

// Two replicas of a service: two stores (each with its own writer and group
// commit) on one schema.
class PostgresReplicasTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(a_,
                         PostgresEventStore::Open(url_, {.schema = schema_}));
    ASSERT_OK_AND_ASSIGN(b_,
                         PostgresEventStore::Open(url_, {.schema = schema_}));
  }
  const std::string url_ = postgres::testing::TestClusterUrl();
  const std::string schema_ = postgres::testing::FreshSchema("replicas");
  std::unique_ptr<PostgresEventStore> a_, b_;
};

TEST_F(PostgresReplicasTest, ConcurrentAppendsLoseAndDuplicateNothing) {
  // Eight writers per replica. Each appends to a stream of its own, and all
  // race for the shared stream "hot" reading its version first, as command
  // handlers do; every lost race must be ABORTED.
  constexpr int kWritersPerReplica = 8;
  constexpr int kRounds = 30;
  std::atomic<int> own_failures{0}, hot_ok{0}, hot_aborted{0}, hot_other{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < 2 * kWritersPerReplica; ++w) {
    PostgresEventStore& store = w % 2 == 0 ? *a_ : *b_;
    writers.emplace_back([&, w] {
      const std::string own = "own-" + std::to_string(w);
      for (int i = 0; i < kRounds; ++i) {
        if (!store.Append(OneEvent(own, i)).ok()) own_failures.fetch_add(1);
        auto events = store.ReadStream("hot");
        const int64_t seen =
            events.ok() ? static_cast<int64_t>(events->size()) : -1;
        absl::StatusOr<AppendResult> r = store.Append(OneEvent("hot", seen));
        if (r.ok()) {
          hot_ok.fetch_add(1);
        } else if (absl::IsAborted(r.status())) {
          hot_aborted.fetch_add(1);
        } else {
          hot_other.fetch_add(1);
        }
      }
    });
  }
  for (auto& t : writers) t.join();
  EXPECT_EQ(own_failures.load(), 0);
  EXPECT_EQ(hot_other.load(), 0);
  EXPECT_EQ(hot_ok.load() + hot_aborted.load(),
            2 * kWritersPerReplica * kRounds);
  EXPECT_GT(hot_aborted.load(), 0);

  const int64_t total = 2 * kWritersPerReplica * kRounds + hot_ok.load();
  ASSERT_OK_AND_ASSIGN(auto all, a_->ReadAll(0, static_cast<int>(total) + 10));
  ASSERT_THAT(all, SizeIs(total));
  std::set<std::pair<std::string, int64_t>> keys;
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].position, static_cast<int64_t>(i + 1))
        << "a gap or a repeat";
    keys.insert({all[i].stream_id, all[i].stream_version});
  }
  EXPECT_EQ(keys.size(), all.size());
  ASSERT_OK_AND_ASSIGN(auto hot, b_->ReadStream("hot"));
  ASSERT_THAT(hot, SizeIs(hot_ok.load()));
  for (size_t i = 0; i < hot.size(); ++i) {
    EXPECT_EQ(hot[i].stream_version, static_cast<int64_t>(i + 1));
  }
}

TEST_F(PostgresReplicasTest, ARetryOnTheOtherReplicaReturnsTheFirstResult) {
  ASSERT_OK_AND_ASSIGN(AppendResult first,
                       a_->Append(OneEvent("p1", 0, "req-1")));
  ASSERT_OK_AND_ASSIGN(AppendResult retry,
                       b_->Append(OneEvent("p1", 0, "req-1")));
  EXPECT_TRUE(retry.replayed);
  EXPECT_EQ(retry.first_position, first.first_position);
  EXPECT_THAT(b_->ReadStream("p1"), ::pmo::testing::IsOkAndHolds(SizeIs(1)));
}

TEST_F(PostgresReplicasTest,
       AConflictAcrossReplicasIsAbortedWithTheCurrentVersion) {
  ASSERT_OK(a_->Append(OneEvent("p1", 0)).status());
  absl::StatusOr<AppendResult> stale = b_->Append(OneEvent("p1", 0));
  EXPECT_THAT(stale,
              StatusIs(absl::StatusCode::kAborted, HasSubstr("at version 1")));
  EXPECT_EQ(CurrentVersionOf(stale.status()), 1);
}

TEST_F(PostgresReplicasTest, AReplicaWakesOnTheOtherReplicasCommit) {
  // What a catch-up reader (the relay) on replica B waits on.
  std::thread writer([&] {
    absl::SleepFor(absl::Milliseconds(50));
    EXPECT_OK(a_->Append(OneEvent("p1", 0)).status());
  });
  EXPECT_TRUE(b_->WaitForEventsAfter(0, absl::Seconds(30)));
  EXPECT_EQ(b_->HeadPosition(), 1);
  writer.join();
}

// A store whose server sessions are ended under it (a PostgreSQL restart or
// failover looks the same from the client) reconnects between transactions:
// at most the call in flight fails, as UNAVAILABLE, and nothing is lost.
TEST(PostgresEventStoreReconnect, ContinuesAfterItsSessionsAreTerminated) {
  const std::string schema = postgres::testing::FreshSchema("reconnect");
  const std::string url =
      postgres::testing::TestClusterUrl() + "?application_name=" + schema;
  ASSERT_OK_AND_ASSIGN(auto store,
                       PostgresEventStore::Open(url, {.schema = schema}));
  ASSERT_OK(store->Append(OneEvent("p1", 0)).status());

  ASSERT_OK_AND_ASSIGN(auto admin, postgres::Connection::Open(
                                       postgres::testing::TestClusterUrl()));
  ASSERT_OK_AND_ASSIGN(
      postgres::Result ended,
      admin->Query(
          "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
          "WHERE application_name = '" +
          schema + "'"));
  EXPECT_EQ(ended.Int(0, 0), 3);  // writer, reader, listener

  auto append_with_one_retry = [&](const AppendRequest& r) {
    absl::StatusOr<AppendResult> result = store->Append(r);
    if (!result.ok()) {
      EXPECT_THAT(result, StatusIs(absl::StatusCode::kUnavailable));
      result = store->Append(r);
    }
    return result;
  };
  ASSERT_OK(append_with_one_retry(OneEvent("p1", 1)).status());
  absl::StatusOr<std::vector<RecordedEvent>> events = store->ReadStream("p1");
  if (!events.ok()) {
    EXPECT_THAT(events, StatusIs(absl::StatusCode::kUnavailable));
    events = store->ReadStream("p1");
  }
  ASSERT_OK(events.status());
  EXPECT_THAT(*events, SizeIs(2));
  EXPECT_EQ(store->HeadPosition(), 2);
}

TEST(PostgresEventStoreOpen, RefusesASchemaThatIsNotAPlainName) {
  EXPECT_THAT(
      PostgresEventStore::Open(postgres::testing::TestClusterUrl(),
                               {.schema = "x; DROP TABLE y"}),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("schema")));
}

TEST(PostgresEventStoreOpen, AnUnreachableServerIsUnavailable) {
  // Port 1 on loopback: nothing listens there.
  EXPECT_THAT(
      PostgresEventStore::Open(
          "postgresql://pmo@127.0.0.1:1/pmo?connect_timeout=5",
          {.schema = "events"}),
      StatusIs(absl::StatusCode::kUnavailable, HasSubstr("cannot connect")));
}

}  // namespace
}  // namespace pmo::eventstore
