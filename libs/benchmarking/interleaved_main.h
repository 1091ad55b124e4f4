#pragma once

// The main() of every benchmark binary here: repetitions of all benchmarks
// run in a random interleaved order by default, so a figure and its
// baseline sample the same moments of a shared, noisy machine. A later
// --benchmark_enable_random_interleaving=false on the command line wins.
//
//   int main(int argc, char** argv) {
//     return pmo::benchmarking::RunInterleaved(argc, argv, {{"pool", "5000
//     resources"}});
//   }

#include <string>
#include <utility>
#include <vector>

namespace pmo::benchmarking {

// Runs the registered benchmarks; `context` goes into the report header.
// Returns main()'s exit code.
int RunInterleaved(
    int argc, char** argv,
    const std::vector<std::pair<std::string, std::string>>& context = {});

}  // namespace pmo::benchmarking
