#include "libs/grpcserver/interceptors.h"

#include <cstdio>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/base/log_line.h"

namespace pmo::grpcserver {
namespace {

using grpc::experimental::InterceptionHookPoints;
using grpc::experimental::Interceptor;
using grpc::experimental::InterceptorBatchMethods;
using grpc::experimental::ServerInterceptorFactoryInterface;
using grpc::experimental::ServerRpcInfo;

std::string CodeName(grpc::StatusCode code) {
  return absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
}

// The trace id of the caller's W3C traceparent ("00-<32 hex>-<16 hex>-<2
// hex>"), or empty.
std::string TraceIdOf(const grpc::ServerContextBase& context) {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find("traceparent");
  if (it == metadata.end()) return "";
  const std::string value(it->second.data(), it->second.size());
  if (value.size() != 55 || value[2] != '-' || value[35] != '-') return "";
  return value.substr(3, 32);
}

class CallInterceptor : public Interceptor {
 public:
  CallInterceptor(ServerRpcInfo* info, const InterceptorOptions& options)
      : info_(info), options_(options), started_(absl::Now()) {}

  void Intercept(InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      grpc::ServerContextBase* context = info_->server_context();
      RememberCaller(context, options_.principals->Resolve(*context),
                     options_.authorize);
    }
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_STATUS)) {
      const grpc::Status status = methods->GetSendStatus();
      const absl::Duration took = absl::Now() - started_;
      const std::string code = CodeName(status.error_code());
      options_.metrics->Record(info_->method(), code, took);
      if (options_.log_requests) {
        const CallerPrincipal caller = CallerOf(*info_->server_context());
        // The trace id lets a log collector join this line to the events
        // the call appended (their traceparent header carries the same id).
        LogLine("info", "rpc",
                {{"method", info_->method()},
                 {"code", code},
                 {"ms", absl::StrCat(absl::ToDoubleMilliseconds(took))},
                 {"caller", caller.name},
                 {"trace_id", TraceIdOf(*info_->server_context())},
                 {"error", status.ok() ? "" : status.error_message()}});
      }
    }
    methods->Proceed();
  }

  // The call is over, whichever way it ended (even cancelled).
  ~CallInterceptor() override { ForgetCaller(info_->server_context()); }

 private:
  ServerRpcInfo* info_;
  const InterceptorOptions& options_;
  absl::Time started_;
};

class CallInterceptorFactory : public ServerInterceptorFactoryInterface {
 public:
  explicit CallInterceptorFactory(InterceptorOptions options)
      : options_(options) {}
  Interceptor* CreateServerInterceptor(ServerRpcInfo* info) override {
    return new CallInterceptor(info, options_);
  }

 private:
  InterceptorOptions options_;
};

}  // namespace

std::vector<std::unique_ptr<ServerInterceptorFactoryInterface>>
MakeInterceptorChain(const InterceptorOptions& options) {
  // One interceptor does the three jobs: they share the call's start time
  // and must run in a fixed order around the same hook points.
  std::vector<std::unique_ptr<ServerInterceptorFactoryInterface>> chain;
  chain.push_back(std::make_unique<CallInterceptorFactory>(options));
  return chain;
}

}  // namespace pmo::grpcserver
