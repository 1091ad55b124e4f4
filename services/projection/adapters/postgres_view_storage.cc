#include "services/projection/adapters/postgres_view_storage.h"

#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "libs/base/status_macros.h"
#include "libs/base/time_format.h"

namespace pmo::projection {
namespace {

namespace pv1 = ::pmo::projects::v1;
using postgres::Param;

// The SQLite file's tables (sqlite_view_storage.cc) in schema {S}. Text
// that is compared or ordered (codes, ids) is COLLATE "C": byte order, as
// in SQLite, so pages and digests do not depend on the database's locale.
// The transaction-scoped advisory lock keeps two processes opening at once
// from racing on CREATE ... IF NOT EXISTS.
constexpr char kSchema[] = R"sql(
BEGIN;
SELECT pg_advisory_xact_lock(hashtext('pmo.projection.schema'));
CREATE SCHEMA IF NOT EXISTS {S};
CREATE TABLE IF NOT EXISTS {S}.view_schema (version integer NOT NULL);
CREATE TABLE IF NOT EXISTS {S}.portfolio_projects (
  project_id     text COLLATE "C" PRIMARY KEY,
  code           text COLLATE "C" NOT NULL,
  name           text NOT NULL,
  manager        text NOT NULL,
  status         integer NOT NULL,
  planned_start  text NOT NULL,
  planned_end    text NOT NULL,
  version        bigint NOT NULL,
  updated_at_us  bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS portfolio_projects_by_code ON {S}.portfolio_projects (code);
CREATE TABLE IF NOT EXISTS {S}.stream_versions (
  stream_id text COLLATE "C" PRIMARY KEY,
  version   bigint NOT NULL
);
CREATE TABLE IF NOT EXISTS {S}.parked_events (
  stream_id       text COLLATE "C" NOT NULL,
  stream_version  bigint NOT NULL,
  event_type      text NOT NULL,
  payload         bytea NOT NULL,
  occurred_at_us  bigint NOT NULL,
  recorded_at_us  bigint NOT NULL,
  PRIMARY KEY (stream_id, stream_version)
);
CREATE TABLE IF NOT EXISTS {S}.view_state (
  key    text PRIMARY KEY,
  value  bigint NOT NULL
);
CREATE TABLE IF NOT EXISTS {S}.journal (
  seq             bigserial PRIMARY KEY,
  stream_id       text NOT NULL,
  stream_type     text NOT NULL,
  stream_version  bigint NOT NULL,
  event_type      text NOT NULL,
  payload         bytea NOT NULL,
  occurred_at_us  bigint NOT NULL,
  recorded_at_us  bigint NOT NULL
);
CREATE TABLE IF NOT EXISTS {S}.dead_letters (
  source          text NOT NULL,
  partition       integer NOT NULL,
  message_offset  bigint NOT NULL,
  reason          text NOT NULL,
  PRIMARY KEY (source, partition, message_offset)
);
CREATE TABLE IF NOT EXISTS {S}.source_offsets (
  source       text COLLATE "C" NOT NULL,
  partition    integer NOT NULL,
  next_offset  bigint NOT NULL,
  PRIMARY KEY (source, partition)
);
INSERT INTO {S}.view_schema SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM {S}.view_schema);
COMMIT;
)sql";

// Version 1 is the first PostgreSQL layout; a later one drops and rebuilds
// an older view here as the SQLite file does (the view is rebuilt from the
// beginning of its sources).
constexpr int kSchemaVersion = 1;

constexpr char kProjectColumns[] =
    "SELECT project_id, code, name, manager, status, planned_start, "
    "planned_end, version, "
    "updated_at_us FROM {S}.portfolio_projects ";

// Every statement either side prepares, by name; {S} is the quoted schema.
const std::vector<std::pair<std::string, std::string>>& Statements() {
  static const auto* statements = new std::vector<
      std::pair<std::string, std::string>>{
      {"stream_version",
       "SELECT version FROM {S}.stream_versions WHERE stream_id = $1"},
      {"set_stream_version",
       "INSERT INTO {S}.stream_versions VALUES ($1, $2) ON CONFLICT "
       "(stream_id) DO UPDATE SET "
       "version = excluded.version"},
      {"park",
       "INSERT INTO {S}.parked_events VALUES ($1, $2, $3, $4, $5, $6) ON "
       "CONFLICT DO NOTHING"},
      {"unpark",
       "DELETE FROM {S}.parked_events WHERE stream_id = $1 AND stream_version "
       "= $2 RETURNING "
       "event_type, payload, occurred_at_us, recorded_at_us"},
      {"append_journal",
       "INSERT INTO {S}.journal (stream_id, stream_type, stream_version, "
       "event_type, payload, "
       "occurred_at_us, recorded_at_us) VALUES ($1, $2, $3, $4, $5, $6, $7)"},
      {"dead_letter",
       "INSERT INTO {S}.dead_letters VALUES ($1, $2, $3, $4) ON CONFLICT DO "
       "NOTHING"},
      {"put_project",
       "INSERT INTO {S}.portfolio_projects VALUES ($1, $2, $3, $4, $5, $6, $7, "
       "$8, $9) ON "
       "CONFLICT (project_id) DO UPDATE SET code = excluded.code, name = "
       "excluded.name, "
       "manager = excluded.manager, status = excluded.status, planned_start = "
       "excluded.planned_start, planned_end = excluded.planned_end, version = "
       "excluded.version, updated_at_us = excluded.updated_at_us"},
      {"set_project_status",
       "UPDATE {S}.portfolio_projects SET status = $1, version = $2, "
       "updated_at_us = $3 WHERE "
       "project_id = $4"},
      {"set_project_version",
       "UPDATE {S}.portfolio_projects SET version = $1 WHERE project_id = $2"},
      {"raise_record_time",
       "INSERT INTO {S}.view_state AS v VALUES ('last_event_record_time_us', "
       "$1) ON CONFLICT "
       "(key) DO UPDATE SET value = GREATEST(v.value, excluded.value)"},
      {"save_offset",
       "INSERT INTO {S}.source_offsets AS o VALUES ($1, $2, $3) ON CONFLICT "
       "(source, partition) "
       "DO UPDATE SET next_offset = GREATEST(o.next_offset, "
       "excluded.next_offset)"},
      // The journal is read in pages: a fold of a million events never
      // holds them all in one result.
      {"read_journal",
       "SELECT stream_id, stream_type, stream_version, event_type, payload, "
       "occurred_at_us, "
       "recorded_at_us, seq FROM {S}.journal WHERE occurred_at_us <= $1 AND "
       "seq > $2 AND "
       "seq <= $3 ORDER BY seq LIMIT $4"},
      {"journal_size", "SELECT COUNT(*) FROM {S}.journal WHERE seq <= $1"},
      {"list_projects",
       absl::StrCat(
           kProjectColumns,
           "WHERE code > $1 AND ($2::integer = 0 OR status = $2::integer) "
           "ORDER BY code LIMIT $3")},
      {"all_projects", absl::StrCat(kProjectColumns, "ORDER BY project_id")},
      {"project_count", "SELECT COUNT(*) FROM {S}.portfolio_projects"},
      {"parked_count", "SELECT COUNT(*) FROM {S}.parked_events"},
      {"last_record_time",
       "SELECT value FROM {S}.view_state WHERE key = "
       "'last_event_record_time_us'"},
      {"load_offset",
       "SELECT next_offset FROM {S}.source_offsets WHERE source = $1 AND "
       "partition = $2"},
      {"load_offsets",
       "SELECT source, partition, next_offset FROM {S}.source_offsets ORDER BY "
       "source, "
       "partition"},
  };
  return *statements;
}

constexpr int64_t kJournalPage = 5000;

// A connection with full durability whatever the server's default (a
// commit returns once its WAL is flushed) and every statement prepared.
absl::StatusOr<std::unique_ptr<postgres::Connection>> Connect(
    const std::string& url, const std::string& quoted_schema) {
  ASSIGN_OR_RETURN(std::unique_ptr<postgres::Connection> db,
                   postgres::Connection::Open(url));
  RETURN_IF_ERROR(db->Execute("SET synchronous_commit = on"));
  for (const auto& [name, sql] : Statements()) {
    RETURN_IF_ERROR(
        db->Prepare(name, absl::StrReplaceAll(sql, {{"{S}", quoted_schema}})));
  }
  return db;
}

// Reconnects a connection that was lost (no transaction can be open on
// it); returns whether it did, so the caller can restore session state.
absl::StatusOr<bool> Reconnect(postgres::Connection& db) {
  if (PQstatus(db.raw()) == CONNECTION_OK) return false;
  RETURN_IF_ERROR(db.EnsureConnected());
  RETURN_IF_ERROR(db.Execute("SET synchronous_commit = on"));
  return true;
}

// The writer's session lock on the schema: one view per schema.
constexpr char kViewLock[] = "hashtext('pmo.projection.view')";

absl::Status HoldSchema(postgres::Connection& db, const std::string& schema) {
  ASSIGN_OR_RETURN(
      postgres::Result held,
      db.Query(absl::StrCat("SELECT pg_try_advisory_lock(", kViewLock,
                            ", hashtext('", schema, "'))")));
  if (held.rows() == 1 && held.Text(0, 0) == "t") return absl::OkStatus();
  return absl::FailedPreconditionError(
      absl::StrCat("store_url: the view in schema '", schema,
                   "' is open in another process; each projection needs a "
                   "schema of its own"));
}

PortfolioProject ProjectAt(const postgres::Result& r, int row) {
  PortfolioProject p;
  p.project_id = r.Text(row, 0);
  p.code = r.Text(row, 1);
  p.name = r.Text(row, 2);
  p.manager = r.Text(row, 3);
  p.status = static_cast<pv1::ProjectStatus>(r.Int(row, 4));
  p.planned_start = r.Text(row, 5);
  p.planned_end = r.Text(row, 6);
  p.version = r.Int(row, 7);
  p.updated_at = FromUnixMicrosUtc(r.Int(row, 8));
  return p;
}

class PostgresViewWriter : public ViewWriter {
 public:
  PostgresViewWriter(std::unique_ptr<postgres::Connection> db,
                     std::string schema)
      : db_(std::move(db)), schema_(std::move(schema)) {}
  // Frees the schema before the connection closes: the server drops a
  // session's locks only when its backend has exited, a moment after the
  // client hangs up, and a view reopened at once would find it still held.
  ~PostgresViewWriter() override {
    if (PQstatus(db_->raw()) == CONNECTION_OK) {
      (void)db_->Execute(absl::StrCat("SELECT pg_advisory_unlock(", kViewLock,
                                      ", hashtext('", schema_, "'))"));
    }
  }

