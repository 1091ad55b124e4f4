#include "libs/storeconfig/store_config.h"

#include "gmock/gmock.h"
#include "libs/base/ids.h"
#include "libs/base/testing/status_matchers.h"
#include "libs/base/testing/temp_dir.h"
#include "libs/eventstore/postgres_event_store.h"
#include "libs/eventstore/sqlite_event_store.h"
#include "libs/postgres/testing/test_cluster.h"

namespace pmo::storeconfig {
namespace {

using ::pmo::testing::StatusIs;
using ::testing::HasSubstr;

eventstore::AppendRequest OneEvent(std::string stream) {
  eventstore::AppendRequest r;
  r.stream_id = std::move(stream);
  r.stream_type = "project";
  r.expected_version = 0;
  r.events.push_back(
      {NewUuid(), "pmo.test.v1.Happened", "x", absl::FromUnixSeconds(1)});
  return r;
}

TEST(OpenContextStorage, AnEmptyUrlIsTheSqliteFile) {
  pmo::testing::TempDir dir;
  ASSERT_OK_AND_ASSIGN(
      ContextStorage s,
      OpenContextStorageAt("", "projects", dir.File("projects-events.db")));
  EXPECT_NE(dynamic_cast<eventstore::SqliteEventStore*>(s.store.get()),
            nullptr);
  EXPECT_EQ(s.relay_leadership, nullptr);
  ASSERT_OK(s.store->Append(OneEvent("p1")).status());
  EXPECT_TRUE(std::filesystem::exists(dir.File("projects-events.db")));
}

TEST(OpenContextStorage, APostgresUrlIsASchemaPerContextSharedByReplicas) {
  pmo::testing::TempDir dir;
  const std::string url = postgres::testing::TestClusterUrl();
  const std::string context = postgres::testing::FreshSchema("ctx");
  ASSERT_OK_AND_ASSIGN(ContextStorage a,
                       OpenContextStorageAt(url, context, dir.File("a.db")));
  ASSERT_OK_AND_ASSIGN(ContextStorage b,
                       OpenContextStorageAt(url, context, dir.File("b.db")));
  EXPECT_NE(dynamic_cast<eventstore::PostgresEventStore*>(a.store.get()),
            nullptr);
  EXPECT_FALSE(std::filesystem::exists(dir.File("a.db")));
  ASSERT_OK(a.store->Append(OneEvent("p1")).status());
  // Replica b sees replica a's event and its conflict guard.
  EXPECT_THAT(b.store->Append(OneEvent("p1")),
              StatusIs(absl::StatusCode::kAborted));
  ASSERT_OK(a.checkpoints->Save("outbox-relay", 1));
  EXPECT_THAT(b.checkpoints->Load("outbox-relay"),
              ::pmo::testing::IsOkAndHolds(1));
  // One relay between them.
  ASSERT_NE(a.relay_leadership, nullptr);
  EXPECT_TRUE(a.relay_leadership->TryLead());
  EXPECT_FALSE(b.relay_leadership->TryLead());
  // Another context is another schema: nothing shared.
  ASSERT_OK_AND_ASSIGN(
      ContextStorage other,
      OpenContextStorageAt(url, context + "_other", dir.File("c.db")));
  EXPECT_OK(other.store->Append(OneEvent("p1")).status());
  EXPECT_TRUE(other.relay_leadership->TryLead());
}

TEST(OpenContextStorage, AnotherKindOfUrlIsRefusedNamingTheFlag) {
  EXPECT_THAT(
      OpenContextStorageAt("mysql://db/pmo", "projects", "/nonexistent/x.db"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("store_url")));
}

}  // namespace
}  // namespace pmo::storeconfig
