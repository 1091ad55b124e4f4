// ExecuteCommand, LoadAggregate, FindEarlierRequest and LoadAllOfType over a
// real SQLite event store file. The aggregate is a tiny tally whose events
// are protobuf's own wrapper messages, so no product proto is involved.

#include "libs/eventsourcing/command_handling.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "google/protobuf/wrappers.pb.h"
#include "libs/base/errors.h"
#include "libs/base/testing/status_matchers.h"
#include "libs/base/testing/temp_dir.h"
#include "libs/eventstore/sqlite_event_store.h"

namespace pmo::eventsourcing {
namespace {

using ::google::protobuf::Int64Value;
using ::google::protobuf::StringValue;
using ::pmo::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;

// The aggregate: a name (StringValue events) and a running total
// (Int64Value events).
struct Tally {
  static constexpr char kStreamType[] = "tally";
  std::string name;
  int64_t total = 0;
  int applied = 0;
  absl::Time last_occurred_at = absl::InfinitePast();

  void Apply(const google::protobuf::Message& event, absl::Time occurred_at) {
    if (const auto* renamed = dynamic_cast<const StringValue*>(&event)) {
      name = renamed->value();
    } else if (const auto* added = dynamic_cast<const Int64Value*>(&event)) {
      total += added->value();
    }
    ++applied;
    last_occurred_at = occurred_at;
  }
};

// Another stream type in the same store, for LoadAllOfType.
struct Other {
  static constexpr char kStreamType[] = "other";
  int applied = 0;
  void Apply(const google::protobuf::Message&, absl::Time) { ++applied; }
};

Decision Add(int64_t amount) {
  Decision d;
  auto event = std::make_unique<Int64Value>();
  event->set_value(amount);
  d.events.push_back(std::move(event));
  return d;
}

Decision Rename(const std::string& name) {
  Decision d;
  auto event = std::make_unique<StringValue>();
  event->set_value(name);
  d.events.push_back(std::move(event));
  return d;
}

const absl::Time kMonday = absl::FromUnixSeconds(1767571200);  // 2026-01-05

class CommandHandlingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = eventstore::SqliteEventStore::Open(dir_.File("events.db"));
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
  }

  CommandContext Context(const std::string& request_id = "",
                         const std::string& fingerprint = "") {
    CommandContext context;
    context.request_id = request_id;
    context.request_fingerprint = fingerprint;
    context.metadata.actor = "alice";
    context.metadata.correlation_id = "corr-1";
    context.occurred_at = kMonday;
    return context;
  }

  absl::StatusOr<Versioned<Tally>> AddTo(const std::string& stream,
                                         int64_t amount,
                                         const CommandContext& context) {
    return ExecuteCommand<Tally>(
        *store_, stream, context,
        [amount](const Versioned<Tally>&) { return Add(amount); });
  }

  // Appends directly, as another writer would.
  void AppendBehindTheBack(const std::string& stream, int64_t amount) {
    eventstore::AppendRequest request;
    request.stream_id = stream;
    request.stream_type = Tally::kStreamType;
    Int64Value event;
    event.set_value(amount);
    request.events.push_back(EncodeEvent(event, kMonday));
    ASSERT_OK(store_->Append(std::move(request)).status());
  }

  int64_t EventCount(const std::string& stream) {
    auto events = store_->ReadStream(stream);
    EXPECT_TRUE(events.ok()) << events.status();
    return events.ok() ? static_cast<int64_t>(events->size()) : -1;
  }

  pmo::testing::TempDir dir_;
  std::unique_ptr<eventstore::SqliteEventStore> store_;
};

