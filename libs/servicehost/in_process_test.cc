// The in-process wiring of a fake pair of modules: "alpha" keeps a store
// (a real SQLite file), "beta" is fed alpha's events and has one job. What
// is checked: the feed delivers, the job starts after the feed, and at the
// stop the feed catches up and stops before the job stops.

#include "libs/servicehost/in_process.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "libs/base/testing/status_matchers.h"
#include "libs/base/testing/temp_dir.h"
#include "libs/eventstore/sqlite_event_store.h"

namespace pmo::servicehost {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// What happened, in order, across the feed's thread and the test's.
class Journal {
 public:
  void Add(std::string line) {
    std::lock_guard lock(mu_);
    lines_.push_back(std::move(line));
  }
  std::vector<std::string> lines() {
    std::lock_guard lock(mu_);
    return lines_;
  }

 private:
  std::mutex mu_;
  std::vector<std::string> lines_;
};

// Counts what it was fed; offsets in memory.
class CountingHandler : public subscription::EventHandler {
 public:
  explicit CountingHandler(Journal& journal) : journal_(journal) {}
  absl::StatusOr<std::optional<int64_t>> ResumeOffset(
      const std::string& source, int32_t partition) override {
    std::lock_guard lock(mu_);
    source_ = source;
    return next_;
  }
  absl::Status Handle(
      const std::vector<subscription::Delivery>& batch) override {
    std::lock_guard lock(mu_);
    for (const subscription::Delivery& d : batch) {
      journal_.Add(absl::StrCat("fed ", d.event.event_id));
      next_ = d.offset + 1;
      ++handled_;
    }
    return absl::OkStatus();
  }
  int handled() {
    std::lock_guard lock(mu_);
    return handled_;
  }
  std::string source() {
    std::lock_guard lock(mu_);
    return source_;
  }

 private:
  Journal& journal_;
  std::mutex mu_;
  std::optional<int64_t> next_;
  int handled_ = 0;
  std::string source_;
};

class InProcessWiringTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(store_, eventstore::SqliteEventStore::Open(
                                     dir_.File("alpha-events.db")));
    ServiceModule alpha;
    alpha.context = "alpha";
    alpha.store = store_.get();
    ServiceModule beta;
    beta.context = "beta";
    beta.feeds.push_back({"alpha", &handler_});
    beta.jobs.push_back(
        {.name = "beta-job",
         .start =
             [this](const HostContext& host) {
               journal_.Add(absl::StrCat("job started in ", host.program));
               return absl::OkStatus();
             },
         .stop =
             [this] {
               journal_.Add(absl::StrCat("job stopped after ",
                                         handler_.handled(), " events"));
             },
         .stop_at = Job::StopAt::kAfterFeeds});
    modules_.push_back(std::move(alpha));
    modules_.push_back(std::move(beta));
  }

  void Append(const std::string& id) {
    eventstore::AppendRequest request;
    request.stream_id = "a-1";
    request.stream_type = "thing";
    request.events.push_back({id, "pmo.test.Event", "", absl::UnixEpoch()});
    ASSERT_OK(store_->Append(std::move(request)).status());
  }

  pmo::testing::TempDir dir_;
  std::unique_ptr<eventstore::SqliteEventStore> store_;
  Journal journal_;
  CountingHandler handler_{journal_};
  std::vector<ServiceModule> modules_;
};

TEST_F(InProcessWiringTest, FeedsStartedThenCaughtUpAndStoppedBeforeTheJob) {
  ASSERT_OK_AND_ASSIGN(auto wiring, InProcessWiring::Create(modules_));
  Append("e-1");
  ASSERT_OK(wiring->Start({.program = "test"}));
  for (int i = 0; i < 500 && handler_.handled() < 1; ++i)
    absl::SleepFor(absl::Milliseconds(10));
  ASSERT_EQ(handler_.handled(), 1);
  EXPECT_EQ(handler_.source(), "store:alpha");

  // Stored just before the stop: delivered before the job stops.
  Append("e-2");
  wiring->Stop();
  // After the stop nothing more is fed.
  Append("e-3");
  absl::SleepFor(absl::Milliseconds(200));

  const std::vector<std::string> lines = journal_.lines();
  ASSERT_GE(lines.size(), 3u);
  EXPECT_THAT(lines,
              ElementsAre(::testing::AnyOf("fed e-1", "job started in test"),
                          ::testing::AnyOf("fed e-1", "job started in test"),
                          "fed e-2", "job stopped after 2 events"));
  EXPECT_EQ(handler_.handled(), 2);
  wiring->Stop();  // again: nothing more
  EXPECT_EQ(journal_.lines().size(), lines.size());
}

TEST_F(InProcessWiringTest, JobStartsAfterTheFeedsDo) {
  ASSERT_OK_AND_ASSIGN(auto wiring, InProcessWiring::Create(modules_));
  // The job stores an event as it starts: the feed already runs.
  modules_[1].jobs[0].start = [this](const HostContext&) {
    Append("from-job");
    return absl::OkStatus();
  };
  ASSERT_OK(wiring->Start({.program = "test"}));
  wiring->Stop();
  EXPECT_THAT(journal_.lines(),
              ElementsAre("fed from-job", "job stopped after 1 events"));
}

TEST_F(InProcessWiringTest, AFailedJobStopsWhatStarted) {
  modules_[1].jobs.insert(
      modules_[1].jobs.begin(),
      Job{.name = "first",
          .start = [](const HostContext&) { return absl::OkStatus(); },
          .stop = [this] { journal_.Add("first stopped"); }});
  modules_[1].jobs[1].start = [](const HostContext&) {
    return absl::FailedPreconditionError("cannot listen");
  };
  ASSERT_OK_AND_ASSIGN(auto wiring, InProcessWiring::Create(modules_));
  EXPECT_THAT(wiring->Start({.program = "test"}).message(),
              HasSubstr("cannot listen"));
  EXPECT_THAT(journal_.lines(), ElementsAre("first stopped"));
}

TEST(InProcessWiring, RefusesAFeedFromAContextWithoutAStore) {
  subscription::EventHandler* none = nullptr;
  std::vector<ServiceModule> modules(1);
  modules[0].context = "beta";
  modules[0].feeds.push_back({"alpha", none});
  auto wiring = InProcessWiring::Create(modules);
  EXPECT_EQ(wiring.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(wiring.status().message(), HasSubstr("alpha"));
}

TEST(InProcessWiring, ServesEveryModulesServicesInOrder) {
  std::vector<ServiceModule> modules(2);
  modules[0].context = "a";
  modules[1].context = "b";
  auto* one = reinterpret_cast<grpc::Service*>(0x10);
  auto* two = reinterpret_cast<grpc::Service*>(0x20);
  auto* three = reinterpret_cast<grpc::Service*>(0x30);
  modules[0].grpc_services = {one, two};
  modules[1].grpc_services = {three};
  ASSERT_OK_AND_ASSIGN(auto wiring, InProcessWiring::Create(modules));
  EXPECT_THAT(wiring->grpc_services(), ElementsAre(one, two, three));
}

}  // namespace
}  // namespace pmo::servicehost
