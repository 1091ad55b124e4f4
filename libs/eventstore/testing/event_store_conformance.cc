#include "libs/eventstore/testing/event_store_conformance.h"

#include <atomic>
#include <thread>

#include "gmock/gmock.h"
#include "libs/base/ids.h"
#include "libs/base/testing/status_matchers.h"

namespace pmo::eventstore::testing {
namespace {

using ::pmo::testing::IsOkAndHolds;
using ::pmo::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::SizeIs;

NewEvent Event(std::string payload) {
  return NewEvent{NewUuid(), "pmo.test.v1.Happened", std::move(payload),
                  absl::FromUnixSeconds(1700000000)};
}

AppendRequest Request(std::string stream, std::optional<int64_t> expected,
                      std::vector<std::string> payloads,
                      std::string request_id = "") {
  AppendRequest r;
  r.stream_id = std::move(stream);
  r.stream_type = "project";
  r.expected_version = expected;
  for (auto& p : payloads) r.events.push_back(Event(std::move(p)));
  r.request_id = std::move(request_id);
  r.metadata.actor = "alice";
  r.metadata.correlation_id = "corr-1";
  r.metadata.traceparent =
      "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  return r;
}

std::vector<std::string> Payloads(const std::vector<RecordedEvent>& events) {
  std::vector<std::string> out;
  out.reserve(events.size());
  for (const auto& e : events) out.push_back(e.payload);
  return out;
}

}  // namespace

void EventStoreConformance::SetUp() {
  engine_ = GetParam().make();
  Reopen();
}

void EventStoreConformance::Reopen() {
  store_.reset();
  absl::StatusOr<std::unique_ptr<EventStore>> store = engine_->OpenStore();
  ASSERT_TRUE(store.ok()) << store.status();
  store_ = *std::move(store);
}

TEST_P(EventStoreConformance, AppendsAndReadsAStreamInVersionOrder) {
  ASSERT_OK_AND_ASSIGN(AppendResult first,
                       store_->Append(Request("p1", 0, {"a", "b"})));
  EXPECT_EQ(first.first_version, 1);
  EXPECT_EQ(first.last_version, 2);
  EXPECT_EQ(first.first_position, 1);
  EXPECT_EQ(first.last_position, 2);
  ASSERT_OK_AND_ASSIGN(AppendResult second,
                       store_->Append(Request("p1", 2, {"c"})));
  EXPECT_EQ(second.first_version, 3);

  ASSERT_OK_AND_ASSIGN(std::vector<RecordedEvent> events,
                       store_->ReadStream("p1"));
  EXPECT_THAT(Payloads(events), ElementsAre("a", "b", "c"));
  EXPECT_EQ(events[2].stream_version, 3);
  EXPECT_EQ(events[2].stream_type, "project");
  EXPECT_EQ(events[2].event_type, "pmo.test.v1.Happened");
  EXPECT_EQ(events[2].metadata.actor, "alice");
  EXPECT_EQ(events[2].metadata.correlation_id, "corr-1");
  EXPECT_EQ(events[2].metadata.traceparent,
            "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
  EXPECT_EQ(events[2].occurred_at, absl::FromUnixSeconds(1700000000));
  EXPECT_EQ(store_->HeadPosition(), 3);

  ASSERT_OK_AND_ASSIGN(std::vector<RecordedEvent> tail,
                       store_->ReadStream("p1", 2, 2));
  EXPECT_THAT(Payloads(tail), ElementsAre("b"));
  EXPECT_THAT(store_->ReadStream("unknown"), IsOkAndHolds(SizeIs(0)));
}

TEST_P(EventStoreConformance, PayloadsAreKeptByteForByte) {
  // Protobuf binary: NUL bytes, high bytes, and an empty message.
  const std::string binary("\0\x01\xff\x80pmo\0", 8);
  ASSERT_OK(store_->Append(Request("p1", 0, {binary, ""})).status());
  ASSERT_OK_AND_ASSIGN(std::vector<RecordedEvent> events,
                       store_->ReadStream("p1"));
  EXPECT_THAT(Payloads(events), ElementsAre(binary, ""));
}

TEST_P(EventStoreConformance, WrongExpectedVersionIsAbortedWithCurrentVersion) {
  ASSERT_OK(store_->Append(Request("p1", 0, {"a", "b"})).status());
  absl::StatusOr<AppendResult> stale = store_->Append(Request("p1", 1, {"x"}));
  EXPECT_THAT(stale, StatusIs(absl::StatusCode::kAborted,
                              HasSubstr("at version 2, expected version 1")));
  EXPECT_EQ(CurrentVersionOf(stale.status()), 2);
  // Creating a stream that exists is a conflict too.
  EXPECT_THAT(store_->Append(Request("p1", 0, {"x"})),
              StatusIs(absl::StatusCode::kAborted));
  EXPECT_THAT(store_->ReadStream("p1"), IsOkAndHolds(SizeIs(2)));
  // No expected version: appended at the end.
  EXPECT_THAT(store_->Append(Request("p1", std::nullopt, {"c"})),
              IsOkAndHolds(Field(&AppendResult::first_version, 3)));
}

TEST_P(EventStoreConformance,
       RetriedRequestReturnsFirstResultAndAppendsNothing) {
  ASSERT_OK_AND_ASSIGN(AppendResult first,
                       store_->Append(Request("p1", 0, {"a"}, "req-1")));
  EXPECT_FALSE(first.replayed);
  // The retry would conflict (expected 0) if it were applied again.
  ASSERT_OK_AND_ASSIGN(AppendResult retry,
                       store_->Append(Request("p1", 0, {"a"}, "req-1")));
  EXPECT_TRUE(retry.replayed);
  EXPECT_EQ(retry.first_position, first.first_position);
  EXPECT_EQ(retry.last_version, first.last_version);
  EXPECT_THAT(store_->ReadStream("p1"), IsOkAndHolds(SizeIs(1)));
  EXPECT_EQ(store_->HeadPosition(), 1);
  ASSERT_OK_AND_ASSIGN(std::optional<AppendResult> found,
                       store_->FindRequest("req-1"));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->stream_id, "p1");
  EXPECT_THAT(store_->FindRequest("req-2"), IsOkAndHolds(std::nullopt));
}

TEST_P(EventStoreConformance,
       RequestIdSentWithAnotherCommandIsRefusedAndAppendsNothing) {
  AppendRequest first = Request("p1", 0, {"a"}, "req-1");
  first.request_fingerprint = "fingerprint-of-the-first";
  ASSERT_OK(store_->Append(first).status());
  ASSERT_OK_AND_ASSIGN(std::optional<AppendResult> found,
                       store_->FindRequest("req-1"));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->request_fingerprint, "fingerprint-of-the-first");

