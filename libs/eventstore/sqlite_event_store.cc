#include "libs/eventstore/sqlite_event_store.h"

#include <future>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "libs/base/status_macros.h"
#include "libs/base/time_format.h"

namespace pmo::eventstore {
namespace {

constexpr char kSchema[] = R"sql(
CREATE TABLE IF NOT EXISTS events (
  position        INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id        TEXT    NOT NULL UNIQUE,
  stream_id       TEXT    NOT NULL,
  stream_type     TEXT    NOT NULL,
  stream_version  INTEGER NOT NULL,
  event_type      TEXT    NOT NULL,
  payload         BLOB    NOT NULL,
  occurred_at_us  INTEGER NOT NULL,
  recorded_at_us  INTEGER NOT NULL,
  actor           TEXT    NOT NULL,
  causation_id    TEXT    NOT NULL,
  correlation_id  TEXT    NOT NULL,
  traceparent     TEXT    NOT NULL,
  UNIQUE (stream_id, stream_version)
);
CREATE INDEX IF NOT EXISTS events_stream_starts
  ON events (stream_type, position) WHERE stream_version = 1;
CREATE TABLE IF NOT EXISTS append_requests (
  request_id      TEXT PRIMARY KEY,
  stream_id       TEXT    NOT NULL,
  first_version   INTEGER NOT NULL,
  last_version    INTEGER NOT NULL,
  first_position  INTEGER NOT NULL,
  last_position   INTEGER NOT NULL,
  request_fingerprint TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS unique_claims (
  scope      TEXT NOT NULL,
  value      TEXT NOT NULL,
  stream_id  TEXT NOT NULL,
  PRIMARY KEY (scope, value)
) WITHOUT ROWID;
)sql";

constexpr char kEventColumns[] =
    "position, event_id, stream_id, stream_type, stream_version, event_type, "
    "payload, occurred_at_us, recorded_at_us, actor, causation_id, "
    "correlation_id, traceparent";

RecordedEvent EventFromRow(const sqlite::Statement& row) {
  RecordedEvent e;
  e.position = row.ColumnInt(0);
  e.event_id = row.ColumnText(1);
  e.stream_id = row.ColumnText(2);
  e.stream_type = row.ColumnText(3);
  e.stream_version = row.ColumnInt(4);
  e.event_type = row.ColumnText(5);
  e.payload = row.ColumnBlob(6);
  e.occurred_at = FromUnixMicrosUtc(row.ColumnInt(7));
  e.recorded_at = FromUnixMicrosUtc(row.ColumnInt(8));
  e.metadata.actor = row.ColumnText(9);
  e.metadata.causation_id = row.ColumnText(10);
  e.metadata.correlation_id = row.ColumnText(11);
  e.metadata.traceparent = row.ColumnText(12);
  return e;
}

absl::StatusOr<std::vector<RecordedEvent>> CollectEvents(
    sqlite::Statement& stmt) {
  std::vector<RecordedEvent> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    out.push_back(EventFromRow(stmt));
  }
  return out;
}

// A store made before request fingerprints were kept gains the column;
// its old rows keep an empty fingerprint, which CheckSameCommand accepts.
absl::Status AddRequestFingerprints(sqlite::Database& db) {
  ASSIGN_OR_RETURN(
      sqlite::Statement has,
      db.Prepare("SELECT COUNT(*) FROM pragma_table_info('append_requests') "
                 "WHERE name = 'request_fingerprint'"));
  ASSIGN_OR_RETURN(bool row, has.Step());
  if (row && has.ColumnInt(0) > 0) return absl::OkStatus();
  return db.Execute(
      "ALTER TABLE append_requests ADD COLUMN request_fingerprint TEXT NOT "
      "NULL DEFAULT ''");
}

}  // namespace

