// The runner over in-process workloads (no gRPC): request counting, error
// accounting, set-up failures, and that open-loop latency is measured from
// the due time. The runner against a real server is tested by
// tests/pmo_bench_test.cc.

#include "tools/pmo-bench/load_run.h"

#include <atomic>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/testing/status_matchers.h"

namespace pmo::bench {
namespace {

using ::pmo::testing::StatusIs;

// Every third request fails with UNAVAILABLE; each takes `service_time`.
class CountingWorkload final : public Workload {
 public:
  explicit CountingWorkload(absl::Duration service_time = absl::ZeroDuration(),
                            int failing_worker = -1)
      : service_time_(service_time), failing_worker_(failing_worker) {}

  absl::StatusOr<std::unique_ptr<WorkloadSession>> StartSession(
      int worker) override {
    if (worker == failing_worker_)
      return absl::UnavailableError("no such project");
    return std::make_unique<Session>(*this);
  }
  int sent() const { return sent_.load(); }

 private:
  class Session final : public WorkloadSession {
   public:
    explicit Session(CountingWorkload& w) : w_(w) {}
    CallOutcome Next() override {
      const int n = w_.sent_.fetch_add(1);
      if (w_.service_time_ > absl::ZeroDuration())
        absl::SleepFor(w_.service_time_);
      if (n % 3 == 2) return {"Fake", grpc::StatusCode::UNAVAILABLE};
      return {"Fake", grpc::StatusCode::OK};
    }

   private:
    CountingWorkload& w_;
  };

  absl::Duration service_time_;
  int failing_worker_;
  std::atomic<int> sent_{0};
};

TEST(RunLoad, ClosedLoopStopsAtTheRequestBound) {
  CountingWorkload workload;
  LoadOptions options;
  options.concurrency = 4;
  options.duration =
      absl::Minutes(5);  // the bound, not the clock, ends this run
  options.max_requests = 300;
  auto result = RunLoad(workload, options);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(workload.sent(), 300);
  EXPECT_EQ(result->total.requests(), 300);
  EXPECT_EQ(result->total.successes, 200);
  EXPECT_EQ(result->total.errors.at(grpc::StatusCode::UNAVAILABLE), 100);
  EXPECT_EQ(result->total.latency.count(), 200);  // successes only
  ASSERT_EQ(result->operations.size(), 1u);
  EXPECT_EQ(result->operations.at("Fake").successes, 200);
  EXPECT_EQ(result->missed, 0);
}

TEST(RunLoad, ClosedLoopStopsAtTheEndOfTheDuration) {
  CountingWorkload workload(absl::Milliseconds(1));
  LoadOptions options;
  options.concurrency = 2;
  options.duration = absl::Milliseconds(100);
  auto result = RunLoad(workload, options);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_GT(result->total.requests(), 0);
  EXPECT_EQ(result->total.requests(), workload.sent());
}

TEST(RunLoad, OneWorkerSetUpFailureRefusesTheRun) {
  CountingWorkload workload(absl::ZeroDuration(), /*failing_worker=*/1);
  LoadOptions options;
  options.concurrency = 3;
  options.max_requests = 10;
  EXPECT_THAT(RunLoad(workload, options),
              StatusIs(absl::StatusCode::kUnavailable,
                       ::testing::HasSubstr("worker 1")));
  EXPECT_EQ(workload.sent(), 0);
}

TEST(RunLoad, OpenLoopLatencyStartsAtTheDueTime) {
  // One worker, 20 ms per request, 200 requests/s due over 200 ms: request
  // i is due at 5i ms but cannot start before 20i ms. So at most 11 go out
  // (no start at or after 200 ms), the rest are missed, and request 1
  // (due 5 ms, done at >= 40 ms) has a latency of at least 35 ms although
  // its service time is 20 ms. Both are lower bounds that sleeping
  // guarantees, whatever the machine's speed.
  CountingWorkload workload(absl::Milliseconds(20));
  LoadOptions options;
  options.concurrency = 1;
  options.rate_per_second = 200;
  options.duration = absl::Milliseconds(200);
  auto result = RunLoad(workload, options);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_LE(result->total.requests(), 11);
  EXPECT_EQ(result->total.requests() + result->missed, 40);
  EXPECT_GE(result->total.latency.max(),
            absl::ToInt64Nanoseconds(absl::Milliseconds(35)));
}

TEST(RunLoad, OpenLoopSendsNothingBeforeItIsDue) {
  // 4 workers, 50 requests/s over 100 ms: requests due at 0, 20, 40, 60 and
  // 80 ms; every worker is free, so all five are sent and none missed.
  CountingWorkload workload;
  LoadOptions options;
  options.concurrency = 4;
  options.rate_per_second = 50;
  options.duration = absl::Milliseconds(100);
  const absl::Time before = absl::Now();
  auto result = RunLoad(workload, options);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->total.requests() + result->missed, 5);
  // The last request waited for its due time (80 ms after the start).
  if (result->missed == 0) {
    EXPECT_GE(absl::Now() - before, absl::Milliseconds(80));
  }
}

TEST(OperationStats, MergeAddsCountsErrorsAndLatencies) {
  OperationStats a, b;
  a.Record(grpc::StatusCode::OK, absl::Microseconds(100));
  a.Record(grpc::StatusCode::ABORTED, absl::Microseconds(5));
  b.Record(grpc::StatusCode::OK, absl::Microseconds(200));
  b.Record(grpc::StatusCode::ABORTED, absl::Microseconds(5));
  b.Record(grpc::StatusCode::DEADLINE_EXCEEDED, absl::Seconds(10));
  a.Merge(b);
  EXPECT_EQ(a.successes, 2);
  EXPECT_EQ(a.error_count(), 3);
  EXPECT_EQ(a.requests(), 5);
  EXPECT_EQ(a.errors.at(grpc::StatusCode::ABORTED), 2);
  EXPECT_EQ(a.latency.count(), 2);
  EXPECT_EQ(a.latency.max(), 200'000);
}

}  // namespace
}  // namespace pmo::bench
