// projection_bench: the consolidated view's replay speed and its overview
// query, each beside a baseline measured in the same run.
//
//   BM_ReplayConsolidation   fold 1,000,000 recorded events (1,000 projects
//                            in 20 programmes of 2 portfolios, with budgets,
//                            costs, progress, milestones, risks, issues and
//                            bookings) into a fresh Consolidation
//   BM_ReplayIntoView        the same events into a fresh PortfolioView file,
//                            in batches of 500 (one SQLite transaction each:
//                            ordering, journal, rows, offsets)
//   BM_ReplayPrefixSqlite    the first 100,000 of them into a fresh view
//   BM_ReplayPrefixPostgres  file, and into a fresh schema of the PostgreSQL
//                            at $PMO_POSTGRES_URL (an error line without it)
//   BM_AsOfOverview          one overview as of 30 Sep 2027 on that file:
//                            the journal folded from SQLite
//   BM_DecodeOnlyBaseline    only DecodeEvent on the same events: the
//                            protobuf parsing every replay must do
//   BM_Overview              Compute() over the folded 1,000 projects: earned
//                            value, health, risks, bookings and roll-ups;
//                            counters p50_us / p99_us over 200 queries
//   BM_ResourceLoad          300 people's load over 4 weeks with each
//                            project's share (50 queries)
//   BM_RiskRegister          every open risk and issue of the register
//                            (50 queries)
//   BM_RiskRegisterPage      a page of 100 of it with the totals (200)
//   BM_SortOnlyBaseline      copying and sorting 1,000 lines by code: the
//                            floor of producing any ordered overview
//
// ./build/bin/projection_bench
// scripts/postgres/cluster.sh start /tmp/pmo-bench-pg
// PMO_POSTGRES_URL=$(cat /tmp/pmo-bench-pg/url) ./build/bin/projection_bench

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <random>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "libs/base/testing/temp_dir.h"
#include "libs/benchmarking/interleaved_main.h"
#include "libs/dates/calendar_dates.h"
#include "libs/eventsourcing/event_codec.h"
#include "pmo/projects/v1/events.pb.h"
#include "pmo/resources/v1/events.pb.h"
#include "pmo/risks/v1/events.pb.h"
#include "services/projection/adapters/open_view_storage.h"
#include "services/projection/app/consolidation.h"
#include "services/projection/app/portfolio_view.h"

namespace pmo::projection {
namespace {

namespace pv1 = ::pmo::projects::v1;
namespace kv1 = ::pmo::risks::v1;
namespace rv1 = ::pmo::resources::v1;

constexpr int kProjects = 1'000;
constexpr int kEventsPerProject = 1'000;  // 1,000,000 in all

class Generator {
 public:
  void Add(const std::string& type, const std::string& id, absl::CivilDay day,
           const google::protobuf::Message& m) {
    const absl::Time at = absl::FromCivil(day, absl::UTCTimeZone());
    eventstore::NewEvent encoded = eventsourcing::EncodeEvent(m, at);
    eventstore::RecordedEvent e;
    e.stream_id = id;
    e.stream_type = type;
    e.stream_version = ++versions_[id];
    e.event_type = std::move(encoded.event_type);
    e.payload = std::move(encoded.payload);
    e.occurred_at = at;
    e.recorded_at = at;
    events.push_back(std::move(e));
  }
  std::vector<eventstore::RecordedEvent> events;

