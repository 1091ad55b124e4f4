#pragma once

// absl::Status -> grpc::Status. Codes map straight through (Abseil's
// canonical codes are gRPC's). Structured errors gain google.rpc details in
// the binary error details (grpc-status-details-bin):
//   INVALID_ARGUMENT with field violations -> google.rpc.BadRequest
//   FAILED_PRECONDITION naming a rule       -> google.rpc.PreconditionFailure
//   ABORTED version conflict                -> google.rpc.ErrorInfo
//        reason "VERSION_CONFLICT", metadata {"current_version": "<n>"}

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace pmo::grpcserver {

grpc::Status ToGrpcStatus(const absl::Status& status);

// The reverse, for clients and tests: code and message only.
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace pmo::grpcserver