TEST_F(CommandHandlingTest, AppendsTheDecidedEventsAndReturnsTheNewState) {
  ASSERT_OK_AND_ASSIGN(Versioned<Tally> tally, AddTo("t-1", 5, Context()));
  EXPECT_EQ(tally.version, 1);
  EXPECT_EQ(tally.state.total, 5);
  EXPECT_EQ(tally.state.last_occurred_at, kMonday);

  ASSERT_OK_AND_ASSIGN(std::vector<eventstore::RecordedEvent> events,
                       store_->ReadStream("t-1"));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].stream_type, "tally");
  EXPECT_EQ(events[0].event_type, "google.protobuf.Int64Value");
  EXPECT_EQ(events[0].occurred_at, kMonday);
  EXPECT_EQ(events[0].metadata.actor, "alice");
  EXPECT_EQ(events[0].metadata.correlation_id, "corr-1");

  ASSERT_OK_AND_ASSIGN(tally, AddTo("t-1", 3, Context()));
  EXPECT_EQ(tally.version, 2);
  EXPECT_EQ(tally.state.total, 8);
}

TEST_F(CommandHandlingTest, DecideSeesTheCurrentState) {
  ASSERT_OK(AddTo("t-1", 5, Context()).status());
  ASSERT_OK(AddTo("t-1", 2, Context()).status());
  Versioned<Tally> seen;
  ASSERT_OK(ExecuteCommand<Tally>(*store_, "t-1", Context(),
                                  [&](const Versioned<Tally>& current) {
                                    seen = current;
                                    return Rename("seen");
                                  })
                .status());
  EXPECT_EQ(seen.version, 2);
  EXPECT_EQ(seen.state.total, 7);
  EXPECT_EQ(seen.state.applied, 2);
}

TEST_F(CommandHandlingTest,
       SeveralEventsOfOneDecisionAreAppendedTogetherInOrder) {
  ASSERT_OK_AND_ASSIGN(
      Versioned<Tally> tally,
      ExecuteCommand<Tally>(*store_, "t-1", Context(),
                            [](const Versioned<Tally>&) {
                              Decision d = Rename("first");
                              Decision more = Add(4);
                              d.events.push_back(std::move(more.events[0]));
                              return d;
                            }));
  EXPECT_EQ(tally.version, 2);
  EXPECT_EQ(tally.state.name, "first");
  EXPECT_EQ(tally.state.total, 4);
  ASSERT_OK_AND_ASSIGN(std::vector<eventstore::RecordedEvent> events,
                       store_->ReadStream("t-1"));
  EXPECT_THAT(events, ElementsAre(Field(&eventstore::RecordedEvent::event_type,
                                        "google.protobuf.StringValue"),
                                  Field(&eventstore::RecordedEvent::event_type,
                                        "google.protobuf.Int64Value")));
}

TEST_F(CommandHandlingTest,
       AReplayedRequestIdReturnsTheFirstResultAndAppendsNothing) {
  ASSERT_OK_AND_ASSIGN(Versioned<Tally> first,
                       AddTo("t-1", 5, Context("r-1", "fp-1")));
  ASSERT_OK(
      AddTo("t-1", 7, Context()).status());  // a later change by someone else
  const int64_t head = store_->HeadPosition();

  int decided = 0;
  ASSERT_OK_AND_ASSIGN(
      Versioned<Tally> replayed,
      ExecuteCommand<Tally>(*store_, "t-1", Context("r-1", "fp-1"),
                            [&](const Versioned<Tally>&) {
                              ++decided;
                              return Add(100);
                            }));
  EXPECT_EQ(decided, 0);
  // The aggregate as the first request left it, not as it is now.
  EXPECT_EQ(replayed.version, first.version);
  EXPECT_EQ(replayed.state.total, 5);
  EXPECT_EQ(store_->HeadPosition(), head);
  EXPECT_EQ(EventCount("t-1"), 2);
}

TEST_F(CommandHandlingTest, AReplayWithoutAFingerprintIsAnswered) {
  ASSERT_OK(AddTo("t-1", 5, Context("r-1", "fp-1")).status());
  const int64_t head = store_->HeadPosition();
  // Service-derived follow-ups carry no fingerprint: the stored result answers.
  ASSERT_OK_AND_ASSIGN(Versioned<Tally> replayed,
                       AddTo("t-1", 9, Context("r-1", "")));
  EXPECT_EQ(replayed.state.total, 5);
  EXPECT_EQ(store_->HeadPosition(), head);
}

