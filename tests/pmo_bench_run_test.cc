// pmo-bench against the real all-in-one `pmo` and its own echo server, as
// scripts/bench/compare.sh runs them: real processes on 127.0.0.1, a real
// data directory. Each run is short (about 2 s) and checks what the report
// says against what the deployment holds; no timing is asserted.

#include <google/protobuf/util/json_util.h>
#include <signal.h>
#include <sys/wait.h>

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/testing/temp_dir.h"
#include "pmo/bench/v1/report.pb.h"
#include "pmo/projects/v1/projects_service.grpc.pb.h"
#include "tests/support/child_process.h"
#include "tests/support/grpc_testing.h"

namespace pmo {
namespace {

namespace pv1 = ::pmo::projects::v1;
using ::pmo::bench::v1::BenchReport;
using ::testing::IsEmpty;

// Runs `pmo-bench run ... --output=json` to the end and parses its report.
BenchReport RunBench(const std::vector<std::string>& flags) {
  std::vector<std::string> argv = {testing::PmoBinary("pmo-bench"), "run",
                                   "--output=json"};
  argv.insert(argv.end(), flags.begin(), flags.end());
  testing::ChildProcess bench(argv);
  const std::optional<std::string> json = bench.ReadLine(absl::Seconds(120));
  const std::optional<int> status = bench.Wait(absl::Seconds(30));
  BenchReport report;
  EXPECT_TRUE(json.has_value()) << "no report from pmo-bench";
  EXPECT_TRUE(status && WIFEXITED(*status) && WEXITSTATUS(*status) == 0);
  if (json) {
    const auto parsed =
        google::protobuf::util::JsonStringToMessage(*json, &report);
    EXPECT_TRUE(parsed.ok()) << parsed.ToString() << "\n" << *json;
  }
  return report;
}

class PmoBenchRun : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    pmo_ = new testing::ChildProcess(
        {testing::PmoBinary("pmo"), "--listen", "127.0.0.1:0", "--data_dir",
         dir_->File("data"), "--log_requests=false"});
    auto line =
        pmo_->WaitForLineStartingWith("pmo listening", absl::Seconds(30));
    port_ = line ? testing::PortFromStartupLine(*line) : 0;
  }
  static void TearDownTestSuite() {
    delete pmo_;
    delete dir_;
  }
  void SetUp() override { ASSERT_GT(port_, 0); }
  static std::string Target() {
    return absl::StrCat("--target=127.0.0.1:", port_);
  }

  static testing::TempDir* dir_;
  static testing::ChildProcess* pmo_;
  static int port_;
};
testing::TempDir* PmoBenchRun::dir_;
testing::ChildProcess* PmoBenchRun::pmo_;
int PmoBenchRun::port_;

// Codes of every project in the store whose code starts with `prefix`.
std::vector<std::string> ProjectCodesStartingWith(int port,
                                                  const std::string& prefix) {
  auto projects = pv1::ProjectsService::NewStub(testing::LoopbackChannel(port));
  std::vector<std::string> codes;
  pv1::ListProjectsRequest request;
  request.set_page_size(1000);
  while (true) {
    grpc::ClientContext ctx;
    pv1::ListProjectsResponse page;
    const grpc::Status s = projects->ListProjects(&ctx, request, &page);
    EXPECT_TRUE(s.ok()) << s.error_message();
    if (!s.ok()) break;
    for (const pv1::Project& p : page.projects()) {
      if (absl::StartsWith(p.code(), prefix)) codes.push_back(p.code());
    }
    if (page.next_page_token().empty()) break;
    request.set_page_token(page.next_page_token());
  }
  return codes;
}

TEST_F(PmoBenchRun, CreatedProjectsAreAllInTheStore) {
  const BenchReport report =
      RunBench({"--workload=create-project", Target(), "--concurrency=2",
                "--duration=2s", "--run_tag=CREATE1"});
  EXPECT_EQ(report.workload(), "create-project");
  EXPECT_GT(report.successes(), 0);
  EXPECT_EQ(report.requests(), report.successes());
  EXPECT_THAT(report.errors_by_code(), IsEmpty());
  EXPECT_GT(report.latency().p50_us(), 0);
  EXPECT_LE(report.latency().p50_us(), report.latency().p999_us());
  // Every acknowledged create is a project the service lists, and there
  // are no others with the run's tag.
  const std::vector<std::string> codes =
      ProjectCodesStartingWith(port_, "CREATE1-");
  EXPECT_EQ(static_cast<int64_t>(codes.size()), report.successes());
}

