#pragma once

// The ConsolidatedViewsService answers as plain functions: each checks its
// request's fields (INVALID_ARGUMENT naming every bad one), asks the
// consolidation and fills the response (except freshness). The gRPC
// adapter (views_grpc_service.h) only adds freshness and maps the status.

#include <optional>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "pmo/projection/v1/views_service.pb.h"
#include "services/projection/app/consolidation.h"

namespace pmo::projection {

// The request checks that need no consolidation, done before one is
// folded (an as-of fold is not cheap). `as_of` is the adapter's to check.
absl::Status CheckRequest(const v1::GetResourceLoadRequest& request);
absl::Status CheckRequest(const v1::ListRiskRegisterRequest& request);
absl::Status CheckRequest(const v1::GetRiskExposureHistoryRequest& request, absl::CivilDay status_date);
inline absl::Status CheckRequest(const v1::GetDependencyGraphRequest&) { return absl::OkStatus(); }
inline absl::Status CheckRequest(const v1::GetConfigurationAcrossProjectsRequest&) {
  return absl::OkStatus();
}

// Each expects a request CheckRequest accepted.
void Answer(const Consolidation& c, absl::CivilDay status_date, const v1::GetResourceLoadRequest& request,
            v1::GetResourceLoadResponse* response);
void Answer(const Consolidation& c, absl::CivilDay status_date, const v1::ListRiskRegisterRequest& request,
            v1::ListRiskRegisterResponse* response);
void Answer(const Consolidation& c, absl::CivilDay status_date,
            const v1::GetRiskExposureHistoryRequest& request, v1::GetRiskExposureHistoryResponse* response);
void Answer(const Consolidation& c, absl::CivilDay status_date, const v1::GetDependencyGraphRequest& request,
            v1::GetDependencyGraphResponse* response);
void Answer(const Consolidation& c, absl::CivilDay status_date,
            const v1::GetConfigurationAcrossProjectsRequest& request,
            v1::GetConfigurationAcrossProjectsResponse* response);

// The Monday on or before `day`.
absl::CivilDay WeekStart(absl::CivilDay day);

}  // namespace pmo::projection
