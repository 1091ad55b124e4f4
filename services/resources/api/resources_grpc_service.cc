#include "services/resources/api/resources_grpc_service.h"

#include "libs/base/errors.h"
#include "libs/base/ids.h"
#include "libs/eventsourcing/request_ids.h"
#include "libs/grpcserver/call_context.h"
#include "libs/grpcserver/status_mapping.h"

namespace pmo::resources {
namespace {

using grpcserver::ToGrpcStatus;

void CheckRequestId(FieldViolations& v, const std::string& request_id) {
  if (request_id.empty() || request_id.size() > 128) {
    v.Add("request_id", "must be 1-128 characters, unique per intended change");
  } else if (eventsourcing::IsReservedRequestId(request_id)) {
    v.Add("request_id", "must not start with '~' (reserved for ids the service derives)");
  }
}

void CheckId(FieldViolations& v, const char* field, const std::string& id) {
  if (!IsUuid(id)) v.Add(field, "must be an id (a UUID)");
}

void AddAll(FieldViolations& v, const absl::Status& status) {
  for (const FieldViolation& f : FieldViolationsOf(status)) v.Add(f.field, f.description);
}

template <typename Request>
std::optional<int64_t> ExpectedVersionOf(const Request& request) {
  if (!request.has_expected_version()) return std::nullopt;
  return request.expected_version();
}

v1::Resource ToProto(const VersionedResource& r) {
  v1::Resource out = r.state.state();
  out.set_version(r.version);
  return out;
}

}  // namespace

grpc::Status ResourcesGrpcService::RegisterResource(grpc::ServerContext* context,
                                                    const v1::RegisterResourceRequest* request,
                                                    v1::RegisterResourceResponse* response) {
  FieldViolations v;
  CheckRequestId(v, request->request_id());
  v1::ResourceRegistered registration;
  registration.set_name(request->name());
  registration.set_kind(request->kind());
  registration.set_organisation_unit(request->organisation_unit());
  *registration.mutable_skills() = request->skills();
  *registration.mutable_cost_rates() = request->cost_rates();
  *registration.mutable_calendar() = request->calendar();
  AddAll(v, ValidateRegistration(registration));
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  auto resource = handlers_.RegisterResource(
      std::move(registration),
      grpcserver::CommandContextOf(*context, request->request_id(), std::nullopt));
  if (!resource.ok()) return ToGrpcStatus(resource.status());
  *response->mutable_resource() = ToProto(*resource);
  return grpc::Status::OK;
}

grpc::Status ResourcesGrpcService::GetResource(grpc::ServerContext* context,
                                               const v1::GetResourceRequest* request,
                                               v1::GetResourceResponse* response) {
  FieldViolations v;
  CheckId(v, "resource_id", request->resource_id());
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  auto resource = handlers_.GetResource(request->resource_id());
  if (!resource.ok()) return ToGrpcStatus(resource.status());
  *response->mutable_resource() = ToProto(*resource);
  return grpc::Status::OK;
}

grpc::Status ResourcesGrpcService::RecordAbsence(grpc::ServerContext* context,
                                                 const v1::RecordAbsenceRequest* request,
                                                 v1::RecordAbsenceResponse* response) {
  FieldViolations v;
  CheckRequestId(v, request->request_id());
  CheckId(v, "resource_id", request->resource_id());
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  auto outcome = handlers_.RecordAbsence(
      request->resource_id(), request->absence(),
      grpcserver::CommandContextOf(*context, request->request_id(), ExpectedVersionOf(*request)));
  if (!outcome.ok()) return ToGrpcStatus(outcome.status());
  *response->mutable_resource() = ToProto(outcome->resource);
  for (const auto& d : outcome->newly_over_allocated) *response->add_newly_over_allocated() = d;
  return grpc::Status::OK;
}

grpc::Status ResourcesGrpcService::AllocateResource(grpc::ServerContext* context,
                                                    const v1::AllocateResourceRequest* request,
                                                    v1::AllocateResourceResponse* response) {
  FieldViolations v;
  CheckRequestId(v, request->request_id());
  CheckId(v, "resource_id", request->resource_id());
  CheckId(v, "project_id", request->project_id());
  v1::Allocation allocation;
  allocation.set_project_id(request->project_id());
  allocation.set_task_id(request->task_id());
  *allocation.mutable_from() = request->from();
  *allocation.mutable_to() = request->to();
  allocation.set_unit(request->unit());
  allocation.set_amount(request->amount());
  for (const FieldViolation& f : FieldViolationsOf(ValidateAllocationShape(allocation))) {
    if (f.field != "project_id") v.Add(f.field, f.description);
  }
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  auto outcome = handlers_.Allocate(
      request->resource_id(), std::move(allocation),
      grpcserver::CommandContextOf(*context, request->request_id(), ExpectedVersionOf(*request)));
  if (!outcome.ok()) return ToGrpcStatus(outcome.status());
  *response->mutable_resource() = ToProto(outcome->resource);
  response->set_allocation_id(outcome->allocation_id);
  for (const auto& d : outcome->newly_over_allocated) *response->add_newly_over_allocated() = d;
  return grpc::Status::OK;
}

grpc::Status ResourcesGrpcService::CancelAllocation(grpc::ServerContext* context,
                                                    const v1::CancelAllocationRequest* request,
                                                    v1::CancelAllocationResponse* response) {
  FieldViolations v;
  CheckRequestId(v, request->request_id());
  CheckId(v, "resource_id", request->resource_id());
  if (request->allocation_id().empty()) v.Add("allocation_id", "is required");
  if (request->reason().size() > 1000) v.Add("reason", "at most 1000 characters");
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  auto outcome = handlers_.CancelAllocation(
      request->resource_id(), request->allocation_id(), request->reason(),
      grpcserver::CommandContextOf(*context, request->request_id(), ExpectedVersionOf(*request)));
  if (!outcome.ok()) return ToGrpcStatus(outcome.status());
  *response->mutable_resource() = ToProto(outcome->resource);
  for (absl::CivilDay day : outcome->resolved_days) {
    google::type::Date* d = response->add_resolved_days();
    d->set_year(static_cast<int>(day.year()));
    d->set_month(day.month());
    d->set_day(day.day());
  }
  return grpc::Status::OK;
}

grpc::Status ResourcesGrpcService::GetResourceLoad(grpc::ServerContext* context,
                                                   const v1::GetResourceLoadRequest* request,
                                                   v1::GetResourceLoadResponse* response) {
  FieldViolations v;
  CheckId(v, "resource_id", request->resource_id());
  auto day_of = [&](const char* field, const google::type::Date& d, absl::CivilDay* out) {
    const absl::CivilDay day(d.year(), d.month(), d.day());
    if (d.year() < 1 || d.month() < 1 || d.month() > 12 || d.day() < 1 || day.day() != d.day()) {
      v.Add(field, "must be a real date");
    } else {
      *out = day;
    }
  };
  absl::CivilDay from, to;
  day_of("from", request->from(), &from);
  day_of("to", request->to(), &to);
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  auto load = handlers_.GetLoad(request->resource_id(), from, to);
  if (!load.ok()) return ToGrpcStatus(load.status());
  for (auto& d : load->days) *response->add_days() = std::move(d);
  for (auto& d : load->over_allocated) *response->add_over_allocated() = std::move(d);
  return grpc::Status::OK;
}

}  // namespace pmo::resources
