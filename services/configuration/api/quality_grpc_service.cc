#include "services/configuration/api/quality_grpc_service.h"

#include "libs/base/errors.h"
#include "libs/grpcserver/call_context.h"
#include "libs/grpcserver/request_checks.h"
#include "libs/grpcserver/status_mapping.h"
#include "services/configuration/api/caller_names.h"
#include "services/configuration/app/pagination.h"

namespace pmo::configuration {
namespace {

using grpcserver::CheckRequestId;
using grpcserver::CheckUuid;
using grpcserver::CommandContextOf;
using grpcserver::ToGrpcStatus;

template <typename Response>
grpc::Status AnswerAudit(const absl::StatusOr<VersionedAudit>& a,
                         Response* response) {
  if (!a.ok()) return ToGrpcStatus(a.status());
  *response->mutable_audit() = ToProto(*a);
  return grpc::Status::OK;
}

template <typename Response>
grpc::Status AnswerStandard(const absl::StatusOr<VersionedStandard>& s,
                            Response* response) {
  if (!s.ok()) return ToGrpcStatus(s.status());
  *response->mutable_standard() = ToProto(*s);
  return grpc::Status::OK;
}

// An optional date field; unset stays unset (the handler takes today), a
// set one must be a calendar day.
void CheckOptionalDate(FieldViolations& v, const std::string& field,
                       bool present, const google::type::Date& date) {
  std::optional<absl::CivilDay> ignored;
  grpcserver::ReadOptionalDate(v, field, present, date, &ignored);
}

void CheckProjectFilter(FieldViolations& v, const std::string& project_id) {
  if (project_id.size() > 64)
    v.Add("project_id", "must be at most 64 characters");
}

}  // namespace

grpc::Status QualityGrpcService::DefineQualityStandard(
    grpc::ServerContext* context,
    const v1::DefineQualityStandardRequest* request,
    v1::DefineQualityStandardResponse* response) {
  FieldViolations v(50);
  CheckRequestId(v, request->request_id());
  v1::QualityStandardDefined standard;
  standard.set_code(request->code());
  standard.set_title(request->title());
  standard.set_issuing_body(request->issuing_body());
  *standard.mutable_requirements() = request->requirements();
  v.AddAll(ValidateStandard(standard));
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  return AnswerStandard(
      handlers_.DefineStandard(
          std::move(standard),
          CommandContextOf(*context, request->request_id(), std::nullopt)),
      response);
}

grpc::Status QualityGrpcService::GetQualityStandard(
    grpc::ServerContext* context, const v1::GetQualityStandardRequest* request,
    v1::GetQualityStandardResponse* response) {
  FieldViolations v;
  CheckUuid(v, "standard_id", request->standard_id());
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  return AnswerStandard(handlers_.GetStandard(request->standard_id()),
                        response);
}

grpc::Status QualityGrpcService::ListQualityStandards(
    grpc::ServerContext* context,
    const v1::ListQualityStandardsRequest* request,
    v1::ListQualityStandardsResponse* response) {
  auto listed = handlers_.ListStandards();
  if (!listed.ok()) return ToGrpcStatus(listed.status());
  for (const VersionedStandard& s : *listed)
    *response->add_standards() = ToProto(s);
  return grpc::Status::OK;
}

grpc::Status QualityGrpcService::PlanAudit(grpc::ServerContext* context,
                                           const v1::PlanAuditRequest* request,
                                           v1::PlanAuditResponse* response) {
  FieldViolations v;
  CheckRequestId(v, request->request_id());
  CheckUuid(v, "standard_id", request->standard_id());
  v1::AuditPlanned plan;
  plan.set_project_id(request->project_id());
  plan.set_standard_id(request->standard_id());
  plan.set_body(request->body());
  plan.set_lead_auditor(request->lead_auditor());
  *plan.mutable_planned_on() = request->planned_on();
  v.AddAll(ValidateAuditPlan(plan));
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  return AnswerAudit(
      handlers_.PlanAudit(
          std::move(plan),
          CommandContextOf(*context, request->request_id(), std::nullopt)),
      response);
}

grpc::Status QualityGrpcService::GetAudit(grpc::ServerContext* context,
                                          const v1::GetAuditRequest* request,
                                          v1::GetAuditResponse* response) {
  FieldViolations v;
  CheckUuid(v, "audit_id", request->audit_id());
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  return AnswerAudit(handlers_.GetAudit(request->audit_id()), response);
}

grpc::Status QualityGrpcService::ListAudits(
    grpc::ServerContext* context, const v1::ListAuditsRequest* request,
    v1::ListAuditsResponse* response) {
  FieldViolations v;
  CheckProjectFilter(v, request->project_id());
  if (!request->standard_id().empty())
    CheckUuid(v, "standard_id", request->standard_id());
  const PageRequest page_request =
      ReadPageRequest(v, request->page_size(), request->page_token(), "audits");
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  auto listed =
      handlers_.ListAudits(request->project_id(), request->standard_id());
  if (!listed.ok()) return ToGrpcStatus(listed.status());
  Page<VersionedAudit> page =
      PageAt(*std::move(listed), page_request, "audits");
  for (const VersionedAudit& a : page.items)
    *response->add_audits() = ToProto(a);
  response->set_next_page_token(page.next_page_token);
  return grpc::Status::OK;
}

grpc::Status QualityGrpcService::StartAudit(
    grpc::ServerContext* context, const v1::StartAuditRequest* request,
    v1::StartAuditResponse* response) {
  FieldViolations v;
  grpcserver::CheckCommandOn(v, *request, "audit_id", request->audit_id());
  CheckOptionalDate(v, "started_on", request->has_started_on(),
                    request->started_on());
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  return AnswerAudit(
      handlers_.StartAudit(request->audit_id(), request->started_on(),
                           CommandContextOf(*context, *request)),
      response);
}

grpc::Status QualityGrpcService::RecordAuditFinding(
    grpc::ServerContext* context, const v1::RecordAuditFindingRequest* request,
    v1::RecordAuditFindingResponse* response) {
  FieldViolations v;
  grpcserver::CheckCommandOn(v, *request, "audit_id", request->audit_id());
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  auto audit = handlers_.RecordFinding(
      request->audit_id(), request->clause(), request->severity(),
      request->description(), CommandContextOf(*context, *request));
  if (audit.ok()) response->set_finding_id(audit->state.last_finding_id());
  return AnswerAudit(audit, response);
}

grpc::Status QualityGrpcService::AssignCorrectiveAction(
    grpc::ServerContext* context,
    const v1::AssignCorrectiveActionRequest* request,
    v1::AssignCorrectiveActionResponse* response) {
  FieldViolations v;
  grpcserver::CheckCommandOn(v, *request, "audit_id", request->audit_id());
  if (request->finding_id().empty()) v.Add("finding_id", "is required");
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  auto audit = handlers_.AssignCorrectiveAction(
      request->audit_id(), request->finding_id(), request->description(),
      request->owner(), request->due(), CommandContextOf(*context, *request));
  if (audit.ok()) response->set_action_id(audit->state.last_action_id());
  return AnswerAudit(audit, response);
}

grpc::Status QualityGrpcService::CompleteCorrectiveAction(
    grpc::ServerContext* context,
    const v1::CompleteCorrectiveActionRequest* request,
    v1::CompleteCorrectiveActionResponse* response) {
  FieldViolations v;
  grpcserver::CheckCommandOn(v, *request, "audit_id", request->audit_id());
  if (request->action_id().empty()) v.Add("action_id", "is required");
  CheckOptionalDate(v, "completed_on", request->has_completed_on(),
                    request->completed_on());
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  return AnswerAudit(
      handlers_.CompleteCorrectiveAction(
          request->audit_id(), request->action_id(), request->completed_on(),
          CommandContextOf(*context, *request)),
      response);
}

grpc::Status QualityGrpcService::VerifyCorrectiveAction(
    grpc::ServerContext* context,
    const v1::VerifyCorrectiveActionRequest* request,
    v1::VerifyCorrectiveActionResponse* response) {
  FieldViolations v;
  grpcserver::CheckCommandOn(v, *request, "audit_id", request->audit_id());
  if (request->action_id().empty()) v.Add("action_id", "is required");
  CheckOptionalDate(v, "verified_on", request->has_verified_on(),
                    request->verified_on());
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  return AnswerAudit(
      handlers_.VerifyCorrectiveAction(
          request->audit_id(), request->action_id(),
          ActorName(*context, request->verified_by()), request->verified_on(),
          CommandContextOf(*context, *request)),
      response);
}

grpc::Status QualityGrpcService::CloseAuditFinding(
    grpc::ServerContext* context, const v1::CloseAuditFindingRequest* request,
    v1::CloseAuditFindingResponse* response) {
  FieldViolations v;
  grpcserver::CheckCommandOn(v, *request, "audit_id", request->audit_id());
  if (request->finding_id().empty()) v.Add("finding_id", "is required");
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  return AnswerAudit(
      handlers_.CloseFinding(request->audit_id(), request->finding_id(),
                             CommandContextOf(*context, *request)),
      response);
}

grpc::Status QualityGrpcService::CompleteAudit(
    grpc::ServerContext* context, const v1::CompleteAuditRequest* request,
    v1::CompleteAuditResponse* response) {
  FieldViolations v;
  grpcserver::CheckCommandOn(v, *request, "audit_id", request->audit_id());
  CheckOptionalDate(v, "completed_on", request->has_completed_on(),
                    request->completed_on());
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  return AnswerAudit(
      handlers_.CompleteAudit(request->audit_id(), request->completed_on(),
                              request->summary(),
                              CommandContextOf(*context, *request)),
      response);
}

grpc::Status QualityGrpcService::GetProjectCompliance(
    grpc::ServerContext* context,
    const v1::GetProjectComplianceRequest* request,
    v1::GetProjectComplianceResponse* response) {
  FieldViolations v;
  if (request->project_id().empty()) v.Add("project_id", "is required");
  CheckProjectFilter(v, request->project_id());
  CheckUuid(v, "standard_id", request->standard_id());
  std::optional<absl::CivilDay> as_of;
  grpcserver::ReadOptionalDate(v, "as_of", request->has_as_of(),
                               request->as_of(), &as_of);
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  auto compliance = handlers_.GetCompliance(request->project_id(),
                                            request->standard_id(), as_of);
  if (!compliance.ok()) return ToGrpcStatus(compliance.status());
  *response->mutable_compliance() = *std::move(compliance);
  return grpc::Status::OK;
}

grpc::Status QualityGrpcService::ListProjectCompliance(
    grpc::ServerContext* context,
    const v1::ListProjectComplianceRequest* request,
    v1::ListProjectComplianceResponse* response) {
  FieldViolations v;
  CheckProjectFilter(v, request->project_id());
  std::optional<absl::CivilDay> as_of;
  grpcserver::ReadOptionalDate(v, "as_of", request->has_as_of(),
                               request->as_of(), &as_of);
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  auto listed = handlers_.ListCompliance(request->project_id(), as_of);
  if (!listed.ok()) return ToGrpcStatus(listed.status());
  for (v1::ProjectCompliance& c : *listed)
    *response->add_compliance() = std::move(c);
  return grpc::Status::OK;
}

grpc::Status QualityGrpcService::ListOverdueCorrectiveActions(
    grpc::ServerContext* context,
    const v1::ListOverdueCorrectiveActionsRequest* request,
    v1::ListOverdueCorrectiveActionsResponse* response) {
  FieldViolations v;
  CheckProjectFilter(v, request->project_id());
  std::optional<absl::CivilDay> as_of;
  grpcserver::ReadOptionalDate(v, "as_of", request->has_as_of(),
                               request->as_of(), &as_of);
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  auto listed = handlers_.ListOverdueActions(request->project_id(), as_of);
  if (!listed.ok()) return ToGrpcStatus(listed.status());
  for (v1::OverdueCorrectiveAction& a : *listed)
    *response->add_actions() = std::move(a);
  return grpc::Status::OK;
}

absl::StatusOr<std::optional<auth::ItemScope>> QualityGrpcService::ScopeOf(
    const google::protobuf::MethodDescriptor& method,
    const google::protobuf::Message& request) const {
  // Findings and corrective actions are keyed by their audit too.
  return ScopeByKeys(owners_, request, {{"audit_id", ItemKind::kAudit}});
}

}  // namespace pmo::configuration
