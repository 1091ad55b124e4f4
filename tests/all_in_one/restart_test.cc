// `pmo` keeps everything across a restart (the stores and the view's
// digest), and refuses to listen beyond loopback without --insecure.

#include "tests/all_in_one/all_in_one.h"

namespace pmo {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

TEST(AllInOne, CreateListRestartListAgain) {
  testing::TempDir dir;
  std::string project_id, digest;
  {
    PmoProcess pmo(dir.File("data"));
    const int port = pmo.WaitForPort();
    ASSERT_GT(port, 0);
    auto channel = testing::LoopbackChannel(port);
    auto projects = pv1::ProjectsService::NewStub(channel);
    auto portfolio = jv1::PortfolioService::NewStub(channel);
    for (const char* code : {"ERP", "CRM", "HR-2027"}) {
      grpc::ClientContext ctx;
      pv1::CreateProjectResponse resp;
      ASSERT_TRUE(
          projects->CreateProject(&ctx, testing::NewProjectRequest(code), &resp)
              .ok());
      if (std::string(code) == "CRM") project_id = resp.project().project_id();
    }
    pv1::ChangeProjectStatusRequest approve;
    approve.set_request_id("approve-crm");
    approve.set_project_id(project_id);
    approve.set_status(pv1::PROJECT_STATUS_APPROVED);
    approve.set_reason("portfolio board");
    grpc::ClientContext ctx;
    pv1::ChangeProjectStatusResponse changed;
    ASSERT_TRUE(projects->ChangeProjectStatus(&ctx, approve, &changed).ok());
    EXPECT_EQ(changed.project().version(), 2);

    EXPECT_THAT(WaitForPortfolio(*portfolio, 3),
                ElementsAre("CRM", "ERP", "HR-2027"));
    // Wait for the status change too, then remember the view's digest.
    for (int i = 0; i < 1500; ++i) {
      jv1::ListPortfolioProjectsResponse resp;
      PortfolioCodes(*portfolio, &resp);
      if (resp.projects(0).status() == pv1::PROJECT_STATUS_APPROVED) break;
      absl::SleepFor(absl::Milliseconds(20));
    }
    digest = Digest(*portfolio);

    pmo.process().Signal(SIGTERM);
    auto status = pmo.process().Wait(absl::Seconds(30));
    ASSERT_TRUE(status.has_value());
    EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << *status;
  }
  PmoProcess again(dir.File("data"));
  const int port = again.WaitForPort();
  ASSERT_GT(port, 0);
  auto channel = testing::LoopbackChannel(port);
  auto projects = pv1::ProjectsService::NewStub(channel);
  auto portfolio = jv1::PortfolioService::NewStub(channel);
  grpc::ClientContext ctx;
  pv1::ListProjectsResponse listed;
  ASSERT_TRUE(projects->ListProjects(&ctx, {}, &listed).ok());
  std::vector<std::string> codes;
  for (const auto& p : listed.projects()) codes.push_back(p.code());
  EXPECT_THAT(codes, ElementsAre("ERP", "CRM", "HR-2027"));  // creation order
  EXPECT_EQ(listed.projects(1).status(), pv1::PROJECT_STATUS_APPROVED);
  jv1::ListPortfolioProjectsResponse view;
  EXPECT_THAT(PortfolioCodes(*portfolio, &view),
              ElementsAre("CRM", "ERP", "HR-2027"));
  EXPECT_EQ(Digest(*portfolio), digest);
  ASSERT_EQ(view.freshness().positions_size(), 1);
  EXPECT_EQ(view.freshness().positions(0).source(), "store:projects");
  EXPECT_EQ(view.freshness().positions(0).position(),
            5);  // next after 4 events
}

TEST(AllInOneStartup, RefusesToListenBeyondLoopbackWithoutInsecure) {
  testing::TempDir dir;
  PmoProcess pmo(dir.File("data"), "0.0.0.0:0");
  auto status = pmo.process().Wait(absl::Seconds(30));
  ASSERT_TRUE(status.has_value());
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) != 0);
}

}  // namespace
}  // namespace pmo
