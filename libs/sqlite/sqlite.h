#pragma once

// A thin RAII layer over the SQLite C API: open a database, prepare, bind,
// step. Every failure is an absl::Status naming the SQL and SQLite's message;
// SQLITE_BUSY/LOCKED and I/O errors become UNAVAILABLE (retry), SQLITE_FULL
// RESOURCE_EXHAUSTED (the volume or a size limit is full), a constraint
// ALREADY_EXISTS, everything else INTERNAL.

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace pmo::sqlite {

class Statement;

class Database {
 public:
  // Opens (creating if needed) `path` in WAL mode with synchronous=FULL: a
  // commit returns only after the WAL is fsynced.
  static absl::StatusOr<std::unique_ptr<Database>> Open(
      const std::string& path);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Runs one or more statements that return no rows.
  absl::Status Execute(absl::string_view sql);
  absl::StatusOr<Statement> Prepare(absl::string_view sql);

  int64_t Changes() const;
  const std::string& path() const { return path_; }
  sqlite3* raw() { return db_; }

 private:
  Database(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  sqlite3* db_;
  std::string path_;
};

// A prepared statement. Bind indexes are 1-based, column indexes 0-based.
class Statement {
 public:
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  ~Statement();

  Statement& Bind(int index, int64_t value);
  Statement& Bind(int index, absl::string_view text);
  Statement& BindBlob(int index, absl::string_view bytes);
  Statement& BindNull(int index);

  // Advances one row: true when a row is ready, false when done.
  absl::StatusOr<bool> Step();
  // Steps a statement that returns no rows.
  absl::Status Run();
  // Clears bindings and rewinds so the statement can run again.
  void Reset();

  int64_t ColumnInt(int column) const;
  std::string ColumnText(int column) const;
  std::string ColumnBlob(int column) const;
  bool ColumnIsNull(int column) const;

 private:
  friend class Database;
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  absl::Status Error(int rc) const;

  sqlite3* db_;
  sqlite3_stmt* stmt_;
  // First bind failure, reported by the next Step().
  int bind_error_ = SQLITE_OK;
};

// Wraps a function in BEGIN IMMEDIATE ... COMMIT; rolls back on error.
template <typename Fn>
absl::Status InTransaction(Database& db, Fn&& fn) {
  if (absl::Status s = db.Execute("BEGIN IMMEDIATE"); !s.ok()) return s;
  absl::Status result = fn();
  if (!result.ok()) {
    (void)db.Execute("ROLLBACK");
    return result;
  }
  if (absl::Status s = db.Execute("COMMIT"); !s.ok()) {
    (void)db.Execute("ROLLBACK");
    return s;
  }
  return absl::OkStatus();
}

}  // namespace pmo::sqlite
