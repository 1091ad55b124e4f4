#pragma once

// The command line: global options, `pmoctl GROUP COMMAND ARGS --options`,
// --help at every level, and `pmoctl completion bash`.

#include <string>
#include <vector>

#include "tools/pmoctl/command.h"

namespace pmoctl {

// Every command, in help order.
std::vector<Command> AllCommands();

// Runs pmoctl; returns its exit code.
int RunCli(const std::vector<std::string>& argv);

// A bash completion script for `commands` (sourced by the user's shell).
std::string BashCompletion(const std::vector<Command>& commands);

}  // namespace pmoctl
