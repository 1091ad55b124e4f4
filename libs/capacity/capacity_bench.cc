// capacity_bench: a LoadLedger over a pool of 5,000 resources and a 730-day
// horizon holding 200,000 allocations (seed 42), beside baselines measured in
// the same run over the same input:
//
//   BM_FlatArrayRecomputeBaseline  zero one flat resource x day array and add
//                                  each allocation's hours over its days, no
//                                  calendars: the memory floor of (a)
//   BM_RecomputeAll                (a) LoadLedger::RecomputeAll: working days,
//                                  capacity (holidays, absences, employment)
//                                  and load of every resource-day
//   BM_FlatArrayMoveBaseline       subtract an allocation's hours over its old
//                                  days and add them over its new days in the
//                                  flat array: the floor of (b)
//   BM_UpsertMovePeriod            (b) LoadLedger::Upsert of an existing
//                                  allocation with a new period: validation,
//                                  id lookup, rebooking, changed-day report
//
// ./build/bin/capacity_bench   (ms per run for (a), µs per run for (b))

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "benchmark/benchmark.h"
#include "libs/benchmarking/interleaved_main.h"
#include "libs/capacity/calendar.h"
#include "libs/capacity/load_ledger.h"
#include "libs/capacity/over_allocation.h"

namespace pmo::capacity {
namespace {

constexpr int kResources = 5'000;
constexpr int kDays = 730;
constexpr int kAllocations = 200'000;
constexpr int kProjects = 500;
constexpr int kMoves = 4'096;  // distinct changes cycled through in (b)

const absl::CivilDay kStart(2025, 1, 1);

// One allocation change for (b): the allocation (with its resource) moves
// between two periods, alternately, so every Upsert really moves it.
struct Move {
  int resource;
  Allocation period_a;
  Allocation period_b;
};

struct Pool {
  LoadLedger ledger{kStart, kDays};
  std::vector<int> resource_of;  // per allocation
  std::vector<Allocation> allocations;
  std::vector<Move> moves;
  int64_t over_allocated_days = 0;
};

// Calendars: Monday..Friday; 8 h for most, some 7.5, 6 or 4 h; one of three
// national holiday sets (10 a year); 2..5 absences of 1..15 days, mostly
// whole days; 5% join during the horizon, 5% leave.
// Allocations: a random resource and project; start anywhere from 30 days
// before the horizon to its end; 5..60 days; half percent (10..100 in steps
// of 10), half hours per day (1..8).
Pool* MakePool() {
  auto* pool = new Pool;
  std::mt19937_64 rng(42);
  auto uniform = [&](int low, int high) {  // inclusive
    return low + static_cast<int>(rng() % (high - low + 1));
  };
  pool->ledger.ReserveResources(kResources);
  std::vector<std::vector<absl::CivilDay>> holiday_sets(3);
  for (auto& set : holiday_sets) {
    for (int i = 0; i < 20; ++i) set.push_back(kStart + uniform(0, kDays - 1));
  }
  const double kHoursPerDay[] = {8, 8, 8, 8, 7.5, 6, 4};
  for (int r = 0; r < kResources; ++r) {
    WorkingCalendar cal;
    cal.hours_per_day = kHoursPerDay[uniform(0, 6)];
    cal.holidays = holiday_sets[uniform(0, 2)];
    const int absences = uniform(2, 5);
    for (int i = 0; i < absences; ++i) {
      const absl::CivilDay from = kStart + uniform(0, kDays - 1);
      cal.absences.push_back(
          {from, from + uniform(0, 14), uniform(0, 3) == 0 ? 4.0 : 24.0});
    }
    const int roll = uniform(0, 19);
    if (roll == 0) cal.employed_from = kStart + uniform(0, kDays - 1);
    if (roll == 1) cal.employed_to = kStart + uniform(0, kDays - 1);
    if (!pool->ledger.AddResource(cal).ok()) std::abort();
  }
  auto random_period = [&](Allocation* a) {
    a->from = kStart + uniform(-30, kDays - 1);
    a->to = a->from + uniform(5, 60) - 1;
  };
  char id[32];
  for (int i = 0; i < kAllocations; ++i) {
    Allocation a;
    std::snprintf(id, sizeof id, "AL-%06d", i);
    a.allocation_id = id;
    std::snprintf(id, sizeof id, "PRJ-%04d", uniform(0, kProjects - 1));
    a.project_id = id;
    random_period(&a);
    if (uniform(0, 1) == 0) {
      a.unit = AllocationUnit::kPercent;
      a.amount = 10.0 * uniform(1, 10);
    } else {
      a.unit = AllocationUnit::kHoursPerDay;
      a.amount = uniform(1, 8);
    }
    const int r = uniform(0, kResources - 1);
    if (!pool->ledger.Upsert(r, a).ok()) std::abort();
    pool->resource_of.push_back(r);
    pool->allocations.push_back(a);
  }
  for (int k = 0; k < kMoves; ++k) {
    const int i = uniform(0, kAllocations - 1);
    Move move{pool->resource_of[i], pool->allocations[i], pool->allocations[i]};
    random_period(&move.period_a);
    random_period(&move.period_b);
    pool->moves.push_back(move);
  }
  for (int r = 0; r < kResources; ++r) {
    for (int d = 0; d < kDays; ++d) {
      pool->over_allocated_days += pool->ledger.IsOverAllocated(r, kStart + d);
    }
  }
  return pool;
}

Pool& ThePool() {
  static Pool* const pool = MakePool();
  return *pool;
}

// The baselines' view of the same input: day indices in the horizon and
// hours, as if every calendar were 8 h a day, every day.
struct FlatBooking {
  int32_t offset;  // resource * kDays + first day
  int32_t days;
  double hours;
};

FlatBooking Flatten(int resource, const Allocation& a) {
  const int64_t begin = std::clamp<int64_t>(a.from - kStart, 0, kDays);
  const int64_t end = std::clamp<int64_t>(a.to - kStart + 1, 0, kDays);
  const double hours =
      a.unit == AllocationUnit::kPercent ? a.amount * 8 / 100 : a.amount;
  return {static_cast<int32_t>(int64_t{resource} * kDays + begin),
          static_cast<int32_t>(std::max<int64_t>(0, end - begin)), hours};
}

void BM_FlatArrayRecomputeBaseline(benchmark::State& state) {
  const Pool& pool = ThePool();
  std::vector<FlatBooking> bookings;
  bookings.reserve(kAllocations);
  for (int i = 0; i < kAllocations; ++i) {
    bookings.push_back(Flatten(pool.resource_of[i], pool.allocations[i]));
  }
  std::vector<double> load(static_cast<size_t>(kResources) * kDays);
  for (auto _ : state) {
    std::fill(load.begin(), load.end(), 0.0);
    for (const FlatBooking& b : bookings) {
      double* day = load.data() + b.offset;
      for (int32_t i = 0; i < b.days; ++i) day[i] += b.hours;
    }
    benchmark::DoNotOptimize(load.data());
    benchmark::ClobberMemory();
  }
}

void BM_RecomputeAll(benchmark::State& state) {
  Pool& pool = ThePool();
  for (auto _ : state) {
    pool.ledger.RecomputeAll();
    benchmark::ClobberMemory();
  }
  state.counters["over_allocated_days"] =
      static_cast<double>(pool.over_allocated_days);
}

void BM_FlatArrayMoveBaseline(benchmark::State& state) {
  const Pool& pool = ThePool();
  std::vector<FlatBooking> a;
  std::vector<FlatBooking> b;
  for (const Move& m : pool.moves) {
    a.push_back(Flatten(m.resource, m.period_a));
    b.push_back(Flatten(m.resource, m.period_b));
  }
  std::vector<double> load(static_cast<size_t>(kResources) * kDays);
  size_t k = 0;
  for (auto _ : state) {
    const size_t i = k % kMoves;
    const bool to_b = (k / kMoves) % 2 == 0;
    const FlatBooking& old_days = to_b ? a[i] : b[i];
    const FlatBooking& new_days = to_b ? b[i] : a[i];
    double* day = load.data() + old_days.offset;
    for (int32_t d = 0; d < old_days.days; ++d) day[d] -= old_days.hours;
    day = load.data() + new_days.offset;
    for (int32_t d = 0; d < new_days.days; ++d) day[d] += new_days.hours;
    benchmark::DoNotOptimize(load.data());
    benchmark::ClobberMemory();
    ++k;
  }
}

void BM_UpsertMovePeriod(benchmark::State& state) {
  Pool& pool = ThePool();
  size_t k = 0;
  int64_t changed_days = 0;
  for (auto _ : state) {
    const Move& m = pool.moves[k % kMoves];
    const bool to_b = (k / kMoves) % 2 == 0;
    auto changes =
        pool.ledger.Upsert(m.resource, to_b ? m.period_b : m.period_a);
    if (!changes.ok()) {
      state.SkipWithError(std::string(changes.status().message()).c_str());
      break;
    }
    changed_days += static_cast<int64_t>(changes->size());
    benchmark::DoNotOptimize(changes->data());
    ++k;
  }
  state.counters["changed_days_per_run"] = benchmark::Counter(
      static_cast<double>(changed_days), benchmark::Counter::kAvgIterations);
}

void Milliseconds(benchmark::internal::Benchmark* b) {
  b->Unit(benchmark::kMillisecond)->Repetitions(5)->MinTime(0.5);
}
void Microseconds(benchmark::internal::Benchmark* b) {
  b->Unit(benchmark::kMicrosecond)->Repetitions(5)->MinTime(0.5);
}

BENCHMARK(BM_FlatArrayRecomputeBaseline)->Apply(Milliseconds);
BENCHMARK(BM_RecomputeAll)->Apply(Milliseconds);
BENCHMARK(BM_FlatArrayMoveBaseline)->Apply(Microseconds);
BENCHMARK(BM_UpsertMovePeriod)->Apply(Microseconds);

}  // namespace
}  // namespace pmo::capacity

int main(int argc, char** argv) {
  return pmo::benchmarking::RunInterleaved(
      argc, argv,
      {{"pool",
        "5000 resources, 730 days from 2025-01-01, 200000 allocations, seed "
        "42"}});
}