  AppendRequest other = Request("p2", 0, {"b"}, "req-1");
  other.request_fingerprint = "fingerprint-of-another";
  EXPECT_THAT(
      store_->Append(other),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("request_id")));
  EXPECT_THAT(store_->ReadStream("p2"), IsOkAndHolds(SizeIs(0)));
  // The same command again is answered with the first result.
  ASSERT_OK_AND_ASSIGN(AppendResult again, store_->Append(first));
  EXPECT_TRUE(again.replayed);
  EXPECT_EQ(store_->HeadPosition(), 1);
}

TEST_P(EventStoreConformance, UniqueClaimRefusesASecondStream) {
  AppendRequest a = Request("p1", 0, {"a"});
  a.unique_claims.push_back({"project.code", "ERP"});
  ASSERT_OK(store_->Append(a).status());
  AppendRequest b = Request("p2", 0, {"b"});
  b.unique_claims.push_back({"project.code", "ERP"});
  EXPECT_THAT(store_->Append(b),
              StatusIs(absl::StatusCode::kAlreadyExists,
                       HasSubstr("'ERP' is already used by p1")));
  // The failed request left nothing behind.
  EXPECT_THAT(store_->ReadStream("p2"), IsOkAndHolds(SizeIs(0)));
  EXPECT_EQ(store_->HeadPosition(), 1);
  // The owner may claim it again (a later event of the same project).
  AppendRequest again = Request("p1", 1, {"c"});
  again.unique_claims.push_back({"project.code", "ERP"});
  EXPECT_OK(store_->Append(again).status());
}

