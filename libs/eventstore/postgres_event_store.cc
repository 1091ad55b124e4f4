#include "libs/eventstore/postgres_event_store.h"

#include <poll.h>

#include <algorithm>
#include <future>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "libs/base/status_macros.h"
#include "libs/base/time_format.h"

namespace pmo::eventstore {
namespace {

using postgres::Param;

// {S} is the quoted schema. The advisory lock keeps two replicas starting at
// once from racing on CREATE TABLE IF NOT EXISTS.
constexpr char kSchema[] = R"sql(
BEGIN;
SELECT pg_advisory_xact_lock(hashtext('pmo.eventstore.schema'));
CREATE SCHEMA IF NOT EXISTS {S};
CREATE TABLE IF NOT EXISTS {S}.events (
  position        bigint  PRIMARY KEY,
  event_id        text    NOT NULL UNIQUE,
  stream_id       text    NOT NULL,
  stream_type     text    NOT NULL,
  stream_version  bigint  NOT NULL,
  event_type      text    NOT NULL,
  payload         bytea   NOT NULL,
  occurred_at_us  bigint  NOT NULL,
  recorded_at_us  bigint  NOT NULL,
  actor           text    NOT NULL,
  causation_id    text    NOT NULL,
  correlation_id  text    NOT NULL,
  traceparent     text    NOT NULL,
  CONSTRAINT events_stream_version UNIQUE (stream_id, stream_version)
);
CREATE INDEX IF NOT EXISTS events_stream_starts
  ON {S}.events (stream_type, position) WHERE stream_version = 1;
CREATE TABLE IF NOT EXISTS {S}.append_requests (
  request_id      text PRIMARY KEY,
  stream_id       text   NOT NULL,
  first_version   bigint NOT NULL,
  last_version    bigint NOT NULL,
  first_position  bigint NOT NULL,
  last_position   bigint NOT NULL
);
ALTER TABLE {S}.append_requests
  ADD COLUMN IF NOT EXISTS request_fingerprint text NOT NULL DEFAULT '';
CREATE TABLE IF NOT EXISTS {S}.unique_claims (
  scope      text NOT NULL,
  value      text NOT NULL,
  stream_id  text NOT NULL,
  PRIMARY KEY (scope, value)
);
CREATE TABLE IF NOT EXISTS {S}.head (
  id        int    PRIMARY KEY CHECK (id = 1),
  position  bigint NOT NULL
);
INSERT INTO {S}.head VALUES (1, 0) ON CONFLICT DO NOTHING;
CREATE TABLE IF NOT EXISTS {S}.checkpoints (
  name      text   PRIMARY KEY,
  position  bigint NOT NULL
);
COMMIT;
)sql";

constexpr char kEventColumns[] =
    "position, event_id, stream_id, stream_type, stream_version, event_type, "
    "payload, occurred_at_us, recorded_at_us, actor, causation_id, "
    "correlation_id, traceparent";

// Every statement of the store, prepared on each of its connections.
const std::vector<std::pair<std::string, std::string>>& Statements() {
  static const auto* statements = new std::vector<
      std::pair<std::string, std::string>>{
      {"lock_head", "SELECT position FROM {S}.head WHERE id = 1 FOR UPDATE"},
      {"set_head", "UPDATE {S}.head SET position = $1 WHERE id = 1"},
      {"read_head", "SELECT position FROM {S}.head WHERE id = 1"},
      {"notify", "SELECT pg_notify($1, $2)"},
      {"find_request",
       "SELECT stream_id, first_version, last_version, first_position, "
       "last_position, "
       "request_fingerprint FROM {S}.append_requests WHERE request_id = $1"},
      {"stream_version",
       "SELECT COALESCE(MAX(stream_version), 0) FROM {S}.events WHERE "
       "stream_id = $1"},
      {"claim_owner",
       "SELECT stream_id FROM {S}.unique_claims WHERE scope = $1 AND value = "
       "$2"},
      {"insert_claim",
       "INSERT INTO {S}.unique_claims (scope, value, stream_id) VALUES ($1, "
       "$2, $3)"},
      {"insert_event",
       "INSERT INTO {S}.events (position, event_id, stream_id, stream_type, "
       "stream_version, "
       "event_type, payload, occurred_at_us, recorded_at_us, actor, "
       "causation_id, "
       "correlation_id, traceparent) VALUES "
       "($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13)"},
      {"remember_request",
       "INSERT INTO {S}.append_requests (request_id, stream_id, first_version, "
       "last_version, "
       "first_position, last_position, request_fingerprint) VALUES "
       "($1,$2,$3,$4,$5,$6,$7)"},
      {"read_stream", absl::StrCat("SELECT ", kEventColumns,
                                   " FROM {S}.events WHERE stream_id = $1 AND "
                                   "stream_version BETWEEN $2 AND $3 "
                                   "ORDER BY stream_version")},
      {"read_all",
       absl::StrCat(
           "SELECT ", kEventColumns,
           " FROM {S}.events WHERE position > $1 ORDER BY position LIMIT $2")},
      {"list_streams",
       "SELECT stream_id, position FROM {S}.events WHERE stream_type = $1 AND "
       "stream_version = 1 AND position > $2 ORDER BY position LIMIT $3"},
  };
  return *statements;
}

// Creates the store's tables when missing (every replica may try at once).
absl::Status EnsureSchema(const std::string& url,
                          const std::string& quoted_schema) {
  ASSIGN_OR_RETURN(std::unique_ptr<postgres::Connection> setup,
                   postgres::Connection::Open(url));
  // "already exists, skipping" notices on every start are noise in the logs.
  RETURN_IF_ERROR(setup->Execute("SET client_min_messages = warning"));
  absl::Status created =
      setup->Execute(absl::StrReplaceAll(kSchema, {{"{S}", quoted_schema}}));
  if (!created.ok()) (void)setup->Execute("ROLLBACK");
  return created;
}

absl::Status PrepareAll(postgres::Connection& db,
                        const std::string& quoted_schema) {
  for (const auto& [name, sql] : Statements()) {
    RETURN_IF_ERROR(
        db.Prepare(name, absl::StrReplaceAll(sql, {{"{S}", quoted_schema}})));
  }
  return absl::OkStatus();
}

// Opens a connection that runs with full durability whatever the server's
// default: a commit returns only after its WAL is flushed.
absl::StatusOr<std::unique_ptr<postgres::Connection>> Connect(
    const std::string& url, const std::string& quoted_schema) {
  ASSIGN_OR_RETURN(std::unique_ptr<postgres::Connection> db,
                   postgres::Connection::Open(url));
  RETURN_IF_ERROR(db->Execute("SET synchronous_commit = on"));
  RETURN_IF_ERROR(PrepareAll(*db, quoted_schema));
  return db;
}

absl::StatusOr<std::vector<RecordedEvent>> EventsOf(const postgres::Result& r) {
  std::vector<RecordedEvent> out;
  out.reserve(r.rows());
  for (int i = 0; i < r.rows(); ++i) {
    RecordedEvent e;
    e.position = r.Int(i, 0);
    e.event_id = r.Text(i, 1);
    e.stream_id = r.Text(i, 2);
    e.stream_type = r.Text(i, 3);
    e.stream_version = r.Int(i, 4);
    e.event_type = r.Text(i, 5);
    e.payload = r.Bytes(i, 6);
    e.occurred_at = FromUnixMicrosUtc(r.Int(i, 7));
    e.recorded_at = FromUnixMicrosUtc(r.Int(i, 8));
    e.metadata.actor = r.Text(i, 9);
    e.metadata.causation_id = r.Text(i, 10);
    e.metadata.correlation_id = r.Text(i, 11);
    e.metadata.traceparent = r.Text(i, 12);
    out.push_back(std::move(e));
  }
  return out;
}

absl::StatusOr<std::optional<AppendResult>> FindRequestOn(
    postgres::Connection& db, absl::string_view request_id) {
  ASSIGN_OR_RETURN(postgres::Result r,
                   db.Run("find_request", {Param(request_id)}));
  if (r.rows() == 0) return std::nullopt;
  AppendResult result;
  result.stream_id = r.Text(0, 0);
  result.first_version = r.Int(0, 1);
  result.last_version = r.Int(0, 2);
  result.first_position = r.Int(0, 3);
  result.last_position = r.Int(0, 4);
  result.request_fingerprint = r.Text(0, 5);
  result.replayed = true;
  return result;
}

}  // namespace

