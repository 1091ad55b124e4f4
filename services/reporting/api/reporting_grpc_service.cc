#include "services/reporting/api/reporting_grpc_service.h"

#include "absl/strings/str_cat.h"
#include "libs/auth/project_scope.h"
#include "libs/base/errors.h"
#include "libs/base/proto_time.h"
#include "libs/base/status_macros.h"
#include "libs/grpcserver/call_context.h"
#include "libs/grpcserver/request_checks.h"
#include "libs/grpcserver/status_mapping.h"

namespace pmo::reporting {
namespace {

using grpcserver::CheckRequestId;
using grpcserver::CheckUuid;
using grpcserver::CommandContextOf;
using grpcserver::ToGrpcStatus;

// How long one WatchInbox wait lasts before it looks at cancellation again.
constexpr absl::Duration kWatchPoll = absl::Milliseconds(500);

// A project manager's reports are of one project they manage: a
// programme's, portfolio's or the enterprise's report rolls up other
// managers' projects, so it is refused rather than quietly narrowed (a
// report titled for a portfolio must cover the portfolio).
absl::Status CheckReportScope(const grpc::ServerContext& context,
                              const v1::ReportScope& scope,
                              absl::string_view rpc = "GetReport",
                              absl::string_view field = "spec.scope") {
  const grpcserver::CallerPrincipal caller = grpcserver::CallerOf(context);
  const auth::ProjectScope seen = auth::ProjectScope::Of(caller.grants);
  if (seen.IsEverything()) return absl::OkStatus();
  if (scope.level() == v1::SCOPE_LEVEL_PROJECT && seen.Includes(scope.id()))
    return absl::OkStatus();
  return absl::PermissionDeniedError(
      absl::StrCat(rpc, ": ", field, ": ", caller.name,
                   " may get reports of the projects they manage only (scope "
                   "level PROJECT, id in pmo_projects)"));
}

template <typename Request>
const Request* RequestAs(const google::protobuf::MethodDescriptor& method,
                         const google::protobuf::Message& request) {
  if (method.input_type() != Request::descriptor()) return nullptr;
  return static_cast<const Request*>(&request);
}

}  // namespace

grpc::Status ReportsGrpcService::GetReport(grpc::ServerContext* context,
                                           const v1::GetReportRequest* request,
                                           v1::GetReportResponse* response) {
  if (absl::Status s = CheckReportScope(*context, request->spec().scope());
      !s.ok())
    return ToGrpcStatus(s);
  auto report = reports_.Generate(request->spec());
  if (!report.ok()) return ToGrpcStatus(report.status());
  *response->mutable_report() = *std::move(report);
  return grpc::Status::OK;
}

grpc::Status CommunicationGrpcService::CreateCommunicationPlan(
    grpc::ServerContext* context,
    const v1::CreateCommunicationPlanRequest* request,
    v1::CreateCommunicationPlanResponse* response) {
  FieldViolations v;
  CheckRequestId(v, request->request_id());
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  std::optional<absl::Time> starts_at;
  if (request->has_starts_at()) starts_at = FromTimestamp(request->starts_at());
  auto plan = plans_.Create(
      request->name(), starts_at,
      CommandContextOf(*context, request->request_id(), std::nullopt));
  if (!plan.ok()) return ToGrpcStatus(plan.status());
  *response->mutable_plan() = *std::move(plan);
  return grpc::Status::OK;
}

grpc::Status CommunicationGrpcService::GetCommunicationPlan(
    grpc::ServerContext* context,
    const v1::GetCommunicationPlanRequest* request,
    v1::GetCommunicationPlanResponse* response) {
  FieldViolations v;
  CheckUuid(v, "plan_id", request->plan_id());
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  auto plan = plans_.Get(request->plan_id());
  if (!plan.ok()) return ToGrpcStatus(plan.status());
  *response->mutable_plan() =
      PlanSeenBy(*plan, grpcserver::CallerOf(*context).grants);
  return grpc::Status::OK;
}

grpc::Status CommunicationGrpcService::AddStakeholder(
    grpc::ServerContext* context, const v1::AddStakeholderRequest* request,
    v1::AddStakeholderResponse* response) {
  FieldViolations v;
  grpcserver::CheckCommandOn(v, *request, "plan_id", request->plan_id());
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  v1::Stakeholder s;
  s.set_name(request->name());
  s.set_role(request->role());
  *s.mutable_project_ids() = request->project_ids();
  s.set_webhook_url(request->webhook_url());
  s.set_principal(request->principal());
  auto added = plans_.AddStakeholder(request->plan_id(), std::move(s),
                                     request->webhook_secret(),
                                     CommandContextOf(*context, *request));
  if (!added.ok()) return ToGrpcStatus(added.status());
  // Only what the caller may read: not the other projects' stakeholders.
  *response->mutable_plan() =
      PlanSeenBy(added->first, grpcserver::CallerOf(*context).grants);
  response->set_stakeholder_id(added->second);
  return grpc::Status::OK;
}

grpc::Status CommunicationGrpcService::AddDistribution(
    grpc::ServerContext* context, const v1::AddDistributionRequest* request,
    v1::AddDistributionResponse* response) {
  FieldViolations v;
  grpcserver::CheckCommandOn(v, *request, "plan_id", request->plan_id());
  CheckReportSpec(v, "report", request->report(), /*as_of_allowed=*/false);
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  // The inbox it lands in may be read by the stakeholder's principal: a
  // project manager distributes reports of their own projects only.
  if (absl::Status s = CheckReportScope(*context, request->report().scope(),
                                        "AddDistribution", "report.scope");
      !s.ok()) {
    return ToGrpcStatus(s);
  }
  v1::Distribution d;
  d.set_stakeholder_id(request->stakeholder_id());
  *d.mutable_report() = request->report();
  d.set_frequency(request->frequency());
  d.set_channel(request->channel());
  auto added = plans_.AddDistribution(request->plan_id(), std::move(d),
                                      CommandContextOf(*context, *request));
  if (!added.ok()) return ToGrpcStatus(added.status());
  *response->mutable_plan() =
      PlanSeenBy(added->first, grpcserver::CallerOf(*context).grants);
  response->set_distribution_id(added->second);
  return grpc::Status::OK;
}

grpc::Status CommunicationGrpcService::ListInbox(
    grpc::ServerContext* context, const v1::ListInboxRequest* request,
    v1::ListInboxResponse* response) {
  FieldViolations v;
  CheckUuid(v, "stakeholder_id", request->stakeholder_id());
  if (request->after_sequence() < 0)
    v.Add("after_sequence", "must not be negative");
  if (request->page_size() < 0 || request->page_size() > 100)
    v.Add("page_size", "must be 0-100");
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  if (auto known = plans_.FindStakeholder(request->stakeholder_id());
      !known.ok()) {
    return ToGrpcStatus(known.status());
  }
  auto items =
      inboxes_.List(request->stakeholder_id(), request->after_sequence(),
                    request->page_size() == 0 ? 20 : request->page_size());
  if (!items.ok()) return ToGrpcStatus(items.status());
  for (v1::InboxItem& item : *items) *response->add_items() = std::move(item);
  return grpc::Status::OK;
}

grpc::Status CommunicationGrpcService::WatchInbox(
    grpc::ServerContext* context, const v1::WatchInboxRequest* request,
    grpc::ServerWriter<v1::WatchInboxResponse>* writer) {
  FieldViolations v;
  CheckUuid(v, "stakeholder_id", request->stakeholder_id());
  if (request->after_sequence() < 0)
    v.Add("after_sequence", "must not be negative");
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  if (auto known = plans_.FindStakeholder(request->stakeholder_id());
      !known.ok()) {
    return ToGrpcStatus(known.status());
  }
  int64_t after = request->after_sequence();
  InboxNotifier& notifier = inboxes_.notifier();
  while (!context->IsCancelled()) {
    // Read the generation first: a delivery after it wakes the wait below
    // even if it lands while this pass reads the inbox.
    const uint64_t seen = notifier.generation();
    auto items = inboxes_.List(request->stakeholder_id(), after, 100);
    if (!items.ok()) return ToGrpcStatus(items.status());
    for (v1::InboxItem& item : *items) {
      after = item.sequence();
      v1::WatchInboxResponse out;
      *out.mutable_item() = std::move(item);
      if (!writer->Write(out)) return grpc::Status::OK;  // the caller went away
    }
    if (items->empty()) notifier.WaitForChange(seen, kWatchPoll);
  }
  return grpc::Status::OK;
}

grpc::Status CommunicationGrpcService::PublishAnnouncement(
    grpc::ServerContext* context, const v1::PublishAnnouncementRequest* request,
    v1::PublishAnnouncementResponse* response) {
  FieldViolations v;
  CheckRequestId(v, request->request_id());
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  v1::Announcement a;
  a.set_title(request->title());
  a.set_body(request->body());
  *a.mutable_project_ids() = request->project_ids();
  auto published = distribution_.Announce(
      std::move(a),
      CommandContextOf(*context, request->request_id(), std::nullopt));
  if (!published.ok()) return ToGrpcStatus(published.status());
  *response->mutable_announcement() = published->announcement();
  *response->mutable_stakeholder_ids() = published->stakeholder_ids();
  return grpc::Status::OK;
}

absl::StatusOr<std::optional<auth::ItemScope>>
CommunicationGrpcService::ScopeOf(
    const google::protobuf::MethodDescriptor& method,
    const google::protobuf::Message& request) const {
  // The id is checked before it is looked up: the handler would refuse a
  // malformed one with INVALID_ARGUMENT, which the guard's answer must not
  // hide behind a NOT_FOUND.
  auto stakeholder_scope = [this](const std::string& stakeholder_id)
      -> absl::StatusOr<std::optional<auth::ItemScope>> {
    FieldViolations v;
    CheckUuid(v, "stakeholder_id", stakeholder_id);
    RETURN_IF_ERROR(v.ToStatus());
    ASSIGN_OR_RETURN(v1::Stakeholder s, plans_.FindStakeholder(stakeholder_id));
    auth::ItemScope scope;
    if (!s.principal().empty()) scope.owners.push_back(s.principal());
    return scope;
  };
  if (const auto* r = RequestAs<v1::ListInboxRequest>(method, request)) {
    return stakeholder_scope(r->stakeholder_id());
  }
  if (const auto* r = RequestAs<v1::WatchInboxRequest>(method, request)) {
    return stakeholder_scope(r->stakeholder_id());
  }
  if (const auto* r =
          RequestAs<v1::GetCommunicationPlanRequest>(method, request)) {
    FieldViolations v;
    CheckUuid(v, "plan_id", r->plan_id());
    RETURN_IF_ERROR(v.ToStatus());
    ASSIGN_OR_RETURN(v1::CommunicationPlan plan, plans_.Get(r->plan_id()));
    // A plan is PMO-wide; a manager reads it when it is made of their
    // projects' stakeholders only.
    auth::ItemScope scope;
    for (const v1::Stakeholder& s : plan.stakeholders()) {
      if (s.project_ids().empty()) return auth::ItemScope{};
      scope.project_ids.insert(scope.project_ids.end(), s.project_ids().begin(),
                               s.project_ids().end());
    }
    return scope;
  }
  if (const auto* r = RequestAs<v1::AddDistributionRequest>(method, request)) {
    FieldViolations v;
    CheckUuid(v, "plan_id", r->plan_id());
    CheckUuid(v, "stakeholder_id", r->stakeholder_id());
    RETURN_IF_ERROR(v.ToStatus());
    ASSIGN_OR_RETURN(v1::CommunicationPlan plan, plans_.Get(r->plan_id()));
    for (const v1::Stakeholder& s : plan.stakeholders()) {
      if (s.stakeholder_id() != r->stakeholder_id()) continue;
      auth::ItemScope scope;
      scope.project_ids.assign(s.project_ids().begin(), s.project_ids().end());
      return scope;
    }
    return absl::NotFoundError(absl::StrCat("stakeholder_id: stakeholder ",
                                            r->stakeholder_id(),
                                            " is not in plan ", r->plan_id()));
  }
  return std::nullopt;
}

}  // namespace pmo::reporting
