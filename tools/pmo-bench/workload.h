#pragma once

// The port between the load runner and what it drives.
//
// A Workload makes one WorkloadSession per worker. Making a session is the
// unmeasured set-up (projects to book resources on, a connected channel);
// WorkloadSession::Next() is one measured request. A session belongs to one
// worker thread, so it keeps its own state (ids it created, versions)
// without locks, and workers never contend on the client side.

#include <grpcpp/support/status.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace pmo::bench {

struct CallOutcome {
  // The RPC's method name, e.g. "CreateProject": a string literal, so the
  // runner can key its statistics by it without copying.
  const char* operation = "";
  grpc::StatusCode code = grpc::StatusCode::OK;
};

class WorkloadSession {
 public:
  virtual ~WorkloadSession() = default;
  // Sends the next request, waits for the answer and says how it ended.
  virtual CallOutcome Next() = 0;
};

class Workload {
 public:
  virtual ~Workload() = default;
  // Set-up for worker `worker` (0-based); called on the worker's thread
  // before the clock starts, all workers at once.
  virtual absl::StatusOr<std::unique_ptr<WorkloadSession>> StartSession(
      int worker) = 0;
};

}  // namespace pmo::bench
