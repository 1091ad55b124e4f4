// risks_rerate_bench: a portfolio's risks re-rated in the service after its
// matrix changed (MatrixHandlers::RerateStale: load each risk, rate, append
// RiskRerated durably, from 16 worker threads), beside a baseline measured in
// the same run:
//
//   BM_RerateStale           one new matrix version, then RerateStale over
//                            kRisks assessed risks (each rated on the old
//                            version): the time to bring them all up to date
//   BM_StoreAppendBaseline   kRisks appends of one small event each to its
//                            own stream, from 16 threads, on the same kind of
//                            store: the durable-append floor the re-rating
//                            cannot beat
//
// ./build/bin/risks_rerate_bench   (times per run of kRisks risks)

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "libs/base/ids.h"
#include "libs/base/testing/temp_dir.h"
#include "libs/benchmarking/interleaved_main.h"
#include "libs/eventsourcing/event_codec.h"
#include "libs/eventstore/sqlite_event_store.h"
#include "libs/projectdirectory/testing/directory_feed.h"
#include "services/risks/app/matrix_handlers.h"

namespace pmo::risks {
namespace {

constexpr int kRisks = 2'000;
constexpr int kThreads = 16;
constexpr char kPortfolio[] = "0c0ab1e5-0000-4000-8000-0000000000b1";

void Check(const absl::Status& s) {
  if (!s.ok()) {
    std::fprintf(stderr, "risks_rerate_bench: %s\n", s.ToString().c_str());
    std::abort();
  }
}

// Runs f(i) for i in [0, n) on kThreads threads.
template <typename F>
void InParallel(int n, F f) {
  std::atomic<int> next{0};
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = next++; i < n; i = next++) f(i);
    });
  }
  for (std::thread& t : threads) t.join();
}

// kRisks assessed risks of one project in the portfolio (probability and
// impacts cycling through the 5 x 5 levels), in a store of their own.
struct Register {
  pmo::testing::TempDir dir;
  std::unique_ptr<eventstore::SqliteEventStore> store;
  std::unique_ptr<projectdirectory::ProjectDirectory> directory;
  std::unique_ptr<RiskScopes> scopes;
  std::unique_ptr<IssueHandlers> issues;
  std::unique_ptr<RiskHandlers> risks;
  std::unique_ptr<MatrixHandlers> matrices;
  int versions = 0;

  Register() {
    store = *eventstore::SqliteEventStore::Open(dir.File("risks.db"));
    directory =
        *projectdirectory::ProjectDirectory::Open(dir.File("projects.db"));
    projectdirectory::testing::DirectoryFeed feed(*directory);
    Check(feed.Portfolio(kPortfolio, "BENCH"));
    Check(feed.Programme("programme", kPortfolio));
    Check(feed.Project("project", "P", "programme"));
    scopes = std::make_unique<RiskScopes>(*store, *directory);
    issues = std::make_unique<IssueHandlers>(*store, *scopes);
    risks = std::make_unique<RiskHandlers>(*store, *scopes, *issues);
    matrices = std::make_unique<MatrixHandlers>(*store, *scopes, *risks,
                                                Clock::Real(), kThreads);
    InParallel(kRisks, [&](int i) {
      v1::RiskIdentified r;
      r.set_level(v1::RISK_LEVEL_PROJECT);
      r.set_scope_id("project");
      r.set_kind(v1::RISK_KIND_THREAT);
      r.set_title(absl::StrCat("Risk ", i));
      r.set_category("Bench");
      r.set_owner("bench");
      eventsourcing::CommandContext c;
      c.request_id = absl::StrCat("identify-", i);
      auto identified = risks->IdentifyRisk(r, c);
      Check(identified.status());
      v1::Assessment a;
      a.set_probability(1 + i % 5);
      a.mutable_impact()->set_cost(1 + (i / 5) % 5);
      a.set_cost_impact_minor(int64_t{1'000} * (i + 1));
      c.request_id = absl::StrCat("assess-", i);
      Check(
          risks
              ->AssessRisk(identified->state.state().risk_id(), false, a, {}, c)
              .status());
    });
  }

  // Appends the next matrix version (probabilities alternate, so every
  // rating changes) without re-rating.
  void NextVersion() {
    v1::RiskMatrix m = DefaultRiskMatrix();
    m.set_escalation_min_score(0);
    m.set_probability_of_level(0, ++versions % 2 == 0 ? 0.1 : 0.05);
    eventsourcing::CommandContext c;
    c.request_id = absl::StrCat("matrix-", versions);
    Check(eventsourcing::ExecuteCommand<RiskMatrixAggregate>(
              *store, kPortfolio, c,
              [&](const eventsourcing::Versioned<RiskMatrixAggregate>& agg) {
                return agg.state.Configure(kPortfolio, m);
              })
              .status());
  }
};

Register& SharedRegister() {
  static Register* const r = new Register();
  return *r;
}

void BM_RerateStale(benchmark::State& state) {
  Register& r = SharedRegister();
  int rerated = 0;
  for (auto _ : state) {
    state.PauseTiming();
    r.NextVersion();
    state.ResumeTiming();
    eventsourcing::CommandContext c;
    c.occurred_at = absl::Now();
    auto changed = r.matrices->RerateStale(kPortfolio, c);
    Check(changed.status());
    rerated = *changed;
  }
  state.counters["ratings_changed"] = rerated;
  state.SetItemsProcessed(state.iterations() * kRisks);
}
BENCHMARK(BM_RerateStale)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_StoreAppendBaseline(benchmark::State& state) {
  pmo::testing::TempDir dir;
  auto store = *eventstore::SqliteEventStore::Open(dir.File("baseline.db"));
  v1::RiskRerated event;
  event.mutable_rating()->set_rating("HIGH");
  event.mutable_rating()->set_matrix_version(absl::StrCat(kPortfolio, "/v2"));
  for (auto _ : state) {
    InParallel(kRisks, [&](int) {
      eventstore::AppendRequest request;
      request.stream_id = NewUuid();
      request.stream_type = "risk";
      request.events.push_back(eventsourcing::EncodeEvent(event, absl::Now()));
      Check(store->Append(std::move(request)).status());
    });
  }
  state.SetItemsProcessed(state.iterations() * kRisks);
}
BENCHMARK(BM_StoreAppendBaseline)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace pmo::risks

int main(int argc, char** argv) {
  return pmo::benchmarking::RunInterleaved(
      argc, argv, {{"risks", "2000 assessed, 16 threads"}});
}
