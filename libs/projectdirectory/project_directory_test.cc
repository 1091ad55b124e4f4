#include "libs/projectdirectory/project_directory.h"

#include "gtest/gtest.h"
#include "libs/base/testing/status_matchers.h"
#include "libs/base/testing/temp_dir.h"
#include "libs/eventsourcing/event_codec.h"
#include "pmo/projects/v1/events.pb.h"

namespace pmo::projectdirectory {
namespace {

namespace pv1 = ::pmo::projects::v1;
using ::pmo::testing::StatusIs;

// Events as the projects service's subscription delivers them.
class Feed {
 public:
  void Add(const std::string& stream_type, const std::string& stream_id, int64_t version,
           const google::protobuf::Message& event) {
    eventstore::NewEvent encoded = eventsourcing::EncodeEvent(event, absl::Now());
    subscription::Delivery d;
    d.event.stream_id = stream_id;
    d.event.stream_type = stream_type;
    d.event.stream_version = version;
    d.event.event_type = encoded.event_type;
    d.event.payload = encoded.payload;
    d.source = "pmo.projects.events.v1";
    d.offset = ++offset_;
    d.event.position = offset_;
    batch_.push_back(std::move(d));
  }
  absl::Status DeliverTo(ProjectDirectory& directory) {
    absl::Status s = directory.Handle(batch_);
    batch_.clear();
    return s;
  }

 private:
  int64_t offset_ = 0;
  std::vector<subscription::Delivery> batch_;
};

TEST(ProjectDirectoryTest, PlacesProjectsInTheirProgrammeAndPortfolio) {
  pmo::testing::TempDir dir;
  ASSERT_OK_AND_ASSIGN(auto directory, ProjectDirectory::Open(dir.File("directory.db")));
  Feed feed;
  pv1::PortfolioCreated portfolio;
  portfolio.set_code("ENT");
  feed.Add("portfolio", "pf-1", 1, portfolio);
  pv1::ProgrammeCreated programme;
  programme.set_code("DIGITAL");
  programme.set_portfolio_id("pf-1");
  feed.Add("programme", "pg-1", 1, programme);
  pv1::ProjectCreated erp;
  erp.set_code("ERP");
  erp.set_status(pv1::PROJECT_STATUS_PROPOSED);
  erp.set_priority(2);
  feed.Add("project", "erp", 1, erp);
  pv1::ProjectAssignedToProgramme assigned;
  assigned.set_programme_id("pg-1");
  feed.Add("project", "erp", 2, assigned);
  ASSERT_OK(feed.DeliverTo(*directory));

  ASSERT_OK_AND_ASSIGN(std::optional<KnownProject> found, directory->Find("erp"));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->code, "ERP");
  EXPECT_EQ(found->priority, 2);
  EXPECT_EQ(found->programme_id, "pg-1");
  EXPECT_EQ(found->portfolio_id, "pf-1");
  ASSERT_OK_AND_ASSIGN(std::optional<KnownProgramme> pg, directory->FindProgramme("pg-1"));
  ASSERT_TRUE(pg.has_value());
  EXPECT_EQ(pg->portfolio_id, "pf-1");
  EXPECT_THAT(directory->PortfolioExists("pf-1"), ::pmo::testing::IsOkAndHolds(true));
  EXPECT_THAT(directory->PortfolioExists("pf-2"), ::pmo::testing::IsOkAndHolds(false));
  ASSERT_OK_AND_ASSIGN(std::optional<KnownProject> unknown, directory->Find("crm"));
  EXPECT_FALSE(unknown.has_value());

  // A redelivered older assignment does not undo the newer one.
  pv1::ProjectAssignedToProgramme moved;
  moved.set_programme_id("pg-2");
  feed.Add("project", "erp", 3, moved);
  feed.Add("project", "erp", 2, assigned);
  ASSERT_OK(feed.DeliverTo(*directory));
  ASSERT_OK_AND_ASSIGN(found, directory->Find("erp"));
  EXPECT_EQ(found->programme_id, "pg-2");
  EXPECT_EQ(found->portfolio_id, "");  // pg-2 is not known (yet)
}

TEST(ProjectDirectoryTest, ClosedProjectsTakeNoMoreAllocations) {
  pmo::testing::TempDir dir;
  ASSERT_OK_AND_ASSIGN(auto directory, ProjectDirectory::Open(dir.File("directory.db")));
  Feed feed;
  pv1::ProjectCreated erp;
  erp.set_code("ERP");
  erp.set_status(pv1::PROJECT_STATUS_PROPOSED);
  feed.Add("project", "erp", 1, erp);
  pv1::ProjectStatusChanged closed;
  closed.set_status(pv1::PROJECT_STATUS_CLOSED);
  feed.Add("project", "erp", 2, closed);
  ASSERT_OK(feed.DeliverTo(*directory));
  EXPECT_THAT(directory->CheckOpenForAllocation("erp"),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(directory->CheckOpenForAllocation("crm"),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST(ProjectDirectoryTest, KeepsWhatItLearntAndWhereItStoppedAcrossRestarts) {
  pmo::testing::TempDir dir;
  {
    ASSERT_OK_AND_ASSIGN(auto directory, ProjectDirectory::Open(dir.File("directory.db")));
    Feed feed;
    pv1::ProjectCreated erp;
    erp.set_code("ERP");
    feed.Add("project", "erp", 1, erp);
    ASSERT_OK(feed.DeliverTo(*directory));
  }
  ASSERT_OK_AND_ASSIGN(auto reopened, ProjectDirectory::Open(dir.File("directory.db")));
  ASSERT_OK_AND_ASSIGN(std::optional<KnownProject> found, reopened->Find("erp"));
  EXPECT_TRUE(found.has_value());
  EXPECT_THAT(reopened->ResumeOffset("pmo.projects.events.v1", 0),
              ::pmo::testing::IsOkAndHolds(std::optional<int64_t>(2)));
}

}  // namespace
}  // namespace pmo::projectdirectory
