#pragma once

// The server interceptor chain every service gets, in this order:
//   1. caller: resolves the principal (or why it cannot) and keeps it for
//      CallerOf(context) and the method guard (method_guard.h), which
//      refuses the call before its handler runs;
//   2. metrics: counts each RPC by method and final code, with its latency;
//   3. request log: one line per RPC on stderr (method, code, time, caller).

#include <grpcpp/support/server_interceptor.h>

#include <memory>
#include <vector>

#include "libs/grpcserver/call_context.h"
#include "libs/grpcserver/request_metrics.h"

namespace pmo::grpcserver {

struct InterceptorOptions {
  const PrincipalResolver* principals = nullptr;  // required
  RequestMetrics* metrics = nullptr;              // required
  bool log_requests = true;
  // The server enforces roles (method_guard.h reads it per call).
  bool authorize = false;
};

std::vector<
    std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
MakeInterceptorChain(const InterceptorOptions& options);

}  // namespace pmo::grpcserver
