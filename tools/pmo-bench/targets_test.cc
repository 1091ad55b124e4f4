#include "tools/pmo-bench/targets.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/testing/status_matchers.h"

namespace pmo::bench {
namespace {

using ::pmo::testing::StatusIs;
using ::testing::HasSubstr;

TEST(ParseTargets, OneAddressServesEveryService) {
  auto t = ParseTargets({"127.0.0.1:50051"}, false);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->projects, "127.0.0.1:50051");
  EXPECT_EQ(t->resources, "127.0.0.1:50051");
  EXPECT_EQ(t->risks, "127.0.0.1:50051");
  EXPECT_EQ(t->echo, "127.0.0.1:50051");
}

TEST(ParseTargets, PerServiceEntriesWinWhateverTheOrder) {
  auto t = ParseTargets(
      {"risks=127.0.0.1:7003", "localhost:7000", "projects=[::1]:7001"}, false);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->projects, "[::1]:7001");
  EXPECT_EQ(t->resources, "localhost:7000");
  EXPECT_EQ(t->risks, "127.0.0.1:7003");
  EXPECT_EQ(t->echo, "localhost:7000");
}

TEST(ParseTargets, RefusesRemoteUnlessAllowed) {
  EXPECT_THAT(ParseTargets({"10.1.2.3:50051"}, false),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("--allow_remote")));
  auto allowed = ParseTargets({"10.1.2.3:50051"}, true);
  ASSERT_TRUE(allowed.ok());
  EXPECT_EQ(allowed->projects, "10.1.2.3:50051");
}

TEST(ParseTargets, RefusesMalformedEntries) {
  EXPECT_THAT(ParseTargets({}, false),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseTargets({"127.0.0.1"}, false),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseTargets({"127.0.0.1:"}, false),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseTargets({"billing=127.0.0.1:1"}, false),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace pmo::bench