TEST_F(PmoBenchRun, OpenLoopAccountsForEveryDueRequest) {
  // 25/s for 2 s: 50 requests due; each is either answered or missed.
  const BenchReport report =
      RunBench({"--workload=create-project", Target(), "--concurrency=2",
                "--rate=25", "--duration=2s", "--run_tag=RATE1"});
  EXPECT_DOUBLE_EQ(report.target_rate(), 25);
  EXPECT_EQ(report.requests() + report.missed(), 50);
  EXPECT_THAT(report.errors_by_code(), IsEmpty());
  EXPECT_EQ(
      static_cast<int64_t>(ProjectCodesStartingWith(port_, "RATE1-").size()),
      report.successes());
}

TEST_F(PmoBenchRun, MixedPortfolioWorkloadIsAllValidRequests) {
  const BenchReport report =
      RunBench({"--workload=mixed", Target(), "--concurrency=2",
                "--duration=2s", "--run_tag=MIXED1"});
  EXPECT_GT(report.successes(), 0);
  EXPECT_EQ(report.requests(), report.successes());
  EXPECT_THAT(report.errors_by_code(), IsEmpty());
  // Set-up made 3 projects per worker; the run's creates come on top.
  int64_t created = 0;
  for (const auto& op : report.operations()) {
    if (op.name() == "CreateProject") created = op.successes();
  }
  EXPECT_EQ(
      static_cast<int64_t>(ProjectCodesStartingWith(port_, "MIXED1-").size()),
      int64_t{2} * 3 + created);
}

TEST_F(PmoBenchRun, BulkImportChainsVersionsWithoutConflicts) {
  const BenchReport report =
      RunBench({"--workload=bulk-import", Target(), "--concurrency=2",
                "--duration=2s", "--run_tag=BULK1"});
  EXPECT_GT(report.successes(), 0);
  EXPECT_THAT(report.errors_by_code(), IsEmpty());
  int64_t created = 0;
  for (const auto& op : report.operations()) {
    if (op.name() == "CreateProject") created = op.successes();
  }
  EXPECT_GT(created, 0);
  EXPECT_EQ(
      static_cast<int64_t>(ProjectCodesStartingWith(port_, "BULK1-").size()),
      created);
}

TEST(PmoBenchEcho, ServeEchoIsTheBaselineTarget) {
  testing::ChildProcess echo({testing::PmoBinary("pmo-bench"), "serve-echo"});
  auto line = echo.WaitForLineStartingWith("echo listening", absl::Seconds(30));
  ASSERT_TRUE(line.has_value());
  const int port = testing::PortFromStartupLine(*line);
  ASSERT_GT(port, 0);
  const BenchReport report =
      RunBench({"--workload=echo", absl::StrCat("--target=127.0.0.1:", port),
                "--concurrency=2", "--duration=1s"});
  EXPECT_GT(report.successes(), 0);
  EXPECT_THAT(report.errors_by_code(), IsEmpty());
  ASSERT_EQ(report.operations_size(), 1);
  EXPECT_EQ(report.operations(0).name(), "Echo");
  echo.Signal(SIGTERM);
  const auto status = echo.Wait(absl::Seconds(30));
  ASSERT_TRUE(status.has_value());
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << *status;
}

TEST(PmoBenchRefuses, TargetsBeyondLoopback) {
  testing::ChildProcess bench({testing::PmoBinary("pmo-bench"), "run",
                               "--workload=echo", "--target=192.0.2.1:50051",
                               "--duration=1s"});
  const auto status = bench.Wait(absl::Seconds(30));
  ASSERT_TRUE(status.has_value());
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 2) << *status;
}

}  // namespace
}  // namespace pmo
