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

absl::Status KillOnceTheLoadFlows(ChildProcess& victim, CreateProjectLoad& load,
                                  std::mt19937& rng) {
  const absl::Time limit = absl::Now() + absl::Seconds(60);
  while (load.acked() < 20 && absl::Now() < limit) absl::SleepFor(absl::Milliseconds(10));
  if (load.acked() < 20) {
    load.Stop();
    return absl::DeadlineExceededError("the load did not get going");
  }
  std::uniform_int_distribution<int> extra_ms(0, 700);
  absl::SleepFor(absl::Milliseconds(extra_ms(rng)));
  victim.Signal(SIGKILL);
  if (!victim.Wait(absl::Seconds(30)).has_value()) {
    load.Stop();
    return absl::DeadlineExceededError("the killed process did not end within 30 s");
  }
  load.Stop();
  return absl::OkStatus();
}

}  // namespace pmo::testing