  absl::Status InTransaction(
      const std::function<absl::Status()>& batch) override {
    ASSIGN_OR_RETURN(bool reconnected, Reconnect(*db_));
    // A new session has lost the schema's lock: take it again, or refuse
    // to write if another process took it meanwhile.
    if (reconnected) RETURN_IF_ERROR(HoldSchema(*db_, schema_));
    RETURN_IF_ERROR(db_->Execute("BEGIN"));
    absl::Status result = batch();
    if (!result.ok()) {
      (void)db_->Execute("ROLLBACK");
      return result;
    }
    // A failed COMMIT leaves nothing applied (or, if the connection broke
    // during it, an unknown outcome: the caller retries the batch, and the
    // stream versions drop whatever did commit).
    return db_->Execute("COMMIT");
  }

  absl::StatusOr<int64_t> StreamVersion(
      const std::string& stream_key) override {
    ASSIGN_OR_RETURN(postgres::Result r,
                     db_->Run("stream_version", {stream_key}));
    return r.rows() == 0 ? 0 : r.Int(0, 0);
  }

  absl::Status SetStreamVersion(const std::string& stream_key,
                                int64_t version) override {
    return db_->Run("set_stream_version", {stream_key, version}).status();
  }

  absl::Status Park(const std::string& stream_key,
                    const eventstore::RecordedEvent& e) override {
    return db_
        ->Run("park", {stream_key, e.stream_version, e.event_type,
                       Param::Bytes(e.payload), ToUnixMicrosUtc(e.occurred_at),
                       ToUnixMicrosUtc(e.recorded_at)})
        .status();
  }