absl::StatusOr<std::unique_ptr<PostgresEventStore>> PostgresEventStore::Open(
    const std::string& url, const Options& options) {
  ASSIGN_OR_RETURN(const std::string quoted,
                   postgres::PlainIdentifier(options.schema));
  RETURN_IF_ERROR(EnsureSchema(url, quoted));
  ASSIGN_OR_RETURN(auto writer, Connect(url, quoted));
  ASSIGN_OR_RETURN(auto reader, Connect(url, quoted));
  ASSIGN_OR_RETURN(auto listener, Connect(url, quoted));
  const std::string channel = absl::StrCat("pmo_events_", options.schema);
  RETURN_IF_ERROR(listener->Execute(absl::StrCat("LISTEN \"", channel, "\"")));
  ASSIGN_OR_RETURN(postgres::Result head, reader->Run("read_head", {}));
  std::unique_ptr<PostgresEventStore> store(
      new PostgresEventStore(std::move(writer), std::move(reader),
                             std::move(listener), channel, options));
  store->head_position_ = head.rows() > 0 ? head.Int(0, 0) : 0;
  store->appends_ = std::make_unique<AppendQueue>(
      store->options_.max_batch,
      [s = store.get()](std::deque<PendingAppend*>& batch) {
        s->CommitBatch(batch);
      });
  store->listener_ = std::thread([s = store.get()] { s->ListenLoop(); });
  return store;
}

