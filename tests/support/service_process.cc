#include "tests/support/service_process.h"

#include <signal.h>
#include <sys/wait.h>

#include "absl/strings/str_cat.h"
#include "tests/support/grpc_testing.h"

namespace pmo::testing {
namespace {

std::vector<std::string> Argv(const std::string& binary,
                              std::vector<std::string> args) {
  std::vector<std::string> argv = {PmoBinary(binary)};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

}  // namespace

ServiceProcess::ServiceProcess(const std::string& binary,
                               std::vector<std::string> args)
    : binary(binary), process(Argv(binary, std::move(args))) {
  const absl::Time deadline = absl::Now() + absl::Seconds(60);
  for (std::optional<std::string> line;
       (line = process.ReadLine(deadline - absl::Now()));) {
    if (line->rfind(binary + " listening", 0) == 0) {
      port = PortFromStartupLine(*line);
      return;
    }
    startup_lines.push_back(*std::move(line));
  }
}

int ServiceProcess::PortPrintedBefore(const std::string& prefix) const {
  for (const std::string& line : startup_lines) {
    if (line.rfind(prefix, 0) == 0) return PortFromStartupLine(line);
  }
  return 0;
}

std::vector<std::string> KafkaServiceArgs(
    const std::string& data_dir, const std::string& bootstrap,
    const std::vector<std::string>& more) {
  std::vector<std::string> args = {
      "--listen",        "127.0.0.1:0", "--data_dir",          data_dir,
      "--kafka_brokers", bootstrap,     "--log_requests=false"};
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

absl::Status ServiceProcess::StopCleanly() {
  process.Signal(SIGTERM);
  const std::optional<int> status = process.Wait(absl::Seconds(60));
  if (!status.has_value()) {
    return absl::DeadlineExceededError(
        absl::StrCat(binary, " did not end within 60 s of SIGTERM"));
  }
  if (!WIFEXITED(*status) || WEXITSTATUS(*status) != 0) {
    return absl::InternalError(
        absl::StrCat(binary, " ended with wait status ", *status));
  }
  return absl::OkStatus();
}

}  // namespace pmo::testing
