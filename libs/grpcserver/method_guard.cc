#include "libs/grpcserver/method_guard.h"

#include <grpcpp/impl/rpc_service_method.h>

#include <memory>
#include <string>
#include <vector>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "libs/auth/access_policy.h"
#include "libs/grpcserver/call_context.h"

namespace pmo::grpcserver {
namespace {

using grpc::internal::MethodHandler;
using grpc::internal::RpcServiceMethod;

// grpc::Service keeps its methods private and offers no way to wrap a
// handler it already owns. An explicit instantiation may name a private
// member ([temp.spec.general]/6), which gives the guard the vector without
// patching gRPC.
using ServiceMethods = std::vector<std::unique_ptr<RpcServiceMethod>>;
using ServiceMethodsMember = ServiceMethods grpc::Service::*;
ServiceMethodsMember MethodsOfService();
template <ServiceMethodsMember Member>
struct ServiceMethodsAccess {
  friend ServiceMethodsMember MethodsOfService() { return Member; }
};
template struct ServiceMethodsAccess<&grpc::Service::methods_>;

class GuardedMethodHandler : public MethodHandler {
 public:
  GuardedMethodHandler(std::unique_ptr<RpcServiceMethod> inner,
                       const google::protobuf::MethodDescriptor* descriptor)
      : inner_(std::move(inner)), descriptor_(descriptor) {}

  void RunHandler(const HandlerParameter& param) override {
    MethodHandler* handler = inner_->handler();
    if (!param.status.ok() || !AuthorizationRequired(*param.server_context)) {
      handler->RunHandler(param);
      return;
    }
    absl::Status allowed = Check(param);
    if (allowed.ok()) {
      handler->RunHandler(param);
      return;
    }
    // gRPC's handler sends a failed request status as the reply and skips
    // the service; it expects the request destroyed as a failed
    // deserialization would have (arena memory, destructor only).
    if (param.request != nullptr) {
      static_cast<google::protobuf::Message*>(param.request)->~Message();
    }
    handler->RunHandler(HandlerParameter(
        param.call, param.server_context, nullptr,
        grpc::Status(static_cast<grpc::StatusCode>(allowed.code()),
                     std::string(allowed.message())),
        param.internal_data, param.call_requester));
  }

  void* Deserialize(grpc_call* call, grpc_byte_buffer* request, grpc::Status* status,
                    void** handler_data) override {
    return inner_->handler()->Deserialize(call, request, status, handler_data);
  }

 private:
  absl::Status Check(const HandlerParameter& param) const {
    absl::Status authenticated = AuthenticationOf(*param.server_context);
    if (!authenticated.ok()) return authenticated;
    if (descriptor_ == nullptr || param.request == nullptr) {
      return absl::PermissionDeniedError(
          absl::StrCat(inner_->name(), ": no access rule for this method"));
    }
    return auth::Authorize(CallerOf(*param.server_context).grants, *descriptor_,
                           *static_cast<const google::protobuf::Message*>(param.request));
  }

  std::unique_ptr<RpcServiceMethod> inner_;
  const google::protobuf::MethodDescriptor* descriptor_;
};

}  // namespace

void GuardServiceMethods(grpc::Service* service) {
  ServiceMethods& methods = service->*MethodsOfService();
  for (std::unique_ptr<RpcServiceMethod>& method : methods) {
    // Only synchronous methods (every PMO service's) are wrapped; generic
    // and already guarded ones are left as they are.
    if (!method || method->handler() == nullptr ||
        method->api_type() != RpcServiceMethod::ApiType::SYNC ||
        dynamic_cast<GuardedMethodHandler*>(method->handler()) != nullptr) {
      continue;
    }
    // "/pmo.projects.v1.ProjectsService/AddTask" -> "pmo.projects.v1.ProjectsService.AddTask"
    std::string full_name = std::string(method->name()).substr(1);
    std::replace(full_name.begin(), full_name.end(), '/', '.');
    const google::protobuf::MethodDescriptor* descriptor =
        google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(full_name);
    const char* name = method->name();
    const grpc::internal::RpcMethod::RpcType type = method->method_type();
    auto* guard = new GuardedMethodHandler(std::move(method), descriptor);
    method = std::make_unique<RpcServiceMethod>(name, type, guard);
  }
}

}  // namespace pmo::grpcserver
