// View generations as SQLite files of a real folder: what a killed process
// leaves behind, a restart, and a pointer file that names no generation.

#include "services/projection/adapters/file_view_generations.h"

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

TEST(ViewGenerationsTest, TheLiveGenerationSurvivesARestartAndOnlyItStays) {
  pmo::testing::TempDir dir;
  std::shared_ptr<const ViewGenerations> generations =
      SqliteViewGenerations(dir.path());
  EXPECT_THAT(generations->LiveName(), IsOkAndHolds("portfolio-view.db"));
  EXPECT_THAT(generations->NextName(), IsOkAndHolds("portfolio-view-1.db"));
  const std::vector<subscription::Delivery> all =
      history::Deliveries(history::Portfolio().events());
  ASSERT_GE(all.size(), 5u);
  {
    // What a process left when it was killed: the first generation, the
    // one it made live, and a rebuild cut short.
    ASSERT_OK(OpenPortfolioView(dir.File("portfolio-view.db")).status());
    ASSERT_OK_AND_ASSIGN(auto rebuilt,
                         OpenPortfolioView(dir.File("portfolio-view-1.db")));
    ASSERT_OK(rebuilt->Handle(
        std::vector<subscription::Delivery>(all.begin(), all.begin() + 5)));
    ASSERT_OK(generations->MakeLive("portfolio-view-1.db"));
    ASSERT_OK(OpenPortfolioView(dir.File("portfolio-view-2.db")).status());
  }
  std::shared_ptr<const ViewGenerations> restarted =
      SqliteViewGenerations(dir.path());
  EXPECT_THAT(restarted->LiveName(), IsOkAndHolds("portfolio-view-1.db"));
  EXPECT_THAT(restarted->NextName(), IsOkAndHolds("portfolio-view-3.db"));
  ASSERT_OK(restarted->RemoveAllButLive());
  EXPECT_FALSE(std::filesystem::exists(dir.File("portfolio-view.db")));
  EXPECT_FALSE(std::filesystem::exists(dir.File("portfolio-view-2.db")));
  ASSERT_OK_AND_ASSIGN(auto live, restarted->Open("portfolio-view-1.db"));
  EXPECT_THAT(live->JournalSize(), IsOkAndHolds(5));
  // A generation that is not live goes with its last holder; the live one
  // stays.
  ASSERT_OK(restarted->Open("portfolio-view-3.db").status());
  EXPECT_FALSE(std::filesystem::exists(dir.File("portfolio-view-3.db")));
  live.reset();
  EXPECT_TRUE(std::filesystem::exists(dir.File("portfolio-view-1.db")));

  std::ofstream(dir.File("portfolio-view.current")) << "../elsewhere.db\n";
  EXPECT_THAT(restarted->LiveName(),
              ::pmo::testing::StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(restarted->Open("../elsewhere.db").status(),
              ::pmo::testing::StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace pmo::projection
