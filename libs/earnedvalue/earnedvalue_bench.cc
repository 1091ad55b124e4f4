// earnedvalue_bench: earned value for a portfolio of 1,000 projects x 104
// weekly periods (104 planned amounts, 104 actual costs and 104 progress
// reports per project: 312,000 records), at one status date (week 78, so a
// quarter of the records lie after it and some costs were recorded late),
// beside plain loops over the same records in the same run.
//
//   BM_EarnedValuePortfolio   ComputeEarnedValue for every project (validation
//                             included) + RollUpPortfolio of the 1,000 results
//   BM_ValidatePortfolio      ValidateProjectRecords alone for every project:
//                             the share of the first line spent validating
//   BM_RollUpPortfolio        RollUpPortfolio alone, over precomputed results
//                             (in us)
//   BM_BaselineAsOfSums       baseline: one plain loop per project applying
//                             the same as-of filters (PV, AC sums, latest
//                             progress), summed over the portfolio; no
//                             validation, no ratios, no forecasts
//   BM_BaselineSumAll         floor: a plain loop adding every amount and
//                             percent, no dates looked at
//
// Times are per run over the whole portfolio, in ms; items_per_second counts
// records. Each line is repeated 5 times, repetitions interleaved at random
// with the other lines' so all sample the same moments of a noisy machine.
//
//   ninja -C build earnedvalue_bench && ./build/bin/earnedvalue_bench

#include <cstdint>
#include <random>
#include <vector>

#include "benchmark/benchmark.h"
#include "libs/benchmarking/interleaved_main.h"
#include "libs/earnedvalue/earned_value.h"