  absl::StatusOr<bool> Unpark(const std::string& stream_key, int64_t version,
                              eventstore::RecordedEvent& into) override {
    ASSIGN_OR_RETURN(postgres::Result r,
                     db_->Run("unpark", {stream_key, version}));
    if (r.rows() == 0) return false;
    into.event_type = r.Text(0, 0);
    into.payload = r.Bytes(0, 1);
    into.occurred_at = FromUnixMicrosUtc(r.Int(0, 2));
    into.recorded_at = FromUnixMicrosUtc(r.Int(0, 3));
    return true;
  }

  absl::Status AppendJournal(const eventstore::RecordedEvent& e) override {
    return db_
        ->Run("append_journal",
              {e.stream_id, e.stream_type, e.stream_version, e.event_type,
               Param::Bytes(e.payload), ToUnixMicrosUtc(e.occurred_at),
               ToUnixMicrosUtc(e.recorded_at)})
        .status();
  }

  absl::Status AddDeadLetter(const std::string& source, int64_t partition,
                             int64_t offset,
                             const std::string& reason) override {
    return db_->Run("dead_letter", {source, partition, offset, reason})
        .status();
  }

  absl::Status PutProject(const PortfolioProject& p) override {
    return db_
        ->Run("put_project",
              {p.project_id, p.code, p.name, p.manager,
               static_cast<int64_t>(p.status), p.planned_start, p.planned_end,
               p.version, ToUnixMicrosUtc(p.updated_at)})
        .status();
  }