TEST_P(EventStoreConformance, ReadAllPagesInPositionOrderAndListsStreams) {
  ASSERT_OK(store_->Append(Request("p1", 0, {"a"})).status());
  ASSERT_OK(store_->Append(Request("p2", 0, {"b"})).status());
  ASSERT_OK(store_->Append(Request("p1", 1, {"c"})).status());
  ASSERT_OK_AND_ASSIGN(auto page1, store_->ReadAll(0, 2));
  EXPECT_THAT(Payloads(page1), ElementsAre("a", "b"));
  ASSERT_OK_AND_ASSIGN(auto page2, store_->ReadAll(page1.back().position, 2));
  EXPECT_THAT(Payloads(page2), ElementsAre("c"));
  ASSERT_OK_AND_ASSIGN(auto streams, store_->ListStreams("project", 0, 10));
  ASSERT_THAT(streams, SizeIs(2));
  EXPECT_EQ(streams[0].stream_id, "p1");
  EXPECT_EQ(streams[1].stream_id, "p2");
  EXPECT_THAT(store_->ListStreams("project", streams[0].position, 10),
              IsOkAndHolds(SizeIs(1)));
  EXPECT_THAT(store_->ListStreams("risk", 0, 10), IsOkAndHolds(SizeIs(0)));
}

TEST_P(EventStoreConformance, InvalidRequestsAreRefusedNamingTheField) {
  EXPECT_THAT(
      store_->Append(Request("", 0, {"a"})),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("stream_id")));
  EXPECT_THAT(store_->Append(Request("p1", 0, {})),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(store_->Append(Request("p1", -1, {"a"})),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("expected_version")));
  EXPECT_EQ(store_->HeadPosition(), 0);
}

TEST_P(EventStoreConformance, ReopenKeepsEverything) {
  ASSERT_OK(store_->Append(Request("p1", 0, {"a", "b"}, "req-1")).status());
  Reopen();
  EXPECT_EQ(store_->HeadPosition(), 2);
  EXPECT_THAT(store_->ReadStream("p1"), IsOkAndHolds(SizeIs(2)));
  EXPECT_THAT(store_->Append(Request("p1", 0, {"a"}, "req-1")),
              IsOkAndHolds(Field(&AppendResult::replayed, true)));
  EXPECT_THAT(store_->Append(Request("p1", 2, {"c"})),
              IsOkAndHolds(Field(&AppendResult::first_position, 3)));
}

TEST_P(EventStoreConformance, ConcurrentAppendsAreGroupCommitted) {
  constexpr int kWriters = 16;
  constexpr int kAppendsEach = 50;
  std::vector<std::thread> writers;
  writers.reserve(kWriters);
  std::atomic<int> failures{0};
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      const std::string stream = "s" + std::to_string(w);
      for (int i = 0; i < kAppendsEach; ++i) {
        if (!store_->Append(Request(stream, i, {std::to_string(i)})).ok())
          failures.fetch_add(1);
      }
    });
  }
  for (auto& t : writers) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(store_->HeadPosition(), kWriters * kAppendsEach);
  // Sixteen writers waiting on one durable commit share it: far fewer
  // commits than appends.
  EXPECT_LT(engine_->CommittedBatches(*store_), kWriters * kAppendsEach);
  for (int w = 0; w < kWriters; ++w) {
    ASSERT_OK_AND_ASSIGN(auto events,
                         store_->ReadStream("s" + std::to_string(w)));
    ASSERT_THAT(events, SizeIs(kAppendsEach));
    for (int i = 0; i < kAppendsEach; ++i)
      EXPECT_EQ(events[i].payload, std::to_string(i));
  }
  // Positions are 1..n without a gap or a repeat.
  ASSERT_OK_AND_ASSIGN(auto all,
                       store_->ReadAll(0, kWriters * kAppendsEach + 10));
  ASSERT_THAT(all, SizeIs(kWriters * kAppendsEach));
  for (size_t i = 0; i < all.size(); ++i)
    EXPECT_EQ(all[i].position, static_cast<int64_t>(i + 1));
}

