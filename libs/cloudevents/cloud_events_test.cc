#include "libs/cloudevents/cloud_events.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/testing/status_matchers.h"

namespace pmo::cloudevents {
namespace {

using ::pmo::testing::StatusIs;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Pair;

eventstore::RecordedEvent Sample() {
  eventstore::RecordedEvent e;
  e.event_id = "5f0c6a8e-0000-4000-8000-000000000001";
  e.stream_id = "p1";
  e.stream_type = "project";
  e.stream_version = 3;
  e.position = 42;
  e.occurred_at = absl::FromUnixMicros(1764109388123456);
  e.recorded_at = absl::FromUnixMicros(1764109388223456);
  e.metadata = {"alice", "req-1", "corr-1",
                "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"};
  e.event_type = "pmo.projects.v1.ProjectCreated";
  e.payload = std::string("\x0a\x02p1", 4);
  return e;
}

TEST(CloudEvents, HeadersFollowTheKafkaBinaryBinding) {
  Headers h = ToHeaders(Sample(), "projects");
  EXPECT_THAT(h, Contains(Pair("ce_specversion", "1.0")));
  EXPECT_THAT(h, Contains(Pair("ce_source", "/pmo/projects")));
  EXPECT_THAT(h, Contains(Pair("ce_type", "pmo.projects.v1.ProjectCreated")));
  EXPECT_THAT(h, Contains(Pair("ce_time", "2025-11-25T22:23:08.123456Z")));
  EXPECT_THAT(h, Contains(Pair("ce_subject", "p1")));
  EXPECT_THAT(h, Contains(Pair("content-type", "application/protobuf")));
  EXPECT_THAT(h, Contains(Pair("ce_pmostreamversion", "3")));
  EXPECT_THAT(h, Contains(Pair("ce_pmoposition", "42")));
  EXPECT_THAT(h, Contains(Pair("traceparent", Sample().metadata.traceparent)));
  EXPECT_EQ(EventsTopic("projects"), "pmo.projects.events.v1");
}

TEST(CloudEvents, RoundTripsTheEnvelope) {
  eventstore::RecordedEvent in = Sample();
  ASSERT_OK_AND_ASSIGN(eventstore::RecordedEvent out,
                       FromHeaders(ToHeaders(in, "projects"), in.payload));
  EXPECT_EQ(out.event_id, in.event_id);
  EXPECT_EQ(out.stream_id, in.stream_id);
  EXPECT_EQ(out.stream_version, 3);
  EXPECT_EQ(out.position, 42);
  EXPECT_EQ(out.occurred_at, in.occurred_at);
  EXPECT_EQ(out.recorded_at, in.recorded_at);
  EXPECT_EQ(out.metadata.correlation_id, "corr-1");
  EXPECT_EQ(out.payload, in.payload);
}

TEST(CloudEvents, MissingOrBadHeadersAreNamed) {
  Headers h = ToHeaders(Sample(), "projects");
  Headers no_version;
  for (auto& kv : h) {
    if (kv.first != "ce_pmostreamversion") no_version.push_back(kv);
  }
  EXPECT_THAT(FromHeaders(no_version, ""),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("ce_pmostreamversion is missing")));
  Headers bad_time = h;
  for (auto& kv : bad_time) {
    if (kv.first == "ce_time") kv.second = "yesterday";
  }
  EXPECT_THAT(
      FromHeaders(bad_time, ""),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("ce_time")));
  EXPECT_THAT(FromHeaders({}, ""), StatusIs(absl::StatusCode::kInvalidArgument,
                                            HasSubstr("ce_specversion")));
}

}  // namespace
}  // namespace pmo::cloudevents
