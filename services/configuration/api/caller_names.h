#pragma once

// Who a configuration step records as its actor: the caller, never a name
// typed in the request.

#include <grpcpp/server_context.h>

#include <string>

#include "libs/grpcserver/call_context.h"
#include "services/configuration/app/actors.h"

namespace pmo::configuration {

using grpcserver::ActorName;

}  // namespace pmo::configuration
