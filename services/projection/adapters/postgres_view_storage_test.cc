// What only the PostgreSQL engine has: one view per schema, and the same
// digest as the SQLite file for the same events. The shared suites run on
// it through testing/postgres_view_engine.cc.

#include "services/projection/adapters/postgres_view_storage.h"

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/testing/status_matchers.h"
#include "libs/postgres/postgres.h"
#include "libs/postgres/testing/test_cluster.h"
#include "services/projection/adapters/open_view_storage.h"
#include "services/projection/app/hand_built_history.h"
#include "services/projection/app/portfolio_view.h"
#include "services/projection/app/testing/view_engine.h"

namespace pmo::projection {
namespace {

using ::pmo::testing::IsOkAndHolds;
using ::pmo::testing::StatusIs;
using ::testing::HasSubstr;

TEST(PostgresViewTest, TheSameEventsGiveTheSameDigestOnBothEngines) {
  std::unique_ptr<testing::ViewEngine> sqlite = testing::MakeSqliteEngine();
  std::unique_ptr<testing::ViewEngine> postgres = testing::MakePostgresEngine();
  history::History h = history::Portfolio();
  const std::vector<subscription::Delivery> in_order =
      history::Deliveries(h.events());
  ASSERT_OK_AND_ASSIGN(auto on_sqlite, sqlite->Open("view", {}));
  ASSERT_OK(on_sqlite->Handle(in_order));
  // PostgreSQL gets them backwards in two batches (every stream parks and
  // unparks), then all again (every event a duplicate).
  ASSERT_OK_AND_ASSIGN(auto on_postgres, postgres->Open("view", {}));
  const std::vector<subscription::Delivery> backwards(in_order.rbegin(),
                                                      in_order.rend());
  const size_t half = backwards.size() / 2;
  ASSERT_OK(on_postgres->Handle({backwards.begin(), backwards.begin() + half}));
  ASSERT_OK(on_postgres->Handle({backwards.begin() + half, backwards.end()}));
  ASSERT_OK(on_postgres->Handle(in_order));

  ASSERT_OK_AND_ASSIGN(std::string digest, on_sqlite->Digest());
  EXPECT_THAT(on_postgres->Digest(), IsOkAndHolds(digest));
  EXPECT_THAT(on_postgres->ProjectCount(),
              IsOkAndHolds(*on_sqlite->ProjectCount()));
  EXPECT_THAT(on_postgres->JournalSize(),
              IsOkAndHolds(static_cast<int64_t>(in_order.size())));
  EXPECT_THAT(on_postgres->LastEventRecordTime(),
              IsOkAndHolds(*on_sqlite->LastEventRecordTime()));
  // As of a past day, folded from each engine's journal.
  const absl::CivilDay day(2027, 3, 31);
  ASSERT_OK_AND_ASSIGN(Overview sqlite_then,
                       on_sqlite->ComputeOverview(day, true));
  ASSERT_OK_AND_ASSIGN(Overview postgres_then,
                       on_postgres->ComputeOverview(day, true));
  ASSERT_EQ(postgres_then.projects.size(), sqlite_then.projects.size());
  ASSERT_FALSE(sqlite_then.projects.empty());
  for (size_t i = 0; i < sqlite_then.projects.size(); ++i) {
    EXPECT_EQ(postgres_then.projects[i].code, sqlite_then.projects[i].code);
    EXPECT_EQ(postgres_then.projects[i].risk_exposure_minor,
              sqlite_then.projects[i].risk_exposure_minor);
    EXPECT_EQ(postgres_then.projects[i].earned_value,
              sqlite_then.projects[i].earned_value);
  }
  // Reopened, PostgreSQL's journal folds to the same digest again.
  on_postgres.reset();
  ASSERT_OK_AND_ASSIGN(on_postgres, postgres->Open("view", {}));
  EXPECT_THAT(on_postgres->Digest(), IsOkAndHolds(digest));
}

TEST(PostgresViewTest, ASchemaHoldsOneViewAtATime) {
  std::unique_ptr<testing::ViewEngine> postgres = testing::MakePostgresEngine();
  ASSERT_OK_AND_ASSIGN(auto first, postgres->Open("shared", {}));
  EXPECT_THAT(postgres->Open("shared", {}),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("another process")));
  // Another schema is another view.
  EXPECT_OK(postgres->Open("other", {}).status());
  // Closed, the schema is free again.
  first.reset();
  EXPECT_OK(postgres->Open("shared", {}).status());
}

TEST(PostgresViewTest, LostConnectionsAreOpenedAgain) {
  // A database of its own: the test ends every other session on it.
  const std::string cluster = postgres::testing::TestClusterUrl();
  const std::string name = postgres::testing::FreshSchema("view_reconnect");
  ASSERT_OK_AND_ASSIGN(auto admin, postgres::Connection::Open(cluster));
  ASSERT_OK(admin->Execute(absl::StrCat("CREATE DATABASE ", name)));
  const std::string url = cluster.substr(0, cluster.rfind('/') + 1) + name;
  const std::vector<subscription::Delivery> all =
      history::Deliveries(history::Portfolio().events());
  const size_t half = all.size() / 2;
  ASSERT_OK_AND_ASSIGN(
      auto view,
      OpenPortfolioViewAt({.store_url = url, .schema = "projection"}));
  ASSERT_OK(view->Handle({all.begin(), all.begin() + half}));

  // The server ends the view's sessions (a restart, a failover).
  ASSERT_OK_AND_ASSIGN(auto db, postgres::Connection::Open(url));
  ASSERT_OK_AND_ASSIGN(
      postgres::Result ended,
      db->Query(
          "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity "
          "WHERE datname = current_database() AND pid <> pg_backend_pid()"));
  ASSERT_GE(ended.Int(0, 0), 2);  // the writer and the reader
  // A read is tried again on a new connection.
  EXPECT_THAT(view->ProjectCount(), IsOkAndHolds(::testing::Gt(0)));
  // The batch that finds the writer's connection gone fails as UNAVAILABLE
  // (the subscription delivers it again); the next one reconnects, takes
  // the schema's lock again and commits.
  EXPECT_THAT(view->Handle({all.begin() + half, all.end()}),
              StatusIs(absl::StatusCode::kUnavailable));
  ASSERT_OK(view->Handle({all.begin() + half, all.end()}));
  EXPECT_THAT(view->JournalSize(),
              IsOkAndHolds(static_cast<int64_t>(all.size())));
  // It holds the schema again: a second view is refused.
  EXPECT_THAT(OpenPortfolioViewAt({.store_url = url, .schema = "projection"}),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST(PostgresViewTest, BadLocationsNameTheField) {
  EXPECT_THAT(
      OpenPortfolioViewAt({.store_url = "mysql://db/pmo"}),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("store_url")));
  std::unique_ptr<testing::ViewEngine> postgres = testing::MakePostgresEngine();
  ViewLocation bad = postgres->Where("view");
  bad.schema = "Projection; DROP";
  EXPECT_THAT(
      OpenPortfolioViewAt(bad),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("schema")));
}

}  // namespace
}  // namespace pmo::projection
