#pragma once

// The portfolio structure a risks or reporting test starts from, made
// through pmo-projects' gRPC API: portfolio CORP -> programme DIGITAL ->
// one project per code (each a NewProjectRequest: 2027-01-04 to
// 2027-12-17, manager alice).

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace pmo::testing {

struct PortfolioTree {
  std::string portfolio_id;
  std::string programme_id;
  std::vector<std::string> project_ids;  // in the order of the codes
};

// Request ids are derived from the codes, so a second call with the same
// codes returns the same ids and creates nothing.
absl::StatusOr<PortfolioTree> CreatePortfolioTree(
    int projects_port, const std::vector<std::string>& project_codes);

}  // namespace pmo::testing
