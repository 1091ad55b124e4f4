// The gRPC contract as a client meets it: bad fields named, business
// errors with their codes, health and reflection served.

#include <grpcpp/generic/generic_stub.h>

#include <condition_variable>
#include <mutex>

#include "tests/all_in_one/all_in_one.h"

namespace pmo {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

TEST_F(AllInOneApi, EachMalformedRequestNamesItsBadFields) {
  {
    grpc::ClientContext ctx;
    pv1::CreateProjectResponse resp;
    grpc::Status s = projects_->CreateProject(&ctx, {}, &resp);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(testing::BadRequestFields(s),
                UnorderedElementsAre("request_id", "code", "name", "manager",
                                     "planned_start", "planned_end"));
  }
  {
    pv1::CreateProjectRequest bad = testing::NewProjectRequest("OK-CODE");
    bad.mutable_planned_start()->set_month(2);
    bad.mutable_planned_start()->set_day(30);  // 30 February
    bad.set_name(std::string(201, 'n'));
    grpc::ClientContext ctx;
    pv1::CreateProjectResponse resp;
    grpc::Status s = projects_->CreateProject(&ctx, bad, &resp);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(testing::BadRequestFields(s),
                UnorderedElementsAre("planned_start", "name"));
  }
  {
    pv1::CreateProjectRequest bad = testing::NewProjectRequest("ENDS-EARLY");
    bad.mutable_planned_end()->set_year(2026);
    grpc::ClientContext ctx;
    pv1::CreateProjectResponse resp;
    grpc::Status s = projects_->CreateProject(&ctx, bad, &resp);
    EXPECT_THAT(testing::BadRequestFields(s), ElementsAre("planned_end"));
  }
  {
    grpc::ClientContext ctx;
    pv1::GetProjectRequest req;
    req.set_project_id("not-a-uuid");
    pv1::GetProjectResponse resp;
    grpc::Status s = projects_->GetProject(&ctx, req, &resp);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(testing::BadRequestFields(s), ElementsAre("project_id"));
  }
  {
    grpc::ClientContext ctx;
    pv1::ChangeProjectStatusRequest req;
    req.set_expected_version(-3);
    pv1::ChangeProjectStatusResponse resp;
    grpc::Status s = projects_->ChangeProjectStatus(&ctx, req, &resp);
    EXPECT_THAT(testing::BadRequestFields(s),
                UnorderedElementsAre("request_id", "project_id", "status",
                                     "reason", "expected_version"));
  }
  {
    grpc::ClientContext ctx;
    pv1::ListProjectsRequest req;
    req.set_page_size(-1);
    pv1::ListProjectsResponse resp;
    grpc::Status s = projects_->ListProjects(&ctx, req, &resp);
    EXPECT_THAT(testing::BadRequestFields(s), ElementsAre("page_size"));
  }
  {
    grpc::ClientContext ctx;
    pv1::ListProjectsRequest req;
    req.set_page_token("forged");
    pv1::ListProjectsResponse resp;
    grpc::Status s = projects_->ListProjects(&ctx, req, &resp);
    EXPECT_THAT(testing::BadRequestFields(s), ElementsAre("page_token"));
  }
  {
    grpc::ClientContext ctx;
    jv1::ListPortfolioProjectsRequest req;
    req.set_page_token("forged");
    req.set_status(static_cast<pv1::ProjectStatus>(99));
    jv1::ListPortfolioProjectsResponse resp;
    grpc::Status s = portfolio_->ListPortfolioProjects(&ctx, req, &resp);
    EXPECT_THAT(testing::BadRequestFields(s),
                UnorderedElementsAre("page_token", "status"));
  }
}

TEST_F(AllInOneApi, BusinessErrorsUseTheContractCodes) {
  pv1::CreateProjectResponse created;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(
        projects_
            ->CreateProject(&ctx, testing::NewProjectRequest("RULES"), &created)
            .ok());
  }
  {  // The same request again: the first answer, nothing new.
    grpc::ClientContext ctx;
    pv1::CreateProjectResponse retry;
    ASSERT_TRUE(
        projects_
            ->CreateProject(&ctx, testing::NewProjectRequest("RULES"), &retry)
            .ok());
    EXPECT_EQ(retry.project().project_id(), created.project().project_id());
  }
  {  // Another request for the same code.
    pv1::CreateProjectRequest again = testing::NewProjectRequest("RULES");
    again.set_request_id("another");
    grpc::ClientContext ctx;
    pv1::CreateProjectResponse resp;
    EXPECT_EQ(projects_->CreateProject(&ctx, again, &resp).error_code(),
              grpc::StatusCode::ALREADY_EXISTS);
  }
  {
    grpc::ClientContext ctx;
    pv1::GetProjectRequest req;
    req.set_project_id("00000000-0000-4000-8000-000000000000");
    pv1::GetProjectResponse resp;
    EXPECT_EQ(projects_->GetProject(&ctx, req, &resp).error_code(),
              grpc::StatusCode::NOT_FOUND);
  }
  pv1::ChangeProjectStatusRequest change;
  change.set_project_id(created.project().project_id());
  change.set_reason("why not");
  {  // PROPOSED -> CLOSED skips the lifecycle.
    change.set_request_id("close-early");
    change.set_status(pv1::PROJECT_STATUS_CLOSED);
    grpc::ClientContext ctx;
    pv1::ChangeProjectStatusResponse resp;
    EXPECT_EQ(projects_->ChangeProjectStatus(&ctx, change, &resp).error_code(),
              grpc::StatusCode::FAILED_PRECONDITION);
  }
  {  // A stale expected_version.
    change.set_request_id("stale");
    change.set_status(pv1::PROJECT_STATUS_APPROVED);
    change.set_expected_version(7);
    grpc::ClientContext ctx;
    pv1::ChangeProjectStatusResponse resp;
    grpc::Status s = projects_->ChangeProjectStatus(&ctx, change, &resp);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::ABORTED);
    EXPECT_EQ(testing::ConflictCurrentVersion(s), 1);
  }
}

