#include "services/projection/api/views_grpc_service.h"

#include "libs/base/errors.h"
#include "libs/base/proto_time.h"
#include "libs/grpcserver/call_context.h"
#include "libs/grpcserver/request_checks.h"
#include "libs/grpcserver/status_mapping.h"
#include "services/projection/api/freshness.h"
#include "services/projection/api/views_answers.h"

namespace pmo::projection {
namespace {

using grpcserver::ToGrpcStatus;

template <typename Request>
absl::Status Check(const Request& request, absl::CivilDay) {
  return CheckRequest(request);
}
absl::Status Check(const v1::GetRiskExposureHistoryRequest& request,
                   absl::CivilDay status_date) {
  return CheckRequest(request, status_date);
}

void ToProto(const ViewRebuildStatus& state, v1::ViewRebuild* out) {
  using Phase = ViewRebuildStatus::Phase;
  out->set_source(state.source == ViewRebuildStatus::Source::kTopics
                      ? v1::VIEW_REBUILD_SOURCE_TOPICS
                      : v1::VIEW_REBUILD_SOURCE_JOURNAL);
  out->set_live_view(state.live_view);
  switch (state.phase) {
    case Phase::kIdle:
      out->set_phase(v1::VIEW_REBUILD_PHASE_IDLE);
      return;
    case Phase::kRunning:
      out->set_phase(v1::VIEW_REBUILD_PHASE_RUNNING);
      break;
    case Phase::kSwitched:
      out->set_phase(v1::VIEW_REBUILD_PHASE_SWITCHED);
      break;
    case Phase::kFailed:
      out->set_phase(v1::VIEW_REBUILD_PHASE_FAILED);
      break;
  }
  out->set_events_folded(state.events_folded);
  out->set_events_behind(state.events_behind);
  out->set_rebuilt_view(state.rebuilt_view);
  if (state.source == ViewRebuildStatus::Source::kTopics &&
      state.phase != Phase::kRunning) {
    *out->mutable_feed_held() = ToDurationProto(state.feed_held);
  }
  out->set_live_digest(state.live_digest);
  out->set_rebuilt_digest(state.rebuilt_digest);
  out->set_digests_equal(!state.rebuilt_digest.empty() &&
                         state.live_digest == state.rebuilt_digest);
  *out->mutable_start_time() = ToTimestamp(state.started);
  if (state.phase != Phase::kRunning) {
    *out->mutable_finish_time() = ToTimestamp(state.finished);
  }
  out->set_error(state.error);
}

}  // namespace

template <typename Request, typename Response>
grpc::Status ViewsGrpcService::Serve(const grpc::ServerContext& context,
                                     const Request& request,
                                     Response* response) {
  FieldViolations v;
  std::optional<absl::CivilDay> as_of;
  grpcserver::ReadOptionalDate(v, "as_of", request.has_as_of(), request.as_of(),
                               &as_of);
  const absl::CivilDay status_date =
      as_of.value_or(absl::ToCivilDay(clock_.Now(), absl::UTCTimeZone()));
  v.AddAll(Check(request, status_date));
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  // One view for the whole answer, even across a switch.
  const std::shared_ptr<PortfolioView> view = served_.Current();
  // Freshness first: the answer is then at least as new as it says.
  if (absl::Status s = FillFreshness(*view, response->mutable_freshness());
      !s.ok())
    return ToGrpcStatus(s);
  const auth::ProjectScope scope =
      auth::ProjectScope::Of(grpcserver::CallerOf(context).grants);
  return ToGrpcStatus(
      view->WithConsolidation(as_of, [&](const Consolidation& c) {
        Answer(c, status_date, request, scope, response);
      }));
}

grpc::Status ViewsGrpcService::GetResourceLoad(
    grpc::ServerContext* context, const v1::GetResourceLoadRequest* request,
    v1::GetResourceLoadResponse* response) {
  return Serve(*context, *request, response);
}

grpc::Status ViewsGrpcService::ListRiskRegister(
    grpc::ServerContext* context, const v1::ListRiskRegisterRequest* request,
    v1::ListRiskRegisterResponse* response) {
  return Serve(*context, *request, response);
}

grpc::Status ViewsGrpcService::GetRiskExposureHistory(
    grpc::ServerContext* context,
    const v1::GetRiskExposureHistoryRequest* request,
    v1::GetRiskExposureHistoryResponse* response) {
  return Serve(*context, *request, response);
}

grpc::Status ViewsGrpcService::GetDependencyGraph(
    grpc::ServerContext* context, const v1::GetDependencyGraphRequest* request,
    v1::GetDependencyGraphResponse* response) {
  return Serve(*context, *request, response);
}

grpc::Status ViewsGrpcService::GetConfigurationAcrossProjects(
    grpc::ServerContext* context,
    const v1::GetConfigurationAcrossProjectsRequest* request,
    v1::GetConfigurationAcrossProjectsResponse* response) {
  return Serve(*context, *request, response);
}

grpc::Status ViewsGrpcService::StartViewRebuild(
    grpc::ServerContext*, const v1::StartViewRebuildRequest*,
    v1::StartViewRebuildResponse* response) {
  if (absl::Status s = rebuild_.Start(); !s.ok()) return ToGrpcStatus(s);
  ToProto(rebuild_.Status(), response->mutable_rebuild());
  return grpc::Status::OK;
}

grpc::Status ViewsGrpcService::GetViewRebuild(
    grpc::ServerContext*, const v1::GetViewRebuildRequest*,
    v1::GetViewRebuildResponse* response) {
  ToProto(rebuild_.Status(), response->mutable_rebuild());
  return grpc::Status::OK;
}

}  // namespace pmo::projection
