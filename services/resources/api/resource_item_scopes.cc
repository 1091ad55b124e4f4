// Whose bookings and capacity requests the pool holds: the item scopes the
// method guard asks for before an RPC keyed by one of them runs (the class
// is declared in resources_grpc_service.h).

#include "absl/strings/str_cat.h"
#include "libs/base/errors.h"
#include "libs/base/status_macros.h"
#include "libs/eventsourcing/command_handling.h"
#include "libs/grpcserver/request_checks.h"
#include "services/resources/api/resources_grpc_service.h"

namespace pmo::resources {
namespace {

using grpcserver::CheckUuid;

}  // namespace

absl::StatusOr<std::optional<auth::ItemScope>> ResourcesGrpcService::ScopeOf(
    const google::protobuf::MethodDescriptor& method,
    const google::protobuf::Message& request) const {
  const google::protobuf::Descriptor* type = method.input_type();
  if (type == v1::CancelAllocationRequest::descriptor()) {
    const auto& cancel =
        static_cast<const v1::CancelAllocationRequest&>(request);
    RETURN_IF_ERROR(CheckUuid("resource_id", cancel.resource_id()));
    if (cancel.allocation_id().empty()) {
      FieldViolations v;
      v.Add("allocation_id", "is required");
      return v.ToStatus();
    }
    ASSIGN_OR_RETURN(VersionedResource resource,
                     handlers_.GetResource(cancel.resource_id()));
    // Cancelled bookings stay on the resource, so a retried cancellation
    // still finds its project.
    for (const v1::Allocation& a : resource.state.state().allocations()) {
      if (a.allocation_id() == cancel.allocation_id()) {
        return auth::ItemScope{.project_ids = {a.project_id()}};
      }
    }
    return absl::NotFoundError(
        absl::StrCat("allocation ", cancel.allocation_id(),
                     " not found on resource ", cancel.resource_id()));
  }
  std::string capacity_request_id;
  if (type == v1::DecideCapacityRequestRequest::descriptor()) {
    capacity_request_id =
        static_cast<const v1::DecideCapacityRequestRequest&>(request)
            .capacity_request_id();
  } else if (type == v1::FulfilCapacityRequestRequest::descriptor()) {
    capacity_request_id =
        static_cast<const v1::FulfilCapacityRequestRequest&>(request)
            .capacity_request_id();
  } else {
    return std::nullopt;
  }
  RETURN_IF_ERROR(CheckUuid("capacity_request_id", capacity_request_id));
  ASSIGN_OR_RETURN(VersionedCapacityRequest asked,
                   handlers_.GetCapacityRequest(capacity_request_id));
  return auth::ItemScope{.project_ids = {asked.state.state().project_id()}};
}

}  // namespace pmo::resources