absl::StatusOr<std::unique_ptr<SqliteEventStore>> SqliteEventStore::Open(
    const std::string& path, Options options) {
  ASSIGN_OR_RETURN(std::unique_ptr<sqlite::Database> writer,
                   sqlite::Database::Open(path));
  RETURN_IF_ERROR(writer->Execute(kSchema));
  RETURN_IF_ERROR(AddRequestFingerprints(*writer));
  ASSIGN_OR_RETURN(std::unique_ptr<sqlite::Database> reader,
                   sqlite::Database::Open(path));
  std::unique_ptr<SqliteEventStore> store(
      new SqliteEventStore(std::move(writer), std::move(reader), options));
  ASSIGN_OR_RETURN(sqlite::Statement head,
                   store->writer_db_->Prepare(
                       "SELECT IFNULL(MAX(position), 0) FROM events"));
  ASSIGN_OR_RETURN(bool row, head.Step());
  if (row) store->head_position_ = head.ColumnInt(0);
  store->appends_ = std::make_unique<AppendQueue>(
      store->options_.max_batch,
      [s = store.get()](std::deque<PendingAppend*>& batch) {
        s->CommitBatch(batch);
      });
  return store;
}

SqliteEventStore::SqliteEventStore(std::unique_ptr<sqlite::Database> writer,
                                   std::unique_ptr<sqlite::Database> reader,
                                   Options options)
    : options_(options),
      writer_db_(std::move(writer)),
      reader_db_(std::move(reader)) {}

SqliteEventStore::~SqliteEventStore() {
  if (appends_) appends_->Stop();  // null when Open failed half-way
}

absl::StatusOr<AppendResult> SqliteEventStore::Append(AppendRequest request) {
  RETURN_IF_ERROR(ValidateAppendRequest(request));
  return appends_->Append(std::move(request));
}

void SqliteEventStore::CommitBatch(std::deque<PendingAppend*>& batch) {
  std::vector<absl::StatusOr<AppendResult>> results;
  results.reserve(batch.size());
  const absl::Time recorded_at = options_.clock->Now();
  absl::Status tx = writer_db_->Execute("BEGIN IMMEDIATE");
  if (tx.ok()) {
    for (PendingAppend* p : batch) {
      // A savepoint per request: a conflict undoes only that request.
      tx = writer_db_->Execute("SAVEPOINT append_request");
      if (!tx.ok()) break;
      absl::StatusOr<AppendResult> r = ApplyOne(p->request, recorded_at);
      if (!r.ok()) tx = writer_db_->Execute("ROLLBACK TO append_request");
      if (tx.ok()) tx = writer_db_->Execute("RELEASE append_request");
      // An I/O error (disk full...) can make SQLite roll the whole
      // transaction back by itself; then the batch as a whole has failed.
      if (tx.ok() && sqlite3_get_autocommit(writer_db_->raw())) {
        tx = absl::InternalError("the transaction was rolled back by SQLite");
      }
      if (!tx.ok()) break;
      results.push_back(std::move(r));
    }
    if (tx.ok()) tx = writer_db_->Execute("COMMIT");
    if (!tx.ok() && !sqlite3_get_autocommit(writer_db_->raw())) {
      (void)writer_db_->Execute("ROLLBACK");
    }
  }
  if (!tx.ok()) {
    // Nothing of this batch is on disk: every waiter hears so. A full volume
    // keeps its own code so the caller (and an operator reading the logs)
    // can tell it from a passing fault; both mean "retry later".
    const std::string message =
        absl::StrCat("event store commit failed: ", tx.message());
    const absl::Status failed =
        tx.code() == absl::StatusCode::kResourceExhausted
            ? absl::ResourceExhaustedError(message)
            : absl::UnavailableError(message);
    for (PendingAppend* p : batch) p->done.set_value(failed);
    return;
  }
  committed_batches_.fetch_add(1);
  int64_t head = head_position_.load();
  for (const auto& r : results) {
    if (r.ok()) head = std::max(head, r->last_position);
  }
  {
    std::lock_guard lock(head_mu_);
    head_position_.store(head);
  }
  head_cv_.notify_all();
  for (size_t i = 0; i < batch.size(); ++i) {
    batch[i]->done.set_value(std::move(results[i]));
  }
}

