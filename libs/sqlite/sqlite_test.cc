#include "libs/sqlite/sqlite.h"

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/testing/status_matchers.h"
#include "libs/base/testing/temp_dir.h"

namespace pmo::sqlite {
namespace {

using ::pmo::testing::StatusIs;

// A database that may not grow past a few pages stands for a full volume:
// SQLite answers SQLITE_FULL either way, and callers must hear a code that
// says "retry later" (tests/faults/disk_full_test.cc sees it end to end).
TEST(Sqlite, AFullDatabaseIsResourceExhaustedAndRecoversWhenRoomReturns) {
  testing::TempDir dir;
  auto db = Database::Open(dir.File("small.db"));
  ASSERT_TRUE(db.ok()) << db.status();
  ASSERT_TRUE((*db)->Execute("CREATE TABLE t (v BLOB)").ok());
  ASSERT_TRUE((*db)->Execute("PRAGMA max_page_count = 8").ok());
  absl::Status full;
  for (int i = 0; i < 100 && full.ok(); ++i) {
    auto insert = (*db)->Prepare("INSERT INTO t VALUES (?)");
    ASSERT_TRUE(insert.ok());
    insert->BindBlob(1, std::string(2000, 'x'));
    full = insert->Run();
  }
  EXPECT_THAT(full, StatusIs(absl::StatusCode::kResourceExhausted));

  ASSERT_TRUE((*db)->Execute("PRAGMA max_page_count = 100000").ok());
  auto insert = (*db)->Prepare("INSERT INTO t VALUES (?)");
  ASSERT_TRUE(insert.ok());
  insert->BindBlob(1, std::string(2000, 'x'));
  EXPECT_TRUE(insert->Run().ok());
}

class StatementCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(db_, Database::Open(dir_.File("cache.db")));
    ASSERT_OK(db_->Execute("CREATE TABLE t (k INTEGER, v TEXT)"));
    for (int k = 1; k <= 3; ++k) {
      ASSERT_OK_AND_ASSIGN(Statement insert,
                           db_->Prepare("INSERT INTO t VALUES (?, ?)"));
      ASSERT_OK(insert.Bind(1, k).Bind(2, absl::StrCat("v", k)).Run());
    }
  }
  // The v of row k, or "none".
  std::string ValueOf(int64_t k, bool bind = true) {
    auto select = db_->Prepare("SELECT v FROM t WHERE k IS ?");
    if (!select.ok()) return select.status().ToString();
    if (bind) select->Bind(1, k);
    absl::StatusOr<bool> row = select->Step();
    if (!row.ok()) return row.status().ToString();
    return *row ? select->ColumnText(0) : "none";
  }
  testing::TempDir dir_;
  std::unique_ptr<Database> db_;
};

TEST_F(StatementCacheTest, AReusedStatementKeepsNoBindingOfItsLastUse) {
  EXPECT_EQ(db_->cached_statements(), 1u);  // the INSERT
  EXPECT_EQ(ValueOf(2), "v2");
  EXPECT_EQ(db_->cached_statements(), 2u);
  // The same text again takes the kept statement; the 2 bound before is
  // gone (an unbound parameter is NULL).
  EXPECT_EQ(ValueOf(0, /*bind=*/false), "none");
  EXPECT_EQ(ValueOf(3), "v3");
  EXPECT_EQ(db_->cached_statements(), 2u);
}

TEST_F(StatementCacheTest, TheSameTextTwiceAtOnceGivesTwoStatements) {
  ASSERT_OK_AND_ASSIGN(Statement outer,
                       db_->Prepare("SELECT k FROM t ORDER BY k"));
  ASSERT_OK_AND_ASSIGN(bool row, outer.Step());
  ASSERT_TRUE(row);
  {
    ASSERT_OK_AND_ASSIGN(Statement inner,
                         db_->Prepare("SELECT k FROM t ORDER BY k"));
    int64_t count = 0;
    while (*inner.Step()) ++count;
    EXPECT_EQ(count, 3);
  }
  // The outer iteration goes on from where it was.
  ASSERT_OK_AND_ASSIGN(row, outer.Step());
  ASSERT_TRUE(row);
  EXPECT_EQ(outer.ColumnInt(0), 2);
}

TEST_F(StatementCacheTest, AReleasedStatementHoldsNoTableOpen) {
  {
    // Left mid-iteration: a statement still stepping would make the DROP
    // below fail with "database table is locked".
    ASSERT_OK_AND_ASSIGN(Statement select,
                         db_->Prepare("SELECT k FROM t ORDER BY k"));
    ASSERT_OK_AND_ASSIGN(bool row, select.Step());
    ASSERT_TRUE(row);
  }
  ASSERT_OK(db_->Execute("DROP TABLE t"));
  // A kept statement over a table made again with other columns is
  // compiled again by SQLite, never run against the old schema.
  ASSERT_OK(db_->Execute("CREATE TABLE t (x TEXT, k INTEGER, v TEXT)"));
  ASSERT_OK(db_->Execute("INSERT INTO t VALUES ('x', 7, 'seven')"));
  EXPECT_EQ(ValueOf(7), "seven");
}

TEST_F(StatementCacheTest, TheCacheKeepsAtMostItsBound) {
  for (size_t i = 0; i < 3 * Database::kMaxCachedStatements; ++i) {
    ASSERT_OK_AND_ASSIGN(Statement s, db_->Prepare(absl::StrCat("SELECT ", i)));
    ASSERT_OK(s.Run());
  }
  EXPECT_EQ(db_->cached_statements(), Database::kMaxCachedStatements);
  // The most recently used stay: the INSERT and SELECT of SetUp went first.
  const size_t before = db_->cached_statements();
  ASSERT_OK_AND_ASSIGN(Statement last,
                       db_->Prepare(absl::StrCat(
                           "SELECT ", 3 * Database::kMaxCachedStatements - 1)));
  EXPECT_EQ(db_->cached_statements(), before - 1);  // taken from the cache
}

}  // namespace
}  // namespace pmo::sqlite
