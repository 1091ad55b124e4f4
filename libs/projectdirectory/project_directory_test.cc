#include "libs/projectdirectory/project_directory.h"

#include "gtest/gtest.h"
#include "libs/base/testing/status_matchers.h"
#include "libs/base/testing/temp_dir.h"
#include "libs/projectdirectory/testing/directory_feed.h"
#include "pmo/projects/v1/events.pb.h"

namespace pmo::projectdirectory {
namespace {

namespace pv1 = ::pmo::projects::v1;
using ::pmo::testing::StatusIs;

using testing::DirectoryFeed;

TEST(ProjectDirectoryTest, PlacesProjectsInTheirProgrammeAndPortfolio) {
  pmo::testing::TempDir dir;
  ASSERT_OK_AND_ASSIGN(auto directory,
                       ProjectDirectory::Open(dir.File("directory.db")));
  DirectoryFeed feed(*directory);
  pv1::PortfolioCreated portfolio;
  portfolio.set_code("ENT");
  feed.Add("portfolio", "pf-1", portfolio, 1);
  pv1::ProgrammeCreated programme;
  programme.set_code("DIGITAL");
  programme.set_portfolio_id("pf-1");
  feed.Add("programme", "pg-1", programme, 1);
  pv1::ProjectCreated erp;
  erp.set_code("ERP");
  erp.set_status(pv1::PROJECT_STATUS_PROPOSED);
  erp.set_priority(2);
  feed.Add("project", "erp", erp, 1);
  pv1::ProjectAssignedToProgramme assigned;
  assigned.set_programme_id("pg-1");
  feed.Add("project", "erp", assigned, 2);
  ASSERT_OK(feed.Deliver());

  ASSERT_OK_AND_ASSIGN(std::optional<KnownProject> found,
                       directory->Find("erp"));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->code, "ERP");
  EXPECT_EQ(found->priority, 2);
  EXPECT_EQ(found->programme_id, "pg-1");
  EXPECT_EQ(found->portfolio_id, "pf-1");
  ASSERT_OK_AND_ASSIGN(std::optional<KnownProgramme> pg,
                       directory->FindProgramme("pg-1"));
  ASSERT_TRUE(pg.has_value());
  EXPECT_EQ(pg->portfolio_id, "pf-1");
  EXPECT_THAT(directory->PortfolioExists("pf-1"),
              ::pmo::testing::IsOkAndHolds(true));
  EXPECT_THAT(directory->PortfolioExists("pf-2"),
              ::pmo::testing::IsOkAndHolds(false));
  ASSERT_OK_AND_ASSIGN(std::optional<KnownProject> unknown,
                       directory->Find("crm"));
  EXPECT_FALSE(unknown.has_value());

  // A redelivered older assignment does not undo the newer one.
  pv1::ProjectAssignedToProgramme moved;
  moved.set_programme_id("pg-2");
  feed.Add("project", "erp", moved, 3);
  feed.Add("project", "erp", assigned, 2);
  ASSERT_OK(feed.Deliver());
  ASSERT_OK_AND_ASSIGN(found, directory->Find("erp"));
  EXPECT_EQ(found->programme_id, "pg-2");
  EXPECT_EQ(found->portfolio_id, "");  // pg-2 is not known (yet)
}

TEST(ProjectDirectoryTest, ClosedProjectsTakeNoMoreAllocations) {
  pmo::testing::TempDir dir;
  ASSERT_OK_AND_ASSIGN(auto directory,
                       ProjectDirectory::Open(dir.File("directory.db")));
  DirectoryFeed feed(*directory);
  pv1::ProjectCreated erp;
  erp.set_code("ERP");
  erp.set_status(pv1::PROJECT_STATUS_PROPOSED);
  feed.Add("project", "erp", erp, 1);
  pv1::ProjectStatusChanged closed;
  closed.set_status(pv1::PROJECT_STATUS_CLOSED);
  feed.Add("project", "erp", closed, 2);
  ASSERT_OK(feed.Deliver());
  EXPECT_THAT(directory->CheckOpenForAllocation("erp"),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(directory->CheckOpenForAllocation("crm"),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST(ProjectDirectoryTest, KeepsWhatItLearntAndWhereItStoppedAcrossRestarts) {
  pmo::testing::TempDir dir;
  {
    ASSERT_OK_AND_ASSIGN(auto directory,
                         ProjectDirectory::Open(dir.File("directory.db")));
    DirectoryFeed feed(*directory);
    pv1::ProjectCreated erp;
    erp.set_code("ERP");
    feed.Add("project", "erp", erp, 1);
    ASSERT_OK(feed.Deliver());
  }
  ASSERT_OK_AND_ASSIGN(auto reopened,
                       ProjectDirectory::Open(dir.File("directory.db")));
  ASSERT_OK_AND_ASSIGN(std::optional<KnownProject> found,
                       reopened->Find("erp"));
  EXPECT_TRUE(found.has_value());
  EXPECT_THAT(reopened->ResumeOffset("pmo.projects.events.v1", 0),
              ::pmo::testing::IsOkAndHolds(std::optional<int64_t>(2)));
}

}  // namespace
}  // namespace pmo::projectdirectory
