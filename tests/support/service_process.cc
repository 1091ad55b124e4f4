#include "tests/support/service_process.h"

#include <signal.h>
#include <sys/wait.h>

#include "absl/strings/str_cat.h"
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
    : binary(binary), process(Argv(binary, std::move(args))) {
  auto line = process.WaitForLineStartingWith(binary + " listening", absl::Seconds(60));
  port = line ? PortFromStartupLine(*line) : 0;
}

std::vector<std::string> KafkaServiceArgs(const std::string& data_dir, const std::string& bootstrap,
                                          const std::vector<std::string>& more) {
  std::vector<std::string> args = {"--listen",        "127.0.0.1:0", "--data_dir", data_dir,
                                   "--kafka_brokers", bootstrap,     "--log_requests=false"};
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

absl::Status ServiceProcess::StopCleanly() {
  process.Signal(SIGTERM);
  const std::optional<int> status = process.Wait(absl::Seconds(60));
  if (!status.has_value()) {
    return absl::DeadlineExceededError(absl::StrCat(binary, " did not end within 60 s of SIGTERM"));
  }
  if (!WIFEXITED(*status) || WEXITSTATUS(*status) != 0) {
    return absl::InternalError(absl::StrCat(binary, " ended with wait status ", *status));
  }
  return absl::OkStatus();
}

}  // namespace pmo::testing