TEST_F(CommandHandlingTest,
       ARequestIdReplayedWithAnotherRequestIsInvalidArgument) {
  ASSERT_OK(AddTo("t-1", 5, Context("r-1", "fp-1")).status());
  const int64_t head = store_->HeadPosition();

  absl::StatusOr<Versioned<Tally>> result =
      AddTo("t-1", 6, Context("r-1", "fp-2"));
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(FieldViolationsOf(result.status()),
              ElementsAre(Field(&FieldViolation::field, "request_id")));
  EXPECT_EQ(store_->HeadPosition(), head);
}

TEST_F(CommandHandlingTest, ARequestIdUsedForAnotherStreamIsRefused) {
  ASSERT_OK(AddTo("t-1", 5, Context("r-1", "fp-1")).status());
  const int64_t head = store_->HeadPosition();

  absl::StatusOr<Versioned<Tally>> result =
      AddTo("t-2", 5, Context("r-1", "fp-1"));
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kInvalidArgument,
                               HasSubstr("another record")));
  EXPECT_THAT(FieldViolationsOf(result.status()),
              ElementsAre(Field(&FieldViolation::field, "request_id")));
  EXPECT_EQ(store_->HeadPosition(), head);
  EXPECT_EQ(EventCount("t-2"), 0);
}

TEST_F(CommandHandlingTest,
       ARetriedCreationAnswersWithTheStreamTheFirstAttemptMade) {
  // A creation makes a fresh id per attempt: the retry names another stream
  // and must get the first attempt's aggregate back.
  ASSERT_OK(ExecuteCommand<Tally>(
                *store_, "fresh-1", Context("create-1", "fp"),
                [](const Versioned<Tally>&) { return Rename("new"); },
                StreamIdentity::kNew)
                .status());
  const int64_t head = store_->HeadPosition();
  ASSERT_OK_AND_ASSIGN(
      Versioned<Tally> retried,
      ExecuteCommand<Tally>(
          *store_, "fresh-2", Context("create-1", "fp"),
          [](const Versioned<Tally>&) { return Rename("new"); },
          StreamIdentity::kNew));
  EXPECT_EQ(retried.version, 1);
  EXPECT_EQ(retried.state.name, "new");
  EXPECT_EQ(store_->HeadPosition(), head);
  EXPECT_EQ(EventCount("fresh-2"), 0);
}

TEST_F(CommandHandlingTest,
       AnExpectedVersionMismatchIsAbortedAndAppendsNothing) {
  ASSERT_OK(AddTo("t-1", 5, Context()).status());
  ASSERT_OK(AddTo("t-1", 5, Context()).status());
  const int64_t head = store_->HeadPosition();

  CommandContext stale = Context("r-stale", "fp");
  stale.expected_version = 1;
  int decided = 0;
  absl::StatusOr<Versioned<Tally>> result = ExecuteCommand<Tally>(
      *store_, "t-1", stale, [&](const Versioned<Tally>&) {
        ++decided;
        return Add(1);
      });
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kAborted));
  EXPECT_EQ(eventstore::CurrentVersionOf(result.status()), 2);
  EXPECT_EQ(decided, 0);
  EXPECT_EQ(store_->HeadPosition(), head);
  // The refused request_id is not spent.
  ASSERT_OK_AND_ASSIGN(std::optional<eventstore::AppendResult> earlier,
                       store_->FindRequest("r-stale"));
  EXPECT_FALSE(earlier.has_value());
}

