// End to end with a real Kafka broker: pmo-projects and pmo-projection as
// separate processes. Projects created over gRPC are stored, relayed to
// pmo.projects.events.v1 and appear in the projection's portfolio view; a
// second projection rebuilt from offset 0 has the same digest; a message
// that is no event goes to the dead-letter topic and the consumer goes on.

#include <librdkafka/rdkafkacpp.h>
#include <signal.h>
#include <sys/wait.h>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/testing/temp_dir.h"
#include "pmo/projection/v1/portfolio_service.grpc.pb.h"
#include "pmo/projects/v1/projects_service.grpc.pb.h"
#include "tests/support/child_process.h"
#include "tests/support/grpc_testing.h"
#include "tests/support/kafka_broker.h"
#include "tests/support/project_requests.h"
#include "tests/support/service_process.h"

namespace pmo {
namespace {

namespace pv1 = ::pmo::projects::v1;
namespace jv1 = ::pmo::projection::v1;

using testing::ServiceProcess;

jv1::GetPortfolioDigestResponse DigestOf(int port) {
  auto stub = jv1::PortfolioService::NewStub(testing::LoopbackChannel(port));
  grpc::ClientContext ctx;
  jv1::GetPortfolioDigestResponse resp;
  EXPECT_TRUE(stub->GetPortfolioDigest(&ctx, {}, &resp).ok());
  return resp;
}

// Waits until the projection at `port` holds `count` projects.
bool WaitForProjects(int port, int count, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    if (DigestOf(port).project_count() >= count) return true;
    absl::SleepFor(absl::Milliseconds(100));
  }
  return false;
}

void ProduceGarbage(const std::string& bootstrap, const std::string& topic) {
  std::string error;
  std::unique_ptr<RdKafka::Conf> conf(
      RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  conf->set("bootstrap.servers", bootstrap, error);
  std::unique_ptr<RdKafka::Producer> producer(
      RdKafka::Producer::create(conf.get(), error));
  ASSERT_TRUE(producer) << error;
  std::string value = "not an event";
  std::string key = "garbage";
  ASSERT_EQ(producer->produce(topic, RdKafka::Topic::PARTITION_UA,
                              RdKafka::Producer::RK_MSG_COPY, value.data(),
                              value.size(), key.data(), key.size(), 0, nullptr,
                              nullptr),
            RdKafka::ERR_NO_ERROR);
  ASSERT_EQ(producer->flush(30000), RdKafka::ERR_NO_ERROR);
}

TEST(EndToEndKafka, ProjectsReachThePortfolioViewThroughKafka) {
  testing::TempDir dir;
  auto broker = testing::KafkaBroker::Start(dir.File("kafka"));
  ASSERT_TRUE(broker.ok()) << broker.status();
  const std::string bootstrap = (*broker)->bootstrap();

  ServiceProcess projects("pmo-projects",
                          {"--listen", "127.0.0.1:0", "--data_dir",
                           dir.File("projects"), "--kafka_brokers", bootstrap});
  ServiceProcess projection(
      "pmo-projection",
      {"--listen", "127.0.0.1:0", "--data_dir", dir.File("projection"),
       "--kafka_brokers", bootstrap, "--group_id", "e2e-live"});
  ASSERT_GT(projects.port, 0);
  ASSERT_GT(projection.port, 0);

  auto stub =
      pv1::ProjectsService::NewStub(testing::LoopbackChannel(projects.port));
  std::string first_id;
  for (int i = 0; i < 20; ++i) {
    grpc::ClientContext ctx;
    pv1::CreateProjectResponse resp;
    grpc::Status s = stub->CreateProject(
        &ctx, testing::NewProjectRequest("E2E-" + std::to_string(i)), &resp);
    ASSERT_TRUE(s.ok()) << s.error_message();
    if (i == 0) first_id = resp.project().project_id();
  }
  pv1::ChangeProjectStatusRequest approve;
  approve.set_request_id("approve-0");
  approve.set_project_id(first_id);
  approve.set_status(pv1::PROJECT_STATUS_APPROVED);
  approve.set_reason("steering committee");
  {
    grpc::ClientContext ctx;
    pv1::ChangeProjectStatusResponse resp;
    ASSERT_TRUE(stub->ChangeProjectStatus(&ctx, approve, &resp).ok());
  }
  ASSERT_TRUE(WaitForProjects(projection.port, 20, absl::Seconds(120)));

  // The approval reached the view as well.
  auto portfolio =
      jv1::PortfolioService::NewStub(testing::LoopbackChannel(projection.port));
  bool approved = false;
  for (int i = 0; i < 600 && !approved; ++i) {
    grpc::ClientContext ctx;
    jv1::ListPortfolioProjectsRequest req;
    req.set_status(pv1::PROJECT_STATUS_APPROVED);
    jv1::ListPortfolioProjectsResponse resp;
    ASSERT_TRUE(portfolio->ListPortfolioProjects(&ctx, req, &resp).ok());
    approved = resp.projects_size() == 1 && resp.projects(0).code() == "E2E-0";
    if (approved) {
      EXPECT_GT(resp.freshness().positions_size(), 0);
      EXPECT_EQ(resp.freshness().positions(0).source(),
                "pmo.projects.events.v1");
    }
    if (!approved) absl::SleepFor(absl::Milliseconds(100));
  }
  EXPECT_TRUE(approved);

  // The schedule over gRPC, and its events on the topic.
  std::string design_id, build_id;
  for (auto [name, days] : {std::pair{"Design", 10}, std::pair{"Build", 20}}) {
    pv1::AddTaskRequest req;
    req.set_request_id(std::string("task-") + name);
    req.set_project_id(first_id);
    req.set_name(name);
    req.set_duration_days(days);
    grpc::ClientContext ctx;
    pv1::AddTaskResponse resp;
    ASSERT_TRUE(stub->AddTask(&ctx, req, &resp).ok());
    (design_id.empty() ? design_id : build_id) = resp.task_id();
  }
  {
    pv1::AddDependencyRequest req;
    req.set_request_id("design-before-build");
    req.set_project_id(first_id);
    req.mutable_predecessor()->set_project_id(first_id);
    req.mutable_predecessor()->set_task_id(design_id);
    req.set_successor_task_id(build_id);
    req.set_type(pv1::DEPENDENCY_TYPE_FINISH_TO_START);
    grpc::ClientContext ctx;
    pv1::AddDependencyResponse resp;
    ASSERT_TRUE(stub->AddDependency(&ctx, req, &resp).ok());
    // The reverse link would close a cycle.
    req.set_request_id("build-before-design");
    req.mutable_predecessor()->set_task_id(build_id);
    req.set_successor_task_id(design_id);
    grpc::ClientContext ctx2;
    grpc::Status cycle = stub->AddDependency(&ctx2, req, &resp);
    EXPECT_EQ(cycle.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
    EXPECT_THAT(cycle.error_message(),
                ::testing::HasSubstr("E2E-0:Build -> E2E-0:Design"));
  }
  {
    pv1::GetProjectScheduleRequest req;
    req.set_project_id(first_id);
    grpc::ClientContext ctx;
    pv1::GetProjectScheduleResponse resp;
    ASSERT_TRUE(stub->GetProjectSchedule(&ctx, req, &resp).ok());
    ASSERT_EQ(resp.tasks_size(), 2);
    EXPECT_EQ(resp.critical_path_size(), 2);
    EXPECT_EQ(resp.tasks(1).early_start().day(), 14);  // 2027-01-04 + 10 days
  }
  {
    // 20 creations + 1 approval + 2 tasks + 1 dependency, in order per key.
    auto records = testing::ReadTopic(bootstrap, "pmo.projects.events.v1", 24,
                                      absl::Seconds(60));
    std::vector<std::string> types;
    for (const auto& r : records) {
      if (r.key == first_id) types.push_back(r.headers.at("ce_type"));
    }
    EXPECT_THAT(types,
                ::testing::ElementsAre("pmo.projects.v1.ProjectCreated",
                                       "pmo.projects.v1.ProjectStatusChanged",
                                       "pmo.projects.v1.TaskAdded",
                                       "pmo.projects.v1.TaskAdded",
                                       "pmo.projects.v1.DependencyAdded"));
  }

  // A message that is no event: dead-lettered, and the view goes on.
  ProduceGarbage(bootstrap, "pmo.projects.events.v1");
  {
    grpc::ClientContext ctx;
    pv1::CreateProjectResponse resp;
    ASSERT_TRUE(stub->CreateProject(&ctx,
                                    testing::NewProjectRequest("AFTER-GARBAGE"),
                                    &resp)
                    .ok());
  }
  ASSERT_TRUE(WaitForProjects(projection.port, 21, absl::Seconds(60)));
  auto dead = testing::ReadTopic(bootstrap, "pmo.projection.deadletter.v1", 1,
                                 absl::Seconds(30));
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(dead[0].value, "not an event");
  EXPECT_THAT(dead[0].headers.at("pmo_dlq_reason"),
              ::testing::HasSubstr("ce_specversion"));

  // A second projection, fresh data and group: a rebuild from offset 0.
  ServiceProcess rebuilt(
      "pmo-projection",
      {"--listen", "127.0.0.1:0", "--data_dir", dir.File("rebuilt"),
       "--kafka_brokers", bootstrap, "--group_id", "e2e-rebuild"});
  ASSERT_GT(rebuilt.port, 0);
  ASSERT_TRUE(WaitForProjects(rebuilt.port, 21, absl::Seconds(120)));
  // Let the live view settle on the same last event, then compare.
  std::string live_digest, rebuilt_digest;
  for (int i = 0; i < 100; ++i) {
    live_digest = DigestOf(projection.port).digest();
    rebuilt_digest = DigestOf(rebuilt.port).digest();
    if (live_digest == rebuilt_digest) break;
    absl::SleepFor(absl::Milliseconds(100));
  }
  EXPECT_EQ(live_digest, rebuilt_digest);

  // Graceful stops.
  for (ServiceProcess* s : {&projects, &projection, &rebuilt}) {
    EXPECT_EQ(s->StopCleanly(), absl::OkStatus());
  }
}

}  // namespace
}  // namespace pmo
