#pragma once

// Enforces authentication and the PMO roles (libs/auth/access_policy.h) on
// every method of a service, before its handler runs.
//
// gRPC C++ server interceptors cannot end a call (grpc/grpc#22395), so the
// guard wraps each method's handler instead: it checks the caller the
// interceptor chain resolved and the received request, and on a refusal
// hands the handler a failed request status, which gRPC's own handler turns
// into the reply without calling the service. A refused call therefore
// appends nothing and reads nothing.
//
// For every call, whether or not roles are enforced, the guard also
//  - answers a request it cannot decode with INVALID_ARGUMENT naming what
//    could not be read (a string field that is not UTF-8, bytes that are
//    not the request message), never INTERNAL;
//  - refuses ids (fields id, *_id, *_ids) longer than 128 bytes or holding
//    control characters, naming the field;
//  - registers the call's RPC and request, which scope its request_id
//    (call_context.h).
// A service whose RPCs are keyed by item ids implements auth::ItemScopes;
// the guard asks it for the item's project when the rule needs it.

#include <grpcpp/impl/service_type.h>

namespace pmo::grpcserver {

// Wraps every method of `service` (once; a second call changes nothing).
// Call before the service is registered with a server.
void GuardServiceMethods(grpc::Service* service);

}  // namespace pmo::grpcserver
