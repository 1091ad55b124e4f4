#pragma once

// Runs a workload at a concurrency for a duration, open or closed loop, and
// gathers what happened.
//
//   closed loop (rate 0): each of `concurrency` workers sends its next
//     request as soon as the previous one is answered; latency is from send
//     to answer. Throughput is what the target sustains at that concurrency.
//   open loop (rate > 0): requests are due on a fixed schedule (see
//     rate_schedule.h); a free worker takes the next due request, waits until
//     it is due and sends it. Latency is from the due time, so queueing for a
//     worker counts. Requests still undispatched at the end are `missed`.
//
// Both stop taking new requests at start + duration, or after
// `max_requests`; requests in flight then finish (each call has its own
// deadline), so a run ends by itself within duration + call timeout.

#include <cstdint>
#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tools/pmo-bench/latency_histogram.h"
#include "tools/pmo-bench/workload.h"

namespace pmo::bench {

struct LoadOptions {
  int concurrency = 8;
  // Requests per second over all workers; 0: closed loop.
  double rate_per_second = 0;
  absl::Duration duration = absl::Seconds(10);
  // 0: no bound but the duration.
  int64_t max_requests = 0;
};

// What one operation (or all of them) did.
struct OperationStats {
  int64_t successes = 0;
  // By gRPC status code (never OK).
  std::map<grpc::StatusCode, int64_t> errors;
  // Of successful requests only, in nanoseconds: a fast refusal is not a
  // fast command.
  LatencyHistogram latency;

  int64_t requests() const;
  int64_t error_count() const;
  void Record(grpc::StatusCode code, absl::Duration took);
  void Merge(const OperationStats& other);
};

struct LoadResult {
  OperationStats total;
  std::map<std::string, OperationStats> operations;
  // From the start of the schedule until the last answer came back.
  absl::Duration elapsed;
  // Open loop: requests the schedule had due before the end but no worker
  // sent (the target could not keep up at this concurrency).
  int64_t missed = 0;
};

// Starts one session per worker (all must start, or the run is refused
// with the first error), then runs the load.
absl::StatusOr<LoadResult> RunLoad(Workload& workload,
                                   const LoadOptions& options);

}  // namespace pmo::bench
