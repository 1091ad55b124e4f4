#pragma once

// Which pmoctl command calls which RPC, and the RPCs no command calls yet
// with the reason. rpc_coverage_test.cc checks both lists against the
// service descriptors of every proto under protos/pmo and against the
// command registry, so an RPC added to a service, or a command added to
// pmoctl, fails the test until it appears here.

#include <string>
#include <vector>

namespace pmoctl {

struct CommandRpc {
  // "group command" as typed, e.g. "changes assess"; "demo" for a nameless one.
  std::string command;
  // The method's full name, e.g.
  // "pmo.configuration.v1.ChangeControlService.AssessChangeRequest".
  std::string rpc;
};

struct UncoveredRpc {
  std::string rpc;
  // Why no command calls it yet.
  std::string reason;
};

// Every command with each RPC it calls (pmoctl demo calls many; it is
// listed for none, as it only loads sample data through RPCs other commands
// also reach).
const std::vector<CommandRpc>& CommandRpcs();

// RPCs without a command, each with its reason.
const std::vector<UncoveredRpc>& UncoveredRpcs();

}  // namespace pmoctl
