#include "services/projection/app/portfolio_view.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/testing/status_matchers.h"
#include "libs/base/testing/temp_dir.h"
#include "libs/eventstore/sqlite_event_store.h"
#include "libs/subscription/in_process_subscription.h"
#include "services/projection/app/testing/view_engine.h"
#include "services/projects/app/project_handlers.h"

namespace pmo::projection {
namespace {

using ::pmo::testing::IsOkAndHolds;
using ::pmo::testing::StatusIs;
namespace pv1 = ::pmo::projects::v1;

class PortfolioViewTest : public testing::ViewEngineTest {
 protected:
  void SetUp() override {
    ViewEngineTest::SetUp();
    ASSERT_OK_AND_ASSIGN(store_,
                         eventstore::SqliteEventStore::Open(dir_.File("p.db")));
    projects::ProjectHandlers handlers(*store_);
    // Two projects; the first goes PROPOSED -> APPROVED -> ACTIVE.
    for (const char* code : {"ALPHA", "BETA"}) {
      eventsourcing::CommandContext ctx;
      ctx.request_id = std::string("create-") + code;
      ASSERT_OK_AND_ASSIGN(
          auto p, handlers.CreateProject(
                      {code, "Project", "alice", absl::CivilDay(2027, 1, 1),
                       absl::CivilDay(2027, 3, 1)},
                      ctx));
      ids_.push_back(p.state.id());
    }
    for (auto to : {pv1::PROJECT_STATUS_APPROVED, pv1::PROJECT_STATUS_ACTIVE}) {
      eventsourcing::CommandContext ctx;
      ctx.request_id = "change-" + std::to_string(to);
      ASSERT_OK(
          handlers.ChangeProjectStatus(ids_[0], to, "board", ctx).status());
    }
    ASSERT_OK_AND_ASSIGN(events_, store_->ReadAll(0, 100));
    ASSERT_EQ(events_.size(), 4u);  // ALPHA v1, BETA v1, ALPHA v2, ALPHA v3
  }

  subscription::Delivery At(size_t index) {
    return {events_[index], "pmo.projects.events.v1", 0,
            static_cast<int64_t>(index), ""};
  }

  pv1::ProjectStatus StatusOf(PortfolioView& view, const std::string& code) {
    auto page = view.ListProjects(0, "", pv1::PROJECT_STATUS_UNSPECIFIED);
    for (const auto& p : page->projects) {
      if (p.code == code) return p.status;
    }
    return pv1::PROJECT_STATUS_UNSPECIFIED;
  }

