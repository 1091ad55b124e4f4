#pragma once

// Questions a fault test asks a running projection (the pmo-projection
// binary or the all-in-one pmo) through its PortfolioService.

#include <string>

#include "absl/time/time.h"
#include "pmo/projection/v1/portfolio_service.grpc.pb.h"

namespace pmo::testing {

// The view's digest and project count; an empty digest when the call failed.
::pmo::projection::v1::GetPortfolioDigestResponse PortfolioDigest(int port);

// Polls until the view at `port` holds at least `count` projects; false when
// `timeout` passed first.
bool WaitForPortfolioCount(int port, int64_t count, absl::Duration timeout);

// Polls until the views at `a` and `b` have the same non-empty digest; false
// when `timeout` passed first. Both must have stopped moving for this to be
// a meaningful comparison (no more commands in flight).
bool WaitForEqualDigests(int a, int b, absl::Duration timeout);

}  // namespace pmo::testing
