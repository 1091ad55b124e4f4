// baseline_comparison_bench: comparing two baselines of 50,000 item versions
// each, beside a baseline measured in the same run over the same data:
//
//   BM_ScanBothBaseline   one pass over both entry lists reading each
//                         item id and version: the memory-touch floor
//   BM_CompareBaselines   CompareBaselines: the merge plus building the
//                         added, removed and changed lists (protobuf)
//
// The second baseline changes 5% of the items' versions, drops 2% and adds
// 2% new ones (seed 42).
//
// ./build/bin/baseline_comparison_bench

#include <cstdint>
#include <random>

#include "absl/strings/str_format.h"
#include "benchmark/benchmark.h"
#include "libs/benchmarking/interleaved_main.h"
#include "services/configuration/domain/baseline.h"
#include "services/configuration/domain/baseline_comparison.h"

namespace pmo::configuration {
namespace {

constexpr int kItems = 50'000;

// Item ids are UUID-shaped so comparisons cost what real ones do.
std::string ItemId(int n) {
  return absl::StrFormat("%08x-0000-4000-8000-%012x", n, n);
}

// Established through the aggregate, so entries are sorted as stored.
v1::Baseline Establish(const v1::BaselineEstablished& e) {
  BaselineAggregate b;
  auto decision = b.Establish(e);
  if (!decision.ok()) std::abort();
  for (const auto& event : decision->events) b.Apply(*event, absl::Now());
  return b.state();
}

const std::pair<v1::Baseline, v1::Baseline>& Pair() {
  static const auto* const pair = [] {
    std::mt19937_64 rng(42);
    v1::BaselineEstablished from;
    v1::BaselineEstablished to;
    from.set_baseline_id("from");
    from.set_project_id("erp");
    from.set_name("Product 1.0");
    to.set_baseline_id("to");
    to.set_project_id("erp");
    to.set_name("Product 2.0");
    for (int n = 0; n < kItems; ++n) {
      v1::BaselineEntry entry;
      entry.set_item_id(ItemId(n));
      entry.set_identifier(absl::StrFormat("REQ-%05d", n));
      entry.set_version_number(1 + static_cast<int>(rng() % 5));
      *from.add_entries() = entry;
      const int roll = static_cast<int>(rng() % 100);
      if (roll < 2) continue;  // removed
      if (roll < 7)
        entry.set_version_number(entry.version_number() + 1);  // changed
      *to.add_entries() = entry;
    }
    for (int n = kItems; to.entries_size() < kItems; ++n) {  // added
      v1::BaselineEntry* entry = to.add_entries();
      entry->set_item_id(ItemId(n));
      entry->set_identifier(absl::StrFormat("REQ-%05d", n));
      entry->set_version_number(1);
    }
    return new std::pair<v1::Baseline, v1::Baseline>(Establish(from),
                                                     Establish(to));
  }();
  return *pair;
}

void BM_ScanBothBaseline(benchmark::State& state) {
  const auto& [from, to] = Pair();
  for (auto _ : state) {
    int64_t sum = 0;
    for (const v1::BaselineEntry& e : from.entries())
      sum += e.version_number() + e.item_id()[0];
    for (const v1::BaselineEntry& e : to.entries())
      sum += e.version_number() + e.item_id()[0];
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * 2 * kItems);
}

void BM_CompareBaselines(benchmark::State& state) {
  const auto& [from, to] = Pair();
  for (auto _ : state) {
    v1::BaselineComparison diff = CompareBaselines(from, to);
    benchmark::DoNotOptimize(diff.changed_size());
  }
  state.SetItemsProcessed(state.iterations() * 2 * kItems);
}

BENCHMARK(BM_ScanBothBaseline)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_CompareBaselines)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace pmo::configuration

int main(int argc, char** argv) {
  return pmo::benchmarking::RunInterleaved(argc, argv,
                                           {{"baselines", "2 x 50,000 items"}});
}
