#include "services/risks/api/risks_grpc_service.h"

#include "absl/strings/str_cat.h"
#include "libs/base/errors.h"
#include "libs/base/proto_time.h"
#include "libs/grpcserver/call_context.h"
#include "libs/grpcserver/request_checks.h"
#include "libs/grpcserver/status_mapping.h"
#include "services/risks/api/risk_answers.h"

namespace pmo::risks {
namespace {

using grpcserver::CheckRequestId;
using grpcserver::ExpectedVersionOf;
using grpcserver::ToGrpcStatus;

}  // namespace

grpc::Status RisksGrpcService::IdentifyRisk(
    grpc::ServerContext* context, const v1::IdentifyRiskRequest* request,
    v1::IdentifyRiskResponse* response) {
  FieldViolations v;
  CheckRequestId(v, request->request_id());
  v1::RiskIdentified risk;
  risk.set_level(request->level());
  risk.set_scope_id(request->scope_id());
  risk.set_kind(request->kind());
  risk.set_title(request->title());
  risk.set_cause(request->cause());
  risk.set_event(request->event());
  risk.set_effect(request->effect());
  risk.set_category(request->category());
  risk.set_owner(request->owner());
  *risk.mutable_proximity() = request->proximity();
  *risk.mutable_triggers() = request->triggers();
  *risk.mutable_next_review() = request->next_review();
  v.AddAll(ValidateIdentification(risk));
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  return Answer(
      handlers_.risks.IdentifyRisk(
          std::move(risk), grpcserver::CommandContextOf(
                               *context, request->request_id(), std::nullopt)),
      response);
}

grpc::Status RisksGrpcService::GetRisk(grpc::ServerContext* context,
                                       const v1::GetRiskRequest* request,
                                       v1::GetRiskResponse* response) {
  FieldViolations v;
  CheckRiskId(v, request->risk_id());
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  return Answer(handlers_.risks.GetRisk(request->risk_id()), response);
}

grpc::Status RisksGrpcService::GetRiskHistory(
    grpc::ServerContext*, const v1::GetRiskHistoryRequest* request,
    v1::GetRiskHistoryResponse* response) {
  FieldViolations v;
  CheckRiskId(v, request->risk_id());
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  auto events = handlers_.risks.GetRiskHistory(request->risk_id());
  if (!events.ok()) return ToGrpcStatus(events.status());
  for (const eventstore::RecordedEvent& e : *events) {
    v1::RiskHistoryEntry* entry = response->add_entries();
    entry->set_version(e.stream_version);
    entry->set_event_type(e.event_type);
    *entry->mutable_occurred_at() = ToTimestamp(e.occurred_at);
    *entry->mutable_recorded_at() = ToTimestamp(e.recorded_at);
    entry->set_actor(e.metadata.actor);
    entry->mutable_event()->set_type_url(
        absl::StrCat("type.googleapis.com/", e.event_type));
    entry->mutable_event()->set_value(e.payload);
  }
  return grpc::Status::OK;
}

grpc::Status RisksGrpcService::AssessRisk(grpc::ServerContext* context,
                                          const v1::AssessRiskRequest* request,
                                          v1::AssessRiskResponse* response) {
  FieldViolations v;
  grpcserver::CheckCommandOn(v, *request, "risk_id", request->risk_id());
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  return Answer(
      handlers_.risks.AssessRisk(
          request->risk_id(), request->residual(), request->assessment(),
          request->next_review(),
          grpcserver::CommandContextOf(*context, request->request_id(),
                                       ExpectedVersionOf(*request))),
      response);
}

grpc::Status RisksGrpcService::PlanResponse(
    grpc::ServerContext* context, const v1::PlanResponseRequest* request,
    v1::PlanResponseResponse* response) {
  FieldViolations v;
  grpcserver::CheckCommandOn(v, *request, "risk_id", request->risk_id());
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  return Answer(
      handlers_.risks.PlanResponse(
          request->risk_id(), request->strategy(),
          {request->actions().begin(), request->actions().end()},
          grpcserver::CommandContextOf(*context, request->request_id(),
                                       ExpectedVersionOf(*request))),
      response);
}

grpc::Status RisksGrpcService::CompleteResponseAction(
    grpc::ServerContext* context,
    const v1::CompleteResponseActionRequest* request,
    v1::CompleteResponseActionResponse* response) {
  FieldViolations v;
  CheckRequestId(v, request->request_id());
  CheckRiskId(v, request->risk_id());
  if (request->action_id().empty()) v.Add("action_id", "is required");
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  return Answer(handlers_.risks.CompleteResponseAction(
                    request->risk_id(), request->action_id(),
                    grpcserver::CommandContextOf(
                        *context, request->request_id(), std::nullopt)),
                response);
}

grpc::Status RisksGrpcService::ChangeRiskStatus(
    grpc::ServerContext* context, const v1::ChangeRiskStatusRequest* request,
    v1::ChangeRiskStatusResponse* response) {
  FieldViolations v;
  grpcserver::CheckCommandOn(v, *request, "risk_id", request->risk_id());
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  auto changed = handlers_.risks.ChangeRiskStatus(
      request->risk_id(), request->status(), request->reason(),
      grpcserver::CommandContextOf(*context, request->request_id(),
                                   ExpectedVersionOf(*request)));
  if (!changed.ok()) return ToGrpcStatus(changed.status());
  *response->mutable_risk() = ToProto(changed->risk);
  if (changed->issue) *response->mutable_issue() = ToProto(*changed->issue);
  return grpc::Status::OK;
}

grpc::Status RisksGrpcService::ListRisks(grpc::ServerContext* context,
                                         const v1::ListRisksRequest* request,
                                         v1::ListRisksResponse* response) {
  auto risks =
      handlers_.risks.ListRisks(request->scope_id(), request->page_size());
  if (!risks.ok()) return ToGrpcStatus(risks.status());
  for (const VersionedRisk& r : *risks) *response->add_risks() = ToProto(r);
  return grpc::Status::OK;
}

grpc::Status RisksGrpcService::CombineRisks(
    grpc::ServerContext* context, const v1::CombineRisksRequest* request,
    v1::CombineRisksResponse* response) {
  FieldViolations v;
  CheckRequestId(v, request->request_id());
  for (int i = 0; i < request->member_risk_ids_size(); ++i) {
    grpcserver::CheckUuid(v, absl::StrCat("member_risk_ids[", i, "]"),
                          request->member_risk_ids(i));
  }
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  v1::RisksCombined combined;
  combined.set_level(request->level());
  combined.set_scope_id(request->scope_id());
  combined.set_title(request->title());
  combined.set_category(request->category());
  combined.set_owner(request->owner());
  *combined.mutable_member_risk_ids() = request->member_risk_ids();
  auto created = handlers_.risks.CombineRisks(
      std::move(combined), grpcserver::CommandContextOf(
                               *context, request->request_id(), std::nullopt));
  if (!created.ok()) return ToGrpcStatus(created.status());
  *response->mutable_combined_risk() = ToProto(*created);
  return grpc::Status::OK;
}

grpc::Status RisksGrpcService::GetCombinedRisk(
    grpc::ServerContext* context, const v1::GetCombinedRiskRequest* request,
    v1::GetCombinedRiskResponse* response) {
  FieldViolations v;
  grpcserver::CheckUuid(v, "combined_risk_id", request->combined_risk_id());
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  auto combined = handlers_.risks.GetCombinedRisk(request->combined_risk_id());
  if (!combined.ok()) return ToGrpcStatus(combined.status());
  *response->mutable_combined_risk() = ToProto(*combined);
  return grpc::Status::OK;
}

}  // namespace pmo::risks
