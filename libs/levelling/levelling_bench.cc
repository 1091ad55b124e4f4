// levelling_bench: LevelResources over a pool of 200 resources for one year
// (2025) holding 4,000 allocations (seed 42), beside a baseline measured in
// the same run over the same input:
//
//   BM_FindOverAllocationsBaseline  capacity::FindOverAllocations for every
//                                   resource over the year: only finding
//                                   what LevelResources has to solve
//   BM_LevelResources               validation, the levelling pass, applying
//                                   the changes, over-allocation before and
//                                   after (FindOverAllocations twice) and
//                                   the projects' effects
//
// ./build/bin/levelling_bench   (ms per run)

#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <variant>
#include <vector>

#include "absl/time/civil_time.h"
#include "benchmark/benchmark.h"
#include "libs/benchmarking/interleaved_main.h"
#include "libs/capacity/calendar.h"
#include "libs/capacity/over_allocation.h"
#include "libs/levelling/levelling.h"

namespace pmo::levelling {
namespace {

constexpr int kResources = 200;
constexpr int kDays = 365;
constexpr int kAllocations = 4'000;
constexpr int kProjects = 100;

const absl::CivilDay kStart(2025, 1, 1);

// Calendars: Monday..Friday of 8 h (most), 7.5 or 6 h; one of three holiday
// sets (10 a year); 1..3 absences of 1..10 days, mostly whole days. Skills:
// two of six, levels 1..5.
// Allocations: a random resource and project (priority 1..5 per project);
// start anywhere in the year; 10..60 days; half percent (10..80 in steps of
// 10), half hours per day (1..6); window 0..10 days earlier and 0..30 days
// later; 70% require one of the resource's skills at or below its level.
LevellingProblem* MakeProblem() {
  auto* problem = new LevellingProblem;
  problem->from = kStart;
  problem->to = kStart + (kDays - 1);
  std::mt19937_64 rng(42);
  auto uniform = [&](int low, int high) {  // inclusive
    return low + static_cast<int>(rng() % (high - low + 1));
  };
  std::vector<std::vector<absl::CivilDay>> holiday_sets(3);
  for (auto& set : holiday_sets) {
    for (int i = 0; i < 10; ++i) set.push_back(kStart + uniform(0, kDays - 1));
  }
  const double kHoursPerDay[] = {8, 8, 8, 8, 7.5, 6};
  const char* kSkills[] = {"sql", "go", "java", "ux", "pm", "test"};
  char id[32];
  for (int r = 0; r < kResources; ++r) {
    LevellingResource resource;
    std::snprintf(id, sizeof id, "R-%03d", r);
    resource.resource_id = id;
    resource.calendar.hours_per_day = kHoursPerDay[uniform(0, 5)];
    resource.calendar.holidays = holiday_sets[uniform(0, 2)];
    const int absences = uniform(1, 3);
    for (int i = 0; i < absences; ++i) {
      const absl::CivilDay from = kStart + uniform(0, kDays - 1);
      resource.calendar.absences.push_back(
          {from, from + uniform(0, 9), uniform(0, 3) == 0 ? 4.0 : 24.0});
    }
    const int first = uniform(0, 5);
    const int second = (first + uniform(1, 5)) % 6;
    resource.skills = {{kSkills[first], uniform(1, 5)},
                       {kSkills[second], uniform(1, 5)}};
    problem->resources.push_back(std::move(resource));
  }
  std::vector<int> priority(kProjects);
  for (int& p : priority) p = uniform(1, 5);
  for (int i = 0; i < kAllocations; ++i) {
    LevellingAllocation a;
    std::snprintf(id, sizeof id, "AL-%05d", i);
    a.allocation.allocation_id = id;
    const int project = uniform(0, kProjects - 1);
    std::snprintf(id, sizeof id, "PRJ-%03d", project);
    a.allocation.project_id = id;
    a.project_priority = priority[project];
    a.allocation.from = kStart + uniform(0, kDays - 1);
    a.allocation.to = a.allocation.from + (uniform(10, 60) - 1);
    if (uniform(0, 1) == 0) {
      a.allocation.unit = capacity::AllocationUnit::kPercent;
      a.allocation.amount = 10.0 * uniform(1, 8);
    } else {
      a.allocation.unit = capacity::AllocationUnit::kHoursPerDay;
      a.allocation.amount = uniform(1, 6);
    }
    const int r = uniform(0, kResources - 1);
    a.resource_id = problem->resources[r].resource_id;
    a.earliest_start = a.allocation.from - uniform(0, 10);
    a.latest_finish = a.allocation.to + uniform(0, 30);
    if (uniform(0, 9) < 7) {
      const Skill& skill = problem->resources[r].skills[uniform(0, 1)];
      a.required_skill = Skill{skill.name, uniform(1, skill.level)};
    }
    problem->allocations.push_back(std::move(a));
  }
  return problem;
}

const LevellingProblem& TheProblem() {
  static const LevellingProblem* const problem = MakeProblem();
  return *problem;
}

void BM_FindOverAllocationsBaseline(benchmark::State& state) {
  const LevellingProblem& problem = TheProblem();
  // Grouped by resource once, outside the loop.
  std::vector<std::vector<capacity::Allocation>> booked(kResources);
  for (const LevellingAllocation& a : problem.allocations) {
    booked[std::stoi(a.resource_id.substr(2))].push_back(a.allocation);
  }
  size_t over = 0;
  for (auto _ : state) {
    over = 0;
    for (int r = 0; r < kResources; ++r) {
      over += capacity::FindOverAllocations(problem.resources[r].calendar,
                                            booked[r], problem.from, problem.to)
                  .size();
    }
    benchmark::DoNotOptimize(over);
  }
  state.counters["over_allocated_days"] = static_cast<double>(over);
}

void BM_LevelResources(benchmark::State& state) {
  const LevellingProblem& problem = TheProblem();
  LevellingProposal last;
  for (auto _ : state) {
    absl::StatusOr<LevellingProposal> proposal = LevelResources(problem);
    if (!proposal.ok()) {
      state.SkipWithError(std::string(proposal.status().message()).c_str());
      return;
    }
    benchmark::DoNotOptimize(proposal->changes.data());
    last = *std::move(proposal);
  }
  int moves = 0;
  int splits = 0;
  int reassignments = 0;
  for (const LevellingChange& c : last.changes) {
    moves += std::holds_alternative<AllocationMove>(c.action);
    splits += std::holds_alternative<AllocationSplit>(c.action);
    reassignments += std::holds_alternative<AllocationReassignment>(c.action);
  }
  state.counters["over_days_before"] = last.over_allocated_days_before;
  state.counters["over_days_after"] = last.over_allocated_days_after;
  state.counters["excess_h_before"] = last.excess_hours_before;
  state.counters["excess_h_after"] = last.excess_hours_after;
  state.counters["moves"] = moves;
  state.counters["splits"] = splits;
  state.counters["reassignments"] = reassignments;
  state.counters["projects"] = static_cast<double>(last.projects.size());
}

void Milliseconds(benchmark::internal::Benchmark* b) {
  b->Unit(benchmark::kMillisecond)->Repetitions(5)->MinTime(0.5);
}

BENCHMARK(BM_FindOverAllocationsBaseline)->Apply(Milliseconds);
BENCHMARK(BM_LevelResources)->Apply(Milliseconds);

}  // namespace
}  // namespace pmo::levelling

int main(int argc, char** argv) {
  return pmo::benchmarking::RunInterleaved(
      argc, argv,
      {{"pool",
        "200 resources, 365 days from 2025-01-01, 4000 allocations, 100 "
        "projects, seed 42"}});
}