TEST_F(CommandHandlingTest, TheRightExpectedVersionIsAccepted) {
  ASSERT_OK(AddTo("t-1", 5, Context()).status());
  CommandContext context = Context();
  context.expected_version = 1;
  ASSERT_OK_AND_ASSIGN(Versioned<Tally> tally, AddTo("t-1", 2, context));
  EXPECT_EQ(tally.version, 2);

  CommandContext create = Context();
  create.expected_version = 0;  // "must not exist yet"
  EXPECT_THAT(AddTo("t-1", 2, create), StatusIs(absl::StatusCode::kAborted));
  ASSERT_OK_AND_ASSIGN(Versioned<Tally> created, AddTo("t-new", 2, create));
  EXPECT_EQ(created.version, 1);
}

TEST_F(CommandHandlingTest, AConcurrentWriterBetweenLoadAndAppendIsRetried) {
  ASSERT_OK(AddTo("t-1", 1, Context()).status());
  std::vector<int64_t> versions_seen;
  ASSERT_OK_AND_ASSIGN(
      Versioned<Tally> tally,
      ExecuteCommand<Tally>(*store_, "t-1", Context("r-1", "fp"),
                            [&](const Versioned<Tally>& current) {
                              versions_seen.push_back(current.version);
                              if (versions_seen.size() == 1) {
                                AppendBehindTheBack("t-1", 10);
                              }
                              return Add(5);
                            }));
  // Decided again on the state that includes the other writer's event.
  EXPECT_THAT(versions_seen, ElementsAre(1, 2));
  EXPECT_EQ(tally.version, 3);
  EXPECT_EQ(tally.state.total, 16);
  EXPECT_EQ(EventCount("t-1"), 3);
}

TEST_F(CommandHandlingTest, APinnedVersionIsNotRetriedAfterAConcurrentWriter) {
  ASSERT_OK(AddTo("t-1", 1, Context()).status());
  CommandContext pinned = Context();
  pinned.expected_version = 1;
  int decided = 0;
  absl::StatusOr<Versioned<Tally>> result = ExecuteCommand<Tally>(
      *store_, "t-1", pinned, [&](const Versioned<Tally>&) {
        if (++decided == 1) AppendBehindTheBack("t-1", 10);
        return Add(5);
      });
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kAborted));
  EXPECT_EQ(decided, 1);
  EXPECT_EQ(EventCount("t-1"), 2);  // the first event and the other writer's
}

TEST_F(CommandHandlingTest, RetriesAreBounded) {
  int decided = 0;
  absl::StatusOr<Versioned<Tally>> result = ExecuteCommand<Tally>(
      *store_, "t-1", Context(), [&](const Versioned<Tally>&) {
        ++decided;
        AppendBehindTheBack("t-1", 1);  // always beaten
        return Add(100);
      });
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kAborted));
  EXPECT_EQ(decided, 5);
  ASSERT_OK_AND_ASSIGN(Versioned<Tally> tally,
                       LoadAggregate<Tally>(*store_, "t-1"));
  EXPECT_EQ(tally.state.total, 5);  // only the other writer's events
}

TEST_F(CommandHandlingTest,
       AConcurrentRetryOfTheSameRequestAnswersWithItsResult) {
  // While this command decides, a retry of the same request (same id and
  // fingerprint) commits first: the store replays, and the command answers
  // with the aggregate as that retry left it.
  ASSERT_OK_AND_ASSIGN(
      Versioned<Tally> result,
      ExecuteCommand<Tally>(
          *store_, "t-1", Context("r-1", "fp"), [&](const Versioned<Tally>&) {
            eventstore::AppendRequest twin;
            twin.stream_id = "t-1";
            twin.stream_type = Tally::kStreamType;
            twin.request_id = "r-1";
            twin.request_fingerprint = "fp";
            Int64Value event;
            event.set_value(3);
            twin.events.push_back(EncodeEvent(event, kMonday));
            EXPECT_OK(store_->Append(std::move(twin)).status());
            return Add(3);
          }));
  EXPECT_EQ(result.version, 1);
  EXPECT_EQ(result.state.total, 3);
  EXPECT_EQ(EventCount("t-1"), 1);
}