TEST_P(EventStoreConformance, OneConflictInABatchDoesNotFailItsNeighbours) {
  ASSERT_OK(store_->Append(Request("p1", 0, {"a"})).status());
  std::vector<std::thread> writers;
  writers.reserve(8);
  std::atomic<int> ok{0}, aborted{0};
  for (int w = 0; w < 8; ++w) {
    writers.emplace_back([&, w] {
      // Everyone races for version 2 of p1; each also owns a stream.
      auto r = store_->Append(Request("p1", 1, {"race"}));
      (r.ok() ? ok : aborted).fetch_add(1);
      EXPECT_OK(store_->Append(Request("own" + std::to_string(w), 0, {"x"}))
                    .status());
    });
  }
  for (auto& t : writers) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(aborted.load(), 7);
  EXPECT_EQ(store_->HeadPosition(), 1 + 1 + 8);
}

TEST_P(EventStoreConformance, AFailingStatementFailsOnlyItsOwnRequest) {
  ASSERT_OK_AND_ASSIGN(AppendResult first,
                       store_->Append(Request("p1", 0, {"a"})));
  ASSERT_OK_AND_ASSIGN(std::vector<RecordedEvent> stored,
                       store_->ReadStream("p1"));
  std::vector<std::thread> writers;
  writers.reserve(8);
  std::atomic<int> ok{0};
  std::atomic<bool> duplicate_failed{false};
  for (int w = 0; w < 8; ++w) {
    writers.emplace_back([&, w] {
      AppendRequest r = Request("w" + std::to_string(w), 0, {"x"});
      // Writer 0 reuses a stored event id: the insert itself fails.
      if (w == 0) r.events[0].event_id = stored[0].event_id;
      absl::StatusOr<AppendResult> result = store_->Append(std::move(r));
      if (w == 0) {
        duplicate_failed = !result.ok();
      } else if (result.ok()) {
        ok.fetch_add(1);
      }
    });
  }
  for (auto& t : writers) t.join();
  EXPECT_TRUE(duplicate_failed.load());
  EXPECT_EQ(ok.load(), 7);
  EXPECT_THAT(store_->ReadStream("w0"), IsOkAndHolds(SizeIs(0)));
  EXPECT_EQ(store_->HeadPosition(), first.last_position + 7);
  ASSERT_OK_AND_ASSIGN(auto all, store_->ReadAll(0, 100));
  ASSERT_THAT(all, SizeIs(8));
  for (size_t i = 0; i < all.size(); ++i)
    EXPECT_EQ(all[i].position, static_cast<int64_t>(i + 1));
}

TEST_P(EventStoreConformance, WaitForEventsAfterWakesOnCommit) {
  EXPECT_FALSE(store_->WaitForEventsAfter(0, absl::Milliseconds(10)));
  std::thread writer(
      [&] { EXPECT_OK(store_->Append(Request("p1", 0, {"a"})).status()); });
  EXPECT_TRUE(store_->WaitForEventsAfter(0, absl::Seconds(30)));
  writer.join();
}

TEST_P(EventStoreConformance, CheckpointsSaveAndReload) {
  {
    ASSERT_OK_AND_ASSIGN(auto checkpoints, engine_->OpenCheckpoints());
    EXPECT_THAT(checkpoints->Load("relay"), IsOkAndHolds(0));
    ASSERT_OK(checkpoints->Save("relay", 41));
    ASSERT_OK(checkpoints->Save("relay", 42));
    ASSERT_OK(checkpoints->Save("other", 7));
  }
  ASSERT_OK_AND_ASSIGN(auto checkpoints, engine_->OpenCheckpoints());
  EXPECT_THAT(checkpoints->Load("relay"), IsOkAndHolds(42));
  EXPECT_THAT(checkpoints->Load("other"), IsOkAndHolds(7));
}

}  // namespace pmo::eventstore::testing
