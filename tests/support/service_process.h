#pragma once

// A platform binary run as its own process for an end-to-end test.

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "tests/support/child_process.h"

namespace pmo::testing {

// Starts build/bin/<binary> with `args` (typically --listen 127.0.0.1:0)
// and reads its gRPC port from its "<binary> listening" line; `port` is 0
// when it did not start within 60 s.
struct ServiceProcess {
  ServiceProcess(const std::string& binary, std::vector<std::string> args);

  // The port of a "<prefix> N" line printed before the gRPC one, such as
  // "pmo dashboard on port"; 0 when there was none.
  int PortPrintedBefore(const std::string& prefix) const;

  // Sends SIGTERM and waits (60 s at most) for the service to end; an error
  // naming the binary unless it exited with status 0 (a clean drain).
  absl::Status StopCleanly();

  const std::string binary;
  ChildProcess process;
  int port = 0;
  // What the service printed before its gRPC port line.
  std::vector<std::string> startup_lines;
};

// The arguments of a platform service on 127.0.0.1:0 with its files in
// `data_dir` and the Kafka broker at `bootstrap`, one log line per request
// off (a load test would drown in them), then `more`.
std::vector<std::string> KafkaServiceArgs(
    const std::string& data_dir, const std::string& bootstrap,
    const std::vector<std::string>& more = {});

}  // namespace pmo::testing
