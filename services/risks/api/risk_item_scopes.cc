// Whose risks, combined risks and issues the register holds: the item
// scopes the method guard asks for before an RPC keyed by one of them runs
// (the class is declared in risks_grpc_service.h).

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "libs/base/errors.h"
#include "libs/base/status_macros.h"
#include "libs/grpcserver/request_checks.h"
#include "services/risks/api/risks_grpc_service.h"

namespace pmo::risks {
namespace {

using grpcserver::CheckUuid;

void AddOnce(std::vector<std::string>& ids, const std::string& id) {
  if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
}

// The request's string field `field` (every caller checked the type).
std::string StringField(const google::protobuf::Message& request,
                        const char* field) {
  const google::protobuf::FieldDescriptor* f =
      request.GetDescriptor()->FindFieldByName(field);
  return request.GetReflection()->GetString(request, f);
}

}  // namespace

absl::StatusOr<std::optional<auth::ItemScope>> RisksGrpcService::ScopeOf(
    const google::protobuf::MethodDescriptor& method,
    const google::protobuf::Message& request) const {
  const google::protobuf::Descriptor* type = method.input_type();
  // Keyed by one risk: the register's record of its scope.
  if (type == v1::GetRiskRequest::descriptor() ||
      type == v1::GetRiskHistoryRequest::descriptor() ||
      type == v1::AssessRiskRequest::descriptor() ||
      type == v1::PlanResponseRequest::descriptor() ||
      type == v1::CompleteResponseActionRequest::descriptor() ||
      type == v1::ChangeRiskStatusRequest::descriptor() ||
      type == v1::EscalateRiskRequest::descriptor()) {
    const std::string risk_id = StringField(request, "risk_id");
    RETURN_IF_ERROR(CheckUuid("risk_id", risk_id));
    ASSIGN_OR_RETURN(VersionedRisk risk, handlers_.risks.GetRisk(risk_id));
    return auth::ItemScope{.project_ids = {risk.state.state().scope_id()}};
  }
  if (type == v1::GetIssueRequest::descriptor() ||
      type == v1::ReassignIssueRequest::descriptor() ||
      type == v1::ResolveIssueRequest::descriptor()) {
    const std::string issue_id = StringField(request, "issue_id");
    RETURN_IF_ERROR(CheckUuid("issue_id", issue_id));
    ASSIGN_OR_RETURN(VersionedIssue issue, handlers_.issues.GetIssue(issue_id));
    return auth::ItemScope{.project_ids = {issue.state.state().scope_id()}};
  }
  // A combination reaches into every member's project.
  if (type == v1::CombineRisksRequest::descriptor()) {
    const auto& combine = static_cast<const v1::CombineRisksRequest&>(request);
    auth::ItemScope scope;
    for (int i = 0; i < combine.member_risk_ids_size(); ++i) {
      const std::string& member = combine.member_risk_ids(i);
      RETURN_IF_ERROR(
          CheckUuid(absl::StrCat("member_risk_ids[", i, "]"), member));
      ASSIGN_OR_RETURN(VersionedRisk risk, handlers_.risks.GetRisk(member));
      AddOnce(scope.project_ids, risk.state.state().scope_id());
    }
    return scope;
  }
  if (type == v1::GetCombinedRiskRequest::descriptor()) {
    const auto& get = static_cast<const v1::GetCombinedRiskRequest&>(request);
    RETURN_IF_ERROR(CheckUuid("combined_risk_id", get.combined_risk_id()));
    ASSIGN_OR_RETURN(VersionedCombinedRisk combined,
                     handlers_.risks.GetCombinedRisk(get.combined_risk_id()));
    auth::ItemScope scope;
    for (const std::string& member : combined.state.state().member_risk_ids()) {
      ASSIGN_OR_RETURN(VersionedRisk risk, handlers_.risks.GetRisk(member));
      AddOnce(scope.project_ids, risk.state.state().scope_id());
    }
    return scope;
  }
  // AcceptEscalation and ReturnEscalation act for the PMO, whose queue the
  // escalation is in: pmo_admin only.
  return std::nullopt;
}

}  // namespace pmo::risks
