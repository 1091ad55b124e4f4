#pragma once

// The workloads pmo-bench knows, by name, wired to their targets.

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tools/pmo-bench/targets.h"
#include "tools/pmo-bench/workload.h"

namespace pmo::bench {

// "echo", "create-project", "mixed", "bulk-import".
const std::vector<std::string>& WorkloadNames();

// Connects to the services the workload needs (within `connect_timeout`)
// and makes it. INVALID_ARGUMENT for an unknown name, UNAVAILABLE when a
// target does not answer.
absl::StatusOr<std::unique_ptr<Workload>> MakeWorkload(
    const std::string& name, const Targets& targets,
    absl::Duration call_timeout, const std::string& run_tag);

}  // namespace pmo::bench
