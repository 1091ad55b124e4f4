// Fault: many writers on one aggregate at once. Each thread runs the
// optimistic read-modify-write loop a client is meant to run: read the
// project's version, send AddTask with that expected_version, and on
// ABORTED read again and retry the same command (same request_id). The test
// proves no update is lost (every acknowledged task is in the schedule, the
// version grew by exactly the number of acknowledgements), every refusal is
// ABORTED carrying the current version, and a refused attempt is not
// remembered as the command's result.

#include <signal.h>
#include <sys/wait.h>

#include <atomic>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/testing/temp_dir.h"
#include "pmo/projects/v1/projects_service.grpc.pb.h"
#include "tests/support/grpc_testing.h"
#include "tests/support/project_requests.h"
#include "tests/support/service_process.h"

namespace pmo {
namespace {

namespace pv1 = ::pmo::projects::v1;

constexpr int kWriters = 8;
constexpr int kTasksPerWriter = 15;
constexpr int kMaxAttemptsPerWriter = 2000;  // bounds the run

struct WriterTally {
  int acked = 0;
  int aborted = 0;
  int aborted_without_version = 0;
  std::vector<std::string> other_errors;
};

int64_t ReadVersion(pv1::ProjectsService::Stub& stub, const std::string& id) {
  pv1::GetProjectRequest req;
  req.set_project_id(id);
  grpc::ClientContext ctx;
  pv1::GetProjectResponse resp;
  return stub.GetProject(&ctx, req, &resp).ok() ? resp.project().version() : -1;
}

void Write(int port, const std::string& project_id, int writer,
           WriterTally& tally) {
  auto stub = pv1::ProjectsService::NewStub(testing::LoopbackChannel(port));
  int task = 0;
  for (int attempt = 0;
       attempt < kMaxAttemptsPerWriter && task < kTasksPerWriter; ++attempt) {
    const int64_t version = ReadVersion(*stub, project_id);
    pv1::AddTaskRequest req;
    req.set_request_id(absl::StrCat("w", writer, "-t", task));
    req.set_project_id(project_id);
    req.set_name(absl::StrCat("w", writer, "-t", task));
    req.set_duration_days(1);
    req.set_expected_version(version);
    grpc::ClientContext ctx;
    pv1::AddTaskResponse resp;
    grpc::Status s = stub->AddTask(&ctx, req, &resp);
    if (s.ok()) {
      ++tally.acked;
      ++task;
    } else if (s.error_code() == grpc::StatusCode::ABORTED) {
      ++tally.aborted;
      if (testing::ConflictCurrentVersion(s) <= version)
        ++tally.aborted_without_version;
    } else {
      tally.other_errors.push_back(
          absl::StrCat(s.error_code(), ": ", s.error_message()));
    }
  }
}

TEST(ConflictingWriters, NoLostUpdateAndEveryConflictIsAborted) {
  testing::TempDir dir;
  testing::ServiceProcess pmo(
      "pmo", {"--listen", "127.0.0.1:0", "--data_dir", dir.File("data"),
              "--log_requests=false"});
  ASSERT_GT(pmo.port, 0);
  auto stub = pv1::ProjectsService::NewStub(testing::LoopbackChannel(pmo.port));
  std::string project_id;
  {
    grpc::ClientContext ctx;
    pv1::CreateProjectResponse resp;
    ASSERT_TRUE(
        stub->CreateProject(&ctx, testing::NewProjectRequest("HOT"), &resp)
            .ok());
    project_id = resp.project().project_id();
  }
  const int64_t start_version = ReadVersion(*stub, project_id);

  std::vector<WriterTally> tallies(kWriters);
  std::vector<std::thread> writers;
  writers.reserve(kWriters);
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back(
        [&, w] { Write(pmo.port, project_id, w, tallies[w]); });
  }
  for (std::thread& t : writers) t.join();

  int acked = 0, aborted = 0;
  for (const WriterTally& t : tallies) {
    acked += t.acked;
    aborted += t.aborted;
    EXPECT_THAT(t.other_errors, ::testing::IsEmpty());
    EXPECT_EQ(t.aborted_without_version, 0)
        << "ABORTED without the current version";
  }
  ASSERT_EQ(acked, kWriters * kTasksPerWriter);
  // With eight writers on one project, reads and writes interleave; a run
  // without a single conflict would not have tested anything.
  EXPECT_GT(aborted, 0);

  // No lost update: the version counts every acknowledged task once, and
  // the schedule holds each of them.
  EXPECT_EQ(ReadVersion(*stub, project_id), start_version + acked);
  pv1::GetProjectScheduleRequest req;
  req.set_project_id(project_id);
  grpc::ClientContext ctx;
  pv1::GetProjectScheduleResponse schedule;
  ASSERT_TRUE(stub->GetProjectSchedule(&ctx, req, &schedule).ok());
  std::set<std::string> names;
  for (const auto& t : schedule.tasks()) names.insert(t.name());
  EXPECT_EQ(names.size(), static_cast<size_t>(acked));
  EXPECT_EQ(schedule.tasks_size(), acked);
  std::printf("conflicting-writers: writers=%d acknowledged=%d aborted=%d\n",
              kWriters, acked, aborted);

  EXPECT_EQ(pmo.StopCleanly(), absl::OkStatus());
}

}  // namespace
}  // namespace pmo
