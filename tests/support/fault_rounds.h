#pragma once

// What the SIGKILL fault tests share: their knobs from the environment, and
// one kill round under load.

#include <functional>
#include <random>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "tests/support/child_process.h"
#include "tests/support/flowing_load.h"

namespace pmo::testing {

// The environment variable `name` as an int, or `fallback` when unset (the
// soak variants raise the counts; PMO_FAULT_SEED repeats a run's kill
// moments).
int EnvInt(const char* name, int fallback);

// One kill round: waits (60 s at most) until `load` has 20 acknowledged
// commands, then 0-700 ms more drawn from `rng` so that every round kills at
// another moment, SIGKILLs `victim`, waits for it to die and stops the load.
absl::Status KillOnceTheLoadFlows(ChildProcess& victim, FlowingLoad& load,
                                  std::mt19937& rng);

// Calls `difference` (empty: converged; otherwise what still differs, e.g.
// between a view and a fold of the store) every 200 ms until it returns
// empty or `timeout` passes; returns its last answer.
std::string WaitUntilConverged(const std::function<std::string()>& difference,
                               absl::Duration timeout);

}  // namespace pmo::testing
