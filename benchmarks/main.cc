// pmo_bench: durable appends and RPCs, each beside a baseline measured in the
// same run. See docs/benchmarks.md for how to run it and what the ratios mean.

#include <sqlite3.h>

#include <vector>

#include "benchmark/benchmark.h"

int main(int argc, char** argv) {
  // Repetitions of all benchmarks run in a random interleaved order by
  // default, so a figure and its baseline sample the same moments of a noisy
  // machine (fsync latency on a shared disk swings several-fold). A later
  // --benchmark_enable_random_interleaving=false on the command line wins.
  static char interleave[] = "--benchmark_enable_random_interleaving=true";
  std::vector<char*> args(argv, argv + argc);
  args.insert(args.begin() + 1, interleave);
  int args_count = static_cast<int>(args.size());
  args.push_back(nullptr);

  benchmark::Initialize(&args_count, args.data());
  if (benchmark::ReportUnrecognizedArguments(args_count, args.data())) return 1;
  benchmark::AddCustomContext("sqlite_version", sqlite3_libversion());
  benchmark::AddCustomContext("temp_dir", "/tmp (one fresh dir per run)");
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
