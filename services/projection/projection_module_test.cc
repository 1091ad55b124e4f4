// --store_url reaches the projection's view: ProjectionModule (what
// pmo-projection and the all-in-one pmo open) keeps it in schema
// "projection" of that database instead of <data_dir>/portfolio-view.db.

#include "services/projection/projection_module.h"

#include <filesystem>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/testing/status_matchers.h"
#include "libs/base/testing/temp_dir.h"
#include "libs/postgres/postgres.h"
#include "libs/postgres/testing/test_cluster.h"
#include "libs/storeconfig/store_config.h"
#include "services/projection/app/hand_built_history.h"

namespace pmo::projection {
namespace {

using ::pmo::testing::IsOkAndHolds;
using ::pmo::testing::StatusIs;

// A database of its own on the test cluster (the schema name is fixed);
// its URL.
std::string FreshDatabase() {
  const std::string url = postgres::testing::TestClusterUrl();
  const std::string name = postgres::testing::FreshSchema("projection_module");
  auto admin = postgres::Connection::Open(url);
  EXPECT_TRUE(admin.ok()) << admin.status();
  EXPECT_TRUE((*admin)->Execute(absl::StrCat("CREATE DATABASE ", name)).ok());
  return url.substr(0, url.rfind('/') + 1) + name;
}

TEST(ProjectionModuleTest, StoreUrlPutsTheViewInSchemaProjection) {
  const std::string url = FreshDatabase();
  pmo::testing::TempDir dir;
  absl::SetFlag(&FLAGS_store_url, url);
  ASSERT_OK_AND_ASSIGN(auto module,
                       ProjectionModule::Open(dir.File("projection")));
  const std::vector<subscription::Delivery> all =
      history::Deliveries(history::Portfolio().events());
  ASSERT_OK(module->view->Handle(all));
  ASSERT_OK_AND_ASSIGN(int64_t projects,
                       module->view->Current()->ProjectCount());
  EXPECT_GT(projects, 0);

  // The rows and the journal are in PostgreSQL, no view file was made.
  ASSERT_OK_AND_ASSIGN(auto db, postgres::Connection::Open(url));
  ASSERT_OK_AND_ASSIGN(
      postgres::Result rows,
      db->Query("SELECT COUNT(*) FROM projection.portfolio_projects"));
  EXPECT_EQ(rows.Int(0, 0), projects);
  ASSERT_OK_AND_ASSIGN(postgres::Result journal,
                       db->Query("SELECT COUNT(*) FROM projection.journal"));
  EXPECT_EQ(journal.Int(0, 0), static_cast<int64_t>(all.size()));
  EXPECT_FALSE(
      std::filesystem::exists(dir.File("projection/portfolio-view.db")));
  // A second projection on the same database is refused while this one runs.
  EXPECT_THAT(ProjectionModule::Open(dir.File("second")),
              StatusIs(absl::StatusCode::kFailedPrecondition));

  // Restarted, it goes on from what it stored.
  ASSERT_OK_AND_ASSIGN(std::string digest, module->view->Current()->Digest());
  module.reset();
  ASSERT_OK_AND_ASSIGN(module, ProjectionModule::Open(dir.File("projection")));
  EXPECT_THAT(module->view->Current()->Digest(), IsOkAndHolds(digest));
  absl::SetFlag(&FLAGS_store_url, "");
}

TEST(ProjectionModuleTest, AnUnknownStoreUrlNamesTheFlag) {
  pmo::testing::TempDir dir;
  absl::SetFlag(&FLAGS_store_url, "mysql://127.0.0.1/pmo");
  EXPECT_THAT(ProjectionModule::Open(dir.File("projection")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       ::testing::HasSubstr("store_url")));
  absl::SetFlag(&FLAGS_store_url, "");
}

}  // namespace
}  // namespace pmo::projection