namespace pmo::earnedvalue {
namespace {

constexpr int kProjects = 1'000;
constexpr int kWeeks = 104;
constexpr int kRecordsPerProject = 3 * kWeeks;
const absl::CivilDay kFirstWeek(2024, 1, 7);
const absl::CivilDay kStatusDate =
    kFirstWeek + int64_t{7} * 77;  // end of week 78

// A deterministic portfolio: BACs from $0.5M to $5M spread evenly over the
// weeks, weekly costs 80..130 % of plan recorded 0..13 days late, progress
// rising roughly with the plan.
const std::vector<ProjectRecords>& Portfolio() {
  static const std::vector<ProjectRecords>* portfolio = [] {
    auto* projects = new std::vector<ProjectRecords>(kProjects);
    std::mt19937_64 rng(20250101);
    std::uniform_int_distribution<int64_t> bac_dollars(500'000, 5'000'000);
    std::uniform_int_distribution<int> cost_percent(80, 130);
    std::uniform_int_distribution<int> late_days(0, 13);
    std::uniform_real_distribution<double> pace(0.7, 1.1);
    for (ProjectRecords& p : *projects) {
      p.budget_at_completion = bac_dollars(rng) * 100;
      const int64_t weekly = p.budget_at_completion / kWeeks;
      const double project_pace = pace(rng);
      for (int w = 0; w < kWeeks; ++w) {
        const absl::CivilDay day = kFirstWeek + int64_t{7} * w;
        const int64_t planned =
            w + 1 < kWeeks ? weekly
                           : p.budget_at_completion - weekly * (kWeeks - 1);
        p.planned_values.push_back({day, planned});
        p.actual_costs.push_back({day, day + late_days(rng),
                                  planned * cost_percent(rng) / 100,
                                  w % 2 == 0 ? "labour" : "materials"});
        const double percent =
            std::min(100.0, 100.0 * (w + 1) / kWeeks * project_pace);
        p.progress.push_back({.date = day, .percent_complete = percent});
      }
    }
    return projects;
  }();
  return *portfolio;
}

void PerRun(benchmark::State& state) {
  state.SetItemsProcessed(state.iterations() * kProjects * kRecordsPerProject);
}

void BM_EarnedValuePortfolio(benchmark::State& state) {
  const std::vector<ProjectRecords>& portfolio = Portfolio();
  std::vector<EarnedValue> results(portfolio.size());
  for (auto _ : state) {
    for (size_t i = 0; i < portfolio.size(); ++i) {
      absl::StatusOr<EarnedValue> ev =
          ComputeEarnedValue(portfolio[i], kStatusDate);
      if (!ev.ok()) {
        state.SkipWithError("invalid benchmark data");
        return;
      }
      results[i] = *std::move(ev);
    }
    EarnedValue total = RollUpPortfolio(results);
    benchmark::DoNotOptimize(total);
  }
  PerRun(state);
}

void BM_ValidatePortfolio(benchmark::State& state) {
  const std::vector<ProjectRecords>& portfolio = Portfolio();
  for (auto _ : state) {
    for (const ProjectRecords& p : portfolio) {
      absl::Status status = ValidateProjectRecords(p);
      benchmark::DoNotOptimize(status);
    }
  }
  PerRun(state);
}

void BM_RollUpPortfolio(benchmark::State& state) {
  std::vector<EarnedValue> results;
  for (const ProjectRecords& p : Portfolio()) {
    results.push_back(ComputeEarnedValue(p, kStatusDate).value());
  }
  for (auto _ : state) {
    EarnedValue total = RollUpPortfolio(results);
    benchmark::DoNotOptimize(total);
  }
  state.SetItemsProcessed(state.iterations() * kProjects);
}

void BM_BaselineAsOfSums(benchmark::State& state) {
  const std::vector<ProjectRecords>& portfolio = Portfolio();
  for (auto _ : state) {
    int64_t pv = 0, ev = 0, ac = 0;
    for (const ProjectRecords& p : portfolio) {
      for (const PlannedAmount& planned : p.planned_values) {
        if (planned.date <= kStatusDate) pv += planned.amount;
      }
      for (const ActualCost& cost : p.actual_costs) {
        if (cost.date <= kStatusDate && *cost.recorded_on <= kStatusDate) {
          ac += cost.amount;
        }
      }
      double percent = 0;
      absl::CivilDay latest = kFirstWeek - 1;
      for (const ProgressReport& report : p.progress) {
        if (report.date <= kStatusDate && report.date >= latest) {
          latest = report.date;
          percent = *report.percent_complete;
        }
      }
      ev += static_cast<int64_t>(
          percent * static_cast<double>(p.budget_at_completion) / 100.0);
    }
    benchmark::DoNotOptimize(pv);
    benchmark::DoNotOptimize(ev);
    benchmark::DoNotOptimize(ac);
  }
  PerRun(state);
}

void BM_BaselineSumAll(benchmark::State& state) {
  const std::vector<ProjectRecords>& portfolio = Portfolio();
  for (auto _ : state) {
    int64_t amounts = 0;
    double percents = 0;
    for (const ProjectRecords& p : portfolio) {
      for (const PlannedAmount& planned : p.planned_values)
        amounts += planned.amount;
      for (const ActualCost& cost : p.actual_costs) amounts += cost.amount;
      for (const ProgressReport& report : p.progress) {
        percents += *report.percent_complete;
      }
    }
    benchmark::DoNotOptimize(amounts);
    benchmark::DoNotOptimize(percents);
  }
  PerRun(state);
}

void Runs(benchmark::internal::Benchmark* b) {
  b->Unit(benchmark::kMillisecond)
      ->MinTime(0.3)
      ->Repetitions(5)
      ->DisplayAggregatesOnly(true);
}

BENCHMARK(BM_EarnedValuePortfolio)->Apply(Runs);
BENCHMARK(BM_ValidatePortfolio)->Apply(Runs);
BENCHMARK(BM_RollUpPortfolio)->Apply(Runs)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_BaselineAsOfSums)->Apply(Runs);
BENCHMARK(BM_BaselineSumAll)->Apply(Runs);

}  // namespace
}  // namespace pmo::earnedvalue

int main(int argc, char** argv) {
  return pmo::benchmarking::RunInterleaved(argc, argv, {});
}
