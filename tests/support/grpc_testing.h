#pragma once

// Helpers for tests that talk to a real server over gRPC.

#include <grpcpp/grpcpp.h>

#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "libs/grpcclient/client_security.h"

namespace pmo::testing {

// A plain-text channel to 127.0.0.1:port, connected (or failing the test
// caller's expectation via the returned bool of WaitConnected).
std::shared_ptr<grpc::Channel> LoopbackChannel(int port);
// The same with TLS (mutual TLS with a client certificate) as `security`
// says; tokens go per call (grpcclient::AddCallCredentials).
std::shared_ptr<grpc::Channel> LoopbackChannel(
    int port, const grpcclient::ClientSecurity& security);

// The fields named by google.rpc.BadRequest in a status's details.
std::vector<std::string> BadRequestFields(const grpc::Status& status);

// The rules (PreconditionFailure violation types) a FAILED_PRECONDITION
// status names, e.g. "CHANGE_REQUEST_WORKFLOW".
std::vector<std::string> PreconditionRules(const grpc::Status& status);

// The "current_version" of a VERSION_CONFLICT ErrorInfo, or -1.
int64_t ConflictCurrentVersion(const grpc::Status& status);

// Parses "... port N ..." from a service's start-up line; 0 if absent.
int PortFromStartupLine(const std::string& line);

// Calls `rpc` (returning grpc::Status) again while it fails with
// FAILED_PRECONDITION, for at most `timeout`: a service that learns the
// portfolio structure from Kafka refuses a scope it has not seen yet.
template <typename Call>
grpc::Status RetryWhileFailedPrecondition(
    Call rpc, absl::Duration timeout = absl::Seconds(90)) {
  grpc::Status s;
  const absl::Time deadline = absl::Now() + timeout;
  do {
    s = rpc();
    if (s.error_code() == grpc::StatusCode::FAILED_PRECONDITION) {
      absl::SleepFor(absl::Milliseconds(200));
    }
  } while (s.error_code() == grpc::StatusCode::FAILED_PRECONDITION &&
           absl::Now() < deadline);
  return s;
}

}  // namespace pmo::testing
