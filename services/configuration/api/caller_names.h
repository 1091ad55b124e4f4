#pragma once

// Who a configuration step records as its actor: the caller, never a name
// typed in the request.

#include <string>

#include <grpcpp/server_context.h>

#include "libs/grpcserver/call_context.h"
#include "services/configuration/app/actors.h"

namespace pmo::configuration {

// The caller's name (the token's subject, or the development header's
// name); `typed` only when the call names nobody ("anonymous": a server
// without authentication and no x-pmo-principal header), which keeps
// scripts and demos that name their actors working.
inline std::string ActorName(const grpc::ServerContextBase& context, const std::string& typed) {
  const grpcserver::CallerPrincipal caller = grpcserver::CallerOf(context);
  if (caller.authenticated || (!caller.name.empty() && caller.name != "anonymous")) {
    return caller.name;
  }
  return typed;
}


}  // namespace pmo::configuration
