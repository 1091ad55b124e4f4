#include <set>

#include "absl/status/statusor.h"
#include "gtest/gtest.h"
#include "libs/base/ids.h"
#include "libs/base/status_macros.h"
#include "libs/base/testing/status_matchers.h"
#include "libs/base/time_format.h"

namespace pmo {
namespace {

using ::pmo::testing::IsOkAndHolds;
using ::pmo::testing::StatusIs;

absl::StatusOr<int> Half(int n) {
  if (n % 2 != 0) return absl::InvalidArgumentError("odd");
  return n / 2;
}

absl::StatusOr<int> Quarter(int n) {
  ASSIGN_OR_RETURN(int half, Half(n));
  ASSIGN_OR_RETURN(int quarter, Half(half));
  return quarter;
}

absl::Status CheckEven(int n) {
  RETURN_IF_ERROR(Half(n).status());
  return absl::OkStatus();
}

TEST(StatusMacros, PropagateErrorsAndValues) {
  EXPECT_THAT(Quarter(8), IsOkAndHolds(2));
  EXPECT_THAT(Quarter(6), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(CheckEven(3), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_OK(CheckEven(4));
}

TEST(Ids, UuidsAreCanonicalAndDistinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string id = NewUuid();
    EXPECT_TRUE(IsUuid(id)) << id;
    EXPECT_EQ(id[14], '4');
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 1000u);
  EXPECT_FALSE(IsUuid("not-a-uuid"));
  EXPECT_FALSE(IsUuid("0123456789AB-cdef-0123-456789abcdef"));
}

TEST(TimeFormat, Rfc3339WithMicroseconds) {
  absl::Time t = FromUnixMicrosUtc(1764109388123456);
  EXPECT_EQ(FormatRfc3339(t), "2025-11-25T22:23:08.123456Z");
  EXPECT_EQ(ToUnixMicrosUtc(t), 1764109388123456);
}

}  // namespace
}  // namespace pmo
