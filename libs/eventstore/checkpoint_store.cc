#include "libs/eventstore/checkpoint_store.h"

#include "libs/base/status_macros.h"

namespace pmo::eventstore {

absl::StatusOr<std::unique_ptr<SqliteCheckpointStore>>
SqliteCheckpointStore::Open(const std::string& path) {
  ASSIGN_OR_RETURN(std::unique_ptr<sqlite::Database> db,
                   sqlite::Database::Open(path));
  RETURN_IF_ERROR(db->Execute(
      "CREATE TABLE IF NOT EXISTS checkpoints (name TEXT PRIMARY KEY, "
      "position INTEGER NOT NULL) WITHOUT ROWID"));
  return std::unique_ptr<SqliteCheckpointStore>(
      new SqliteCheckpointStore(std::move(db)));
}

absl::StatusOr<int64_t> SqliteCheckpointStore::Load(const std::string& name) {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(
      sqlite::Statement stmt,
      db_->Prepare("SELECT position FROM checkpoints WHERE name = ?"));
  stmt.Bind(1, name);
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  return row ? stmt.ColumnInt(0) : 0;
}

absl::Status SqliteCheckpointStore::Save(const std::string& name,
                                         int64_t position) {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(sqlite::Statement stmt,
                   db_->Prepare("INSERT INTO checkpoints (name, position) "
                                "VALUES (?, ?) ON CONFLICT (name) DO UPDATE "
                                "SET position = excluded.position"));
  stmt.Bind(1, name).Bind(2, position);
  return stmt.Run();
}

}  // namespace pmo::eventstore
