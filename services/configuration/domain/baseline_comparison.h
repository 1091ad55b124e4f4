#pragma once

// Comparing two baselines: which items one has that the other has not, and
// which it holds at another version. A plain function over the entries,
// linear in their number (both lists are sorted by item id), so 50,000-item
// baselines compare in milliseconds.

#include "pmo/configuration/v1/configuration.pb.h"

namespace pmo::configuration {

// `from` and `to` must have their entries sorted by item id (as
// BaselineAggregate keeps them). Added, removed and changed come out sorted
// by item id too.
::pmo::configuration::v1::BaselineComparison CompareBaselines(
    const ::pmo::configuration::v1::Baseline& from,
    const ::pmo::configuration::v1::Baseline& to);

}  // namespace pmo::configuration
