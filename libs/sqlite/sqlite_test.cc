#include "libs/sqlite/sqlite.h"

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

}  // namespace
}  // namespace pmo::sqlite
