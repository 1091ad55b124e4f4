#include "tools/pmo-bench/workload_catalogue.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "libs/base/status_macros.h"
#include "tools/pmo-bench/portfolio_workloads.h"
#include "tools/pmo-bench/rpc_call.h"
#include "tools/pmo-bench/simple_workloads.h"

namespace pmo::bench {

const std::vector<std::string>& WorkloadNames() {
  static const auto* names = new std::vector<std::string>{
      "echo", "create-project", "mixed", "bulk-import"};
  return *names;
}

absl::StatusOr<std::unique_ptr<Workload>> MakeWorkload(
    const std::string& name, const Targets& targets,
    absl::Duration call_timeout, const std::string& run_tag) {
  ChannelPool pool(/*connect_timeout=*/absl::Seconds(10));
  if (name == "echo") {
    ASSIGN_OR_RETURN(auto echo, pool.To(targets.echo));
    return MakeEchoWorkload(echo, call_timeout);
  }
  if (name == "create-project") {
    ASSIGN_OR_RETURN(auto projects, pool.To(targets.projects));
    return MakeCreateProjectWorkload(projects, call_timeout, run_tag);
  }
  if (name == "mixed" || name == "bulk-import") {
    PortfolioChannels channels;
    ASSIGN_OR_RETURN(channels.projects, pool.To(targets.projects));
    ASSIGN_OR_RETURN(channels.resources, pool.To(targets.resources));
    ASSIGN_OR_RETURN(channels.risks, pool.To(targets.risks));
    return name == "mixed"
               ? MakeMixedWorkload(channels, call_timeout, run_tag)
               : MakeBulkImportWorkload(channels, call_timeout, run_tag);
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown workload '", name, "' (",
                   absl::StrJoin(WorkloadNames(), ", "), ")"));
}

}  // namespace pmo::bench