TEST_F(CommandHandlingTest, AnEmptyDecisionAppendsNothing) {
  ASSERT_OK(AddTo("t-1", 5, Context()).status());
  const int64_t head = store_->HeadPosition();
  ASSERT_OK_AND_ASSIGN(Versioned<Tally> tally,
                       ExecuteCommand<Tally>(
                           *store_, "t-1", Context("r-noop", "fp"),
                           [](const Versioned<Tally>&) { return Decision{}; }));
  EXPECT_EQ(tally.version, 1);
  EXPECT_EQ(tally.state.total, 5);
  EXPECT_EQ(store_->HeadPosition(), head);
}

TEST_F(CommandHandlingTest, ADecideErrorIsReturnedAndAppendsNothing) {
  ASSERT_OK(AddTo("t-1", 5, Context()).status());
  const int64_t head = store_->HeadPosition();
  absl::StatusOr<Versioned<Tally>> result = ExecuteCommand<Tally>(
      *store_, "t-1", Context("r-bad", "fp"),
      [](const Versioned<Tally>&) -> absl::StatusOr<Decision> {
        return RuleViolationError("TALLY_LIMIT", "t-1", "too much");
      });
  EXPECT_THAT(result, pmo::testing::ViolatesRule("TALLY_LIMIT"));
  EXPECT_EQ(store_->HeadPosition(), head);
  ASSERT_OK_AND_ASSIGN(std::optional<eventstore::AppendResult> earlier,
                       store_->FindRequest("r-bad"));
  EXPECT_FALSE(earlier.has_value());
}

