#include "tests/support/fault_rounds.h"

#include <signal.h>

#include <cstdlib>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace pmo::testing {

int EnvInt(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v ? std::atoi(v) : fallback;
}

absl::Status KillOnceTheLoadFlows(ChildProcess& victim, FlowingLoad& load,
                                  std::mt19937& rng) {
  const absl::Time limit = absl::Now() + absl::Seconds(60);
  while (load.acked() < 20 && absl::Now() < limit)
    absl::SleepFor(absl::Milliseconds(10));
  if (load.acked() < 20) {
    load.Stop();
    return absl::DeadlineExceededError("the load did not get going");
  }
  std::uniform_int_distribution<int> extra_ms(0, 700);
  absl::SleepFor(absl::Milliseconds(extra_ms(rng)));
  victim.Signal(SIGKILL);
  if (!victim.Wait(absl::Seconds(30)).has_value()) {
    load.Stop();
    return absl::DeadlineExceededError(
        "the killed process did not end within 30 s");
  }
  load.Stop();
  return absl::OkStatus();
}

std::string WaitUntilConverged(const std::function<std::string()>& difference,
                               absl::Duration timeout) {
  const absl::Time until = absl::Now() + timeout;
  std::string last = difference();
  while (!last.empty() && absl::Now() < until) {
    absl::SleepFor(absl::Milliseconds(200));
    last = difference();
  }
  return last;
}

}  // namespace pmo::testing
