// pmo_bench: durable appends and RPCs, each beside a baseline measured in the
// same run. See docs/benchmarks.md for how to run it and what the ratios mean.

#include <sqlite3.h>

#include "benchmark/benchmark.h"

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::AddCustomContext("sqlite_version", sqlite3_libversion());
  benchmark::AddCustomContext("temp_dir", "/tmp (one fresh dir per run)");
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
