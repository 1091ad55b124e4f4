// schedule_bench: ComputeCriticalPath over a random layered network of
// 100,000 activities and 200,000 dependencies, beside baselines measured in
// the same run over the same input:
//
//   BM_SumDurationsBaseline   one linear pass over the same two arrays
//                             (durations and lags): the memory floor
//   BM_TopologicalSortBaseline  Kahn's algorithm alone over the same graph,
//                             already as integer indices (CSR build included):
//                             the floor for any CPM over this graph
//   BM_CriticalPath           the whole call: id hashing, validation, CSR,
//                             forward and backward pass, floats, a path
//
// ./build/bin/schedule_bench   (times in ms per run)

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "libs/benchmarking/interleaved_main.h"
#include "libs/schedule/critical_path.h"

namespace pmo::schedule {
namespace {

constexpr int kActivities = 100'000;
constexpr int kDependencies = 200'000;
constexpr int kLayers = 100;  // 1,000 activities per layer

struct Network {
  std::vector<Activity> activities;
  std::vector<Dependency> dependencies;
  // The same dependencies as activity indices, for the topological baseline.
  std::vector<int32_t> predecessor;
  std::vector<int32_t> successor;
};

// Layers 0..kLayers-1; every dependency goes from a layer to one of the next
// three, so the graph is a DAG about 100 activities deep. Activity positions
// are shuffled, so input order is not topological. Types: 70% FS, 10% each of
// SS, FF, SF; lags -2..5 (a quarter of them leads); 5% milestones; 1% with a
// start-no-earlier-than constraint.
const Network& RandomNetwork() {
  static const Network* const network = [] {
    auto* net = new Network;
    std::mt19937_64 rng(42);
    std::vector<int32_t> position(kActivities);
    for (int32_t i = 0; i < kActivities; ++i) position[i] = i;
    std::shuffle(position.begin(), position.end(), rng);
    net->activities.resize(kActivities);
    for (int32_t node = 0; node < kActivities; ++node) {
      Activity& a = net->activities[position[node]];
      char id[16];
      std::snprintf(id, sizeof id, "ACT-%06d", node);
      a.id = id;
      a.duration_days = rng() % 20 == 0 ? 0 : 1 + rng() % 20;
      if (rng() % 100 == 0) {
        a.start_no_earlier_than = static_cast<int64_t>(rng() % 400);
      }
    }
    constexpr int kPerLayer = kActivities / kLayers;
    for (int j = 0; j < kDependencies; ++j) {
      const int from_layer = static_cast<int>(rng() % (kLayers - 1));
      const int to_layer = std::min<int>(
          kLayers - 1, from_layer + 1 + static_cast<int>(rng() % 3));
      auto pick = [&](int layer) {
        return position[layer * kPerLayer +
                        static_cast<int>(rng() % kPerLayer)];
      };
      const int32_t p = pick(from_layer);
      const int32_t s = pick(to_layer);
      const int roll = static_cast<int>(rng() % 10);
      const DependencyType type = roll < 7    ? DependencyType::kFinishToStart
                                  : roll == 7 ? DependencyType::kStartToStart
                                  : roll == 8 ? DependencyType::kFinishToFinish
                                              : DependencyType::kStartToFinish;
      const int64_t lag = static_cast<int64_t>(rng() % 8) - 2;
      net->dependencies.push_back(
          {net->activities[p].id, net->activities[s].id, type, lag});
      net->predecessor.push_back(p);
      net->successor.push_back(s);
    }
    return net;
  }();
  return *network;
}

void BM_SumDurationsBaseline(benchmark::State& state) {
  const Network& net = RandomNetwork();
  for (auto _ : state) {
    int64_t sum = 0;
    for (const Activity& a : net.activities) sum += a.duration_days;
    for (const Dependency& d : net.dependencies) sum += d.lag_days;
    benchmark::DoNotOptimize(sum);
  }
}

void BM_TopologicalSortBaseline(benchmark::State& state) {
  const Network& net = RandomNetwork();
  const int32_t n = kActivities;
  const int32_t m = kDependencies;
  for (auto _ : state) {
    std::vector<int32_t> begin(n + 1, 0);
    std::vector<int32_t> in_degree(n, 0);
    for (int32_t j = 0; j < m; ++j) {
      ++begin[net.predecessor[j] + 1];
      ++in_degree[net.successor[j]];
    }
    for (int32_t i = 0; i < n; ++i) begin[i + 1] += begin[i];
    std::vector<int32_t> cursor(begin.begin(), begin.end() - 1);
    std::vector<int32_t> out(m);
    for (int32_t j = 0; j < m; ++j) {
      out[cursor[net.predecessor[j]]++] = net.successor[j];
    }
    std::vector<int32_t> order(n);
    int32_t head = 0;
    int32_t tail = 0;
    for (int32_t i = 0; i < n; ++i) {
      if (in_degree[i] == 0) order[tail++] = i;
    }
    while (head < tail) {
      const int32_t p = order[head++];
      for (int32_t k = begin[p]; k < begin[p + 1]; ++k) {
        if (--in_degree[out[k]] == 0) order[tail++] = out[k];
      }
    }
    if (tail != n) state.SkipWithError("not a DAG");
    benchmark::DoNotOptimize(order.data());
  }
}

void BM_CriticalPath(benchmark::State& state) {
  const Network& net = RandomNetwork();
  int64_t finish = 0;
  size_t critical = 0;
  for (auto _ : state) {
    absl::StatusOr<ProjectSchedule> s =
        ComputeCriticalPath(net.activities, net.dependencies);
    if (!s.ok()) {
      state.SkipWithError(std::string(s.status().message()).c_str());
      break;
    }
    finish = s->project_finish;
    critical = s->critical_activities.size();
    benchmark::DoNotOptimize(s->activities.data());
  }
  state.counters["project_finish"] = static_cast<double>(finish);
  state.counters["critical"] = static_cast<double>(critical);
}

void Configure(benchmark::internal::Benchmark* b) {
  b->Unit(benchmark::kMillisecond)->Repetitions(5)->MinTime(0.5);
}

BENCHMARK(BM_SumDurationsBaseline)->Apply(Configure);
BENCHMARK(BM_TopologicalSortBaseline)->Apply(Configure);
BENCHMARK(BM_CriticalPath)->Apply(Configure);

}  // namespace
}  // namespace pmo::schedule

int main(int argc, char** argv) {
  return pmo::benchmarking::RunInterleaved(
      argc, argv,
      {{"network", "100000 activities, 200000 dependencies, seed 42"}});
}
