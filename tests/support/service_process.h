#pragma once

// A platform binary run as its own process for an end-to-end test.

#include <string>
#include <vector>

#include "tests/support/child_process.h"

namespace pmo::testing {

// Starts build/bin/<binary> with `args` (typically --listen 127.0.0.1:0)
// and reads its gRPC port from its "<binary> listening" line; `port` is 0
// when it did not start within 60 s.
struct ServiceProcess {
  ServiceProcess(const std::string& binary, std::vector<std::string> args);

  ChildProcess process;
  int port = 0;
};

}  // namespace pmo::testing
