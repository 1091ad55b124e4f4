#pragma once

// Starts a program as a child process with its stdout on a pipe, for tests
// that run real service binaries or kill a writer mid-flight.

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace pmo::testing {

#ifdef PMO_BINARY_DIR
// The path of a binary built into the build tree's bin/, for the tests that
// run it (PMO_BINARY_DIR: a compile definition of every test target).
inline std::string PmoBinary(absl::string_view name) {
  return absl::StrCat(PMO_BINARY_DIR, "/bin/", name);
}
#endif

class ChildProcess {
 public:
  // Starts argv[0] with the given arguments; stderr is inherited so a
  // failing child's log shows in the test output.
  explicit ChildProcess(std::vector<std::string> argv);
  ~ChildProcess();  // SIGKILLs the child if it still runs
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }

  // Next line of the child's stdout (without '\n'), or nullopt at end of
  // output or when the timeout passes.
  std::optional<std::string> ReadLine(absl::Duration timeout);
  // Reads lines until one starts with `prefix`; returns it.
  std::optional<std::string> WaitForLineStartingWith(const std::string& prefix,
                                                     absl::Duration timeout);

  void Signal(int signo) const;
  // Waits for exit; returns the raw wait status, or nullopt on timeout.
  std::optional<int> Wait(absl::Duration timeout);

 private:
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::string buffer_;
  bool reaped_ = false;
};

// What a program run to its end printed, and how it ended.
struct FinishedRun {
  int exit_code = -1;  // -1: ended by a signal, or not ended in time
  std::string out;
  std::string err;
};

// Runs argv to its end, its stderr in `stderr_file` (overwritten): for
// tests of a command-line tool's output, messages and exit code.
FinishedRun RunToEnd(const std::vector<std::string>& argv,
                     const std::string& stderr_file);

}  // namespace pmo::testing