TEST_F(CommandHandlingTest, AUniqueClaimTakenByAnotherStreamIsRefused) {
  auto claim = [](const Versioned<Tally>&) {
    Decision d = Rename("ERP");
    d.unique_values.push_back({"tally_name", "ERP"});
    return d;
  };
  ASSERT_OK(ExecuteCommand<Tally>(*store_, "t-1", Context(), claim).status());
  const int64_t head = store_->HeadPosition();
  EXPECT_THAT(ExecuteCommand<Tally>(*store_, "t-2", Context(), claim),
              StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_EQ(store_->HeadPosition(), head);
  // The owner may claim it again.
  EXPECT_OK(ExecuteCommand<Tally>(*store_, "t-1", Context(), claim).status());
}

TEST_F(CommandHandlingTest, LoadAggregateFoldsUpToAVersion) {
  ASSERT_OK(AddTo("t-1", 1, Context()).status());
  ASSERT_OK(AddTo("t-1", 2, Context()).status());
  ASSERT_OK(AddTo("t-1", 4, Context()).status());

  ASSERT_OK_AND_ASSIGN(Versioned<Tally> all,
                       LoadAggregate<Tally>(*store_, "t-1"));
  EXPECT_EQ(all.version, 3);
  EXPECT_EQ(all.state.total, 7);
  ASSERT_OK_AND_ASSIGN(Versioned<Tally> at2,
                       LoadAggregate<Tally>(*store_, "t-1", 2));
  EXPECT_EQ(at2.version, 2);
  EXPECT_EQ(at2.state.total, 3);
  ASSERT_OK_AND_ASSIGN(Versioned<Tally> none,
                       LoadAggregate<Tally>(*store_, "unknown"));
  EXPECT_EQ(none.version, 0);
  EXPECT_EQ(none.state.applied, 0);
}

TEST_F(CommandHandlingTest, LoadAggregateFailsOnAnEventItCannotDecode) {
  eventstore::AppendRequest request;
  request.stream_id = "t-1";
  request.stream_type = Tally::kStreamType;
  request.events.push_back({"e-1", "pmo.nowhere.v1.Unknown", "", kMonday});
  ASSERT_OK(store_->Append(std::move(request)).status());
  EXPECT_THAT(LoadAggregate<Tally>(*store_, "t-1"),
              StatusIs(absl::StatusCode::kNotFound));
  // And a command on it is refused the same way, appending nothing.
  EXPECT_THAT(AddTo("t-1", 1, Context()),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_EQ(EventCount("t-1"), 1);
}

TEST_F(CommandHandlingTest, FindEarlierRequest) {
  ASSERT_OK(AddTo("t-1", 5, Context("r-1", "fp-1")).status());

  EXPECT_THAT(FindEarlierRequest(*store_, Context("", "fp-1")),
              pmo::testing::IsOkAndHolds(std::nullopt));
  EXPECT_THAT(FindEarlierRequest(*store_, Context("r-unknown", "fp-1")),
              pmo::testing::IsOkAndHolds(std::nullopt));
  ASSERT_OK_AND_ASSIGN(std::optional<eventstore::AppendResult> earlier,
                       FindEarlierRequest(*store_, Context("r-1", "fp-1")));
  ASSERT_TRUE(earlier.has_value());
  EXPECT_EQ(earlier->stream_id, "t-1");
  EXPECT_EQ(earlier->last_version, 1);
  EXPECT_OK(FindEarlierRequest(*store_, Context("r-1", "")).status());
  absl::StatusOr<std::optional<eventstore::AppendResult>> other =
      FindEarlierRequest(*store_, Context("r-1", "fp-2"));
  EXPECT_THAT(other, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(FieldViolationsOf(other.status()),
              ElementsAre(Field(&FieldViolation::field, "request_id")));
}

TEST_F(CommandHandlingTest, LoadAllOfTypeListsOneTypeInStartOrder) {
  ASSERT_OK(AddTo("t-b", 1, Context()).status());
  ASSERT_OK(
      ExecuteCommand<Other>(*store_, "o-1", Context(),
                            [](const Versioned<Other>&) { return Add(1); })
          .status());
  ASSERT_OK(AddTo("t-a", 2, Context()).status());
  ASSERT_OK(AddTo("t-b", 3, Context()).status());

  ASSERT_OK_AND_ASSIGN(std::vector<Versioned<Tally>> tallies,
                       LoadAllOfType<Tally>(*store_));
  ASSERT_EQ(tallies.size(), 2u);
  EXPECT_EQ(tallies[0].state.total, 4);  // t-b started first
  EXPECT_EQ(tallies[0].version, 2);
  EXPECT_EQ(tallies[1].state.total, 2);
  ASSERT_OK_AND_ASSIGN(std::vector<Versioned<Other>> others,
                       LoadAllOfType<Other>(*store_));
  EXPECT_EQ(others.size(), 1u);
}

TEST_F(CommandHandlingTest, LoadAllOfTypeReadsPastOnePage) {
  // LoadAllOfType lists 500 streams a page; 520 need a second one. Written
  // from a few threads so the store's group commit keeps this fast.
  constexpr int kStreams = 520;
  constexpr int kThreads = 8;
  std::atomic<int> failures{0};
  std::vector<std::thread> writers;
  writers.reserve(kThreads);
  for (int w = 0; w < kThreads; ++w) {
    writers.emplace_back([&, w] {
      for (int i = w; i < kStreams; i += kThreads) {
        if (!AddTo(absl::StrCat("t-", i), i, Context()).ok()) ++failures;
      }
    });
  }
  for (std::thread& t : writers) t.join();
  ASSERT_EQ(failures.load(), 0);

  ASSERT_OK_AND_ASSIGN(std::vector<Versioned<Tally>> tallies,
                       LoadAllOfType<Tally>(*store_));
  ASSERT_EQ(tallies.size(), static_cast<size_t>(kStreams));
  int64_t sum = 0;
  for (const Versioned<Tally>& t : tallies) sum += t.state.total;
  EXPECT_EQ(sum, int64_t{kStreams} * (kStreams - 1) / 2);  // each stream once
}

}  // namespace
}  // namespace pmo::eventsourcing
