#include "libs/projectdirectory/project_directory.h"

#include "absl/strings/str_cat.h"
#include "libs/base/errors.h"
#include "libs/base/status_macros.h"
#include "libs/eventsourcing/event_codec.h"
#include "libs/subscription/sqlite_offsets.h"
#include "pmo/projects/v1/events.pb.h"

namespace pmo::projectdirectory {
namespace {
namespace pv1 = ::pmo::projects::v1;

// Version 2 added programmes and portfolios. A view of an older version is
// dropped with its offsets and rebuilt from the beginning of the events.
constexpr int kSchemaVersion = 2;

absl::Status CreateSchema(sqlite::Database& db) {
  ASSIGN_OR_RETURN(sqlite::Statement version,
                   db.Prepare("PRAGMA user_version"));
  ASSIGN_OR_RETURN(bool has_row, version.Step());
  if (has_row && version.ColumnInt(0) < kSchemaVersion) {
    RETURN_IF_ERROR(db.Execute("DROP TABLE IF EXISTS known_projects"));
    RETURN_IF_ERROR(db.Execute("DROP TABLE IF EXISTS source_offsets"));
  }
  // A status change carries the whole new status, and an assignment the
  // whole new programme, so the latest version wins and the order between
  // versions does not matter.
  RETURN_IF_ERROR(
      db.Execute("CREATE TABLE IF NOT EXISTS known_projects (project_id TEXT "
                 "PRIMARY KEY, code TEXT NOT "
                 "NULL, status INTEGER NOT NULL, status_version INTEGER NOT "
                 "NULL, priority INTEGER NOT "
                 "NULL DEFAULT 3, programme_id TEXT NOT NULL DEFAULT '', "
                 "programme_version INTEGER NOT "
                 "NULL DEFAULT 0) WITHOUT ROWID"));
  RETURN_IF_ERROR(
      db.Execute("CREATE TABLE IF NOT EXISTS known_programmes (programme_id "
                 "TEXT PRIMARY KEY, code TEXT NOT "
                 "NULL, portfolio_id TEXT NOT NULL) WITHOUT ROWID"));
  RETURN_IF_ERROR(
      db.Execute("CREATE TABLE IF NOT EXISTS known_portfolios (portfolio_id "
                 "TEXT PRIMARY KEY, code TEXT NOT "
                 "NULL) WITHOUT ROWID"));
  RETURN_IF_ERROR(subscription::CreateOffsetsTable(db));
  return db.Execute(absl::StrCat("PRAGMA user_version = ", kSchemaVersion));
}

}  // namespace

absl::StatusOr<std::unique_ptr<ProjectDirectory>> ProjectDirectory::Open(
    const std::string& path) {
  ASSIGN_OR_RETURN(std::unique_ptr<sqlite::Database> writer,
                   sqlite::Database::Open(path));
  RETURN_IF_ERROR(CreateSchema(*writer));
  ASSIGN_OR_RETURN(std::unique_ptr<sqlite::Database> reader,
                   sqlite::Database::Open(path));
  return std::unique_ptr<ProjectDirectory>(
      new ProjectDirectory(std::move(writer), std::move(reader)));
}

absl::StatusOr<std::optional<int64_t>> ProjectDirectory::ResumeOffset(
    const std::string& source, int32_t partition) {
  std::lock_guard lock(read_mu_);
  return subscription::LoadOffset(*reader_, source, partition);
}

absl::Status ProjectDirectory::Handle(
    const std::vector<subscription::Delivery>& batch) {
  std::lock_guard lock(write_mu_);
  return sqlite::InTransaction(*writer_, [&]() -> absl::Status {
    for (const subscription::Delivery& d : batch) {
      if (d.undecodable_reason.empty()) RETURN_IF_ERROR(Apply(d.event));
    }
    return subscription::SaveOffsets(*writer_, batch);
  });
}

absl::Status ProjectDirectory::Apply(const eventstore::RecordedEvent& e) {
  const std::string& type = e.stream_type;
  if (type != "project" && type != "programme" && type != "portfolio")
    return absl::OkStatus();
  absl::StatusOr<std::unique_ptr<google::protobuf::Message>> decoded =
      eventsourcing::DecodeEvent(e.event_type, e.payload);
  if (!decoded.ok())
    return absl::OkStatus();  // event types this view does not need
  if (const auto* created =
          dynamic_cast<const pv1::ProjectCreated*>(decoded->get())) {
    ASSIGN_OR_RETURN(
        sqlite::Statement insert,
        writer_->Prepare(
            "INSERT INTO known_projects (project_id, code, status, "
            "status_version, priority) VALUES (?, ?, ?, ?, ?) ON "
            "CONFLICT (project_id) DO UPDATE SET code = excluded.code, "
            "priority = excluded.priority"));
    insert.Bind(1, e.stream_id)
        .Bind(2, created->code())
        .Bind(3, static_cast<int64_t>(created->status()))
        .Bind(4, e.stream_version)
        .Bind(5, static_cast<int64_t>(
                     created->priority() == 0 ? 3 : created->priority()));
    return insert.Run();
  }
  if (const auto* changed =
          dynamic_cast<const pv1::ProjectStatusChanged*>(decoded->get())) {
    ASSIGN_OR_RETURN(
        sqlite::Statement upsert,
        writer_->Prepare(
            "INSERT INTO known_projects (project_id, code, status, "
            "status_version) VALUES (?, '', ?, ?) ON CONFLICT "
            "(project_id) DO UPDATE SET status = excluded.status, "
            "status_version = excluded.status_version WHERE "
            "excluded.status_version > status_version"));
    upsert.Bind(1, e.stream_id)
        .Bind(2, static_cast<int64_t>(changed->status()))
        .Bind(3, e.stream_version);
    return upsert.Run();
  }
  if (const auto* assigned =
          dynamic_cast<const pv1::ProjectAssignedToProgramme*>(
              decoded->get())) {
    ASSIGN_OR_RETURN(
        sqlite::Statement upsert,
        writer_->Prepare(
            "INSERT INTO known_projects (project_id, code, status, "
            "status_version, programme_id, programme_version) VALUES "
            "(?, '', 0, 0, ?, ?) ON CONFLICT (project_id) DO UPDATE SET "
            "programme_id = excluded.programme_id, programme_version = "
            "excluded.programme_version WHERE "
            "excluded.programme_version > programme_version"));
    upsert.Bind(1, e.stream_id)
        .Bind(2, assigned->programme_id())
        .Bind(3, e.stream_version);
    return upsert.Run();
  }
  if (const auto* programme =
          dynamic_cast<const pv1::ProgrammeCreated*>(decoded->get())) {
    ASSIGN_OR_RETURN(
        sqlite::Statement insert,
        writer_->Prepare(
            "INSERT OR REPLACE INTO known_programmes VALUES (?, ?, ?)"));
    insert.Bind(1, e.stream_id)
        .Bind(2, programme->code())
        .Bind(3, programme->portfolio_id());
    return insert.Run();
  }
  if (const auto* portfolio =
          dynamic_cast<const pv1::PortfolioCreated*>(decoded->get())) {
    ASSIGN_OR_RETURN(
        sqlite::Statement insert,
        writer_->Prepare(
            "INSERT OR REPLACE INTO known_portfolios VALUES (?, ?)"));
    insert.Bind(1, e.stream_id).Bind(2, portfolio->code());
    return insert.Run();
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<KnownProject>> ProjectDirectory::Find(
    const std::string& project_id) {
  std::lock_guard lock(read_mu_);
  // A project seen only through a status change (events of one stream can
  // arrive before its creation on another partition) has no code yet.
  ASSIGN_OR_RETURN(
      sqlite::Statement stmt,
      reader_->Prepare(
          "SELECT p.code, p.status, p.priority, p.programme_id, "
          "COALESCE(g.portfolio_id, '') FROM known_projects p LEFT JOIN "
          "known_programmes g ON g.programme_id = p.programme_id WHERE "
          "p.project_id = ? AND p.code <> ''"));
  stmt.Bind(1, project_id);
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return std::nullopt;
  return KnownProject{project_id,
                      stmt.ColumnText(0),
                      static_cast<pv1::ProjectStatus>(stmt.ColumnInt(1)),
                      static_cast<int>(stmt.ColumnInt(2)),
                      stmt.ColumnText(3),
                      stmt.ColumnText(4)};
}

absl::StatusOr<std::optional<KnownProgramme>> ProjectDirectory::FindProgramme(
    const std::string& programme_id) {
  std::lock_guard lock(read_mu_);
  ASSIGN_OR_RETURN(
      sqlite::Statement stmt,
      reader_->Prepare("SELECT code, portfolio_id FROM known_programmes WHERE "
                       "programme_id = ?"));
  stmt.Bind(1, programme_id);
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return std::nullopt;
  return KnownProgramme{programme_id, stmt.ColumnText(0), stmt.ColumnText(1)};
}

absl::StatusOr<bool> ProjectDirectory::PortfolioExists(
    const std::string& portfolio_id) {
  std::lock_guard lock(read_mu_);
  ASSIGN_OR_RETURN(
      sqlite::Statement stmt,
      reader_->Prepare(
          "SELECT 1 FROM known_portfolios WHERE portfolio_id = ?"));
  stmt.Bind(1, portfolio_id);
  return stmt.Step();
}

}  // namespace pmo::projectdirectory
