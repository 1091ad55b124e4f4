#pragma once

// What the SIGKILL fault tests share: their knobs from the environment, and
// one kill round under load.

#include <random>

#include "absl/status/status.h"
#include "tests/support/child_process.h"
#include "tests/support/create_project_load.h"

namespace pmo::testing {

// The environment variable `name` as an int, or `fallback` when unset (the
// soak variants raise the counts; PMO_FAULT_SEED repeats a run's kill
// moments).
int EnvInt(const char* name, int fallback);

// One kill round: waits (60 s at most) until `load` has 20 acknowledged
// commands, then 0-700 ms more drawn from `rng` so that every round kills at
// another moment, SIGKILLs `victim`, waits for it to die and stops the load.
absl::Status KillOnceTheLoadFlows(ChildProcess& victim, CreateProjectLoad& load,
                                  std::mt19937& rng);

}  // namespace pmo::testing
