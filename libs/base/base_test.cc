#include <set>

#include "absl/status/statusor.h"
#include "gtest/gtest.h"
#include "libs/base/content_hash.h"
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

#include "libs/base/errors.h"

namespace pmo {
namespace {

TEST(Errors, FieldViolationsTravelInTheStatus) {
  FieldViolations v;
  EXPECT_OK(v.ToStatus());
  v.Add("name", "must not be empty");
  v.Add("planned_end", "is before\tplanned_start");
  absl::Status s = v.ToStatus();
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument,
                          ::testing::HasSubstr("name: must not be empty")));
  std::vector<FieldViolation> back = FieldViolationsOf(s);
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[1].field, "planned_end");
  EXPECT_EQ(back[1].description, "is before planned_start");
}

TEST(Errors, RuleViolationNamesTheRule) {
  absl::Status s = RuleViolationError("PROJECT_LIFECYCLE", "p1", "closed is final");
  RuleViolation rule;
  ASSERT_TRUE(RuleViolationOf(s, &rule));
  EXPECT_EQ(rule.rule, "PROJECT_LIFECYCLE");
  EXPECT_EQ(rule.subject, "p1");
  EXPECT_EQ(rule.description, "closed is final");
  EXPECT_FALSE(RuleViolationOf(absl::InternalError("x"), &rule));
}

}  // namespace
}  // namespace pmo

namespace pmo {
namespace {

TEST(Errors, CappedViolationsCountTheRestAndNestedOnesKeepTheirPrefix) {
  FieldViolations v(2);
  for (int i = 0; i < 5; ++i) v.Add("items[" + std::to_string(i) + "]", "bad");
  std::vector<FieldViolation> listed = FieldViolationsOf(v.ToStatus());
  ASSERT_EQ(listed.size(), 3u);
  EXPECT_EQ(listed[1].field, "items[1]");
  EXPECT_EQ(listed[2].description, "and 3 more violations not listed");

  FieldViolations inner;
  inner.Add("probability", "out of range");
  FieldViolations outer;
  outer.AddAll(inner.ToStatus(), "assessment");
  outer.AddAll(inner.ToStatus());
  std::vector<FieldViolation> nested = FieldViolationsOf(outer.ToStatus());
  ASSERT_EQ(nested.size(), 2u);
  EXPECT_EQ(nested[0].field, "assessment.probability");
  EXPECT_EQ(nested[1].field, "probability");
}

}  // namespace
}  // namespace pmo

namespace pmo {
namespace {

TEST(ContentHash, IsTheLowerCaseHexSha256) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace pmo
