// pmoctl: the PMO platform's command-line client. `pmoctl --help` lists the
// commands; cli.cc parses, the *_commands.cc files hold one service area each.

#include <string>
#include <vector>

#include "tools/pmoctl/cli.h"

int main(int argc, char** argv) {
  return pmoctl::RunCli(std::vector<std::string>(argv + 1, argv + argc));
}
