#pragma once

// GetPortfolioOverview's filtering, sorting and paging over a computed
// Overview, and its conversion to the wire messages.

#include "absl/status/statusor.h"
#include "libs/auth/project_scope.h"
#include "pmo/projection/v1/portfolio_service.pb.h"
#include "services/projection/app/consolidation.h"

namespace pmo::projection {

// Fills `response` (except freshness) with the page of `overview` the
// request asks for. INVALID_ARGUMENT naming the field for a bad page size,
// page token, status, health or sort.
absl::Status AnswerOverview(const Overview& overview,
                            absl::CivilDay status_date,
                            const v1::GetPortfolioOverviewRequest& request,
                            v1::GetPortfolioOverviewResponse* response);

// Keeps the project lines in `scope` and rolls the programmes and
// portfolios up again over those: a project manager's overview, whose
// totals say nothing of other projects.
void NarrowOverview(const auth::ProjectScope& scope, Overview& overview);

}  // namespace pmo::projection