  pmo::testing::TempDir dir_;
  std::unique_ptr<eventstore::SqliteEventStore> store_;
  std::vector<std::string> ids_;
  std::vector<eventstore::RecordedEvent> events_;
};

TEST_P(PortfolioViewTest, AppliesEventsAndStoresOffsets) {
  ASSERT_OK_AND_ASSIGN(auto view, OpenView("view"));
  EXPECT_THAT(view->ResumeOffset("pmo.projects.events.v1", 0),
              IsOkAndHolds(std::nullopt));
  ASSERT_OK(view->Handle({At(0), At(1), At(2), At(3)}));
  EXPECT_EQ(StatusOf(*view, "ALPHA"), pv1::PROJECT_STATUS_ACTIVE);
  EXPECT_EQ(StatusOf(*view, "BETA"), pv1::PROJECT_STATUS_PROPOSED);
  EXPECT_THAT(view->ResumeOffset("pmo.projects.events.v1", 0), IsOkAndHolds(4));
  ASSERT_OK_AND_ASSIGN(auto active,
                       view->ListProjects(0, "", pv1::PROJECT_STATUS_ACTIVE));
  ASSERT_EQ(active.projects.size(), 1u);
  EXPECT_EQ(active.projects[0].version, 3);
  EXPECT_EQ(active.projects[0].planned_end, "2027-03-01");
}

TEST_P(PortfolioViewTest, DuplicatesAreIgnored) {
  ASSERT_OK_AND_ASSIGN(auto view, OpenView("view"));
  ASSERT_OK(view->Handle({At(0), At(1), At(2)}));
  ASSERT_OK_AND_ASSIGN(std::string before, view->Digest());
  // Re-delivery of everything (at-least-once): nothing changes.
  ASSERT_OK(view->Handle({At(0), At(2), At(1), At(0)}));
  EXPECT_THAT(view->Digest(), IsOkAndHolds(before));
  EXPECT_EQ(StatusOf(*view, "ALPHA"), pv1::PROJECT_STATUS_APPROVED);
}

TEST_P(PortfolioViewTest, AGapIsNeverSkipped) {
  ASSERT_OK_AND_ASSIGN(auto view, OpenView("view"));
  // ALPHA v1, then v3 without v2: v3 waits.
  ASSERT_OK(view->Handle({At(0), At(3)}));
  EXPECT_EQ(StatusOf(*view, "ALPHA"), pv1::PROJECT_STATUS_PROPOSED);
  EXPECT_THAT(view->ParkedCount(), IsOkAndHolds(1));
  // v2 arrives: v2 and the parked v3 apply, in order.
  ASSERT_OK(view->Handle({At(2)}));
  EXPECT_EQ(StatusOf(*view, "ALPHA"), pv1::PROJECT_STATUS_ACTIVE);
  EXPECT_THAT(view->ParkedCount(), IsOkAndHolds(0));
}

TEST_P(PortfolioViewTest, OffsetsAndViewCommitTogether) {
  bool fail = true;
  PortfolioView::Options options;
  options.before_commit = [&]() -> absl::Status {
    return fail ? absl::UnavailableError("disk unplugged") : absl::OkStatus();
  };
  ASSERT_OK_AND_ASSIGN(auto view, OpenView("view", options));
  EXPECT_THAT(view->Handle({At(0), At(1)}),
              StatusIs(absl::StatusCode::kUnavailable));
  // Neither the rows nor the offset moved.
  EXPECT_THAT(view->ProjectCount(), IsOkAndHolds(0));
  EXPECT_THAT(view->ResumeOffset("pmo.projects.events.v1", 0),
              IsOkAndHolds(std::nullopt));
  fail = false;
  ASSERT_OK(view->Handle({At(0), At(1)}));
  EXPECT_THAT(view->ProjectCount(), IsOkAndHolds(2));
  EXPECT_THAT(view->ResumeOffset("pmo.projects.events.v1", 0), IsOkAndHolds(2));
}

TEST_P(PortfolioViewTest, RebuildFromTheBeginningGivesTheSameDigest) {
  // The live view saw a messy delivery: gaps, duplicates, several batches.
  ASSERT_OK_AND_ASSIGN(auto live, OpenView("live"));
  ASSERT_OK(live->Handle({At(0), At(3), At(1)}));
  ASSERT_OK(live->Handle({At(1), At(2)}));
  ASSERT_OK(live->Handle({At(3)}));
  // The rebuild reads the store from position 0 into a fresh file.
  ASSERT_OK_AND_ASSIGN(auto rebuilt, OpenView("rebuilt"));
  subscription::InProcessSubscription catch_up(*store_, "projects", *rebuilt,
                                               3);
  catch_up.Start();
  ASSERT_TRUE(catch_up.WaitUntilCaughtUp(absl::Seconds(30)));
  catch_up.Stop();
  ASSERT_OK_AND_ASSIGN(std::string live_digest, live->Digest());
  EXPECT_THAT(rebuilt->Digest(), IsOkAndHolds(live_digest));
  EXPECT_THAT(rebuilt->ResumeOffset("store:projects", 0), IsOkAndHolds(5));
  // A different view has a different digest.
  ASSERT_OK_AND_ASSIGN(auto partial, OpenView("partial"));
  ASSERT_OK(partial->Handle({At(0), At(1)}));
  EXPECT_NE(*partial->Digest(), live_digest);
}

TEST_P(PortfolioViewTest, UndecodableDeliveriesOnlyMoveTheOffset) {
  ASSERT_OK_AND_ASSIGN(auto view, OpenView("view"));
  subscription::Delivery bad;
  bad.source = "pmo.projects.events.v1";
  bad.offset = 7;
  bad.undecodable_reason = "header ce_type is missing";
  ASSERT_OK(view->Handle({bad}));
  EXPECT_THAT(view->ProjectCount(), IsOkAndHolds(0));
  EXPECT_THAT(view->ResumeOffset("pmo.projects.events.v1", 0), IsOkAndHolds(8));
}

TEST_P(PortfolioViewTest, BadPageTokenNamesTheField) {
  ASSERT_OK_AND_ASSIGN(auto view, OpenView("view"));
  EXPECT_THAT(view->ListProjects(0, "%%%", pv1::PROJECT_STATUS_UNSPECIFIED),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       ::testing::HasSubstr("page_token")));
}

TEST_P(PortfolioViewTest, ARestartResumesFromTheStoredOffsets) {
  std::string digest;
  {
    ASSERT_OK_AND_ASSIGN(auto view, OpenView("view"));
    ASSERT_OK(
        view->Handle({At(0), At(1), At(3)}));  // ALPHA v3 parked behind v2
    ASSERT_OK_AND_ASSIGN(digest, view->Digest());
  }
  // Reopened: the consumer asks where to go on, and the rows, the parked
  // event and the consolidation are as they were.
  ASSERT_OK_AND_ASSIGN(auto view, OpenView("view"));
  EXPECT_THAT(view->ResumeOffset("pmo.projects.events.v1", 0), IsOkAndHolds(4));
  EXPECT_THAT(view->Offsets(),
              IsOkAndHolds(::testing::ElementsAre(
                  ::testing::Field(&SourceOffset::next_offset, 4))));
  EXPECT_THAT(view->Digest(), IsOkAndHolds(digest));
  EXPECT_THAT(view->ParkedCount(), IsOkAndHolds(1));
  EXPECT_THAT(view->JournalSize(), IsOkAndHolds(2));
  // What comes next fills the gap from the stored state.
  ASSERT_OK(view->Handle({At(2)}));
  EXPECT_EQ(StatusOf(*view, "ALPHA"), pv1::PROJECT_STATUS_ACTIVE);
  EXPECT_THAT(view->ParkedCount(), IsOkAndHolds(0));
  EXPECT_THAT(view->JournalSize(), IsOkAndHolds(4));
}

TEST_P(PortfolioViewTest, ARolledBackBatchLeavesEverythingAsItWas) {
  // The second batch fails at its end, after it has applied a status
  // change, closed a gap (unparked) and moved the offset: none of it stays.
  bool fail = false;
  PortfolioView::Options options;
  options.before_commit = [&]() -> absl::Status {
    return fail ? absl::UnavailableError("connection lost") : absl::OkStatus();
  };
  ASSERT_OK_AND_ASSIGN(auto view, OpenView("view", options));
  ASSERT_OK(view->Handle({At(0), At(1), At(3)}));
  ASSERT_OK_AND_ASSIGN(std::string before, view->Digest());
  fail = true;
  EXPECT_THAT(view->Handle({At(2)}), StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(view->Digest(), IsOkAndHolds(before));
  EXPECT_EQ(StatusOf(*view, "ALPHA"), pv1::PROJECT_STATUS_PROPOSED);
  EXPECT_THAT(view->ParkedCount(), IsOkAndHolds(1));
  EXPECT_THAT(view->JournalSize(), IsOkAndHolds(2));
  EXPECT_THAT(view->ResumeOffset("pmo.projects.events.v1", 0), IsOkAndHolds(4));
  // Delivered again, it applies once.
  fail = false;
  ASSERT_OK(view->Handle({At(2)}));
  EXPECT_EQ(StatusOf(*view, "ALPHA"), pv1::PROJECT_STATUS_ACTIVE);
  EXPECT_THAT(view->JournalSize(), IsOkAndHolds(4));
}

TEST_P(PortfolioViewTest, PagesGoOnAfterTheLastCode) {
  ASSERT_OK_AND_ASSIGN(auto view, OpenView("view"));
  ASSERT_OK(view->Handle({At(0), At(1)}));
  ASSERT_OK_AND_ASSIGN(
      auto first, view->ListProjects(1, "", pv1::PROJECT_STATUS_UNSPECIFIED));
  ASSERT_EQ(first.projects.size(), 1u);
  EXPECT_EQ(first.projects[0].code, "ALPHA");
  ASSERT_OK_AND_ASSIGN(auto second,
                       view->ListProjects(1, first.next_page_token,
                                          pv1::PROJECT_STATUS_UNSPECIFIED));
  ASSERT_EQ(second.projects.size(), 1u);
  EXPECT_EQ(second.projects[0].code, "BETA");
  EXPECT_TRUE(second.next_page_token.empty());
}

PMO_INSTANTIATE_VIEW_SUITE(PortfolioViewTest);

}  // namespace
}  // namespace pmo::projection
