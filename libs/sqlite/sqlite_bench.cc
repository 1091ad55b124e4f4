// sqlite_bench: what the connection's statement cache saves, beside the
// same work preparing the SQL on every call (what every Prepare did before
// the cache), in the same run. The table is shaped like the event store's
// (10,000 events in 1,000 streams, indexed by request id and by stream);
// the page cache is warm, so the figures are CPU, not disk.
//
//   BM_PointRead/cached:1      Database::Prepare (from the cache), bind,
//                              one row by request id
//   BM_PointRead/cached:0      baseline: sqlite3_prepare_v2, bind, step,
//                              sqlite3_finalize
//   BM_StreamRead/cached:1     the 10 events of one stream, in order
//   BM_StreamRead/cached:0     baseline, prepared each time
//
// Each line is repeated 5 times, repetitions interleaved at random with the
// other lines' so a figure and its baseline sample the same moments.
//
//   ninja -C build sqlite_bench && ./build/bin/sqlite_bench

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "libs/benchmarking/interleaved_main.h"
#include "libs/sqlite/sqlite.h"

namespace pmo::sqlite {

std::string& RunDir();

namespace {

constexpr int kStreams = 1'000;
constexpr int kEventsPerStream = 10;

constexpr char kPointSql[] =
    "SELECT stream_id, stream_version, payload FROM events "
    "WHERE request_id = ?";
constexpr char kStreamSql[] =
    "SELECT stream_version, event_type, payload FROM events "
    "WHERE stream_id = ? AND stream_version BETWEEN ? AND ? "
    "ORDER BY stream_version";

// One database for the whole run, filled once.
Database& Events() {
  static Database* db = [] {
    auto opened = Database::Open(RunDir() + "/events.db");
    if (!opened.ok()) std::abort();
    Database* out = opened->release();
    const absl::Status schema = out->Execute(
        "CREATE TABLE events (position INTEGER PRIMARY KEY, stream_id TEXT, "
        "stream_version INTEGER, event_type TEXT, payload BLOB, "
        "request_id TEXT);"
        "CREATE UNIQUE INDEX by_stream ON events (stream_id, stream_version);"
        "CREATE INDEX by_request ON events (request_id);");
    if (!schema.ok()) std::abort();
    const absl::Status filled = InTransaction(*out, [&]() -> absl::Status {
      for (int s = 0; s < kStreams; ++s) {
        for (int v = 1; v <= kEventsPerStream; ++v) {
          auto insert = out->Prepare(
              "INSERT INTO events (stream_id, stream_version, event_type, "
              "payload, request_id) VALUES (?, ?, ?, ?, ?)");
          if (!insert.ok()) return insert.status();
          insert->Bind(1, absl::StrCat("stream-", s))
              .Bind(2, v)
              .Bind(3, "pmo.projects.v1.ActualCostRecorded")
              .BindBlob(4, std::string(200, 'p'))
              .Bind(5, absl::StrCat("request-", s, "-", v));
          if (absl::Status run = insert->Run(); !run.ok()) return run;
        }
      }
      return absl::OkStatus();
    });
    if (!filled.ok()) std::abort();
    return out;
  }();
  return *db;
}

// The baseline's statement: prepared now, finalized when it goes.
struct Uncached {
  explicit Uncached(const char* sql) {
    if (sqlite3_prepare_v2(Events().raw(), sql, -1, &stmt, nullptr) !=
        SQLITE_OK) {
      std::abort();
    }
  }
  ~Uncached() { sqlite3_finalize(stmt); }
  Uncached(const Uncached&) = delete;
  Uncached& operator=(const Uncached&) = delete;
  sqlite3_stmt* stmt = nullptr;
};

void BM_PointRead(benchmark::State& state) {
  const bool cached = state.range(0) == 1;
  Database& db = Events();
  int i = 0;
  for (auto _ : state) {
    const std::string request =
        absl::StrCat("request-", i % kStreams, "-", 1 + i % kEventsPerStream);
    ++i;
    if (cached) {
      auto select = db.Prepare(kPointSql);
      select->Bind(1, request);
      benchmark::DoNotOptimize(*select->Step());
      benchmark::DoNotOptimize(select->ColumnInt(1));
    } else {
      Uncached select(kPointSql);
      sqlite3_bind_text(select.stmt, 1, request.data(),
                        static_cast<int>(request.size()), SQLITE_TRANSIENT);
      benchmark::DoNotOptimize(sqlite3_step(select.stmt));
      benchmark::DoNotOptimize(sqlite3_column_int64(select.stmt, 1));
    }
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_StreamRead(benchmark::State& state) {
  const bool cached = state.range(0) == 1;
  Database& db = Events();
  int i = 0;
  for (auto _ : state) {
    const std::string stream = absl::StrCat("stream-", i++ % kStreams);
    int rows = 0;
    if (cached) {
      auto select = db.Prepare(kStreamSql);
      select->Bind(1, stream).Bind(2, 1).Bind(3, kEventsPerStream);
      while (*select->Step()) {
        benchmark::DoNotOptimize(select->ColumnBlob(2));
        ++rows;
      }
    } else {
      Uncached select(kStreamSql);
      sqlite3_bind_text(select.stmt, 1, stream.data(),
                        static_cast<int>(stream.size()), SQLITE_TRANSIENT);
      sqlite3_bind_int64(select.stmt, 2, 1);
      sqlite3_bind_int64(select.stmt, 3, kEventsPerStream);
      while (sqlite3_step(select.stmt) == SQLITE_ROW) {
        const void* blob = sqlite3_column_blob(select.stmt, 2);
        benchmark::DoNotOptimize(
            std::string(static_cast<const char*>(blob),
                        sqlite3_column_bytes(select.stmt, 2)));
        ++rows;
      }
    }
    if (rows != kEventsPerStream) state.SkipWithError("stream read short");
  }
  state.SetItemsProcessed(state.iterations());
}

void Runs(benchmark::internal::Benchmark* b) {
  b->ArgName("cached")
      ->Arg(1)
      ->Arg(0)
      ->Unit(benchmark::kMicrosecond)
      ->MinTime(0.3)
      ->Repetitions(5)
      ->DisplayAggregatesOnly(true);
}

BENCHMARK(BM_PointRead)->Apply(Runs);
BENCHMARK(BM_StreamRead)->Apply(Runs);

}  // namespace

// The run's own folder, removed at the end.
std::string& RunDir() {
  static std::string dir;
  return dir;
}

}  // namespace pmo::sqlite

int main(int argc, char** argv) {
  char dir[] = "/tmp/pmo-sqlite-bench-XXXXXX";
  if (mkdtemp(dir) == nullptr) return 1;
  pmo::sqlite::RunDir() = dir;
  const int rc = pmo::benchmarking::RunInterleaved(
      argc, argv, {{"table", "10,000 events in 1,000 streams"}});
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
  return rc;
}
