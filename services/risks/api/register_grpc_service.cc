// The risks adapter's escalation, issue-log, overdue, matrix and contingency
// RPCs (the class is declared in risks_grpc_service.h).

#include "absl/strings/str_cat.h"
#include "libs/base/errors.h"
#include "libs/dates/calendar_dates.h"
#include "libs/grpcserver/call_context.h"
#include "libs/grpcserver/request_checks.h"
#include "libs/grpcserver/status_mapping.h"
#include "services/risks/api/risk_answers.h"
#include "services/risks/api/risks_grpc_service.h"

namespace pmo::risks {
namespace {

using grpcserver::CheckRequestId;
using grpcserver::CheckUuid;
using grpcserver::CommandContextOf;
using grpcserver::ExpectedVersionOf;
using grpcserver::ToGrpcStatus;

void CheckIssueId(FieldViolations& v, const std::string& id) {
  CheckUuid(v, "issue_id", id);
}

}  // namespace

grpc::Status RisksGrpcService::EscalateRisk(
    grpc::ServerContext* context, const v1::EscalateRiskRequest* request,
    v1::EscalateRiskResponse* response) {
  FieldViolations v;
  grpcserver::CheckCommandOn(v, *request, "risk_id", request->risk_id());
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  return Answer(handlers_.escalations.EscalateRisk(
                    request->risk_id(), request->reason(),
                    CommandContextOf(*context, request->request_id(),
                                     ExpectedVersionOf(*request))),
                response);
}

grpc::Status RisksGrpcService::ListEscalations(
    grpc::ServerContext*, const v1::ListEscalationsRequest* request,
    v1::ListEscalationsResponse* response) {
  auto risks = handlers_.escalations.ListEscalations(
      request->portfolio_id(), request->status(), request->page_size());
  if (!risks.ok()) return ToGrpcStatus(risks.status());
  for (const VersionedRisk& r : *risks) *response->add_risks() = ToProto(r);
  return grpc::Status::OK;
}

grpc::Status RisksGrpcService::AcceptEscalation(
    grpc::ServerContext* context, const v1::AcceptEscalationRequest* request,
    v1::AcceptEscalationResponse* response) {
  FieldViolations v;
  CheckRequestId(v, request->request_id());
  CheckRiskId(v, request->risk_id());
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  auto accepted = handlers_.escalations.AcceptEscalation(
      request->risk_id(), request->owner(), request->reason(),
      request->portfolio_id(),
      CommandContextOf(*context, request->request_id(), std::nullopt));
  if (!accepted.ok()) return ToGrpcStatus(accepted.status());
  *response->mutable_risk() = ToProto(accepted->risk);
  *response->mutable_portfolio_risk() = ToProto(accepted->portfolio_risk);
  return grpc::Status::OK;
}

grpc::Status RisksGrpcService::ReturnEscalation(
    grpc::ServerContext* context, const v1::ReturnEscalationRequest* request,
    v1::ReturnEscalationResponse* response) {
  FieldViolations v;
  CheckRequestId(v, request->request_id());
  CheckRiskId(v, request->risk_id());
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  return Answer(
      handlers_.escalations.ReturnEscalation(
          request->risk_id(), request->reason(),
          CommandContextOf(*context, request->request_id(), std::nullopt)),
      response);
}

grpc::Status RisksGrpcService::RaiseIssue(grpc::ServerContext* context,
                                          const v1::RaiseIssueRequest* request,
                                          v1::RaiseIssueResponse* response) {
  FieldViolations v;
  CheckRequestId(v, request->request_id());
  if (request->has_raised_on() && !dates::IsRealDate(request->raised_on())) {
    v.Add("raised_on", "must be a real date");
  }
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  v1::IssueRaised issue;
  issue.set_level(request->level());
  issue.set_scope_id(request->scope_id());
  issue.set_title(request->title());
  issue.set_description(request->description());
  issue.set_priority(request->priority());
  issue.set_owner(request->owner());
  *issue.mutable_raised_on() = request->raised_on();
  return AnswerIssue(
      handlers_.issues.RaiseIssue(
          std::move(issue),
          CommandContextOf(*context, request->request_id(), std::nullopt)),
      response);
}

grpc::Status RisksGrpcService::GetIssue(grpc::ServerContext*,
                                        const v1::GetIssueRequest* request,
                                        v1::GetIssueResponse* response) {
  FieldViolations v;
  CheckIssueId(v, request->issue_id());
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  return AnswerIssue(handlers_.issues.GetIssue(request->issue_id()), response);
}

grpc::Status RisksGrpcService::ReassignIssue(
    grpc::ServerContext* context, const v1::ReassignIssueRequest* request,
    v1::ReassignIssueResponse* response) {
  FieldViolations v;
  grpcserver::CheckCommandOn(v, *request, "issue_id", request->issue_id());
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  return AnswerIssue(
      handlers_.issues.ReassignIssue(
          request->issue_id(), request->priority(), request->owner(),
          CommandContextOf(*context, request->request_id(),
                           ExpectedVersionOf(*request))),
      response);
}

grpc::Status RisksGrpcService::ResolveIssue(
    grpc::ServerContext* context, const v1::ResolveIssueRequest* request,
    v1::ResolveIssueResponse* response) {
  FieldViolations v;
  grpcserver::CheckCommandOn(v, *request, "issue_id", request->issue_id());
  if (request->has_resolved_on() &&
      !dates::IsRealDate(request->resolved_on())) {
    v.Add("resolved_on", "must be a real date");
  }
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  return AnswerIssue(
      handlers_.issues.ResolveIssue(
          request->issue_id(), request->resolution(), request->resolved_on(),
          CommandContextOf(*context, request->request_id(),
                           ExpectedVersionOf(*request))),
      response);
}

grpc::Status RisksGrpcService::ListIssues(grpc::ServerContext*,
                                          const v1::ListIssuesRequest* request,
                                          v1::ListIssuesResponse* response) {
  auto issues = handlers_.issues.ListIssues(
      request->scope_id(), request->include_resolved(), request->page_size());
  if (!issues.ok()) return ToGrpcStatus(issues.status());
  for (const VersionedIssue& i : *issues) *response->add_issues() = ToProto(i);
  return grpc::Status::OK;
}

grpc::Status RisksGrpcService::ListOverdue(
    grpc::ServerContext*, const v1::ListOverdueRequest* request,
    v1::ListOverdueResponse* response) {
  FieldViolations v;
  std::optional<absl::CivilDay> as_of;
  grpcserver::ReadOptionalDate(v, "as_of", request->has_as_of(),
                               request->as_of(), &as_of);
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  auto overdue = handlers_.reports.ListOverdue(request->scope_id(), as_of);
  if (!overdue.ok()) return ToGrpcStatus(overdue.status());
  for (v1::OverdueReview& r : overdue->reviews)
    *response->add_reviews() = std::move(r);
  for (v1::OverdueAction& a : overdue->actions)
    *response->add_actions() = std::move(a);
  return grpc::Status::OK;
}

grpc::Status RisksGrpcService::ConfigureRiskMatrix(
    grpc::ServerContext* context, const v1::ConfigureRiskMatrixRequest* request,
    v1::ConfigureRiskMatrixResponse* response) {
  FieldViolations v;
  CheckRequestId(v, request->request_id());
  CheckUuid(v, "portfolio_id", request->portfolio_id());
  grpcserver::CheckExpectedVersion(v, request->has_expected_version(),
                                   request->expected_version());
  if (!request->has_matrix()) v.Add("matrix", "is required");
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  auto configured = handlers_.matrices.ConfigureRiskMatrix(
      request->portfolio_id(), request->matrix(),
      CommandContextOf(*context, request->request_id(),
                       ExpectedVersionOf(*request)));
  if (!configured.ok()) return ToGrpcStatus(configured.status());
  *response->mutable_matrix() = configured->matrix;
  response->set_ratings_changed(configured->ratings_changed);
  return grpc::Status::OK;
}

grpc::Status RisksGrpcService::GetRiskMatrix(
    grpc::ServerContext*, const v1::GetRiskMatrixRequest* request,
    v1::GetRiskMatrixResponse* response) {
  FieldViolations v;
  if (!request->portfolio_id().empty())
    CheckUuid(v, "portfolio_id", request->portfolio_id());
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  auto matrix = handlers_.matrices.GetRiskMatrix(request->portfolio_id(),
                                                 request->version());
  if (!matrix.ok()) return ToGrpcStatus(matrix.status());
  *response->mutable_matrix() = *std::move(matrix);
  return grpc::Status::OK;
}

grpc::Status RisksGrpcService::GetContingencyReserve(
    grpc::ServerContext*, const v1::GetContingencyReserveRequest* request,
    v1::GetContingencyReserveResponse* response) {
  FieldViolations v;
  std::optional<absl::CivilDay> from, to;
  grpcserver::ReadOptionalDate(v, "from", request->has_from(), request->from(),
                               &from);
  grpcserver::ReadOptionalDate(v, "to", request->has_to(), request->to(), &to);
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  auto points = handlers_.reports.ContingencyReserve(
      request->level(), request->scope_id(), from, to);
  if (!points.ok()) return ToGrpcStatus(points.status());
  for (v1::ContingencyPoint& p : *points)
    *response->add_points() = std::move(p);
  return grpc::Status::OK;
}

}  // namespace pmo::risks
