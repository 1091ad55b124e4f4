#pragma once

// The ConsolidatedViewsService answers as plain functions: each checks its
// request's fields (INVALID_ARGUMENT naming every bad one), asks the
// consolidation and fills the response (except freshness). The gRPC
// adapter (views_grpc_service.h) only adds freshness and maps the status.
//
// Each answers over the caller's ProjectScope (libs/auth/project_scope.h):
// a project manager gets only their projects' lines, with every total,
// count and page computed over those (docs/security.md, "What a project
// manager sees").

#include <optional>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "libs/auth/project_scope.h"
#include "pmo/projection/v1/views_service.pb.h"
#include "services/projection/app/consolidation.h"

namespace pmo::projection {

// The request checks that need no consolidation, done before one is
// folded (an as-of fold is not cheap). `as_of` is the adapter's to check.
absl::Status CheckRequest(const v1::GetResourceLoadRequest& request);
absl::Status CheckRequest(const v1::ListRiskRegisterRequest& request);
absl::Status CheckRequest(const v1::GetRiskExposureHistoryRequest& request,
                          absl::CivilDay status_date);
inline absl::Status CheckRequest(const v1::GetDependencyGraphRequest&) {
  return absl::OkStatus();
}
inline absl::Status CheckRequest(
    const v1::GetConfigurationAcrossProjectsRequest&) {
  return absl::OkStatus();
}

// Each expects a request CheckRequest accepted.
void Answer(const Consolidation& c, absl::CivilDay status_date,
            const v1::GetResourceLoadRequest& request,
            const auth::ProjectScope& scope,
            v1::GetResourceLoadResponse* response);
void Answer(const Consolidation& c, absl::CivilDay status_date,
            const v1::ListRiskRegisterRequest& request,
            const auth::ProjectScope& scope,
            v1::ListRiskRegisterResponse* response);
void Answer(const Consolidation& c, absl::CivilDay status_date,
            const v1::GetRiskExposureHistoryRequest& request,
            const auth::ProjectScope& scope,
            v1::GetRiskExposureHistoryResponse* response);
void Answer(const Consolidation& c, absl::CivilDay status_date,
            const v1::GetDependencyGraphRequest& request,
            const auth::ProjectScope& scope,
            v1::GetDependencyGraphResponse* response);
void Answer(const Consolidation& c, absl::CivilDay status_date,
            const v1::GetConfigurationAcrossProjectsRequest& request,
            const auth::ProjectScope& scope,
            v1::GetConfigurationAcrossProjectsResponse* response);

// The Monday on or before `day`.
absl::CivilDay WeekStart(absl::CivilDay day);

}  // namespace pmo::projection
