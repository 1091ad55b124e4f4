#include "services/configuration/api/configuration_grpc_service.h"

#include "absl/strings/str_cat.h"
#include "libs/base/errors.h"
#include "libs/grpcserver/call_context.h"
#include "libs/grpcserver/request_checks.h"
#include "libs/grpcserver/status_mapping.h"

namespace pmo::configuration {
namespace {

using grpcserver::CheckExpectedVersion;
using grpcserver::CheckRequestId;
using grpcserver::CheckUuid;
using grpcserver::CommandContextOf;
using grpcserver::ExpectedVersionOf;
using grpcserver::ToGrpcStatus;

template <typename Response>
grpc::Status AnswerItem(const absl::StatusOr<VersionedItem>& item,
                        Response* response) {
  if (!item.ok()) return ToGrpcStatus(item.status());
  *response->mutable_item() = ToProto(*item);
  return grpc::Status::OK;
}

template <typename Response>
grpc::Status AnswerBaseline(const absl::StatusOr<VersionedBaseline>& baseline,
                            Response* response) {
  if (!baseline.ok()) return ToGrpcStatus(baseline.status());
  *response->mutable_baseline() = ToProto(*baseline);
  return grpc::Status::OK;
}

}  // namespace

grpc::Status ConfigurationGrpcService::RegisterConfigurationItem(
    grpc::ServerContext* context,
    const v1::RegisterConfigurationItemRequest* request,
    v1::RegisterConfigurationItemResponse* response) {
  FieldViolations v;
  CheckRequestId(v, request->request_id());
  v1::ConfigurationItemRegistered item;
  item.set_project_id(request->project_id());
  item.set_type(request->type());
  item.set_identifier(request->identifier());
  item.set_title(request->title());
  item.set_owner(request->owner());
  item.mutable_first_version()->set_change_summary(
      request->change_summary().empty() ? "initial version"
                                        : request->change_summary());
  item.mutable_first_version()->set_content_reference(
      request->content_reference());
  v.AddAll(ValidateRegistration(item));
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  return AnswerItem(
      handlers_.RegisterItem(
          std::move(item),
          CommandContextOf(*context, request->request_id(), std::nullopt)),
      response);
}

grpc::Status ConfigurationGrpcService::GetConfigurationItem(
    grpc::ServerContext* context,
    const v1::GetConfigurationItemRequest* request,
    v1::GetConfigurationItemResponse* response) {
  FieldViolations v;
  CheckUuid(v, "item_id", request->item_id());
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  return AnswerItem(handlers_.GetItem(request->item_id()), response);
}

grpc::Status ConfigurationGrpcService::ListConfigurationItems(
    grpc::ServerContext* context,
    const v1::ListConfigurationItemsRequest* request,
    v1::ListConfigurationItemsResponse* response) {
  auto page = handlers_.ListItems(request->project_id(), request->page_size(),
                                  request->page_token());
  if (!page.ok()) return ToGrpcStatus(page.status());
  for (const VersionedItem& item : page->items)
    *response->add_items() = ToProto(item);
  response->set_next_page_token(page->next_page_token);
  return grpc::Status::OK;
}

grpc::Status ConfigurationGrpcService::RecordItemVersion(
    grpc::ServerContext* context, const v1::RecordItemVersionRequest* request,
    v1::RecordItemVersionResponse* response) {
  FieldViolations v;
  CheckRequestId(v, request->request_id());
  CheckUuid(v, "item_id", request->item_id());
  if (!request->change_request_id().empty()) {
    CheckUuid(v, "change_request_id", request->change_request_id());
  }
  CheckExpectedVersion(v, request->has_expected_version(),
                       request->expected_version());
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  v1::ItemVersion version;
  version.set_change_summary(request->change_summary());
  version.set_reason(request->reason());
  version.set_change_request_id(request->change_request_id());
  version.set_content_reference(request->content_reference());
  return AnswerItem(handlers_.RecordItemVersion(
                        request->item_id(), std::move(version),
                        CommandContextOf(*context, request->request_id(),
                                         ExpectedVersionOf(*request))),
                    response);
}

grpc::Status ConfigurationGrpcService::ChangeItemStatus(
    grpc::ServerContext* context, const v1::ChangeItemStatusRequest* request,
    v1::ChangeItemStatusResponse* response) {
  FieldViolations v;
  CheckRequestId(v, request->request_id());
  CheckUuid(v, "item_id", request->item_id());
  if (!request->change_request_id().empty()) {
    CheckUuid(v, "change_request_id", request->change_request_id());
  }
  CheckExpectedVersion(v, request->has_expected_version(),
                       request->expected_version());
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  return AnswerItem(handlers_.ChangeItemStatus(
                        request->item_id(), request->status(),
                        request->reason(), request->change_request_id(),
                        CommandContextOf(*context, request->request_id(),
                                         ExpectedVersionOf(*request))),
                    response);
}

grpc::Status ConfigurationGrpcService::LinkConfigurationItems(
    grpc::ServerContext* context,
    const v1::LinkConfigurationItemsRequest* request,
    v1::LinkConfigurationItemsResponse* response) {
  FieldViolations v;
  CheckRequestId(v, request->request_id());
  CheckUuid(v, "item_id", request->item_id());
  CheckUuid(v, "link.target_item_id", request->link().target_item_id());
  CheckExpectedVersion(v, request->has_expected_version(),
                       request->expected_version());
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  return AnswerItem(
      handlers_.LinkItems(request->item_id(), request->link(),
                          CommandContextOf(*context, request->request_id(),
                                           ExpectedVersionOf(*request))),
      response);
}

grpc::Status ConfigurationGrpcService::EstablishBaseline(
    grpc::ServerContext* context, const v1::EstablishBaselineRequest* request,
    v1::EstablishBaselineResponse* response) {
  FieldViolations v;
  CheckRequestId(v, request->request_id());
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  v1::BaselineEstablished baseline;
  baseline.set_project_id(request->project_id());
  baseline.set_name(request->name());
  baseline.set_description(request->description());
  return AnswerBaseline(
      handlers_.EstablishBaseline(
          std::move(baseline),
          {request->item_ids().begin(), request->item_ids().end()},
          CommandContextOf(*context, request->request_id(), std::nullopt)),
      response);
}

grpc::Status ConfigurationGrpcService::GetBaseline(
    grpc::ServerContext* context, const v1::GetBaselineRequest* request,
    v1::GetBaselineResponse* response) {
  FieldViolations v;
  CheckUuid(v, "baseline_id", request->baseline_id());
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  return AnswerBaseline(handlers_.GetBaseline(request->baseline_id()),
                        response);
}

grpc::Status ConfigurationGrpcService::ListBaselines(
    grpc::ServerContext* context, const v1::ListBaselinesRequest* request,
    v1::ListBaselinesResponse* response) {
  auto baselines = handlers_.ListBaselines(request->project_id());
  if (!baselines.ok()) return ToGrpcStatus(baselines.status());
  for (const VersionedBaseline& b : *baselines)
    *response->add_baselines() = ToProto(b);
  return grpc::Status::OK;
}

grpc::Status ConfigurationGrpcService::CompareBaselines(
    grpc::ServerContext* context, const v1::CompareBaselinesRequest* request,
    v1::CompareBaselinesResponse* response) {
  FieldViolations v;
  CheckUuid(v, "from_baseline_id", request->from_baseline_id());
  CheckUuid(v, "to_baseline_id", request->to_baseline_id());
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  auto comparison = handlers_.CompareBaselines(request->from_baseline_id(),
                                               request->to_baseline_id());
  if (!comparison.ok()) return ToGrpcStatus(comparison.status());
  *response->mutable_comparison() = *std::move(comparison);
  return grpc::Status::OK;
}

grpc::Status ConfigurationGrpcService::GetStatusAccounting(
    grpc::ServerContext* context, const v1::GetStatusAccountingRequest* request,
    v1::GetStatusAccountingResponse* response) {
  auto accounting = handlers_.GetStatusAccounting(request->project_id());
  if (!accounting.ok()) return ToGrpcStatus(accounting.status());
  for (const VersionedItem& item : accounting->items)
    *response->add_items() = ToProto(item);
  for (const VersionedBaseline& b : accounting->baselines)
    *response->add_baselines() = ToProto(b);
  return grpc::Status::OK;
}

absl::StatusOr<std::optional<auth::ItemScope>>
ConfigurationGrpcService::ScopeOf(
    const google::protobuf::MethodDescriptor& method,
    const google::protobuf::Message& request) const {
  return ScopeByKeys(owners_, request,
                     {{"item_id", ItemKind::kConfigurationItem},
                      {"baseline_id", ItemKind::kBaseline},
                      {"from_baseline_id", ItemKind::kBaseline},
                      {"to_baseline_id", ItemKind::kBaseline}});
}

}  // namespace pmo::configuration