PostgresEventStore::PostgresEventStore(
    std::unique_ptr<postgres::Connection> writer,
    std::unique_ptr<postgres::Connection> reader,
    std::unique_ptr<postgres::Connection> listener, std::string channel,
    Options options)
    : options_(std::move(options)),
      channel_(std::move(channel)),
      writer_db_(std::move(writer)),
      reader_db_(std::move(reader)),
      listener_db_(std::move(listener)) {}

PostgresEventStore::~PostgresEventStore() {
  if (appends_) appends_->Stop();  // null when Open failed half-way
  closing_ = true;
  if (listener_.joinable()) listener_.join();
}

absl::StatusOr<AppendResult> PostgresEventStore::Append(AppendRequest request) {
  RETURN_IF_ERROR(ValidateAppendRequest(request));
  return appends_->Append(std::move(request));
}

void PostgresEventStore::CommitBatch(std::deque<PendingAppend*>& batch) {
  postgres::Connection& db = *writer_db_;
  std::vector<absl::StatusOr<AppendResult>> results;
  const absl::Time recorded_at = options_.clock->Now();
  absl::Status tx;
  int64_t head = 0;
  // First without savepoints (two round trips fewer per request); if a
  // statement fails, that transaction is gone, and the batch runs again
  // with a savepoint per request so only the failing request fails.
  for (const bool savepoints : {false, true}) {
    results.clear();
    // Between transactions a lost connection may be replaced without losing
    // anything.
    tx = db.EnsureConnected();
    if (tx.ok()) tx = db.Execute("BEGIN");
    if (tx.ok()) {
      // Waits for any other replica's batch to commit; from here until
      // COMMIT this process alone appends to the schema.
      absl::StatusOr<postgres::Result> locked = db.Run("lock_head", {});
      tx = locked.status();
      if (tx.ok()) head = locked->Int(0, 0);
    }
    const int64_t head_before = head;
    bool complete = false;
    if (tx.ok()) {
      absl::StatusOr<bool> applied =
          ApplyBatch(batch, recorded_at, savepoints, head, results);
      tx = applied.status();
      complete = tx.ok() && *applied;
    }
    if (tx.ok() && !complete) {
      (void)db.Execute("ROLLBACK");
      continue;
    }
    if (tx.ok() && head != head_before) {
      tx = db.Run("set_head", {Param(head)}).status();
      // Delivered to the listeners of every replica when (and only if) the
      // transaction commits.
      if (tx.ok())
        tx = db.Run("notify", {Param(channel_), Param(head)}).status();
    }
    if (tx.ok()) tx = db.Execute("COMMIT");
    break;
  }
  if (!tx.ok()) {
    (void)db.Execute("ROLLBACK");
    // Nothing of this batch is known to be on disk. (If the connection broke
    // during COMMIT it may be: a retry with the same request_id then returns
    // the stored result instead of appending twice.)
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
  AdvanceHead(head);
  for (size_t i = 0; i < batch.size(); ++i) {
    batch[i]->done.set_value(std::move(results[i]));
  }
}

absl::StatusOr<bool> PostgresEventStore::ApplyBatch(
    const std::deque<PendingAppend*>& batch, absl::Time recorded_at,
    bool savepoints, int64_t& head,
    std::vector<absl::StatusOr<AppendResult>>& results) {
  postgres::Connection& db = *writer_db_;
  for (PendingAppend* p : batch) {
    if (savepoints) RETURN_IF_ERROR(db.Execute("SAVEPOINT append_request"));
    const int64_t request_head = head;
    absl::StatusOr<AppendResult> r = ApplyOne(p->request, recorded_at, head);
    if (!r.ok()) {
      head = request_head;
      if (savepoints) {
        RETURN_IF_ERROR(db.Execute("ROLLBACK TO SAVEPOINT append_request"));
      } else if (PQtransactionStatus(db.raw()) != PQTRANS_INTRANS) {
        // A statement failed (not a refusal: ApplyOne refuses before its
        // first write, leaving the transaction intact).
        return false;
      }
    }
    if (savepoints)
      RETURN_IF_ERROR(db.Execute("RELEASE SAVEPOINT append_request"));
    results.push_back(std::move(r));
  }
  return true;
}

absl::StatusOr<AppendResult> PostgresEventStore::ApplyOne(
    const AppendRequest& request, absl::Time recorded_at, int64_t& head) {
  postgres::Connection& db = *writer_db_;
  if (!request.request_id.empty()) {
    ASSIGN_OR_RETURN(std::optional<AppendResult> earlier,
                     FindRequestOn(db, request.request_id));
    if (earlier) {
      RETURN_IF_ERROR(CheckSameCommand(*earlier, request.request_fingerprint));
      return *earlier;
    }
  }
  ASSIGN_OR_RETURN(postgres::Result current,
                   db.Run("stream_version", {Param(request.stream_id)}));
  const int64_t current_version = current.Int(0, 0);
  if (request.expected_version &&
      *request.expected_version != current_version) {
    return VersionConflictError(request.stream_id, current_version,
                                *request.expected_version);
  }

  // Every check before the first write: a refused request has written
  // nothing, which the batch's first, savepoint-less attempt relies on.
  std::vector<const UniqueClaim*> new_claims;
  for (const UniqueClaim& claim : request.unique_claims) {
    ASSIGN_OR_RETURN(
        postgres::Result owner,
        db.Run("claim_owner", {Param(claim.scope), Param(claim.value)}));
    if (owner.rows() > 0) {
      if (owner.Text(0, 0) == request.stream_id) continue;
      return absl::AlreadyExistsError(
          absl::StrCat(claim.scope, " '", claim.value, "' is already used by ",
                       owner.Text(0, 0)));
    }
    const bool repeated =
        std::any_of(new_claims.begin(), new_claims.end(), [&](auto* c) {
          return c->scope == claim.scope && c->value == claim.value;
        });
    if (!repeated) new_claims.push_back(&claim);
  }
  for (const UniqueClaim* claim : new_claims) {
    RETURN_IF_ERROR(
        db.Run("insert_claim", {Param(claim->scope), Param(claim->value),
                                Param(request.stream_id)})
            .status());
  }

  AppendResult result;
  result.stream_id = request.stream_id;
  int64_t version = current_version;
  const std::string recorded_us = absl::StrCat(ToUnixMicrosUtc(recorded_at));
  for (const NewEvent& e : request.events) {
    ++version;
    ++head;
    absl::Status inserted =
        db.Run("insert_event",
               {Param(head), Param(e.event_id), Param(request.stream_id),
                Param(request.stream_type), Param(version), Param(e.event_type),
                Param::Bytes(e.payload), Param(ToUnixMicrosUtc(e.occurred_at)),
                Param(recorded_us), Param(request.metadata.actor),
                Param(request.metadata.causation_id),
                Param(request.metadata.correlation_id),
                Param(request.metadata.traceparent)})
            .status();
    // Under the head lock no other writer can take this version; the unique
    // key still has the last word, and its verdict is a version conflict.
    if (absl::IsAlreadyExists(inserted) &&
        absl::StrContains(inserted.message(), "events_stream_version")) {
      return VersionConflictError(
          request.stream_id, version,
          request.expected_version.value_or(current_version));
    }
    RETURN_IF_ERROR(inserted);
    if (result.first_position == 0) result.first_position = head;
    result.last_position = head;
  }
  result.first_version = current_version + 1;
  result.last_version = version;
  result.request_fingerprint = request.request_fingerprint;

  if (!request.request_id.empty()) {
    RETURN_IF_ERROR(
        db.Run("remember_request",
               {Param(request.request_id), Param(result.stream_id),
                Param(result.first_version), Param(result.last_version),
                Param(result.first_position), Param(result.last_position),
                Param(request.request_fingerprint)})
            .status());
  }
  return result;
}

void PostgresEventStore::AdvanceHead(int64_t position) {
  {
    std::lock_guard lock(head_mu_);
    if (position <= head_position_.load()) return;
    head_position_.store(position);
  }
  head_cv_.notify_all();
}

void PostgresEventStore::ListenLoop() {
  postgres::Connection& db = *listener_db_;
  const std::string listen = absl::StrCat("LISTEN \"", channel_, "\"");
  absl::Time next_poll = absl::Now();
  while (!closing_.load()) {
    if (absl::Now() >= next_poll) {
      // Notifications are the fast path. Once a second: LISTEN again (a
      // no-op, unless the connection was replaced) and read the head, which
      // catches anything announced while the connection was down.
      next_poll = absl::Now() + absl::Seconds(1);
      if (db.EnsureConnected().ok() && db.Execute(listen).ok()) {
        if (absl::StatusOr<postgres::Result> head = db.Run("read_head", {});
            head.ok()) {
          AdvanceHead(head->Int(0, 0));
        }
      }
    }
    pollfd fd{PQsocket(db.raw()), POLLIN, 0};
    if (poll(&fd, 1, 100) > 0) {
      PQconsumeInput(db.raw());
      while (PGnotify* n = PQnotifies(db.raw())) {
        int64_t position = 0;
        if (absl::SimpleAtoi(n->extra, &position)) AdvanceHead(position);
        PQfreemem(n);
      }
    }
  }
}

absl::StatusOr<std::optional<AppendResult>> PostgresEventStore::FindRequest(
    absl::string_view request_id) {
  std::lock_guard lock(reader_mu_);
  RETURN_IF_ERROR(reader_db_->EnsureConnected());
  return FindRequestOn(*reader_db_, request_id);
}

absl::StatusOr<std::vector<RecordedEvent>> PostgresEventStore::ReadStream(
    absl::string_view stream_id, int64_t from_version, int64_t to_version) {
  std::lock_guard lock(reader_mu_);
  RETURN_IF_ERROR(reader_db_->EnsureConnected());
  ASSIGN_OR_RETURN(
      postgres::Result r,
      reader_db_->Run("read_stream", {Param(stream_id), Param(from_version),
                                      Param(to_version)}));
  return EventsOf(r);
}

absl::StatusOr<std::vector<RecordedEvent>> PostgresEventStore::ReadAll(
    int64_t after_position, int max_count) {
  std::lock_guard lock(reader_mu_);
  RETURN_IF_ERROR(reader_db_->EnsureConnected());
  ASSIGN_OR_RETURN(
      postgres::Result r,
      reader_db_->Run("read_all", {Param(after_position),
                                   Param(static_cast<int64_t>(max_count))}));
  return EventsOf(r);
}

absl::StatusOr<std::vector<StreamStart>> PostgresEventStore::ListStreams(
    absl::string_view stream_type, int64_t after_position, int limit) {
  std::lock_guard lock(reader_mu_);
  RETURN_IF_ERROR(reader_db_->EnsureConnected());
  ASSIGN_OR_RETURN(postgres::Result r,
                   reader_db_->Run("list_streams",
                                   {Param(stream_type), Param(after_position),
                                    Param(static_cast<int64_t>(limit))}));
  std::vector<StreamStart> out;
  out.reserve(r.rows());
  for (int i = 0; i < r.rows(); ++i) out.push_back({r.Text(i, 0), r.Int(i, 1)});
  return out;
}

bool PostgresEventStore::WaitForEventsAfter(int64_t position,
                                            absl::Duration timeout) {
  std::unique_lock lock(head_mu_);
  return head_cv_.wait_for(lock, absl::ToChronoNanoseconds(timeout),
                           [&] { return head_position_.load() > position; });
}

absl::StatusOr<std::unique_ptr<PostgresCheckpointStore>>
PostgresCheckpointStore::Open(const std::string& url,
                              const std::string& schema) {
  ASSIGN_OR_RETURN(const std::string quoted, postgres::PlainIdentifier(schema));
  ASSIGN_OR_RETURN(std::unique_ptr<postgres::Connection> db,
                   postgres::Connection::Open(url));
  RETURN_IF_ERROR(EnsureSchema(url, quoted));
  RETURN_IF_ERROR(db->Execute("SET synchronous_commit = on"));
  RETURN_IF_ERROR(
      db->Prepare("load", absl::StrCat("SELECT position FROM ", quoted,
                                       ".checkpoints WHERE name = $1")));
  RETURN_IF_ERROR(db->Prepare(
      "save",
      absl::StrCat(
          "INSERT INTO ", quoted,
          ".checkpoints (name, position) VALUES ($1, $2) "
          "ON CONFLICT (name) DO UPDATE SET position = excluded.position")));
  return std::unique_ptr<PostgresCheckpointStore>(
      new PostgresCheckpointStore(std::move(db)));
}

absl::StatusOr<int64_t> PostgresCheckpointStore::Load(const std::string& name) {
  std::lock_guard lock(mu_);
  RETURN_IF_ERROR(db_->EnsureConnected());
  ASSIGN_OR_RETURN(postgres::Result r, db_->Run("load", {Param(name)}));
  return r.rows() > 0 ? r.Int(0, 0) : 0;
}

absl::Status PostgresCheckpointStore::Save(const std::string& name,
                                           int64_t position) {
  std::lock_guard lock(mu_);
  RETURN_IF_ERROR(db_->EnsureConnected());
  return db_->Run("save", {Param(name), Param(position)}).status();
}

}  // namespace pmo::eventstore