  absl::Status SetProjectStatus(const std::string& project_id,
                                pv1::ProjectStatus status, int64_t version,
                                absl::Time updated_at) override {
    return db_
        ->Run("set_project_status", {static_cast<int64_t>(status), version,
                                     ToUnixMicrosUtc(updated_at), project_id})
        .status();
  }

  absl::Status SetProjectVersion(const std::string& project_id,
                                 int64_t version) override {
    return db_->Run("set_project_version", {version, project_id}).status();
  }

  absl::Status RaiseLastEventRecordTime(absl::Time t) override {
    return db_->Run("raise_record_time", {ToUnixMicrosUtc(t)}).status();
  }

  absl::Status SaveOffsets(
      const std::vector<subscription::Delivery>& batch) override {
    std::map<std::pair<std::string, int32_t>, int64_t> next_offsets;
    for (const subscription::Delivery& d : batch) {
      int64_t& next = next_offsets[{d.source, d.partition}];
      next = std::max(next, d.offset + 1);
    }
    for (const auto& [key, next] : next_offsets) {
      RETURN_IF_ERROR(
          db_->Run("save_offset",
                   {key.first, static_cast<int64_t>(key.second), next})
              .status());
    }
    return absl::OkStatus();
  }

 private:
  std::unique_ptr<postgres::Connection> db_;
  const std::string schema_;
};

class PostgresViewReader : public ViewReader {
 public:
  explicit PostgresViewReader(std::unique_ptr<postgres::Connection> db)
      : db_(std::move(db)) {}

  absl::StatusOr<int64_t> ReadJournal(
      const JournalRange& range,
      const std::function<void(const eventstore::RecordedEvent&)>& each)
      override {
    const int64_t until =
        range.until ? ToUnixMicrosUtc(*range.until) : INT64_MAX;
    eventstore::RecordedEvent e;
    int64_t last = range.after_seq;
    while (true) {
      ASSIGN_OR_RETURN(
          postgres::Result r,
          Run("read_journal", {until, last, range.up_to_seq, kJournalPage}));
      for (int row = 0; row < r.rows(); ++row) {
        e.stream_id = r.Text(row, 0);
        e.stream_type = r.Text(row, 1);
        e.stream_version = r.Int(row, 2);
        e.event_type = r.Text(row, 3);
        e.payload = r.Bytes(row, 4);
        e.occurred_at = FromUnixMicrosUtc(r.Int(row, 5));
        e.recorded_at = FromUnixMicrosUtc(r.Int(row, 6));
        last = r.Int(row, 7);
        each(e);
      }
      if (r.rows() < kJournalPage) return last;
    }
  }

  absl::StatusOr<int64_t> JournalSize(int64_t up_to_seq) override {
    ASSIGN_OR_RETURN(postgres::Result r, Run("journal_size", {up_to_seq}));
    return r.Int(0, 0);
  }

  absl::StatusOr<std::vector<PortfolioProject>> ListProjects(
      const std::string& after_code, pv1::ProjectStatus status,
      int64_t limit) override {
    ASSIGN_OR_RETURN(postgres::Result r,
                     Run("list_projects",
                         {after_code, static_cast<int64_t>(status), limit}));
    return Projects(r);
  }

  absl::StatusOr<std::vector<PortfolioProject>> AllProjects() override {
    ASSIGN_OR_RETURN(postgres::Result r, Run("all_projects", {}));
    return Projects(r);
  }

  absl::StatusOr<int64_t> ProjectCount() override {
    ASSIGN_OR_RETURN(postgres::Result r, Run("project_count", {}));
    return r.Int(0, 0);
  }

  absl::StatusOr<int64_t> ParkedCount() override {
    ASSIGN_OR_RETURN(postgres::Result r, Run("parked_count", {}));
    return r.Int(0, 0);
  }

