#pragma once

// The workloads that look like a PMO's day, over projects, resources and
// risks (one channel each: the all-in-one `pmo` or separate services).
//
// mixed: what a portfolio's users do, per 100 requests (kMixedShares):
//   writes 70: 4 new projects, 16 tasks added, 14 task progress updates,
//              14 actual costs, 4 status reports, 10 resource bookings,
//              5 risks identified, 3 risk assessments
//   reads 30:  16 project reads, 8 resource loads, 6 project risk registers
//   Each worker first sets up (unmeasured) 3 projects with 2 tasks, a
//   resource booked once on each project (retried until the resource pool
//   has learnt the projects from their events) and a risk; it then works on
//   its own projects, resource and risks only, so workers do not conflict.
//   Change requests are not in the mix: the platform has no change-request
//   RPC yet.
//
// bulk-import: a legacy portfolio loaded into the PMO, writes only. Per
//   imported project, 16 commands in order: create, set budget, 8 tasks,
//   4 actual costs (each chained on the previous one's version with
//   expected_version, as an importer that must not interleave would), then
//   2 risks. A failed step abandons that project and starts the next.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "tools/pmo-bench/portfolio_client.h"
#include "tools/pmo-bench/workload.h"

namespace pmo::bench {

enum class MixedOperation {
  kCreateProject,
  kAddTask,
  kRecordTaskProgress,
  kRecordActualCost,
  kSubmitStatusReport,
  kAllocateResource,
  kIdentifyRisk,
  kAssessRisk,
  kGetProject,
  kGetResourceLoad,
  kListRisks,
};

struct MixedShare {
  MixedOperation operation;
  int per_hundred;
};

inline constexpr MixedShare kMixedShares[] = {
    {MixedOperation::kCreateProject, 4},
    {MixedOperation::kAddTask, 16},
    {MixedOperation::kRecordTaskProgress, 14},
    {MixedOperation::kRecordActualCost, 14},
    {MixedOperation::kSubmitStatusReport, 4},
    {MixedOperation::kAllocateResource, 10},
    {MixedOperation::kIdentifyRisk, 5},
    {MixedOperation::kAssessRisk, 3},
    {MixedOperation::kGetProject, 16},
    {MixedOperation::kGetResourceLoad, 8},
    {MixedOperation::kListRisks, 6},
};

// 100 operations, each as often as kMixedShares says, in an order shuffled
// by `seed`. A worker cycles through its deck, so every 100 requests have
// exactly the shares above, in an order that differs between workers.
std::vector<MixedOperation> MixedDeck(uint64_t seed);

std::unique_ptr<Workload> MakeMixedWorkload(const PortfolioChannels& channels,
                                            absl::Duration call_timeout,
                                            const std::string& run_tag);

std::unique_ptr<Workload> MakeBulkImportWorkload(
    const PortfolioChannels& channels, absl::Duration call_timeout,
    const std::string& run_tag);

}  // namespace pmo::bench
