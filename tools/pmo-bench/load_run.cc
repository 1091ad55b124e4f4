#include "tools/pmo-bench/load_run.h"

#include <latch>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "tools/pmo-bench/rate_schedule.h"

namespace pmo::bench {

int64_t OperationStats::requests() const { return successes + error_count(); }

int64_t OperationStats::error_count() const {
  int64_t n = 0;
  for (const auto& [code, count] : errors) n += count;
  return n;
}

void OperationStats::Record(grpc::StatusCode code, absl::Duration took) {
  if (code == grpc::StatusCode::OK) {
    ++successes;
    latency.Record(absl::ToInt64Nanoseconds(took));
  } else {
    ++errors[code];
  }
}

void OperationStats::Merge(const OperationStats& other) {
  successes += other.successes;
  for (const auto& [code, count] : other.errors) errors[code] += count;
  latency.Merge(other.latency);
}

namespace {

// Each worker keeps its own statistics (no shared state on the hot path),
// keyed by the operation's string literal so recording allocates nothing;
// they are merged by name once the run is over.
struct WorkerStats {
  std::map<const char*, OperationStats> operations;
};

// Everything the workers share: set before `go` opens, read-only after.
struct RunClock {
  absl::Time start;
  absl::Time end;
  std::optional<RateSchedule> schedule;
};

void DriveSession(WorkloadSession& session, const RunClock& clock,
                  RequestTickets& tickets, WorkerStats& stats) {
  while (true) {
    const std::optional<int64_t> n = tickets.Next();
    if (!n) return;
    absl::Time due;
    if (clock.schedule) {
      const std::optional<absl::Time> at = clock.schedule->DueTime(*n);
      if (!at) return;
      due = *at;
      const absl::Time now = absl::Now();
      // A request due at or after the end is not part of the run; one due
      // earlier but only reached now still goes, late, and its latency says
      // so. Nothing starts after the end, though.
      if (now >= clock.end) return;
      if (due > now) absl::SleepFor(due - now);
    } else {
      due = absl::Now();
      if (due >= clock.end) return;
    }
    const CallOutcome outcome = session.Next();
    stats.operations[outcome.operation].Record(outcome.code, absl::Now() - due);
  }
}

}  // namespace

absl::StatusOr<LoadResult> RunLoad(Workload& workload,
                                   const LoadOptions& options) {
  if (options.concurrency < 1)
    return absl::InvalidArgumentError("concurrency must be >= 1");
  const int workers = options.concurrency;
  std::vector<WorkerStats> stats(workers);
  std::vector<std::unique_ptr<WorkloadSession>> sessions(workers);
  std::mutex error_mu;
  absl::Status first_error;
  RunClock clock;
  RequestTickets tickets(options.max_requests);
  bool go_ahead = false;  // written before `go` opens

  std::latch ready(workers);
  std::latch go(1);
  std::vector<std::thread> threads;
  threads.reserve(workers);
  for (int w = 0; w < workers; ++w) {
    threads.emplace_back([&, w] {
      auto session = workload.StartSession(w);
      if (session.ok()) {
        sessions[w] = std::move(*session);
      } else {
        std::lock_guard<std::mutex> lock(error_mu);
        if (first_error.ok()) {
          first_error = absl::Status(session.status().code(),
                                     absl::StrCat("worker ", w, " set-up: ",
                                                  session.status().message()));
        }
      }
      ready.count_down();
      go.wait();
      if (go_ahead) DriveSession(*sessions[w], clock, tickets, stats[w]);
    });
  }
  ready.wait();
  {
    std::lock_guard<std::mutex> lock(error_mu);
    go_ahead = first_error.ok();
  }
  clock.start = absl::Now();
  clock.end = clock.start + options.duration;
  if (options.rate_per_second > 0) {
    clock.schedule.emplace(clock.start, options.rate_per_second,
                           options.duration);
  }
  go.count_down();
  for (std::thread& t : threads) t.join();
  if (!first_error.ok()) return first_error;

  LoadResult result;
  result.elapsed = absl::Now() - clock.start;
  for (const WorkerStats& s : stats) {
    for (const auto& [name, op] : s.operations) {
      result.operations[name].Merge(op);
      result.total.Merge(op);
    }
  }
  if (clock.schedule) {
    int64_t due = clock.schedule->size();
    if (options.max_requests > 0 && options.max_requests < due)
      due = options.max_requests;
    result.missed = due - result.total.requests();
  }
  return result;
}

}  // namespace pmo::bench