 private:
  std::map<std::string, int64_t> versions_;
};

// Seed 7. Per project: created, placed, a budget over 12 months, 6
// milestones, then (in rotation) costs, progress, risks identified and
// assessed and some closed, issues, bookings (50 % for two weeks), until
// 1,000 events.
const std::vector<eventstore::RecordedEvent>& History() {
  static const auto* const events = [] {
    Generator g;
    std::mt19937_64 rng(7);
    const absl::CivilDay start(2027, 1, 1);
    for (int f = 0; f < 2; ++f) {
      pv1::PortfolioCreated p;
      p.set_code(absl::StrCat("PF", f));
      g.Add("portfolio", absl::StrCat("pf-", f), start, p);
    }
    for (int m = 0; m < 20; ++m) {
      pv1::ProgrammeCreated p;
      p.set_code(absl::StrCat("PG", m));
      p.set_portfolio_id(absl::StrCat("pf-", m % 2));
      g.Add("programme", absl::StrCat("pg-", m), start, p);
    }
    for (int i = 0; i < kProjects; ++i) {
      const std::string id = absl::StrCat("project-", i);
      const size_t first = g.events.size();
      pv1::ProjectCreated created;
      created.set_code(absl::StrCat("P", 10000 + i));
      created.set_name(absl::StrCat("Project ", i));
      created.set_manager("pm");
      created.set_status(pv1::PROJECT_STATUS_ACTIVE);
      g.Add("project", id, start, created);
      pv1::ProjectAssignedToProgramme assigned;
      assigned.set_programme_id(absl::StrCat("pg-", i % 20));
      g.Add("project", id, start, assigned);
      pv1::BudgetSet budget;
      budget.mutable_budget()->set_budget_at_completion_minor(12'000'000);
      for (int month = 1; month <= 12; ++month) {
        auto* pv = budget.mutable_budget()->add_planned_values();
        *pv->mutable_date() = dates::ToDate(absl::CivilDay(2027, month, 28));
        pv->set_amount_minor(1'000'000);
      }
      g.Add("project", id, start, budget);
      for (int t = 0; t < 6; ++t) {
        pv1::TaskAdded milestone;
        milestone.set_task_id(absl::StrCat("m", t));
        milestone.set_name(absl::StrCat("Milestone ", t));
        milestone.set_milestone(true);
        *milestone.mutable_not_before() =
            dates::ToDate(absl::CivilDay(2027, 2 * t + 1, 15));
        g.Add("project", id, start, milestone);
      }
      int k = 0;
      while (g.events.size() - first < kEventsPerProject) {
        const absl::CivilDay day = start + static_cast<int>(rng() % 330);
        const std::string risk_id = absl::StrCat(id, "-r", k / 8);
        switch (k++ % 8) {
          case 0:
          case 1:
          case 2: {
            pv1::ActualCostRecorded cost;
            *cost.mutable_cost_date() = dates::ToDate(day);
            cost.set_amount_minor(static_cast<int64_t>(rng() % 50'000));
            cost.set_category("labour");
            g.Add("project", id, day, cost);
            break;
          }
          case 3: {
            pv1::ProgressReported progress;
            *progress.mutable_measured_on() = dates::ToDate(day);
            progress.set_percent_complete(static_cast<double>(rng() % 100));
            g.Add("project", id, day, progress);
            break;
          }
          case 4: {
            kv1::RiskIdentified risk;
            risk.set_scope_id(id);
            risk.set_kind(rng() % 5 == 0 ? kv1::RISK_KIND_OPPORTUNITY
                                         : kv1::RISK_KIND_THREAT);
            *risk.mutable_next_review() = dates::ToDate(day + 30);
            g.Add("risk", risk_id, day, risk);
            break;
          }
          case 5: {
            kv1::RiskAssessed assessed;
            assessed.set_stage(kv1::ASSESSMENT_STAGE_INHERENT);
            assessed.mutable_rating()->set_expected_value_minor(
                static_cast<int64_t>(rng() % 100'000));
            g.Add("risk", risk_id, day, assessed);
            break;
          }
          case 6: {
            rv1::AllocationMade booked;
            booked.mutable_allocation()->set_allocation_id(
                absl::StrCat(id, "-a", k));
            booked.mutable_allocation()->set_project_id(id);
            booked.mutable_allocation()->set_status(
                rv1::ALLOCATION_STATUS_BOOKED);
            *booked.mutable_allocation()->mutable_from() = dates::ToDate(day);
            *booked.mutable_allocation()->mutable_to() =
                dates::ToDate(day + 13);
            booked.mutable_allocation()->set_unit(rv1::ALLOCATION_UNIT_PERCENT);
            booked.mutable_allocation()->set_amount(50);
            g.Add("resource", absl::StrCat("person-", rng() % 300), day,
                  booked);
            break;
          }
          default: {
            if (rng() % 3 == 0) {
              kv1::RiskStatusChanged closed;
              closed.set_status(kv1::RISK_STATUS_CLOSED);
              g.Add("risk", risk_id, day, closed);
            } else {
              kv1::IssueRaised issue;
              issue.set_scope_id(id);
              g.Add("issue", absl::StrCat(id, "-i", k), day, issue);
            }
          }
        }
      }
    }
    return new std::vector<eventstore::RecordedEvent>(std::move(g.events));
  }();
  return *events;
}

void BM_ReplayConsolidation(benchmark::State& state) {
  const auto& events = History();
  for (auto _ : state) {
    Consolidation c;
    for (const eventstore::RecordedEvent& e : events) c.Apply(e);
    benchmark::DoNotOptimize(c);
  }
  state.SetItemsProcessed(state.iterations() *
                          static_cast<int64_t>(events.size()));
}
BENCHMARK(BM_ReplayConsolidation)->Unit(benchmark::kMillisecond)->Iterations(1);

// The same events through the view as the subscriptions deliver them:
// batches of 500 with their offsets, each in one SQLite transaction
// (ordering checks, journal, rows, offsets), then folded into the live
// consolidation.
std::vector<subscription::Delivery> AsDeliveries(size_t begin, size_t end) {
  std::vector<subscription::Delivery> out;
  for (size_t i = begin; i < end; ++i) {
    subscription::Delivery d;
    d.source = "store:projects";  // one source: the order is the history's
    d.offset = static_cast<int64_t>(i);
    d.event = History()[i];
    out.push_back(std::move(d));
  }
  return out;
}

// A view file holding the whole history, made once (by BM_ReplayIntoView's
// first run, or here).
const std::string& FilledViewPath() {
  static const std::string* const path = [] {
    auto* dir = new pmo::testing::TempDir();
    auto* p = new std::string(dir->File("view.db"));
    auto view = OpenPortfolioView(*p);
    for (size_t at = 0; view.ok() && at < History().size(); at += 500) {
      if (!(*view)
               ->Handle(AsDeliveries(at, std::min(History().size(), at + 500)))
               .ok())
        break;
    }
    return p;
  }();
  return *path;
}

void BM_ReplayIntoView(benchmark::State& state) {
  const auto& events = History();
  for (auto _ : state) {
    state.PauseTiming();
    pmo::testing::TempDir dir;
    auto view = OpenPortfolioView(dir.File("view.db"));
    state.ResumeTiming();
    for (size_t at = 0; at < events.size(); at += 500) {
      absl::Status s =
          (*view)->Handle(AsDeliveries(at, std::min(events.size(), at + 500)));
      if (!s.ok()) state.SkipWithError(s.ToString().c_str());
    }
  }
  state.SetItemsProcessed(state.iterations() *
                          static_cast<int64_t>(events.size()));
}
BENCHMARK(BM_ReplayIntoView)->Unit(benchmark::kMillisecond)->Iterations(1);

// The first 100,000 events into a fresh view on each engine, in the same
// batches: the storage's cost beside the other's (PostgreSQL pays a round
// trip per statement, SQLite a call).
constexpr size_t kPrefix = 100'000;

void ReplayPrefix(benchmark::State& state,
                  const std::function<ViewLocation()>& fresh) {
  const size_t count = std::min(kPrefix, History().size());
  for (auto _ : state) {
    state.PauseTiming();
    auto view = OpenPortfolioViewAt(fresh());
    state.ResumeTiming();
    if (!view.ok()) {
      state.SkipWithError(view.status().ToString().c_str());
      break;
    }
    for (size_t at = 0; at < count; at += 500) {
      absl::Status s =
          (*view)->Handle(AsDeliveries(at, std::min(count, at + 500)));
      if (!s.ok()) {
        state.SkipWithError(s.ToString().c_str());
        break;
      }
    }
    state.PauseTiming();
    view->reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(count));
}

void BM_ReplayPrefixSqlite(benchmark::State& state) {
  pmo::testing::TempDir dir;
  int run = 0;
  ReplayPrefix(state, [&] {
    return ViewLocation{.sqlite_path =
                            dir.File(absl::StrCat("prefix-", run++, ".db"))};
  });
}
BENCHMARK(BM_ReplayPrefixSqlite)->Unit(benchmark::kMillisecond)->Iterations(1);

void BM_ReplayPrefixPostgres(benchmark::State& state) {
  const char* url = std::getenv("PMO_POSTGRES_URL");
  if (url == nullptr || *url == '\0') {
    for (auto _ : state) {
      state.SkipWithError(
          "PMO_POSTGRES_URL is not set (scripts/postgres/cluster.sh start "
          "DIR)");
      break;
    }
    return;
  }
  int run = 0;
  ReplayPrefix(state, [&] {
    return ViewLocation{
        .store_url = url,
        .schema = absl::StrCat("bench_view_", getpid(), "_", run++)};
  });
}
BENCHMARK(BM_ReplayPrefixPostgres)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

// An overview as of 30 September 2027: folded from the journal in SQLite.
void BM_AsOfOverview(benchmark::State& state) {
  auto view = OpenPortfolioView(FilledViewPath());
  for (auto _ : state) {
    auto o = (*view)->ComputeOverview(absl::CivilDay(2027, 9, 30), true);
    benchmark::DoNotOptimize(o);
  }
}
BENCHMARK(BM_AsOfOverview)->Unit(benchmark::kMillisecond)->Iterations(1);

void BM_DecodeOnlyBaseline(benchmark::State& state) {
  const auto& events = History();
  for (auto _ : state) {
    for (const eventstore::RecordedEvent& e : events) {
      auto decoded = eventsourcing::DecodeEvent(e.event_type, e.payload);
      benchmark::DoNotOptimize(decoded);
    }
  }
  state.SetItemsProcessed(state.iterations() *
                          static_cast<int64_t>(events.size()));
}
BENCHMARK(BM_DecodeOnlyBaseline)->Unit(benchmark::kMillisecond)->Iterations(1);

const Consolidation& Folded() {
  static const Consolidation* const c = [] {
    auto* out = new Consolidation;
    for (const eventstore::RecordedEvent& e : History()) out->Apply(e);
    return out;
  }();
  return *c;
}

// Runs `query` `runs` times; reports the percentiles of the single runs.
template <typename Query>
void Percentiles(benchmark::State& state, Query query, int runs = 200) {
  std::vector<double> micros;
  for (auto _ : state) {
    micros.clear();
    for (int i = 0; i < runs; ++i) {
      const auto begin = std::chrono::steady_clock::now();
      query();
      micros.push_back(std::chrono::duration<double, std::micro>(
                           std::chrono::steady_clock::now() - begin)
                           .count());
    }
  }
  std::sort(micros.begin(), micros.end());
  state.counters["p50_us"] = micros[micros.size() / 2];
  state.counters["p99_us"] = micros[micros.size() * 99 / 100];
  state.SetItemsProcessed(state.iterations() * runs);
}

void BM_Overview(benchmark::State& state) {
  const Consolidation& c = Folded();
  Percentiles(state, [&] {
    Overview o = c.Compute(absl::CivilDay(2027, 9, 30));
    benchmark::DoNotOptimize(o);
  });
}
BENCHMARK(BM_Overview)->Unit(benchmark::kMillisecond)->Iterations(1);

void BM_ResourceLoad(benchmark::State& state) {
  const Consolidation& c = Folded();
  ResourceLoadQuery query;
  query.first_week = absl::CivilDay(2027, 9, 27);  // a Monday
  query.weeks = 4;
  Percentiles(
      state,
      [&] {
        std::vector<ResourceLoad> loads =
            c.ResourceLoads(query, absl::CivilDay(2027, 9, 30));
        benchmark::DoNotOptimize(loads);
      },
      50);
}
BENCHMARK(BM_ResourceLoad)->Unit(benchmark::kMillisecond)->Iterations(1);

void BM_RiskRegister(benchmark::State& state) {
  const Consolidation& c = Folded();
  Percentiles(
      state,
      [&] {
        Register r = c.RiskRegister({}, absl::CivilDay(2027, 9, 30));
        benchmark::DoNotOptimize(r);
      },
      50);
}
BENCHMARK(BM_RiskRegister)->Unit(benchmark::kMillisecond)->Iterations(1);

// One page of 100 in the middle of the register, with the totals over all
// of it: what ListRiskRegister does per request.
void BM_RiskRegisterPage(benchmark::State& state) {
  const Consolidation& c = Folded();
  RegisterQuery query;
  query.offset = 50'000;
  query.limit = 100;
  Percentiles(state, [&] {
    Register r = c.RiskRegister(query, absl::CivilDay(2027, 9, 30));
    benchmark::DoNotOptimize(r);
  });
}
BENCHMARK(BM_RiskRegisterPage)->Unit(benchmark::kMillisecond)->Iterations(1);

void BM_SortOnlyBaseline(benchmark::State& state) {
  const Overview lines = Folded().Compute(absl::CivilDay(2027, 9, 30));
  std::vector<ProjectOverview> shuffled = lines.projects;
  std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937_64(1));
  Percentiles(state, [&] {
    std::vector<ProjectOverview> copy = shuffled;
    std::sort(copy.begin(), copy.end(),
              [](const ProjectOverview& a, const ProjectOverview& b) {
                return a.code < b.code;
              });
    benchmark::DoNotOptimize(copy);
  });
}
BENCHMARK(BM_SortOnlyBaseline)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace
}  // namespace pmo::projection

int main(int argc, char** argv) {
  return pmo::benchmarking::RunInterleaved(
      argc, argv, {{"history", "1,000,000 events, 1,000 projects"}});
}
