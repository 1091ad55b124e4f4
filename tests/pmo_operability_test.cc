// The all-in-one `pmo` takes the operability flags every separately
// deployed service takes (libs/operability): Prometheus /metrics with the
// RPCs it served, the plain-text health port, and JSON log lines. No Kafka:
// the all-in-one delivers events in-process and makes no topics.

#include <signal.h>
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <iterator>

#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "libs/base/testing/temp_dir.h"
#include "pmo/projects/v1/projects_service.grpc.pb.h"
#include "tests/support/child_process.h"
#include "tests/support/grpc_testing.h"
#include "tests/support/http_get.h"
#include "tests/support/project_requests.h"

namespace pmo {
namespace {

using ::testing::HasSubstr;

// The port printed on the child's "<prefix> N" line, 0 when none came.
int PortFromLine(testing::ChildProcess& child, const std::string& prefix) {
  auto line = child.WaitForLineStartingWith(prefix, absl::Seconds(60));
  return line ? std::atoi(line->substr(prefix.size()).c_str()) : 0;
}

TEST(PmoOperabilityTest, ServesMetricsAndHealthAndLogsJsonLines) {
  testing::TempDir dir;
  const std::string log = dir.File("stderr");
  testing::ChildProcess pmo(
      {"/bin/sh", "-c", "exec \"$0\" \"$@\" 2>'" + log + "'",
       testing::PmoBinary("pmo"), "--listen", "127.0.0.1:0", "--data_dir",
       dir.File("data"), "--metrics_listen", "127.0.0.1:0", "--health_listen",
       "127.0.0.1:0", "--log_format", "json"});
  // Printed in this order: the endpoints start before the modules open.
  const int metrics_port = PortFromLine(pmo, "pmo metrics on port ");
  const int health_port = PortFromLine(pmo, "pmo health on port ");
  const int grpc_port = PortFromLine(pmo, "pmo listening on port ");
  ASSERT_GT(metrics_port, 0);
  ASSERT_GT(health_port, 0);
  ASSERT_GT(grpc_port, 0);

  auto projects = projects::v1::ProjectsService::NewStub(
      testing::LoopbackChannel(grpc_port));
  {
    grpc::ClientContext context;
    projects::v1::CreateProjectResponse created;
    const grpc::Status s = projects->CreateProject(
        &context, testing::NewProjectRequest("ERP"), &created);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  const std::string metrics = testing::HttpGet(metrics_port, "/metrics");
  EXPECT_THAT(metrics, HasSubstr("HTTP/1.1 200 OK"));
  EXPECT_THAT(
      metrics,
      HasSubstr("pmo_grpc_server_handled_total{grpc_method=\"/pmo.projects.v1."
                "ProjectsService/CreateProject\",grpc_code=\"OK\"} 1"));
  EXPECT_THAT(
      metrics,
      HasSubstr(
          "pmo_grpc_server_handling_seconds_count{grpc_method=\"/pmo."
          "projects.v1.ProjectsService/CreateProject\",grpc_code=\"OK\"} 1"));
  EXPECT_THAT(testing::HttpGet(metrics_port, "/other"), HasSubstr("404"));

  // The health port answers grpc.health.v1 in plain text, like the API.
  const std::string healthcheck =
      testing::PmoBinary("pmo-healthcheck") + " --addr 127.0.0.1:";
  EXPECT_EQ(std::system((healthcheck + std::to_string(health_port)).c_str()),
            0);
  EXPECT_EQ(std::system((healthcheck + std::to_string(grpc_port)).c_str()), 0);

  pmo.Signal(SIGTERM);
  auto status = pmo.Wait(absl::Seconds(60));
  ASSERT_TRUE(status.has_value());
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << *status;

  // The CreateProject call's line is one JSON object.
  std::ifstream in(log);
  std::string line, rpc_line;
  while (std::getline(in, line)) {
    if (line.find("ProjectsService/CreateProject") != std::string::npos)
      rpc_line = line;
  }
  ASSERT_FALSE(rpc_line.empty()) << "no log line for the call in " << log;
  google::protobuf::Struct record;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(rpc_line, &record).ok())
      << rpc_line;
  EXPECT_EQ(record.fields().at("event").string_value(), "rpc");
  EXPECT_EQ(record.fields().at("method").string_value(),
            "/pmo.projects.v1.ProjectsService/CreateProject");
  EXPECT_EQ(record.fields().at("code").string_value(), "OK");
  EXPECT_EQ(record.fields().at("level").string_value(), "info");
}

TEST(PmoOperabilityTest, NamesABadLogFormat) {
  testing::TempDir dir;
  const std::string log = dir.File("stderr");
  testing::ChildProcess pmo(
      {"/bin/sh", "-c", "exec \"$0\" \"$@\" 2>'" + log + "'",
       testing::PmoBinary("pmo"), "--listen", "127.0.0.1:0", "--data_dir",
       dir.File("data"), "--log_format", "yaml"});
  auto status = pmo.Wait(absl::Seconds(60));
  ASSERT_TRUE(status.has_value());
  EXPECT_TRUE(WIFEXITED(*status));
  EXPECT_EQ(WEXITSTATUS(*status), 2);
  std::ifstream in(log);
  std::string text((std::istreambuf_iterator<char>(in)),
                   std::istreambuf_iterator<char>());
  EXPECT_THAT(text,
              HasSubstr("--log_format: \"yaml\" is neither text nor json"));
}

}  // namespace
}  // namespace pmo