absl::StatusOr<AppendResult> SqliteEventStore::ApplyOne(
    const AppendRequest& request, absl::Time recorded_at) {
  sqlite::Database& db = *writer_db_;
  if (!request.request_id.empty()) {
    ASSIGN_OR_RETURN(std::optional<AppendResult> earlier,
                     FindRequestOn(db, request.request_id));
    if (earlier) {
      RETURN_IF_ERROR(CheckSameCommand(*earlier, request.request_fingerprint));
      return *earlier;
    }
  }

  ASSIGN_OR_RETURN(
      sqlite::Statement current,
      db.Prepare("SELECT IFNULL(MAX(stream_version), 0) FROM events "
                 "WHERE stream_id = ?"));
  current.Bind(1, request.stream_id);
  ASSIGN_OR_RETURN(bool has_row, current.Step());
  const int64_t current_version = has_row ? current.ColumnInt(0) : 0;
  if (request.expected_version &&
      *request.expected_version != current_version) {
    return VersionConflictError(request.stream_id, current_version,
                                *request.expected_version);
  }

  for (const UniqueClaim& claim : request.unique_claims) {
    ASSIGN_OR_RETURN(sqlite::Statement owner,
                     db.Prepare("SELECT stream_id FROM unique_claims "
                                "WHERE scope = ? AND value = ?"));
    owner.Bind(1, claim.scope).Bind(2, claim.value);
    ASSIGN_OR_RETURN(bool taken, owner.Step());
    if (taken) {
      if (owner.ColumnText(0) == request.stream_id) continue;
      return absl::AlreadyExistsError(
          absl::StrCat(claim.scope, " '", claim.value, "' is already used by ",
                       owner.ColumnText(0)));
    }
    ASSIGN_OR_RETURN(sqlite::Statement insert,
                     db.Prepare("INSERT INTO unique_claims (scope, value, "
                                "stream_id) VALUES (?, ?, ?)"));
    insert.Bind(1, claim.scope).Bind(2, claim.value).Bind(3, request.stream_id);
    RETURN_IF_ERROR(insert.Run());
  }

  ASSIGN_OR_RETURN(
      sqlite::Statement insert,
      db.Prepare("INSERT INTO events (event_id, stream_id, stream_type, "
                 "stream_version, event_type, payload, occurred_at_us, "
                 "recorded_at_us, actor, causation_id, correlation_id, "
                 "traceparent) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)"));
  AppendResult result;
  result.stream_id = request.stream_id;
  int64_t version = current_version;
  for (const NewEvent& e : request.events) {
    ++version;
    insert.Reset();
    insert.Bind(1, e.event_id)
        .Bind(2, request.stream_id)
        .Bind(3, request.stream_type)
        .Bind(4, version)
        .Bind(5, e.event_type)
        .BindBlob(6, e.payload)
        .Bind(7, ToUnixMicrosUtc(e.occurred_at))
        .Bind(8, ToUnixMicrosUtc(recorded_at))
        .Bind(9, request.metadata.actor)
        .Bind(10, request.metadata.causation_id)
        .Bind(11, request.metadata.correlation_id)
        .Bind(12, request.metadata.traceparent);
    RETURN_IF_ERROR(insert.Run());
    const int64_t position = sqlite3_last_insert_rowid(db.raw());
    if (result.first_position == 0) result.first_position = position;
    result.last_position = position;
  }
  result.first_version = current_version + 1;
  result.last_version = version;
  result.request_fingerprint = request.request_fingerprint;

  if (!request.request_id.empty()) {
    ASSIGN_OR_RETURN(
        sqlite::Statement remember,
        db.Prepare(
            "INSERT INTO append_requests (request_id, stream_id, "
            "first_version, last_version, first_position, "
            "last_position, request_fingerprint) VALUES (?,?,?,?,?,?,?)"));
    remember.Bind(1, request.request_id)
        .Bind(2, result.stream_id)
        .Bind(3, result.first_version)
        .Bind(4, result.last_version)
        .Bind(5, result.first_position)
        .Bind(6, result.last_position)
        .Bind(7, request.request_fingerprint);
    RETURN_IF_ERROR(remember.Run());
  }
  return result;
}

