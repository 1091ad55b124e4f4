#pragma once

// The freshness block every answer of the projection carries: the event
// positions the view reflects (per topic partition, or per store in the
// all-in-one mode), the newest event's recording time and the apply lag.

#include "absl/status/status.h"
#include "pmo/projection/v1/portfolio_service.pb.h"
#include "services/projection/app/portfolio_view.h"

namespace pmo::projection {

// Fill it before computing the answer: the answer is then at least as new
// as the freshness says.
absl::Status FillFreshness(PortfolioView& view, v1::ViewFreshness* freshness);

}  // namespace pmo::projection
