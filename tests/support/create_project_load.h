#pragma once

// Load for fault tests: client threads sending CreateProject commands, each
// with a request_id and project code of its own, and a ledger of what the
// service answered. A fault (a kill, a broker stop, a full disk) cuts some
// calls off; the ledger tells which were acknowledged, so a test can retry
// the others with their own request_id and then check that every command is
// stored exactly once.

#include <grpcpp/grpcpp.h>

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "pmo/projects/v1/projects_service.grpc.pb.h"
#include "tests/support/command_load.h"
#include "tests/support/flowing_load.h"

namespace pmo::testing {

// One command as sent, with the service's answer.
struct SentCommand {
  ::pmo::projects::v1::CreateProjectRequest request;
  grpc::StatusCode code = grpc::StatusCode::UNKNOWN;
  std::string error;
  std::string project_id;  // set when acknowledged
  bool acked() const { return code == grpc::StatusCode::OK; }
};

class CreateProjectLoad : public FlowingLoad {
 public:
  struct Options {
    int threads = 4;
    // Codes are "<code_prefix>-<thread>-<n>"; request ids "fault-<code>".
    std::string code_prefix = "L";
    // Per call; a call cut off by a kill ends with UNAVAILABLE well before.
    absl::Duration rpc_deadline = absl::Seconds(5);
    // Between two calls of one thread (zero: back to back).
    absl::Duration pause = absl::ZeroDuration();
    // Upper bound per thread, so the load ends by itself.
    int max_per_thread = 5000;
  };

  // Starts the threads at once against 127.0.0.1:port.
  CreateProjectLoad(int port, const Options& options);

  void Stop() override { load_.Stop(); }
  // Everything sent, in no particular order; call after Stop().
  std::vector<SentCommand> TakeSent();
  int64_t acked() const override { return load_.acked(); }
  int64_t failed() const { return load_.failed(); }

 private:
  // The ledger's request_id is the project code.
  CommandLoad load_;
};

// Sends `command` again with its own request_id until the service answers
// OK or `timeout` passes; fills in code, error and project_id.
void RetryUntilAcked(int port, SentCommand& command, absl::Duration timeout);

}  // namespace pmo::testing