absl::StatusOr<std::optional<AppendResult>> SqliteEventStore::FindRequestOn(
    sqlite::Database& db, absl::string_view request_id) {
  ASSIGN_OR_RETURN(
      sqlite::Statement stmt,
      db.Prepare("SELECT stream_id, first_version, last_version, "
                 "first_position, last_position, request_fingerprint "
                 "FROM append_requests WHERE request_id = ?"));
  stmt.Bind(1, request_id);
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return std::nullopt;
  AppendResult r;
  r.stream_id = stmt.ColumnText(0);
  r.first_version = stmt.ColumnInt(1);
  r.last_version = stmt.ColumnInt(2);
  r.first_position = stmt.ColumnInt(3);
  r.last_position = stmt.ColumnInt(4);
  r.request_fingerprint = stmt.ColumnText(5);
  r.replayed = true;
  return r;
}

absl::StatusOr<std::optional<AppendResult>> SqliteEventStore::FindRequest(
    absl::string_view request_id) {
  std::lock_guard lock(reader_mu_);
  return FindRequestOn(*reader_db_, request_id);
}

absl::StatusOr<std::vector<RecordedEvent>> SqliteEventStore::ReadStream(
    absl::string_view stream_id, int64_t from_version, int64_t to_version) {
  std::lock_guard lock(reader_mu_);
  ASSIGN_OR_RETURN(
      sqlite::Statement stmt,
      reader_db_->Prepare(absl::StrCat(
          "SELECT ", kEventColumns,
          " FROM events WHERE stream_id = ? AND stream_version BETWEEN ? AND ? "
          "ORDER BY stream_version")));
  stmt.Bind(1, stream_id).Bind(2, from_version).Bind(3, to_version);
  return CollectEvents(stmt);
}

absl::StatusOr<std::vector<RecordedEvent>> SqliteEventStore::ReadAll(
    int64_t after_position, int max_count) {
  std::lock_guard lock(reader_mu_);
  ASSIGN_OR_RETURN(sqlite::Statement stmt,
                   reader_db_->Prepare(absl::StrCat(
                       "SELECT ", kEventColumns,
                       " FROM events WHERE position > ? ORDER BY position "
                       "LIMIT ?")));
  stmt.Bind(1, after_position).Bind(2, static_cast<int64_t>(max_count));
  return CollectEvents(stmt);
}

absl::StatusOr<std::vector<StreamStart>> SqliteEventStore::ListStreams(
    absl::string_view stream_type, int64_t after_position, int limit) {
  std::lock_guard lock(reader_mu_);
  ASSIGN_OR_RETURN(
      sqlite::Statement stmt,
      reader_db_->Prepare("SELECT stream_id, position FROM events "
                          "WHERE stream_type = ? AND stream_version = 1 AND "
                          "position > ? ORDER BY position LIMIT ?"));
  stmt.Bind(1, stream_type)
      .Bind(2, after_position)
      .Bind(3, static_cast<int64_t>(limit));
  std::vector<StreamStart> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    out.push_back({stmt.ColumnText(0), stmt.ColumnInt(1)});
  }
  return out;
}

bool SqliteEventStore::WaitForEventsAfter(int64_t position,
                                          absl::Duration timeout) {
  std::unique_lock lock(head_mu_);
  return head_cv_.wait_for(lock, absl::ToChronoNanoseconds(timeout),
                           [&] { return head_position_.load() > position; });
}

}  // namespace pmo::eventstore
