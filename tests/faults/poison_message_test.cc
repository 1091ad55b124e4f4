// Fault: poison messages on the projects topic, keyed with a real project's
// id so they land in that project's partition, among its real events:
//  - bytes that are no CloudEvent at all (no headers);
//  - a copy of the project's real headers with a stream version that is no
//    number and garbage for a payload.
// Each goes to the dead-letter topic with its key and the reason, and the
// projection goes on: later events of the same project and of others reach
// the view, which ends equal to a rebuild from offset 0.

#include <librdkafka/rdkafkacpp.h>
#include <signal.h>
#include <sys/wait.h>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/testing/temp_dir.h"
#include "pmo/projection/v1/portfolio_service.grpc.pb.h"
#include "pmo/projects/v1/projects_service.grpc.pb.h"
#include "tests/support/grpc_testing.h"
#include "tests/support/kafka_broker.h"
#include "tests/support/portfolio_probe.h"
#include "tests/support/project_requests.h"
#include "tests/support/service_process.h"

namespace pmo {
namespace {

namespace pv1 = ::pmo::projects::v1;
namespace jv1 = ::pmo::projection::v1;
using testing::ServiceProcess;

constexpr char kTopic[] = "pmo.projects.events.v1";

void Produce(const std::string& bootstrap, const std::string& key,
             const std::string& value,
             const std::map<std::string, std::string>& headers) {
  std::string error;
  std::unique_ptr<RdKafka::Conf> conf(
      RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  conf->set("bootstrap.servers", bootstrap, error);
  std::unique_ptr<RdKafka::Producer> producer(
      RdKafka::Producer::create(conf.get(), error));
  ASSERT_TRUE(producer) << error;
  RdKafka::Headers* h = headers.empty() ? nullptr : RdKafka::Headers::create();
  for (const auto& [k, v] : headers) h->add(k, v);
  ASSERT_EQ(producer->produce(kTopic, RdKafka::Topic::PARTITION_UA,
                              RdKafka::Producer::RK_MSG_COPY,
                              const_cast<char*>(value.data()), value.size(),
                              key.data(), key.size(), 0, h, nullptr),
            RdKafka::ERR_NO_ERROR);
  ASSERT_EQ(producer->flush(30000), RdKafka::ERR_NO_ERROR);
}

std::string CreateProject(pv1::ProjectsService::Stub& stub,
                          const std::string& code) {
  grpc::ClientContext ctx;
  pv1::CreateProjectResponse resp;
  grpc::Status s =
      stub.CreateProject(&ctx, testing::NewProjectRequest(code), &resp);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return resp.project().project_id();
}

pv1::ProjectStatus ViewStatus(int port, const std::string& code) {
  auto stub = jv1::PortfolioService::NewStub(testing::LoopbackChannel(port));
  grpc::ClientContext ctx;
  jv1::ListPortfolioProjectsResponse resp;
  if (!stub->ListPortfolioProjects(&ctx, {}, &resp).ok())
    return pv1::PROJECT_STATUS_UNSPECIFIED;
  for (const auto& p : resp.projects()) {
    if (p.code() == code) return p.status();
  }
  return pv1::PROJECT_STATUS_UNSPECIFIED;
}

TEST(PoisonMessage, GoesToTheDeadLetterTopicAndConsumptionGoesOn) {
  testing::TempDir dir;
  auto broker = testing::KafkaBroker::Start(dir.File("kafka"));
  ASSERT_TRUE(broker.ok()) << broker.status();
  const std::string bootstrap = (*broker)->bootstrap();
  ServiceProcess projects(
      "pmo-projects",
      {"--listen", "127.0.0.1:0", "--data_dir", dir.File("projects"),
       "--kafka_brokers", bootstrap, "--log_requests=false"});
  ServiceProcess projection(
      "pmo-projection", {"--listen", "127.0.0.1:0", "--data_dir",
                         dir.File("live"), "--kafka_brokers", bootstrap,
                         "--group_id", "poison-live", "--log_requests=false"});
  ASSERT_GT(projects.port, 0);
  ASSERT_GT(projection.port, 0);
  auto stub =
      pv1::ProjectsService::NewStub(testing::LoopbackChannel(projects.port));
  const std::string victim_id = CreateProject(*stub, "POISONED");
  for (int i = 0; i < 4; ++i)
    CreateProject(*stub, "BEFORE-" + std::to_string(i));
  ASSERT_TRUE(
      testing::WaitForPortfolioCount(projection.port, 5, absl::Seconds(120)));

  // Poison 1: no CloudEvent at all.
  Produce(bootstrap, victim_id, std::string("\xff\x00garbage\x01", 10), {});
  // Poison 2: the victim's real envelope with an unreadable stream version.
  auto real = testing::ReadTopic(bootstrap, kTopic, 6, absl::Seconds(60));
  std::map<std::string, std::string> headers;
  for (const auto& r : real) {
    if (r.key == victim_id && r.headers.count("ce_type")) headers = r.headers;
  }
  ASSERT_FALSE(headers.empty());
  headers["ce_pmostreamversion"] = "two";
  Produce(bootstrap, victim_id, "\x0a\xff\xff\xff", headers);

  // The same project and others go on.
  {
    pv1::ChangeProjectStatusRequest req;
    req.set_request_id("approve-poisoned");
    req.set_project_id(victim_id);
    req.set_status(pv1::PROJECT_STATUS_APPROVED);
    req.set_reason("after the poison");
    grpc::ClientContext ctx;
    pv1::ChangeProjectStatusResponse resp;
    ASSERT_TRUE(stub->ChangeProjectStatus(&ctx, req, &resp).ok());
  }
  for (int i = 0; i < 5; ++i)
    CreateProject(*stub, "AFTER-" + std::to_string(i));
  ASSERT_TRUE(
      testing::WaitForPortfolioCount(projection.port, 10, absl::Seconds(120)));
  const absl::Time until = absl::Now() + absl::Seconds(60);
  while (ViewStatus(projection.port, "POISONED") !=
             pv1::PROJECT_STATUS_APPROVED &&
         absl::Now() < until) {
    absl::SleepFor(absl::Milliseconds(100));
  }
  EXPECT_EQ(ViewStatus(projection.port, "POISONED"),
            pv1::PROJECT_STATUS_APPROVED);

  auto dead = testing::ReadTopic(bootstrap, "pmo.projection.deadletter.v1", 2,
                                 absl::Seconds(60));
  ASSERT_EQ(dead.size(), 2u);
  for (const auto& d : dead) {
    EXPECT_EQ(d.key, victim_id);
    EXPECT_FALSE(d.headers.at("pmo_dlq_reason").empty());
    EXPECT_THAT(d.headers.at("pmo_dlq_source"), ::testing::StartsWith(kTopic));
  }
  EXPECT_THAT(dead[0].headers.at("pmo_dlq_reason"),
              ::testing::HasSubstr("ce_specversion"));
  EXPECT_THAT(dead[1].headers.at("pmo_dlq_reason"),
              ::testing::HasSubstr("ce_pmostreamversion"));

  // A rebuild reads the same poison and ends with the same view.
  ServiceProcess rebuilt(
      "pmo-projection",
      {"--listen", "127.0.0.1:0", "--data_dir", dir.File("rebuilt"),
       "--kafka_brokers", bootstrap, "--group_id", "poison-rebuild",
       "--log_requests=false"});
  ASSERT_GT(rebuilt.port, 0);
  ASSERT_TRUE(
      testing::WaitForPortfolioCount(rebuilt.port, 10, absl::Seconds(120)));
  EXPECT_TRUE(testing::WaitForEqualDigests(projection.port, rebuilt.port,
                                           absl::Seconds(60)));

  for (ServiceProcess* s : {&projects, &projection, &rebuilt}) {
    EXPECT_EQ(s->StopCleanly(), absl::OkStatus());
  }
}

}  // namespace
}  // namespace pmo
