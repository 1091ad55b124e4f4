#pragma once

// The all-in-one `pmo` binary as a user runs it: a real process, a real
// data directory, real gRPC on 127.0.0.1. What the tests of
// tests/all_in_one/ share: the process, polls of the portfolio view, and
// AllInOneApi, one `pmo` per test suite.

#include <signal.h>
#include <sys/wait.h>

#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/testing/temp_dir.h"
#include "pmo/configuration/v1/change_control_service.grpc.pb.h"
#include "pmo/configuration/v1/configuration_service.grpc.pb.h"
#include "pmo/configuration/v1/documents_service.grpc.pb.h"
#include "pmo/configuration/v1/library_service.grpc.pb.h"
#include "pmo/configuration/v1/quality_service.grpc.pb.h"
#include "pmo/configuration/v1/tools_service.grpc.pb.h"
#include "pmo/projection/v1/portfolio_service.grpc.pb.h"
#include "pmo/projection/v1/views_service.grpc.pb.h"
#include "pmo/projects/v1/portfolios_service.grpc.pb.h"
#include "pmo/projects/v1/projects_service.grpc.pb.h"
#include "pmo/resources/v1/resources_service.grpc.pb.h"
#include "pmo/risks/v1/risks_service.grpc.pb.h"
#include "tests/support/child_process.h"
#include "tests/support/grpc_testing.h"
#include "tests/support/project_requests.h"

namespace pmo {

namespace pv1 = ::pmo::projects::v1;
namespace jv1 = ::pmo::projection::v1;

class PmoProcess {
 public:
  explicit PmoProcess(const std::string& data_dir,
                      const std::string& listen = "127.0.0.1:0")
      : process_({testing::PmoBinary("pmo"), "--listen", listen, "--data_dir",
                  data_dir}) {}
  int WaitForPort() {
    auto line =
        process_.WaitForLineStartingWith("pmo listening", absl::Seconds(30));
    return line ? testing::PortFromStartupLine(*line) : 0;
  }
  testing::ChildProcess& process() { return process_; }

 private:
  testing::ChildProcess process_;
};

inline std::vector<std::string> PortfolioCodes(
    jv1::PortfolioService::Stub& stub,
    jv1::ListPortfolioProjectsResponse* last = nullptr) {
  grpc::ClientContext ctx;
  jv1::ListPortfolioProjectsRequest req;
  jv1::ListPortfolioProjectsResponse resp;
  EXPECT_TRUE(stub.ListPortfolioProjects(&ctx, req, &resp).ok());
  std::vector<std::string> codes;
  for (const auto& p : resp.projects()) codes.push_back(p.code());
  if (last) *last = resp;
  return codes;
}

// Polls the portfolio until it lists `n` projects (the view follows the
// store asynchronously) or 30 s pass.
inline std::vector<std::string> WaitForPortfolio(
    jv1::PortfolioService::Stub& stub, size_t n) {
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  std::vector<std::string> codes;
  while (absl::Now() < deadline) {
    codes = PortfolioCodes(stub);
    if (codes.size() >= n) break;
    absl::SleepFor(absl::Milliseconds(20));
  }
  return codes;
}

inline std::string Digest(jv1::PortfolioService::Stub& stub) {
  grpc::ClientContext ctx;
  jv1::GetPortfolioDigestResponse resp;
  EXPECT_TRUE(stub.GetPortfolioDigest(&ctx, {}, &resp).ok());
  return resp.digest();
}

class AllInOneApi : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    pmo_ = new PmoProcess(dir_->File("data"));
    port_ = pmo_->WaitForPort();
  }
  static void TearDownTestSuite() {
    delete pmo_;
    delete dir_;
  }
  void SetUp() override {
    ASSERT_GT(port_, 0);
    channel_ = testing::LoopbackChannel(port_);
    projects_ = pv1::ProjectsService::NewStub(channel_);
    portfolio_ = jv1::PortfolioService::NewStub(channel_);
  }
  template <typename Req, typename Resp, typename Fn>
  grpc::Status Call(Fn fn, const Req& req, Resp* resp) {
    grpc::ClientContext ctx;
    return ((*projects_).*fn)(&ctx, req, resp);
  }
  // A new project's id; the configuration service learns it from the
  // projects events a moment later (retry its first command while NOT_FOUND).
  std::string NewProject(const std::string& code) {
    pv1::CreateProjectResponse created;
    grpc::ClientContext ctx;
    grpc::Status s = projects_->CreateProject(
        &ctx, testing::NewProjectRequest(code), &created);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return created.project().project_id();
  }
  template <typename Call>
  static grpc::Status RetryWhileNotFound(Call rpc) {
    grpc::Status s;
    const absl::Time deadline = absl::Now() + absl::Seconds(30);
    do {
      s = rpc();
      if (s.error_code() == grpc::StatusCode::NOT_FOUND)
        absl::SleepFor(absl::Milliseconds(100));
    } while (s.error_code() == grpc::StatusCode::NOT_FOUND &&
             absl::Now() < deadline);
    return s;
  }
  static inline testing::TempDir* dir_ = nullptr;
  static inline PmoProcess* pmo_ = nullptr;
  static inline int port_ = 0;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<pv1::ProjectsService::Stub> projects_;
  std::unique_ptr<jv1::PortfolioService::Stub> portfolio_;
};

}  // namespace pmo