std::string Flatten(const grpc::ByteBuffer& buffer);

TEST_F(AllInOneApi, HealthIsServing) {
  // grpc.health.v1.Health/Check with an empty request; the reply's field 1
  // is the status, SERVING = 1.
  grpc::GenericStub stub(channel_);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  grpc::ByteBuffer request(nullptr, 0), response;
  grpc::Status result;
  bool done = false;
  std::mutex mu;
  std::condition_variable cv;
  stub.UnaryCall(&ctx, "/grpc.health.v1.Health/Check", grpc::StubOptions(),
                 &request, &response, [&](grpc::Status s) {
                   std::lock_guard lock(mu);
                   result = std::move(s);
                   done = true;
                   cv.notify_one();
                 });
  std::unique_lock lock(mu);
  cv.wait(lock, [&] { return done; });
  ASSERT_TRUE(result.ok()) << result.error_message();
  EXPECT_EQ(Flatten(response), std::string("\x08\x01", 2));
}

std::string Flatten(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  EXPECT_TRUE(buffer.Dump(&slices).ok());
  std::string bytes;
  for (const auto& s : slices)
    bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
  return bytes;
}

TEST_F(AllInOneApi, ReflectionListsTheServices) {
  // grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo is a
  // bidirectional stream; one request with list_services (field 7, "") is
  // answered with the service names.
  grpc::GenericStub stub(channel_);
  grpc::CompletionQueue cq;
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  auto call = stub.PrepareCall(
      &ctx, "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
      &cq);
  void* tag;
  bool ok;
  auto step = [&](intptr_t expected) {
    ASSERT_TRUE(cq.Next(&tag, &ok));
    ASSERT_EQ(reinterpret_cast<intptr_t>(tag), expected);
    ASSERT_TRUE(ok);
  };
  call->StartCall(reinterpret_cast<void*>(1));
  step(1);
  const std::string list_services("\x3a\x00", 2);
  grpc::Slice slice(list_services);
  grpc::ByteBuffer request(&slice, 1);
  call->Write(request, reinterpret_cast<void*>(2));
  step(2);
  grpc::ByteBuffer response;
  call->Read(&response, reinterpret_cast<void*>(3));
  step(3);
  const std::string bytes = Flatten(response);
  EXPECT_NE(bytes.find("pmo.projects.v1.ProjectsService"), std::string::npos);
  EXPECT_NE(bytes.find("pmo.projection.v1.PortfolioService"),
            std::string::npos);
  EXPECT_NE(bytes.find("pmo.projection.v1.ConsolidatedViewsService"),
            std::string::npos);
  EXPECT_NE(bytes.find("pmo.configuration.v1.ToolsService"), std::string::npos);
  EXPECT_NE(bytes.find("pmo.configuration.v1.QualityService"),
            std::string::npos);
  EXPECT_NE(bytes.find("grpc.health.v1.Health"), std::string::npos);
  call->WritesDone(reinterpret_cast<void*>(4));
  step(4);
  grpc::Status status;
  call->Finish(&status, reinterpret_cast<void*>(5));
  step(5);
  EXPECT_TRUE(status.ok()) << status.error_message();
  cq.Shutdown();
  while (cq.Next(&tag, &ok)) {
  }
}

}  // namespace
}  // namespace pmo
