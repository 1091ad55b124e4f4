// riskscoring_bench: re-rating a portfolio of 100,000 assessed risks after a
// matrix change, beside baselines measured in the same run over the same
// array:
//
//   BM_ScoreSumBaseline     probability × max impact and probability × cost
//                           summed in one pass: the arithmetic floor
//   BM_FlatRatingBaseline   score, band (table lookup) and rounded EV written
//                           to a preallocated flat array of 16-byte rows: what
//                           re-rating costs without strings or allocation
//   BM_RerateAll/0          RerateAll with a short matrix version ("v2", fits
//                           std::string's inline buffer)
//   BM_RerateAll/1          the same with a 31-character version, one heap
//                           allocation per Rating for the version copy
//
// ./build/bin/riskscoring_bench   (times per run of 100,000 risks)

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "benchmark/benchmark.h"
#include "libs/benchmarking/interleaved_main.h"
#include "libs/riskscoring/risk_matrix.h"

namespace pmo::riskscoring {
namespace {

constexpr int kRisks = 100'000;

// Seed 42: probability 1..5 uniform; each impact 0..5 uniform (re-drawn
// until one is non-zero); cost impact 0..10,000,000.00 in cents, 10% none.
const std::vector<Assessment>& Portfolio() {
  static const std::vector<Assessment>* const risks = [] {
    auto* out = new std::vector<Assessment>;
    out->reserve(kRisks);
    std::mt19937_64 rng(42);
    for (int k = 0; k < kRisks; ++k) {
      Assessment a;
      a.probability = 1 + static_cast<int>(rng() % 5);
      do {
        a.impact = {static_cast<int>(rng() % 6), static_cast<int>(rng() % 6),
                    static_cast<int>(rng() % 6)};
      } while (a.impact.cost + a.impact.schedule + a.impact.quality == 0);
      a.cost_impact_minor =
          rng() % 10 == 0 ? 0 : static_cast<int64_t>(rng() % 1'000'000'000);
      out->push_back(a);
    }
    return out;
  }();
  return *risks;
}

// The portfolio's new matrix version (the old one is DefaultMatrix()).
RiskMatrix NewMatrix(bool long_version) {
  return RiskMatrix{
      .version = long_version ? "portfolio-0007/risk-matrix-2026" : "v2",
      .probability_of_level = {0.05, 0.2, 0.5, 0.7, 0.9},
      .bands = {{"LOW", 1, 3},
                {"MEDIUM", 4, 7},
                {"HIGH", 8, 14},
                {"CRITICAL", 15, 25}},
  };
}

void BM_ScoreSumBaseline(benchmark::State& state) {
  const std::vector<Assessment>& risks = Portfolio();
  const RiskMatrix matrix = NewMatrix(false);
  for (auto _ : state) {
    int64_t score_sum = 0;
    double ev_sum = 0;
    for (const Assessment& a : risks) {
      const int impact =
          std::max({a.impact.cost, a.impact.schedule, a.impact.quality});
      score_sum += int64_t{a.probability} * impact;
      ev_sum += matrix.probability_of_level[a.probability - 1] *
                static_cast<double>(a.cost_impact_minor);
    }
    benchmark::DoNotOptimize(score_sum);
    benchmark::DoNotOptimize(ev_sum);
  }
  state.SetItemsProcessed(state.iterations() * kRisks);
}

struct FlatRating {
  int32_t score;
  int32_t band;
  int64_t expected_value_minor;
};

void BM_FlatRatingBaseline(benchmark::State& state) {
  const std::vector<Assessment>& risks = Portfolio();
  const RiskMatrix matrix = NewMatrix(false);
  std::vector<int32_t> band_of_score(26);
  for (size_t b = 0; b < matrix.bands.size(); ++b) {
    for (int s = matrix.bands[b].min_score; s <= matrix.bands[b].max_score;
         ++s) {
      band_of_score[s] = static_cast<int32_t>(b);
    }
  }
  std::vector<FlatRating> out(risks.size());
  for (auto _ : state) {
    for (size_t k = 0; k < risks.size(); ++k) {
      const Assessment& a = risks[k];
      const int impact =
          std::max({a.impact.cost, a.impact.schedule, a.impact.quality});
      const int score = a.probability * impact;
      out[k] = {score, band_of_score[score],
                std::llround(matrix.probability_of_level[a.probability - 1] *
                             static_cast<double>(a.cost_impact_minor))};
    }
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * kRisks);
}

void BM_RerateAll(benchmark::State& state) {
  const std::vector<Assessment>& risks = Portfolio();
  const RiskMatrix matrix = NewMatrix(state.range(0) != 0);
  for (auto _ : state) {
    std::vector<Rating> ratings = RerateAll(matrix, risks);
    benchmark::DoNotOptimize(ratings.data());
  }
  state.SetItemsProcessed(state.iterations() * kRisks);
}

BENCHMARK(BM_ScoreSumBaseline)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_FlatRatingBaseline)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_RerateAll)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace pmo::riskscoring

int main(int argc, char** argv) {
  return pmo::benchmarking::RunInterleaved(argc, argv);
}
