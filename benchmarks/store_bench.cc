// Durable appends: SqliteEventStore::Append against a bare SQLite loop that
// commits (and so fsyncs) once per inserted row.
//
//   BM_StoreAppend           one small event per Append, each thread its own
//                            stream with expected_version tracked; group
//                            commit lets concurrent appends share one fsync.
//   BM_SqliteInsertCommit    baseline: BEGIN IMMEDIATE; INSERT one row;
//                            COMMIT per operation, WAL + synchronous=FULL,
//                            each thread its own connection; writers
//                            serialize on SQLite's write lock.
//
//   BM_PostgresStoreAppend   PostgresEventStore::Append, as BM_StoreAppend,
//                            on the PostgreSQL at $PMO_BENCH_POSTGRES_URL
//                            (scripts/bench/postgres_baseline.sh starts one
//                            and runs pgbench beside it as the baseline).
//
// All report items_per_second (one item = one durable write).

#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "benchmark/benchmark.h"
#include "benchmarks/bench_support.h"
#include "libs/base/ids.h"
#include "libs/eventstore/postgres_event_store.h"
#include "libs/eventstore/sqlite_event_store.h"

namespace pmo::bench {
namespace {

using eventstore::AppendRequest;
using eventstore::NewEvent;
using eventstore::PostgresEventStore;
using eventstore::SqliteEventStore;

// A payload about the size of a small domain event.
const std::string& SmallPayload() {
  static const std::string* payload = new std::string(64, 'p');
  return *payload;
}

// ---------------------------------------------------------------------------
// SqliteEventStore::Append

struct StoreFixture {
  BenchDir dir;
  std::unique_ptr<SqliteEventStore> store;
  std::string error;
  std::atomic<int64_t> appends{0};
};
StoreFixture* g_store = nullptr;

void StoreSetup(const benchmark::State&) {
  g_store = new StoreFixture();
  if (!g_store->dir.ok()) {
    g_store->error = "cannot create a temp dir under /tmp";
    return;
  }
  auto store = SqliteEventStore::Open(g_store->dir.File("events.db"));
  if (!store.ok()) {
    g_store->error = std::string(store.status().message());
    return;
  }
  g_store->store = std::move(*store);
}

void StoreTeardown(const benchmark::State&) {
  delete g_store;  // closes the store (finishing its queue), removes the dir
  g_store = nullptr;
}

// One small event per Append on the thread's own stream; thread 0 reports
// appends per commit (= per fsync) seen so far, so the summed counter is
// that one value.
template <typename Store>
void AppendLoop(benchmark::State& state, Store& store,
                std::atomic<int64_t>& appends) {
  const std::string stream = absl::StrCat("bench-", state.thread_index());
  int64_t version = 0;
  for (auto _ : state) {
    AppendRequest request;
    request.stream_id = stream;
    request.stream_type = "bench";
    request.expected_version = version;
    request.events.push_back(
        NewEvent{NewUuid(), "pmo.bench.v1.Noted", SmallPayload(), absl::Now()});
    auto result = store.Append(std::move(request));
    if (!result.ok()) {
      state.SkipWithError(std::string(result.status().message()).c_str());
      break;
    }
    version = result->last_version;
    appends.fetch_add(1, std::memory_order_relaxed);
  }
  state.SetItemsProcessed(state.iterations());
  if (state.thread_index() == 0) {
    const int64_t batches = store.committed_batches();
    if (batches > 0) {
      state.counters["appends_per_fsync"] =
          static_cast<double>(appends.load()) / static_cast<double>(batches);
    }
  }
}

void BM_StoreAppend(benchmark::State& state) {
  if (!g_store->error.empty()) {
    state.SkipWithError(g_store->error.c_str());
    return;
  }
  AppendLoop(state, *g_store->store, g_store->appends);
}
BENCHMARK(BM_StoreAppend)
    ->Setup(StoreSetup)
    ->Teardown(StoreTeardown)
    ->Apply(ConcurrencyRuns);

// ---------------------------------------------------------------------------
// PostgresEventStore::Append: the same loop on a fresh schema of the
// database at $PMO_BENCH_POSTGRES_URL.

struct PostgresFixture {
  std::unique_ptr<PostgresEventStore> store;
  std::string error;
  std::atomic<int64_t> appends{0};
};
PostgresFixture* g_postgres = nullptr;

void PostgresSetup(const benchmark::State&) {
  static std::atomic<int> runs{0};
  g_postgres = new PostgresFixture();
  const char* url = std::getenv("PMO_BENCH_POSTGRES_URL");
  if (url == nullptr || *url == '\0') {
    g_postgres->error =
        "PMO_BENCH_POSTGRES_URL is not set (scripts/bench/postgres_baseline.sh "
        "sets it)";
    return;
  }
  PostgresEventStore::Options options;
  options.schema = absl::StrCat("bench_", getpid(), "_", runs.fetch_add(1));
  auto store = PostgresEventStore::Open(url, options);
  if (!store.ok()) {
    g_postgres->error = std::string(store.status().message());
    return;
  }
  g_postgres->store = std::move(*store);
}

void PostgresTeardown(const benchmark::State&) {
  delete g_postgres;
  g_postgres = nullptr;
}

void BM_PostgresStoreAppend(benchmark::State& state) {
  if (!g_postgres->error.empty()) {
    state.SkipWithError(g_postgres->error.c_str());
    return;
  }
  AppendLoop(state, *g_postgres->store, g_postgres->appends);
}
BENCHMARK(BM_PostgresStoreAppend)
    ->Setup(PostgresSetup)
    ->Teardown(PostgresTeardown)
    ->Apply(ConcurrencyRuns);

// ---------------------------------------------------------------------------
// Baseline: bare SQLite, one transaction (one fsync) per inserted row.

struct SqliteFixture {
  BenchDir dir;
  std::string path;
  std::string error;
};
SqliteFixture* g_sqlite = nullptr;

// Opens `path` the way the baseline wants every connection: WAL (a property
// of the file, set once in setup), synchronous=FULL, a busy timeout so a
// writer waits for the lock instead of failing.
sqlite3* OpenBaselineConnection(const std::string& path, std::string* error) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(
      path.c_str(), &db,
      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
      nullptr);
  if (rc == SQLITE_OK) {
    sqlite3_busy_timeout(db, 30000);
    rc =
        sqlite3_exec(db, "PRAGMA synchronous=FULL;", nullptr, nullptr, nullptr);
  }
  if (rc != SQLITE_OK) {
    *error = absl::StrCat("open ", path, ": ",
                          db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    sqlite3_close(db);
    return nullptr;
  }
  return db;
}

void SqliteSetup(const benchmark::State&) {
  g_sqlite = new SqliteFixture();
  if (!g_sqlite->dir.ok()) {
    g_sqlite->error = "cannot create a temp dir under /tmp";
    return;
  }
  g_sqlite->path = g_sqlite->dir.File("baseline.db");
  sqlite3* db = OpenBaselineConnection(g_sqlite->path, &g_sqlite->error);
  if (db == nullptr) return;
  char* message = nullptr;
  if (sqlite3_exec(db,
                   "PRAGMA journal_mode=WAL;"
                   "CREATE TABLE rows(id INTEGER PRIMARY KEY, "
                   "stream TEXT NOT NULL, version INTEGER NOT NULL, "
                   "payload BLOB NOT NULL);",
                   nullptr, nullptr, &message) != SQLITE_OK) {
    g_sqlite->error = message ? message : "schema failed";
    sqlite3_free(message);
  }
  sqlite3_close(db);
}

void SqliteTeardown(const benchmark::State&) {
  delete g_sqlite;
  g_sqlite = nullptr;
}

void BM_SqliteInsertCommit(benchmark::State& state) {
  if (!g_sqlite->error.empty()) {
    state.SkipWithError(g_sqlite->error.c_str());
    return;
  }
  std::string error;
  sqlite3* db = OpenBaselineConnection(g_sqlite->path, &error);
  if (db == nullptr) {
    state.SkipWithError(error.c_str());
    return;
  }
  sqlite3_stmt* begin = nullptr;
  sqlite3_stmt* insert = nullptr;
  sqlite3_stmt* commit = nullptr;
  sqlite3_prepare_v2(db, "BEGIN IMMEDIATE", -1, &begin, nullptr);
  sqlite3_prepare_v2(db,
                     "INSERT INTO rows(stream, version, payload) "
                     "VALUES(?, ?, ?)",
                     -1, &insert, nullptr);
  sqlite3_prepare_v2(db, "COMMIT", -1, &commit, nullptr);
  if (!begin || !insert || !commit) {
    state.SkipWithError(sqlite3_errmsg(db));
  } else {
    const std::string stream = absl::StrCat("bench-", state.thread_index());
    const std::string& payload = SmallPayload();
    int64_t version = 0;
    for (auto _ : state) {
      int rc = sqlite3_step(begin);
      sqlite3_reset(begin);
      if (rc == SQLITE_DONE) {
        sqlite3_bind_text(insert, 1, stream.data(),
                          static_cast<int>(stream.size()), SQLITE_STATIC);
        sqlite3_bind_int64(insert, 2, version + 1);
        sqlite3_bind_blob(insert, 3, payload.data(),
                          static_cast<int>(payload.size()), SQLITE_STATIC);
        rc = sqlite3_step(insert);
        sqlite3_reset(insert);
        if (rc == SQLITE_DONE) {
          rc = sqlite3_step(commit);
          sqlite3_reset(commit);
        }
        if (rc != SQLITE_DONE) {
          sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
        }
      }
      if (rc != SQLITE_DONE) {
        state.SkipWithError(sqlite3_errmsg(db));
        break;
      }
      ++version;
    }
    state.SetItemsProcessed(state.iterations());
  }
  sqlite3_finalize(begin);
  sqlite3_finalize(insert);
  sqlite3_finalize(commit);
  sqlite3_close(db);
}
BENCHMARK(BM_SqliteInsertCommit)
    ->Setup(SqliteSetup)
    ->Teardown(SqliteTeardown)
    ->Apply(ConcurrencyRuns);

}  // namespace
}  // namespace pmo::bench
