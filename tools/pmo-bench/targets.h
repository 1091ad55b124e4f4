#pragma once

// Where each service of a deployment answers, from pmo-bench's --target
// entries:
//   host:port            every service (the all-in-one `pmo`, or any single
//                        process: the echo server)
//   service=host:port    one service of a split deployment; services:
//                        projects, resources, risks, echo
// A service=... entry wins over a plain host:port whatever the order.
// Targets beyond loopback are refused unless allowed explicitly, so a load
// run cannot hit a shared deployment by a slip of the keyboard.

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace pmo::bench {

struct Targets {
  std::string projects;
  std::string resources;
  std::string risks;
  std::string echo;
};

absl::StatusOr<Targets> ParseTargets(const std::vector<std::string>& entries,
                                     bool allow_remote);

}  // namespace pmo::bench
