#include "services/projects/app/project_handlers.h"

#include <thread>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/testing/status_matchers.h"
#include "libs/base/testing/temp_dir.h"
#include "libs/eventstore/sqlite_event_store.h"

namespace pmo::projects {
namespace {

using ::pmo::testing::StatusIs;

class ProjectHandlersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = eventstore::SqliteEventStore::Open(dir_.File("projects.db"));
    ASSERT_TRUE(store.ok());
    store_ = *std::move(store);
    handlers_ = std::make_unique<ProjectHandlers>(*store_);
  }
  static ProjectCharter Charter(std::string code) {
    return {std::move(code), "Project", "alice", absl::CivilDay(2027, 1, 1),
            absl::CivilDay(2027, 6, 30)};
  }
  static eventsourcing::CommandContext Ctx(std::string request_id,
                                           std::optional<int64_t> expected = {}) {
    eventsourcing::CommandContext c;
    c.request_id = std::move(request_id);
    c.expected_version = expected;
    c.metadata.actor = "alice";
    return c;
  }
  pmo::testing::TempDir dir_;
  std::unique_ptr<eventstore::SqliteEventStore> store_;
  std::unique_ptr<ProjectHandlers> handlers_;
};

TEST_F(ProjectHandlersTest, RetriedCreateReturnsTheFirstProject) {
  ASSERT_OK_AND_ASSIGN(auto first, handlers_->CreateProject(Charter("A1"), Ctx("r1")));
  ASSERT_OK_AND_ASSIGN(auto retry, handlers_->CreateProject(Charter("A1"), Ctx("r1")));
  EXPECT_EQ(retry.state.id(), first.state.id());
  EXPECT_EQ(retry.version, 1);
  EXPECT_EQ(store_->HeadPosition(), 1);
}

TEST_F(ProjectHandlersTest, ARequestIdReusedForAnotherProjectIsRefused) {
  ASSERT_OK_AND_ASSIGN(auto a, handlers_->CreateProject(Charter("A1"), Ctx("r1")));
  ASSERT_OK_AND_ASSIGN(auto b, handlers_->CreateProject(Charter("B1"), Ctx("r2")));
  ASSERT_OK(handlers_->ChangeProjectStatus(a.state.id(), v1::PROJECT_STATUS_APPROVED,
                                           "ok", Ctx("same")).status());
  EXPECT_THAT(handlers_->ChangeProjectStatus(b.state.id(), v1::PROJECT_STATUS_APPROVED,
                                             "ok", Ctx("same")),
              StatusIs(absl::StatusCode::kInvalidArgument, ::testing::HasSubstr("request_id")));
  ASSERT_OK_AND_ASSIGN(auto b_now, handlers_->GetProject(b.state.id()));
  EXPECT_EQ(b_now.state.status(), v1::PROJECT_STATUS_PROPOSED);
}

TEST_F(ProjectHandlersTest, DuplicateCodeIsAlreadyExists) {
  ASSERT_OK(handlers_->CreateProject(Charter("A1"), Ctx("r1")).status());
  EXPECT_THAT(handlers_->CreateProject(Charter("A1"), Ctx("r2")),
              StatusIs(absl::StatusCode::kAlreadyExists));
}

TEST_F(ProjectHandlersTest, ExpectedVersionMismatchIsAborted) {
  ASSERT_OK_AND_ASSIGN(auto p, handlers_->CreateProject(Charter("A1"), Ctx("r1")));
  ASSERT_OK(handlers_->ChangeProjectStatus(p.state.id(), v1::PROJECT_STATUS_APPROVED,
                                           "ok", Ctx("r2", 1)).status());
  auto stale = handlers_->ChangeProjectStatus(
      p.state.id(), v1::PROJECT_STATUS_CANCELLED, "no", Ctx("r3", 1));
  EXPECT_THAT(stale, StatusIs(absl::StatusCode::kAborted));
  EXPECT_EQ(eventstore::CurrentVersionOf(stale.status()), 2);
  // A retry of r2 answers with r2's result, not today's state.
  ASSERT_OK_AND_ASSIGN(auto replay, handlers_->ChangeProjectStatus(
      p.state.id(), v1::PROJECT_STATUS_APPROVED, "ok", Ctx("r2", 1)));
  EXPECT_EQ(replay.version, 2);
}

TEST_F(ProjectHandlersTest, ConcurrentChangesWithoutExpectedVersionAllLand) {
  ASSERT_OK_AND_ASSIGN(auto p, handlers_->CreateProject(Charter("A1"), Ctx("r1")));
  ASSERT_OK(handlers_->ChangeProjectStatus(p.state.id(), v1::PROJECT_STATUS_APPROVED,
                                           "ok", Ctx("r2")).status());
  ASSERT_OK(handlers_->ChangeProjectStatus(p.state.id(), v1::PROJECT_STATUS_ACTIVE,
                                           "go", Ctx("r3")).status());
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      // ACTIVE <-> ON_HOLD toggles: each decides on what it loaded.
      auto s = handlers_->GetProject(p.state.id());
      auto to = s->state.status() == v1::PROJECT_STATUS_ACTIVE
                    ? v1::PROJECT_STATUS_ON_HOLD
                    : v1::PROJECT_STATUS_ACTIVE;
      if (handlers_->ChangeProjectStatus(p.state.id(), to, "toggle",
                                         Ctx("t" + std::to_string(i))).ok()) {
        ok.fetch_add(1);
      }
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_OK_AND_ASSIGN(auto now, handlers_->GetProject(p.state.id()));
  EXPECT_EQ(now.version, 3 + ok.load());
}

TEST_F(ProjectHandlersTest, ListPagesInCreationOrder) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_OK(handlers_->CreateProject(Charter("P" + std::to_string(i)),
                                       Ctx("c" + std::to_string(i))).status());
  }
  ASSERT_OK_AND_ASSIGN(auto page1, handlers_->ListProjects(2, ""));
  ASSERT_EQ(page1.projects.size(), 2u);
  EXPECT_EQ(page1.projects[0].state.charter().code, "P0");
  ASSERT_FALSE(page1.next_page_token.empty());
  ASSERT_OK_AND_ASSIGN(auto page2, handlers_->ListProjects(2, page1.next_page_token));
  EXPECT_EQ(page2.projects[0].state.charter().code, "P2");
  ASSERT_OK_AND_ASSIGN(auto page3, handlers_->ListProjects(2, page2.next_page_token));
  EXPECT_EQ(page3.projects.size(), 1u);
  EXPECT_TRUE(page3.next_page_token.empty());
  EXPECT_THAT(handlers_->ListProjects(2, "garbage"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(handlers_->ListProjects(5000, ""),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace pmo::projects
