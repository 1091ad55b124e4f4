#pragma once

// The one-RPC workloads:
//   echo            pmo.bench.v1.EchoService/Echo with a 96-byte payload
//                   (about a CreateProjectRequest's size): the baseline.
//   create-project  ProjectsService/CreateProject, a new project (unique
//                   code and request_id) every call: one durable command.

#include <grpcpp/channel.h>

#include <memory>
#include <string>

#include "absl/time/time.h"
#include "tools/pmo-bench/workload.h"

namespace pmo::bench {

std::unique_ptr<Workload> MakeEchoWorkload(std::shared_ptr<grpc::Channel> echo,
                                           absl::Duration call_timeout);

std::unique_ptr<Workload> MakeCreateProjectWorkload(
    std::shared_ptr<grpc::Channel> projects, absl::Duration call_timeout,
    const std::string& run_tag);

}  // namespace pmo::bench
