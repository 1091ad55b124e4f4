#include "tests/support/service_process.h"

#include "tests/support/grpc_testing.h"

namespace pmo::testing {
namespace {

std::vector<std::string> Argv(const std::string& binary, std::vector<std::string> args) {
  std::vector<std::string> argv = {std::string(PMO_BINARY_DIR "/bin/") + binary};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

}  // namespace

ServiceProcess::ServiceProcess(const std::string& binary, std::vector<std::string> args)
    : process(Argv(binary, std::move(args))) {
  auto line = process.WaitForLineStartingWith(binary + " listening", absl::Seconds(60));
  port = line ? PortFromStartupLine(*line) : 0;
}

}  // namespace pmo::testing
