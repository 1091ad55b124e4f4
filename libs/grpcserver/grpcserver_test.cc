#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "libs/base/errors.h"
#include "libs/eventstore/event_store.h"
#include "libs/grpcserver/request_metrics.h"
#include "libs/grpcserver/service_host.h"
#include "libs/grpcserver/status_mapping.h"

namespace pmo::grpcserver {
namespace {

TEST(IsLoopbackAddress, OnlyLoopbackLiterals) {
  EXPECT_TRUE(IsLoopbackAddress("127.0.0.1:50051"));
  EXPECT_TRUE(IsLoopbackAddress("127.1.2.3:0"));
  EXPECT_TRUE(IsLoopbackAddress("localhost:80"));
  EXPECT_TRUE(IsLoopbackAddress("[::1]:50051"));
  EXPECT_FALSE(IsLoopbackAddress("0.0.0.0:50051"));
  EXPECT_FALSE(IsLoopbackAddress("127.example.net:50051"));
  EXPECT_FALSE(IsLoopbackAddress("10.0.0.1:50051"));
  EXPECT_FALSE(IsLoopbackAddress("[::]:50051"));
  EXPECT_FALSE(IsLoopbackAddress("127.0.0.1"));
}

TEST(StatusMapping, FieldViolationsBecomeBadRequest) {
  FieldViolations v;
  v.Add("code", "must not be empty");
  v.Add("planned_end", "must not be before planned_start");
  grpc::Status s = ToGrpcStatus(v.ToStatus());
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(s.error_details()));
  google::rpc::BadRequest bad;
  ASSERT_EQ(details.details_size(), 1);
  ASSERT_TRUE(details.details(0).UnpackTo(&bad));
  ASSERT_EQ(bad.field_violations_size(), 2);
  EXPECT_EQ(bad.field_violations(1).field(), "planned_end");
}

TEST(StatusMapping, VersionConflictCarriesTheCurrentVersion) {
  grpc::Status s = ToGrpcStatus(eventstore::VersionConflictError("p1", 4, 2));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::ABORTED);
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(s.error_details()));
  google::rpc::ErrorInfo info;
  ASSERT_TRUE(details.details(0).UnpackTo(&info));
  EXPECT_EQ(info.reason(), "VERSION_CONFLICT");
  EXPECT_EQ(info.metadata().at("current_version"), "4");
}

TEST(StatusMapping, RuleViolationBecomesPreconditionFailure) {
  grpc::Status s = ToGrpcStatus(
      RuleViolationError("PROJECT_LIFECYCLE", "projects/p1", "final"));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(s.error_details()));
  google::rpc::PreconditionFailure failure;
  ASSERT_TRUE(details.details(0).UnpackTo(&failure));
  EXPECT_EQ(failure.violations(0).type(), "PROJECT_LIFECYCLE");
  EXPECT_TRUE(ToGrpcStatus(absl::NotFoundError("x")).error_details().empty());
}

TEST(RequestMetrics, CountsAndRendersPrometheusText) {
  RequestMetrics m;
  m.Record("/pmo.projects.v1.ProjectsService/CreateProject", "OK",
           absl::Milliseconds(2));
  m.Record("/pmo.projects.v1.ProjectsService/CreateProject", "OK",
           absl::Milliseconds(30));
  m.Record("/pmo.projects.v1.ProjectsService/CreateProject", "INVALID_ARGUMENT",
           absl::Microseconds(100));
  EXPECT_EQ(m.Count("/pmo.projects.v1.ProjectsService/CreateProject", "OK"), 2);
  const std::string text = m.RenderPrometheus();
  EXPECT_THAT(text,
              ::testing::HasSubstr("pmo_grpc_server_handled_total{grpc_method="
                                   "\"/pmo.projects.v1.ProjectsService/"
                                   "CreateProject\",grpc_code=\"OK\"} 2"));
  EXPECT_THAT(text, ::testing::HasSubstr(
                        "pmo_grpc_server_handling_seconds_count{grpc_method=\"/"
                        "pmo.projects.v1."
                        "ProjectsService/CreateProject\",grpc_code=\"OK\"} 2"));
  // The 100 us refusal lands in the smallest bucket of its own code's
  // histogram.
  EXPECT_THAT(
      text,
      ::testing::HasSubstr(
          "pmo_grpc_server_handling_seconds_bucket{grpc_method=\"/"
          "pmo.projects.v1."
          "ProjectsService/"
          "CreateProject\",grpc_code=\"INVALID_ARGUMENT\",le=\"0.0005\"} 1"));
}

}  // namespace
}  // namespace pmo::grpcserver
