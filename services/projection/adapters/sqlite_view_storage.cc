#include "services/projection/adapters/sqlite_view_storage.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "libs/base/status_macros.h"
#include "libs/base/time_format.h"
#include "libs/subscription/sqlite_offsets.h"

namespace pmo::projection {
namespace {

namespace pv1 = ::pmo::projects::v1;

constexpr char kSchema[] = R"sql(
CREATE TABLE IF NOT EXISTS portfolio_projects (
  project_id     TEXT PRIMARY KEY,
  code           TEXT NOT NULL,
  name           TEXT NOT NULL,
  manager        TEXT NOT NULL,
  status         INTEGER NOT NULL,
  planned_start  TEXT NOT NULL,
  planned_end    TEXT NOT NULL,
  version        INTEGER NOT NULL,
  updated_at_us  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS portfolio_projects_by_code ON portfolio_projects (code);
CREATE TABLE IF NOT EXISTS stream_versions (
  stream_id TEXT PRIMARY KEY,
  version   INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS parked_events (
  stream_id       TEXT NOT NULL,
  stream_version  INTEGER NOT NULL,
  event_type      TEXT NOT NULL,
  payload         BLOB NOT NULL,
  occurred_at_us  INTEGER NOT NULL,
  recorded_at_us  INTEGER NOT NULL,
  PRIMARY KEY (stream_id, stream_version)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS view_state (
  key    TEXT PRIMARY KEY,
  value  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS journal (
  seq             INTEGER PRIMARY KEY AUTOINCREMENT,
  stream_id       TEXT NOT NULL,
  stream_type     TEXT NOT NULL,
  stream_version  INTEGER NOT NULL,
  event_type      TEXT NOT NULL,
  payload         BLOB NOT NULL,
  occurred_at_us  INTEGER NOT NULL,
  recorded_at_us  INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS dead_letters (
  source     TEXT NOT NULL,
  partition  INTEGER NOT NULL,
  offset     INTEGER NOT NULL,
  reason     TEXT NOT NULL,
  PRIMARY KEY (source, partition, offset)
) WITHOUT ROWID;
)sql";

// Version 2 keys streams by source context (two contexts may use the same
// id, e.g. a portfolio and its risk matrix) and adds the journal. A view of
// an older version is dropped, offsets included, and rebuilt from the
// beginning of its sources.
constexpr int kSchemaVersion = 2;

absl::Status MigrateSchema(sqlite::Database& db) {
  ASSIGN_OR_RETURN(sqlite::Statement version,
                   db.Prepare("PRAGMA user_version"));
  ASSIGN_OR_RETURN(bool has_row, version.Step());
  const int64_t found = has_row ? version.ColumnInt(0) : 0;
  ASSIGN_OR_RETURN(
      sqlite::Statement tables,
      db.Prepare("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'"));
  ASSIGN_OR_RETURN(bool counted, tables.Step());
  if (found < kSchemaVersion && counted && tables.ColumnInt(0) > 0) {
    for (const char* table :
         {"portfolio_projects", "stream_versions", "parked_events",
          "view_state", "dead_letters", "journal", "source_offsets"}) {
      RETURN_IF_ERROR(db.Execute(absl::StrCat("DROP TABLE IF EXISTS ", table)));
    }
  }
  RETURN_IF_ERROR(db.Execute(kSchema));
  return db.Execute(absl::StrCat("PRAGMA user_version = ", kSchemaVersion));
}

absl::StatusOr<int64_t> SingleInt(sqlite::Database& db, const std::string& sql,
                                  int64_t if_none) {
  ASSIGN_OR_RETURN(sqlite::Statement stmt, db.Prepare(sql));
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  return row && !stmt.ColumnIsNull(0) ? stmt.ColumnInt(0) : if_none;
}

constexpr char kProjectColumns[] =
    "SELECT project_id, code, name, manager, status, planned_start, "
    "planned_end, version, "
    "updated_at_us FROM portfolio_projects ";

PortfolioProject ProjectAt(const sqlite::Statement& stmt) {
  PortfolioProject p;
  p.project_id = stmt.ColumnText(0);
  p.code = stmt.ColumnText(1);
  p.name = stmt.ColumnText(2);
  p.manager = stmt.ColumnText(3);
  p.status = static_cast<pv1::ProjectStatus>(stmt.ColumnInt(4));
  p.planned_start = stmt.ColumnText(5);
  p.planned_end = stmt.ColumnText(6);
  p.version = stmt.ColumnInt(7);
  p.updated_at = FromUnixMicrosUtc(stmt.ColumnInt(8));
  return p;
}

absl::StatusOr<std::vector<PortfolioProject>> Projects(
    sqlite::Statement& stmt) {
  std::vector<PortfolioProject> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return out;
    out.push_back(ProjectAt(stmt));
  }
}

class SqliteViewWriter : public ViewWriter {
 public:
  explicit SqliteViewWriter(std::unique_ptr<sqlite::Database> db)
      : db_(std::move(db)) {}

  absl::Status InTransaction(
      const std::function<absl::Status()>& batch) override {
    return sqlite::InTransaction(*db_, batch);
  }

  absl::StatusOr<int64_t> StreamVersion(
      const std::string& stream_key) override {
    ASSIGN_OR_RETURN(
        sqlite::Statement current,
        db_->Prepare(
            "SELECT version FROM stream_versions WHERE stream_id = ?"));
    current.Bind(1, stream_key);
    ASSIGN_OR_RETURN(bool known, current.Step());
    return known ? current.ColumnInt(0) : 0;
  }

  absl::Status SetStreamVersion(const std::string& stream_key,
                                int64_t version) override {
    ASSIGN_OR_RETURN(
        sqlite::Statement save,
        db_->Prepare("INSERT INTO stream_versions VALUES (?, ?) ON "
                     "CONFLICT (stream_id) DO "
                     "UPDATE SET version = excluded.version"));
    save.Bind(1, stream_key).Bind(2, version);
    return save.Run();
  }

  absl::Status Park(const std::string& stream_key,
                    const eventstore::RecordedEvent& e) override {
    ASSIGN_OR_RETURN(
        sqlite::Statement park,
        db_->Prepare(
            "INSERT OR IGNORE INTO parked_events VALUES (?, ?, ?, ?, ?, ?)"));
    park.Bind(1, stream_key)
        .Bind(2, e.stream_version)
        .Bind(3, e.event_type)
        .BindBlob(4, e.payload)
        .Bind(5, ToUnixMicrosUtc(e.occurred_at))
        .Bind(6, ToUnixMicrosUtc(e.recorded_at));
    return park.Run();
  }

  absl::StatusOr<bool> Unpark(const std::string& stream_key, int64_t version,
                              eventstore::RecordedEvent& into) override {
    ASSIGN_OR_RETURN(
        sqlite::Statement next,
        db_->Prepare(
            "SELECT event_type, payload, occurred_at_us, recorded_at_us FROM "
            "parked_events WHERE stream_id = ? AND stream_version = ?"));
    next.Bind(1, stream_key).Bind(2, version);
    ASSIGN_OR_RETURN(bool found, next.Step());
    if (!found) return false;
    into.event_type = next.ColumnText(0);
    into.payload = next.ColumnBlob(1);
    into.occurred_at = FromUnixMicrosUtc(next.ColumnInt(2));
    into.recorded_at = FromUnixMicrosUtc(next.ColumnInt(3));
    ASSIGN_OR_RETURN(
        sqlite::Statement unpark,
        db_->Prepare("DELETE FROM parked_events WHERE stream_id = ? AND "
                     "stream_version = ?"));
    unpark.Bind(1, stream_key).Bind(2, version);
    RETURN_IF_ERROR(unpark.Run());
    return true;
  }

  absl::Status AppendJournal(const eventstore::RecordedEvent& e) override {
    ASSIGN_OR_RETURN(
        sqlite::Statement journal,
        db_->Prepare(
            "INSERT INTO journal (stream_id, stream_type, stream_version, "
            "event_type, payload, occurred_at_us, recorded_at_us) VALUES "
            "(?, ?, ?, ?, ?, ?, ?)"));
    journal.Bind(1, e.stream_id)
        .Bind(2, e.stream_type)
        .Bind(3, e.stream_version)
        .Bind(4, e.event_type)
        .BindBlob(5, e.payload)
        .Bind(6, ToUnixMicrosUtc(e.occurred_at))
        .Bind(7, ToUnixMicrosUtc(e.recorded_at));
    return journal.Run();
  }

  absl::Status AddDeadLetter(const std::string& source, int64_t partition,
                             int64_t offset,
                             const std::string& reason) override {
    ASSIGN_OR_RETURN(
        sqlite::Statement stmt,
        db_->Prepare("INSERT OR IGNORE INTO dead_letters VALUES (?, ?, ?, ?)"));
    stmt.Bind(1, source).Bind(2, partition).Bind(3, offset).Bind(4, reason);
    return stmt.Run();
  }

  absl::Status PutProject(const PortfolioProject& p) override {
    ASSIGN_OR_RETURN(
        sqlite::Statement insert,
        db_->Prepare("INSERT OR REPLACE INTO portfolio_projects VALUES "
                     "(?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    insert.Bind(1, p.project_id)
        .Bind(2, p.code)
        .Bind(3, p.name)
        .Bind(4, p.manager)
        .Bind(5, static_cast<int64_t>(p.status))
        .Bind(6, p.planned_start)
        .Bind(7, p.planned_end)
        .Bind(8, p.version)
        .Bind(9, ToUnixMicrosUtc(p.updated_at));
    return insert.Run();
  }

  absl::Status SetProjectStatus(const std::string& project_id,
                                pv1::ProjectStatus status, int64_t version,
                                absl::Time updated_at) override {
    ASSIGN_OR_RETURN(
        sqlite::Statement update,
        db_->Prepare("UPDATE portfolio_projects SET status = ?, version = ?, "
                     "updated_at_us = ? WHERE project_id = ?"));
    update.Bind(1, static_cast<int64_t>(status))
        .Bind(2, version)
        .Bind(3, ToUnixMicrosUtc(updated_at))
        .Bind(4, project_id);
    return update.Run();
  }

  absl::Status SetProjectVersion(const std::string& project_id,
                                 int64_t version) override {
    ASSIGN_OR_RETURN(
        sqlite::Statement touch,
        db_->Prepare(
            "UPDATE portfolio_projects SET version = ? WHERE project_id = ?"));
    touch.Bind(1, version).Bind(2, project_id);
    return touch.Run();
  }

  absl::Status RaiseLastEventRecordTime(absl::Time t) override {
    ASSIGN_OR_RETURN(
        sqlite::Statement seen,
        db_->Prepare(
            "INSERT INTO view_state VALUES ('last_event_record_time_us', ?) ON "
            "CONFLICT (key) DO UPDATE SET value = MAX(value, excluded.value)"));
    seen.Bind(1, ToUnixMicrosUtc(t));
    return seen.Run();
  }

  absl::Status SaveOffsets(
      const std::vector<subscription::Delivery>& batch) override {
    return subscription::SaveOffsets(*db_, batch);
  }

 private:
  std::unique_ptr<sqlite::Database> db_;
};

class SqliteViewReader : public ViewReader {
 public:
  explicit SqliteViewReader(std::unique_ptr<sqlite::Database> db)
      : db_(std::move(db)) {}

  absl::StatusOr<int64_t> ReadJournal(
      const JournalRange& range,
      const std::function<void(const eventstore::RecordedEvent&)>& each)
      override {
    ASSIGN_OR_RETURN(
        sqlite::Statement stmt,
        db_->Prepare(
            "SELECT stream_id, stream_type, stream_version, event_type, "
            "payload, occurred_at_us, recorded_at_us, seq FROM journal "
            "WHERE occurred_at_us <= ? AND seq > ? AND seq <= ? ORDER BY seq"));
    stmt.Bind(1, range.until ? ToUnixMicrosUtc(*range.until) : INT64_MAX)
        .Bind(2, range.after_seq)
        .Bind(3, range.up_to_seq);
    eventstore::RecordedEvent e;
    int64_t last = range.after_seq;
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) return last;
      last = stmt.ColumnInt(7);
      e.stream_id = stmt.ColumnText(0);
      e.stream_type = stmt.ColumnText(1);
      e.stream_version = stmt.ColumnInt(2);
      e.event_type = stmt.ColumnText(3);
      e.payload = stmt.ColumnBlob(4);
      e.occurred_at = FromUnixMicrosUtc(stmt.ColumnInt(5));
      e.recorded_at = FromUnixMicrosUtc(stmt.ColumnInt(6));
      each(e);
    }
  }

  absl::StatusOr<int64_t> JournalSize(int64_t up_to_seq) override {
    return SingleInt(
        *db_,
        absl::StrCat("SELECT COUNT(*) FROM journal WHERE seq <= ", up_to_seq),
        0);
  }

  absl::StatusOr<std::vector<PortfolioProject>> ListProjects(
      const std::string& after_code, pv1::ProjectStatus status,
      int64_t limit) override {
    ASSIGN_OR_RETURN(
        sqlite::Statement stmt,
        db_->Prepare(absl::StrCat(kProjectColumns,
                                  "WHERE code > ? AND (? = 0 OR status = ?) "
                                  "ORDER BY code LIMIT ?")));
    stmt.Bind(1, after_code)
        .Bind(2, static_cast<int64_t>(status))
        .Bind(3, static_cast<int64_t>(status))
        .Bind(4, limit);
    return Projects(stmt);
  }

  absl::StatusOr<std::vector<PortfolioProject>> AllProjects() override {
    ASSIGN_OR_RETURN(
        sqlite::Statement stmt,
        db_->Prepare(absl::StrCat(kProjectColumns, "ORDER BY project_id")));
    return Projects(stmt);
  }

  absl::StatusOr<int64_t> ProjectCount() override {
    return SingleInt(*db_, "SELECT COUNT(*) FROM portfolio_projects", 0);
  }

  absl::StatusOr<int64_t> ParkedCount() override {
    return SingleInt(*db_, "SELECT COUNT(*) FROM parked_events", 0);
  }

  absl::StatusOr<absl::Time> LastEventRecordTime() override {
    ASSIGN_OR_RETURN(int64_t us, SingleInt(*db_,
                                           "SELECT value FROM view_state WHERE "
                                           "key = 'last_event_record_time_us'",
                                           0));
    return FromUnixMicrosUtc(us);
  }

  absl::StatusOr<std::optional<int64_t>> LoadOffset(
      const std::string& source, int32_t partition) override {
    return subscription::LoadOffset(*db_, source, partition);
  }

  absl::StatusOr<std::vector<SourceOffset>> LoadOffsets() override {
    ASSIGN_OR_RETURN(std::vector<subscription::SavedOffset> saved,
                     subscription::LoadOffsets(*db_));
    std::vector<SourceOffset> out;
    out.reserve(saved.size());
    for (const auto& o : saved)
      out.push_back({o.source, o.partition, o.next_offset});
    return out;
  }

 private:
  std::unique_ptr<sqlite::Database> db_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<SqliteViewStorage>> SqliteViewStorage::Open(
    const std::string& path) {
  ASSIGN_OR_RETURN(std::unique_ptr<sqlite::Database> writer,
                   sqlite::Database::Open(path));
  RETURN_IF_ERROR(MigrateSchema(*writer));
  RETURN_IF_ERROR(subscription::CreateOffsetsTable(*writer));
  ASSIGN_OR_RETURN(std::unique_ptr<sqlite::Database> reader,
                   sqlite::Database::Open(path));
  return std::unique_ptr<SqliteViewStorage>(new SqliteViewStorage(
      path, std::make_unique<SqliteViewWriter>(std::move(writer)),
      std::make_unique<SqliteViewReader>(std::move(reader))));
}

absl::StatusOr<std::unique_ptr<ViewReader>> SqliteViewStorage::NewReader() {
  ASSIGN_OR_RETURN(std::unique_ptr<sqlite::Database> db,
                   sqlite::Database::Open(path_));
  return std::make_unique<SqliteViewReader>(std::move(db));
}

}  // namespace pmo::projection
