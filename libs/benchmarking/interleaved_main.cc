#include "libs/benchmarking/interleaved_main.h"

#include "benchmark/benchmark.h"

namespace pmo::benchmarking {

int RunInterleaved(
    int argc, char** argv,
    const std::vector<std::pair<std::string, std::string>>& context) {
  static char interleave[] = "--benchmark_enable_random_interleaving=true";
  std::vector<char*> args(argv, argv + argc);
  args.insert(args.begin() + 1, interleave);
  int args_count = static_cast<int>(args.size());
  args.push_back(nullptr);
  benchmark::Initialize(&args_count, args.data());
  if (benchmark::ReportUnrecognizedArguments(args_count, args.data())) return 1;
  for (const auto& [key, value] : context)
    benchmark::AddCustomContext(key, value);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

}  // namespace pmo::benchmarking
