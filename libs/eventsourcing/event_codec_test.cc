// The event codec (protobuf message <-> stored type name and payload) and the
// request ids the service derives or scopes.

#include "libs/eventsourcing/event_codec.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/protobuf/wrappers.pb.h"
#include "libs/base/testing/status_matchers.h"
#include "libs/eventsourcing/request_ids.h"

namespace pmo::eventsourcing {
namespace {

using ::pmo::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(EventCodecTest, EncodesTheFullTypeNameAndTheBinaryPayload) {
  google::protobuf::StringValue event;
  event.set_value("Apollo");
  const absl::Time at = absl::FromUnixSeconds(1767571200);
  eventstore::NewEvent encoded = EncodeEvent(event, at);
  EXPECT_EQ(encoded.event_type, "google.protobuf.StringValue");
  EXPECT_EQ(encoded.payload, event.SerializeAsString());
  EXPECT_EQ(encoded.occurred_at, at);
  EXPECT_FALSE(encoded.event_id.empty());
}

TEST(EventCodecTest, EveryEncodingHasAFreshEventId) {
  google::protobuf::Int64Value event;
  std::set<std::string> ids;
  for (int i = 0; i < 100; ++i)
    ids.insert(EncodeEvent(event, absl::UnixEpoch()).event_id);
  EXPECT_EQ(ids.size(), 100u);
}

TEST(EventCodecTest, DecodesBackToTheSameMessageType) {
  google::protobuf::Timestamp event;
  event.set_seconds(42);
  event.set_nanos(7);
  eventstore::NewEvent encoded = EncodeEvent(event, absl::UnixEpoch());
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<google::protobuf::Message> decoded,
                       DecodeEvent(encoded.event_type, encoded.payload));
  const auto* timestamp =
      dynamic_cast<const google::protobuf::Timestamp*>(decoded.get());
  ASSERT_NE(timestamp, nullptr) << decoded->GetTypeName();
  EXPECT_EQ(timestamp->seconds(), 42);
  EXPECT_EQ(timestamp->nanos(), 7);
}

TEST(EventCodecTest, AnEmptyPayloadIsTheDefaultMessage) {
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<google::protobuf::Message> decoded,
                       DecodeEvent("google.protobuf.Int64Value", ""));
  EXPECT_EQ(decoded->GetDescriptor()->full_name(),
            "google.protobuf.Int64Value");
  EXPECT_EQ(decoded->ByteSizeLong(), 0u);
}

TEST(EventCodecTest, AnUnknownTypeIsNotFound) {
  EXPECT_THAT(DecodeEvent("pmo.nowhere.v1.Unknown", ""),
              StatusIs(absl::StatusCode::kNotFound,
                       HasSubstr("pmo.nowhere.v1.Unknown")));
  EXPECT_THAT(DecodeEvent("", ""), StatusIs(absl::StatusCode::kNotFound));
}

TEST(EventCodecTest, APayloadThatDoesNotParseIsDataLoss) {
  // A length-delimited field 1 claiming 100 bytes that are not there.
  EXPECT_THAT(DecodeEvent("google.protobuf.StringValue", std::string("\x0a\x64"
                                                                     "ab",
                                                                     4)),
              StatusIs(absl::StatusCode::kDataLoss,
                       HasSubstr("google.protobuf.StringValue")));
}

TEST(RequestIdsTest, CallerScopedIdsAreStableAndScoped) {
  const std::string id = CallerScopedRequestId(
      "alice", "/pmo.projects.v1.ProjectsService/AddTask", "r-1");
  EXPECT_THAT(id, StartsWith("@"));
  EXPECT_EQ(id.size(), 65u);
  EXPECT_EQ(id,
            CallerScopedRequestId(
                "alice", "/pmo.projects.v1.ProjectsService/AddTask", "r-1"));
  // Another caller, another command or another id: another key.
  std::set<std::string> keys = {
      id,
      CallerScopedRequestId("bob", "/pmo.projects.v1.ProjectsService/AddTask",
                            "r-1"),
      CallerScopedRequestId(
          "alice", "/pmo.projects.v1.ProjectsService/RemoveTask", "r-1"),
      CallerScopedRequestId("alice", "/pmo.projects.v1.ProjectsService/AddTask",
                            "r-2")};
  EXPECT_EQ(keys.size(), 4u);
}

TEST(RequestIdsTest, PartsCannotBeShiftedIntoEachOther) {
  // Length-prefixed: moving characters between parts changes the key.
  EXPECT_NE(CallerScopedRequestId("ab", "c", "d"),
            CallerScopedRequestId("a", "bc", "d"));
  EXPECT_NE(CallerScopedRequestId("a", "b", "cd"),
            CallerScopedRequestId("a", "bc", "d"));
  EXPECT_NE(DerivedRequestId("ab", "c", "d"), DerivedRequestId("a", "bc", "d"));
  EXPECT_NE(DerivedRequestId("a", "b", "cd"), DerivedRequestId("a", "bc", "d"));
}

TEST(RequestIdsTest, DerivedIdsAreStableAndReserved) {
  const std::string id = DerivedRequestId("r-1", "dates_at_risk", "project-2");
  EXPECT_THAT(id, StartsWith("~"));
  EXPECT_EQ(id.size(), 65u);
  EXPECT_EQ(id, DerivedRequestId("r-1", "dates_at_risk", "project-2"));
  EXPECT_NE(id, DerivedRequestId("r-1", "dates_at_risk", "project-3"));
  EXPECT_NE(id, DerivedRequestId("r-1", "other_purpose", "project-2"));
  EXPECT_TRUE(IsReservedRequestId(id));
}

TEST(RequestIdsTest, OnlyTildeIdsAreReserved) {
  EXPECT_FALSE(IsReservedRequestId(""));
  EXPECT_FALSE(IsReservedRequestId("r-1"));
  EXPECT_FALSE(IsReservedRequestId("a~b"));
  EXPECT_FALSE(
      IsReservedRequestId(CallerScopedRequestId("alice", "cmd", "r-1")));
  EXPECT_TRUE(IsReservedRequestId("~anything"));
  // A derived id never equals a caller-scoped one.
  EXPECT_NE(DerivedRequestId("alice", "cmd", "r-1"),
            CallerScopedRequestId("alice", "cmd", "r-1"));
}

}  // namespace
}  // namespace pmo::eventsourcing
