#include "services/configuration/api/tools_grpc_service.h"

#include "libs/base/errors.h"
#include "libs/grpcserver/call_context.h"
#include "libs/grpcserver/request_checks.h"
#include "libs/grpcserver/status_mapping.h"
#include "services/configuration/app/pagination.h"

namespace pmo::configuration {
namespace {

using grpcserver::CheckRequestId;
using grpcserver::CheckUuid;
using grpcserver::CommandContextOf;
using grpcserver::ToGrpcStatus;

template <typename Response>
grpc::Status Answer(const absl::StatusOr<v1::Tool>& tool, Response* response) {
  if (!tool.ok()) return ToGrpcStatus(tool.status());
  *response->mutable_tool() = *tool;
  return grpc::Status::OK;
}

ToolFlagsQuery ReadFlagsQuery(FieldViolations& v, bool present,
                              const v1::ToolFlagsQuery& in) {
  ToolFlagsQuery out;
  if (!present) return out;
  grpcserver::ReadOptionalDate(v, "flags.as_of", in.has_as_of(), in.as_of(),
                               &out.as_of);
  if (in.has_expiry_warning_days()) {
    if (in.expiry_warning_days() < 0 ||
        in.expiry_warning_days() > kMaxExpiryWarningDays) {
      v.Add("flags.expiry_warning_days", "must be 0-3650 days");
    } else {
      out.expiry_warning_days = in.expiry_warning_days();
    }
  }
  return out;
}

}  // namespace

grpc::Status ToolsGrpcService::CatalogueTool(
    grpc::ServerContext* context, const v1::CatalogueToolRequest* request,
    v1::CatalogueToolResponse* response) {
  FieldViolations v;
  CheckRequestId(v, request->request_id());
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  v1::ToolCatalogued tool;
  tool.set_name(request->name());
  tool.set_vendor(request->vendor());
  tool.set_licence_model(request->licence_model());
  tool.set_licence_count(request->licence_count());
  if (request->has_licence_expiry())
    *tool.mutable_licence_expiry() = request->licence_expiry();
  return Answer(
      handlers_.Catalogue(
          std::move(tool),
          CommandContextOf(*context, request->request_id(), std::nullopt)),
      response);
}

grpc::Status ToolsGrpcService::GetTool(grpc::ServerContext* context,
                                       const v1::GetToolRequest* request,
                                       v1::GetToolResponse* response) {
  FieldViolations v;
  CheckUuid(v, "tool_id", request->tool_id());
  ToolFlagsQuery flags =
      ReadFlagsQuery(v, request->has_flags(), request->flags());
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  return Answer(handlers_.Get(request->tool_id(), flags), response);
}

grpc::Status ToolsGrpcService::ListTools(grpc::ServerContext* context,
                                         const v1::ListToolsRequest* request,
                                         v1::ListToolsResponse* response) {
  FieldViolations v;
  ToolListQuery query;
  query.flags = ReadFlagsQuery(v, request->has_flags(), request->flags());
  if (request->project_id().size() > 64)
    v.Add("project_id", "must be at most 64 characters");
  const PageRequest page_request =
      ReadPageRequest(v, request->page_size(), request->page_token(), "tools");
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  query.project_id = request->project_id();
  query.flagged_only = request->flagged_only();
  query.include_retired = request->include_retired();
  auto listed = handlers_.List(query);
  if (!listed.ok()) return ToGrpcStatus(listed.status());
  Page<v1::Tool> page = PageAt(*std::move(listed), page_request, "tools");
  for (v1::Tool& tool : page.items) *response->add_tools() = std::move(tool);
  response->set_next_page_token(page.next_page_token);
  return grpc::Status::OK;
}

grpc::Status ToolsGrpcService::ChangeToolLicence(
    grpc::ServerContext* context, const v1::ChangeToolLicenceRequest* request,
    v1::ChangeToolLicenceResponse* response) {
  FieldViolations v;
  grpcserver::CheckCommandOn(v, *request, "tool_id", request->tool_id());
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  return Answer(
      handlers_.ChangeLicence(request->tool_id(), request->licence_count(),
                              request->licence_expiry(),
                              CommandContextOf(*context, *request)),
      response);
}

grpc::Status ToolsGrpcService::AssignToolToProject(
    grpc::ServerContext* context, const v1::AssignToolToProjectRequest* request,
    v1::AssignToolToProjectResponse* response) {
  FieldViolations v;
  grpcserver::CheckCommandOn(v, *request, "tool_id", request->tool_id());
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  return Answer(
      handlers_.Assign(request->tool_id(), request->project_id(),
                       request->seats(), CommandContextOf(*context, *request)),
      response);
}

grpc::Status ToolsGrpcService::ReleaseToolFromProject(
    grpc::ServerContext* context,
    const v1::ReleaseToolFromProjectRequest* request,
    v1::ReleaseToolFromProjectResponse* response) {
  FieldViolations v;
  grpcserver::CheckCommandOn(v, *request, "tool_id", request->tool_id());
  if (request->project_id().empty()) v.Add("project_id", "is required");
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  return Answer(handlers_.Release(request->tool_id(), request->project_id(),
                                  CommandContextOf(*context, *request)),
                response);
}

grpc::Status ToolsGrpcService::RetireTool(grpc::ServerContext* context,
                                          const v1::RetireToolRequest* request,
                                          v1::RetireToolResponse* response) {
  FieldViolations v;
  grpcserver::CheckCommandOn(v, *request, "tool_id", request->tool_id());
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  return Answer(handlers_.Retire(request->tool_id(), request->reason(),
                                 CommandContextOf(*context, *request)),
                response);
}

}  // namespace pmo::configuration
