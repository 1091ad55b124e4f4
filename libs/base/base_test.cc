#include <set>

#include "absl/status/statusor.h"
#include "gtest/gtest.h"
#include "libs/base/content_hash.h"
#include "libs/base/ids.h"
#include "libs/base/json_text.h"
#include "libs/base/proto_time.h"
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
  absl::Status s =
      RuleViolationError("PROJECT_LIFECYCLE", "p1", "closed is final");
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
  EXPECT_EQ(Sha256Hex(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace pmo

namespace pmo {
namespace {

TEST(JsonText, EscapesWhatJsonAndHtmlScriptBlocksNeed) {
  EXPECT_EQ(JsonQuoted(""), "\"\"");
  EXPECT_EQ(JsonQuoted("say \"no\"\\\n\r\t\x01"),
            "\"say \\\"no\\\"\\\\\\n\\r\\t\\u0001\"");
  EXPECT_EQ(JsonQuoted("</script> & 'x'"), "\"\\u003c/script> & 'x'\"");
  EXPECT_EQ(JsonQuoted("caf\xc3\xa9 \xe2\x82\xac"),
            "\"caf\xc3\xa9 \xe2\x82\xac\"");  // UTF-8 as is
  EXPECT_EQ(JsonQuoted("a\xff"
                       "b"),
            "\"a\xef\xbf\xbd"
            "b\"");  // not UTF-8: U+FFFD
  std::string out = "x=";
  AppendJsonQuoted(out, "y");
  EXPECT_EQ(out, "x=\"y\"");
}

TEST(ProtoTime, TimestampsKeepMicrosecondsAndRoundTowardThePast) {
  const absl::Time t =
      absl::FromUnixMicros(1764109388123456) + absl::Nanoseconds(789);
  const google::protobuf::Timestamp ts = ToTimestamp(t);
  EXPECT_EQ(ts.seconds(), 1764109388);
  EXPECT_EQ(ts.nanos(), 123456000);
  EXPECT_EQ(FromTimestamp(ts), absl::FromUnixMicros(1764109388123456));
  // Before 1970 the nanos stay positive.
  const google::protobuf::Timestamp before =
      ToTimestamp(absl::FromUnixMicros(-1'500'000));
  EXPECT_EQ(before.seconds(), -2);
  EXPECT_EQ(before.nanos(), 500'000'000);
  EXPECT_EQ(FromTimestamp(before), absl::FromUnixMicros(-1'500'000));
  EXPECT_EQ(FromTimestamp(google::protobuf::Timestamp()), absl::UnixEpoch());
}

TEST(ProtoTime, DurationsKeepMicroseconds) {
  const google::protobuf::Duration d =
      ToDurationProto(absl::Milliseconds(1500) + absl::Nanoseconds(7));
  EXPECT_EQ(d.seconds(), 1);
  EXPECT_EQ(d.nanos(), 500'000'000);
  EXPECT_EQ(FromDurationProto(d), absl::Milliseconds(1500));
  const google::protobuf::Duration negative =
      ToDurationProto(-absl::Milliseconds(1500));
  EXPECT_EQ(negative.seconds(), -1);
  EXPECT_EQ(negative.nanos(), -500'000'000);
  EXPECT_EQ(FromDurationProto(negative), -absl::Milliseconds(1500));
}

}  // namespace
}  // namespace pmo
