#pragma once

// Why a request's bytes could not be decoded as its message, for the
// INVALID_ARGUMENT the method guard answers instead of gRPC's INTERNAL:
// a caller's malformed request is the caller's mistake, and an INTERNAL
// rate is what operators alert on.

#include <grpc/byte_buffer.h>

#include "absl/status/status.h"
#include "google/protobuf/descriptor.h"

namespace pmo::grpcserver {

// INVALID_ARGUMENT naming the first string field (path "task.name") whose
// bytes are not UTF-8, or saying that the bytes are not a `type` message
// at all. Reads `received` without consuming it.
absl::Status UndecodableRequestError(const google::protobuf::Descriptor& type,
                                     grpc_byte_buffer* received);

}  // namespace pmo::grpcserver
