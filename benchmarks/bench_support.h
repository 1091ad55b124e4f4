#pragma once

// Small helpers shared by the pmo_bench benchmarks.

#include <stdlib.h>

#include <filesystem>
#include <string>
#include <system_error>

#include "benchmark/benchmark.h"

namespace pmo::bench {

// A fresh directory /tmp/pmo-bench-XXXXXX, removed with its content when the
// object goes away. Every benchmark run gets its own, so no run sees another
// run's files.
class BenchDir {
 public:
  BenchDir() {
    std::string pattern = "/tmp/pmo-bench-XXXXXX";
    if (mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~BenchDir() {
    if (path_.empty()) return;
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  BenchDir(const BenchDir&) = delete;
  BenchDir& operator=(const BenchDir&) = delete;

  bool ok() const { return !path_.empty(); }
  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Every benchmark of pmo_bench runs alone (1 thread) and with 16 concurrent
// threads, timed by the wall clock (items_per_second is then the throughput
// of all threads together; the CPU column is the whole process's CPU time
// per operation: client, server and store threads), 5 repetitions of at least
// 0.3 s each, which main() interleaves at random with every other benchmark's;
// the console shows the aggregates (mean, median, stddev, cv) of the
// repetitions. The whole binary takes about a minute.
inline void ConcurrencyRuns(benchmark::internal::Benchmark* b) {
  b->Threads(1)
      ->Threads(16)
      ->UseRealTime()
      ->MeasureProcessCPUTime()
      ->MinTime(0.3)
      ->Repetitions(5)
      ->DisplayAggregatesOnly(true);
}

}  // namespace pmo::bench
