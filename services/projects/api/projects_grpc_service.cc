#include "services/projects/api/projects_grpc_service.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "libs/base/errors.h"
#include "libs/base/ids.h"
#include "libs/base/time_format.h"
#include "libs/grpcserver/call_context.h"
#include "libs/grpcserver/status_mapping.h"

namespace pmo::projects {
namespace {

using grpcserver::ToGrpcStatus;

google::protobuf::Timestamp ToTimestamp(absl::Time t) {
  return google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
      ToUnixMicrosUtc(t));
}

void CheckRequestId(FieldViolations& v, const std::string& request_id) {
  if (request_id.empty() || request_id.size() > 128) {
    v.Add("request_id", "must be 1-128 characters, unique per intended change");
  }
}

void CheckProjectId(FieldViolations& v, const std::string& project_id) {
  if (!IsUuid(project_id)) v.Add("project_id", "must be a project id (a UUID)");
}

void ReadDate(FieldViolations& v, const char* field, bool present,
              const google::type::Date& date, absl::CivilDay* out) {
  if (!present) {
    v.Add(field, "is required");
  } else if (!CivilDayFromDate(date.year(), date.month(), date.day(), out)) {
    v.Add(field, "is not a valid calendar date");
  }
}

}  // namespace

v1::Project ToProto(const VersionedProject& p) {
  v1::Project out;
  const Project& s = p.state;
  out.set_project_id(s.id());
  out.set_code(s.charter().code);
  out.set_name(s.charter().name);
  out.set_manager(s.charter().manager);
  *out.mutable_planned_start() = ToDate(s.charter().planned_start);
  *out.mutable_planned_end() = ToDate(s.charter().planned_end);
  out.set_status(s.status());
  out.set_status_reason(s.status_reason());
  out.set_version(p.version);
  *out.mutable_create_time() = ToTimestamp(s.created_at());
  *out.mutable_update_time() = ToTimestamp(s.updated_at());
  return out;
}

grpc::Status ProjectsGrpcService::CreateProject(
    grpc::ServerContext* context, const v1::CreateProjectRequest* request,
    v1::CreateProjectResponse* response) {
  FieldViolations v;
  CheckRequestId(v, request->request_id());
  ProjectCharter charter{request->code(), request->name(), request->manager(),
                         {}, {}};
  ReadDate(v, "planned_start", request->has_planned_start(),
           request->planned_start(), &charter.planned_start);
  ReadDate(v, "planned_end", request->has_planned_end(), request->planned_end(),
           &charter.planned_end);
  // Report every bad field at once: the charter's own checks too.
  for (const FieldViolation& f : FieldViolationsOf(ValidateCharter(charter))) {
    if (f.field == "planned_end" && !request->has_planned_end()) continue;
    v.Add(f.field, f.description);
  }
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());

  absl::StatusOr<VersionedProject> project = handlers_.CreateProject(
      charter,
      grpcserver::CommandContextOf(*context, request->request_id(), std::nullopt));
  if (!project.ok()) return ToGrpcStatus(project.status());
  *response->mutable_project() = ToProto(*project);
  return grpc::Status::OK;
}

grpc::Status ProjectsGrpcService::GetProject(grpc::ServerContext* context,
                                             const v1::GetProjectRequest* request,
                                             v1::GetProjectResponse* response) {
  FieldViolations v;
  CheckProjectId(v, request->project_id());
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  absl::StatusOr<VersionedProject> project =
      handlers_.GetProject(request->project_id());
  if (!project.ok()) return ToGrpcStatus(project.status());
  *response->mutable_project() = ToProto(*project);
  return grpc::Status::OK;
}

grpc::Status ProjectsGrpcService::ListProjects(
    grpc::ServerContext* context, const v1::ListProjectsRequest* request,
    v1::ListProjectsResponse* response) {
  absl::StatusOr<ProjectPage> page =
      handlers_.ListProjects(request->page_size(), request->page_token());
  if (!page.ok()) return ToGrpcStatus(page.status());
  for (const VersionedProject& p : page->projects) {
    *response->add_projects() = ToProto(p);
  }
  response->set_next_page_token(page->next_page_token);
  return grpc::Status::OK;
}

grpc::Status ProjectsGrpcService::ChangeProjectStatus(
    grpc::ServerContext* context, const v1::ChangeProjectStatusRequest* request,
    v1::ChangeProjectStatusResponse* response) {
  FieldViolations v;
  CheckRequestId(v, request->request_id());
  CheckProjectId(v, request->project_id());
  if (request->status() == v1::PROJECT_STATUS_UNSPECIFIED ||
      !v1::ProjectStatus_IsValid(request->status())) {
    v.Add("status", "must be a project status other than UNSPECIFIED");
  }
  if (request->reason().empty()) v.Add("reason", "must not be empty");
  if (request->has_expected_version() && request->expected_version() < 1) {
    v.Add("expected_version", "must be at least 1 when set");
  }
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());

  std::optional<int64_t> expected;
  if (request->has_expected_version()) expected = request->expected_version();
  absl::StatusOr<VersionedProject> project = handlers_.ChangeProjectStatus(
      request->project_id(), request->status(), request->reason(),
      grpcserver::CommandContextOf(*context, request->request_id(), expected));
  if (!project.ok()) return ToGrpcStatus(project.status());
  *response->mutable_project() = ToProto(*project);
  return grpc::Status::OK;
}

}  // namespace pmo::projects
