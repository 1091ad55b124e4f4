#include "libs/grpcserver/method_guard.h"

#include <grpc/byte_buffer.h>
#include <grpcpp/impl/rpc_service_method.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "libs/auth/access_policy.h"
#include "libs/base/status_macros.h"
#include "libs/grpcserver/call_context.h"
#include "libs/grpcserver/request_checks.h"
#include "libs/grpcserver/status_mapping.h"
#include "libs/grpcserver/undecodable_request.h"

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
                       const google::protobuf::MethodDescriptor* descriptor,
                       const auth::ItemScopes* items)
      : inner_(std::move(inner)), descriptor_(descriptor), items_(items) {}

  void RunHandler(const HandlerParameter& param) override {
    MethodHandler* handler = inner_->handler();
    const bool authorize = AuthorizationRequired(*param.server_context);
    if (!param.status.ok()) {
      // A request that could not be decoded: a caller without credentials
      // learns only that, the others what could not be read.
      absl::Status authenticated = authorize
                                       ? AuthenticationOf(*param.server_context)
                                       : absl::OkStatus();
      if (authenticated.ok()) {
        handler->RunHandler(param);
      } else {
        handler->RunHandler(
            HandlerParameter(param.call, param.server_context, nullptr,
                             ToGrpcStatus(authenticated), param.internal_data,
                             param.call_requester));
      }
      return;
    }
    const auto* request =
        static_cast<const google::protobuf::Message*>(param.request);
    absl::Status allowed = Check(*param.server_context, request, authorize);
    if (allowed.ok()) {
      if (descriptor_ != nullptr) {
        RememberRequest(param.server_context, descriptor_->full_name(),
                        request);
      }
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
        param.call, param.server_context, nullptr, ToGrpcStatus(allowed),
        param.internal_data, param.call_requester));
  }

  void* Deserialize(grpc_call* call, grpc_byte_buffer* request,
                    grpc::Status* status, void** handler_data) override {
    // The inner handler consumes the buffer; a copy (shared slices, no
    // bytes copied) lets a failure say what could not be read.
    grpc_byte_buffer* kept =
        request != nullptr ? grpc_byte_buffer_copy(request) : nullptr;
    void* decoded =
        inner_->handler()->Deserialize(call, request, status, handler_data);
    if (!status->ok() && kept != nullptr && descriptor_ != nullptr) {
      *status = ToGrpcStatus(
          UndecodableRequestError(*descriptor_->input_type(), kept));
    }
    if (kept != nullptr) grpc_byte_buffer_destroy(kept);
    return decoded;
  }

 private:
  absl::Status Check(const grpc::ServerContextBase& context,
                     const google::protobuf::Message* request,
                     bool authorize) const {
    if (authorize) RETURN_IF_ERROR(AuthenticationOf(context));
    if (descriptor_ == nullptr || request == nullptr) {
      if (!authorize) return absl::OkStatus();
      return absl::PermissionDeniedError(
          absl::StrCat(inner_->name(), ": no access rule for this method"));
    }
    RETURN_IF_ERROR(CheckIdFields(*request));
    if (!authorize) return absl::OkStatus();
    auth::ItemScopeLookup item_scope;
    if (items_ != nullptr) {
      item_scope = [this, request] {
        return items_->ScopeOf(*descriptor_, *request);
      };
    }
    return auth::Authorize(CallerOf(context).grants, *descriptor_, *request,
                           item_scope);
  }

  std::unique_ptr<RpcServiceMethod> inner_;
  const google::protobuf::MethodDescriptor* descriptor_;
  const auth::ItemScopes* items_;
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
    // "/pmo.projects.v1.ProjectsService/AddTask" ->
    // "pmo.projects.v1.ProjectsService.AddTask"
    std::string full_name = std::string(method->name()).substr(1);
    std::replace(full_name.begin(), full_name.end(), '/', '.');
    const google::protobuf::MethodDescriptor* descriptor =
        google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(
            full_name);
    const char* name = method->name();
    const grpc::internal::RpcMethod::RpcType type = method->method_type();
    auto* guard = new GuardedMethodHandler(
        std::move(method), descriptor,
        dynamic_cast<const auth::ItemScopes*>(service));
    method = std::make_unique<RpcServiceMethod>(name, type, guard);
  }
}

}  // namespace pmo::grpcserver
