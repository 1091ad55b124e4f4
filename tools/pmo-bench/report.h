#pragma once

// A run's result as a BenchReport (protos/pmo/bench/v1/report.proto), and
// the two ways pmo-bench prints it: JSON for scripts, a table for people.

#include <string>

#include "pmo/bench/v1/report.pb.h"
#include "tools/pmo-bench/load_run.h"

namespace pmo::bench {

struct RunDescription {
  std::string workload;
  std::string run_tag;
  int concurrency = 0;
  double target_rate = 0;
};

v1::BenchReport MakeReport(const RunDescription& run, const LoadResult& result);

// One line of JSON.
std::string ReportJson(const v1::BenchReport& report);
// A summary and one row per operation, fixed-width.
std::string ReportTable(const v1::BenchReport& report);

}  // namespace pmo::bench
