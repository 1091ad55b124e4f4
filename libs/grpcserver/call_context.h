#pragma once

// What a handler knows about its caller, taken from the call's metadata:
// the principal, the trace context and the correlation id.
//
// Authentication plugs in as a PrincipalResolver; handlers only ever ask
// CallerOf(context), so they do not change when it does.

#include <grpcpp/server_context.h>

#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "google/protobuf/message.h"
#include "libs/auth/principal.h"
#include "libs/eventsourcing/command_handling.h"

namespace pmo::auth {
class TokenVerifier;
}  // namespace pmo::auth

namespace pmo::grpcserver {

struct CallerPrincipal {
  std::string name;  // e.g. "alice" or "service:reporting"
  bool authenticated = false;
  // Roles and managed projects from a verified bearer token; empty for the
  // development header.
  auth::Principal grants;
};

// Decides who is calling. The development resolver trusts the
// "x-pmo-principal" header (loopback only); the bearer resolver verifies
// the "authorization: Bearer <JWT>" header and refuses a call without one.
class PrincipalResolver {
 public:
  virtual ~PrincipalResolver() = default;
  virtual absl::StatusOr<CallerPrincipal> Resolve(
      const grpc::ServerContextBase& context) const = 0;
};

std::unique_ptr<PrincipalResolver> MakeDevelopmentPrincipalResolver();
// UNAUTHENTICATED (no token, or the verifier's refusal) unless the call
// carries a valid bearer token.
std::unique_ptr<PrincipalResolver> MakeBearerTokenResolver(
    std::shared_ptr<const auth::TokenVerifier> verifier);

// The principal of the call, as the interceptor chain resolved it.
CallerPrincipal CallerOf(const grpc::ServerContextBase& context);

// The name a step records as its actor (a reviewer, a voter, an
// approver): the caller's, never a name typed in the request; `typed` only
// when the call names nobody ("anonymous": a development server without
// the x-pmo-principal header), so scripts that name their actors keep
// working there.
std::string ActorName(const grpc::ServerContextBase& context,
                      const std::string& typed);

// The command context of a call: request_id, expected version, actor,
// correlation id (x-correlation-id header, else the request_id) and the W3C
// traceparent header (a new trace when absent). The request_id is kept
// under the caller and the RPC (eventsourcing::CallerScopedRequestId) with
// a fingerprint of the whole request, which the method guard registered
// (RememberRequest): a replay by the same caller of the same request gets
// the first answer, the same id with another request is refused, and
// another caller's id never meets it. The events' causation id stays the
// id the client sent.
eventsourcing::CommandContext CommandContextOf(
    const grpc::ServerContextBase& context, const std::string& request_id,
    std::optional<int64_t> expected_version);
// The same for a command request with a `request_id` and an optional
// `expected_version` field.
template <typename Request>
eventsourcing::CommandContext CommandContextOf(
    const grpc::ServerContextBase& context, const Request& request) {
  std::optional<int64_t> expected_version;
  if (request.has_expected_version())
    expected_version = request.expected_version();
  return CommandContextOf(context, request.request_id(), expected_version);
}

// How the call's authentication ended, when the server requires it: OK,
// or the UNAUTHENTICATED refusal the method guard answers with.
// FAILED_PRECONDITION if the interceptor chain never saw the call.
absl::Status AuthenticationOf(const grpc::ServerContextBase& context);
// True when the server that took the call enforces roles.
bool AuthorizationRequired(const grpc::ServerContextBase& context);

// Remember and forget a call's principal (or why there is none) and whether
// the server enforces roles: the interceptor chain does it for every call,
// and an in-process caller of a handler acting for a person does it for
// its own ServerContext (services/reporting/adapters/projection_views.cc).
void RememberCaller(const grpc::ServerContextBase* context,
                    absl::StatusOr<CallerPrincipal> caller, bool authorize);
void ForgetCaller(const grpc::ServerContextBase* context);

// Registers the call's RPC (full name) and its decoded request, which
// lives until the handler returns; the method guard does it for every
// call before the handler runs.
void RememberRequest(const grpc::ServerContextBase* context, std::string method,
                     const google::protobuf::Message* request);

}  // namespace pmo::grpcserver