  absl::StatusOr<absl::Time> LastEventRecordTime() override {
    ASSIGN_OR_RETURN(postgres::Result r, Run("last_record_time", {}));
    return FromUnixMicrosUtc(r.rows() == 0 ? 0 : r.Int(0, 0));
  }

  absl::StatusOr<std::optional<int64_t>> LoadOffset(
      const std::string& source, int32_t partition) override {
    ASSIGN_OR_RETURN(
        postgres::Result r,
        Run("load_offset", {source, static_cast<int64_t>(partition)}));
    if (r.rows() == 0) return std::nullopt;
    return r.Int(0, 0);
  }

  absl::StatusOr<std::vector<SourceOffset>> LoadOffsets() override {
    ASSIGN_OR_RETURN(postgres::Result r, Run("load_offsets", {}));
    std::vector<SourceOffset> out;
    out.reserve(r.rows());
    for (int row = 0; row < r.rows(); ++row) {
      out.push_back(
          {r.Text(row, 0), static_cast<int32_t>(r.Int(row, 1)), r.Int(row, 2)});
    }
    return out;
  }

 private:
  // Every read is a transaction of its own, so a lost connection can be
  // re-opened before any of them, and a read that found it lost (a server
  // restart, an idle connection cut) is tried once more on a new one.
  absl::StatusOr<postgres::Result> Run(const std::string& name,
                                       const std::vector<Param>& params) {
    RETURN_IF_ERROR(Reconnect(*db_).status());
    absl::StatusOr<postgres::Result> result = db_->Run(name, params);
    if (result.ok() || PQstatus(db_->raw()) == CONNECTION_OK) return result;
    RETURN_IF_ERROR(Reconnect(*db_).status());
    return db_->Run(name, params);
  }

  static std::vector<PortfolioProject> Projects(const postgres::Result& r) {
    std::vector<PortfolioProject> out;
    out.reserve(r.rows());
    for (int row = 0; row < r.rows(); ++row) out.push_back(ProjectAt(r, row));
    return out;
  }

  std::unique_ptr<postgres::Connection> db_;
};

// Creates the view's tables when missing; a layout newer than this build's
// is refused rather than written by code that does not know it.
absl::Status EnsureSchema(const std::string& url,
                          const std::string& quoted_schema) {
  ASSIGN_OR_RETURN(std::unique_ptr<postgres::Connection> setup,
                   postgres::Connection::Open(url));
  // "already exists, skipping" notices on every start are noise in the logs.
  RETURN_IF_ERROR(setup->Execute("SET client_min_messages = warning"));
  absl::Status created =
      setup->Execute(absl::StrReplaceAll(kSchema, {{"{S}", quoted_schema}}));
  if (!created.ok()) {
    (void)setup->Execute("ROLLBACK");
    return created;
  }
  ASSIGN_OR_RETURN(postgres::Result version,
                   setup->Query(absl::StrCat("SELECT MAX(version) FROM ",
                                             quoted_schema, ".view_schema")));
  if (version.Int(0, 0) > kSchemaVersion) {
    return absl::FailedPreconditionError(
        absl::StrCat("the view in schema ", quoted_schema, " has layout ",
                     version.Int(0, 0), ", newer than this build's ",
                     kSchemaVersion, "; use a schema of its own"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<PostgresViewStorage>> PostgresViewStorage::Open(
    const std::string& url, const std::string& schema) {
  ASSIGN_OR_RETURN(const std::string quoted, postgres::PlainIdentifier(schema));
  RETURN_IF_ERROR(EnsureSchema(url, quoted));
  ASSIGN_OR_RETURN(std::unique_ptr<postgres::Connection> writer,
                   Connect(url, quoted));
  RETURN_IF_ERROR(HoldSchema(*writer, schema));
  ASSIGN_OR_RETURN(std::unique_ptr<postgres::Connection> reader,
                   Connect(url, quoted));
  return std::unique_ptr<PostgresViewStorage>(new PostgresViewStorage(
      url, quoted,
      std::make_unique<PostgresViewWriter>(std::move(writer), schema),
      std::make_unique<PostgresViewReader>(std::move(reader))));
}

absl::StatusOr<std::unique_ptr<ViewReader>> PostgresViewStorage::NewReader() {
  ASSIGN_OR_RETURN(std::unique_ptr<postgres::Connection> db,
                   Connect(url_, quoted_schema_));
  return std::make_unique<PostgresViewReader>(std::move(db));
}

}  // namespace pmo::projection
