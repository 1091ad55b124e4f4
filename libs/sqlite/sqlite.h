#pragma once

// A thin RAII layer over the SQLite C API: open a database, prepare, bind,
// step. Every failure is an absl::Status naming the SQL and SQLite's message;
// SQLITE_BUSY/LOCKED and I/O errors become UNAVAILABLE (retry), SQLITE_FULL
// RESOURCE_EXHAUSTED (the volume or a size limit is full), a constraint
// ALREADY_EXISTS, everything else INTERNAL.
//
// Each connection keeps the statements it prepared: a Statement that goes
// out of scope is reset and kept, and the next Prepare of the same SQL
// text takes it back instead of compiling the SQL again (a command's few
// statements, prepared on every call, no longer pay SQLite's parser each
// time).

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

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

  // Runs one or more statements that return no rows (never cached).
  absl::Status Execute(absl::string_view sql);
  // One statement, from this connection's cache when the same SQL text was
  // prepared before and is not in use.
  absl::StatusOr<Statement> Prepare(absl::string_view sql);

  // How many prepared statements the connection keeps for reuse; beyond
  // it, the least recently used is finalized. SQL built with values in
  // its text would otherwise grow the cache without bound.
  static constexpr size_t kMaxCachedStatements = 64;
  // Statements kept now (tests).
  size_t cached_statements() const { return idle_.size(); }

  int64_t Changes() const;
  const std::string& path() const { return path_; }
  sqlite3* raw() { return db_; }

 private:
  friend class Statement;
  Database(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  // Takes back a statement its holder is done with: reset, its bindings
  // cleared, kept under the SQL text it was prepared from (one per text;
  // a second is finalized).
  void Release(std::string sql, sqlite3_stmt* stmt);

  struct Idle {
    sqlite3_stmt* stmt = nullptr;
    uint64_t last_used = 0;
  };
  // Finds a string_view key without building a std::string.
  struct TextHash {
    using is_transparent = void;
    size_t operator()(absl::string_view text) const {
      return std::hash<std::string_view>()(
          std::string_view(text.data(), text.size()));
    }
  };
  struct TextEqual {
    using is_transparent = void;
    bool operator()(absl::string_view a, absl::string_view b) const {
      return a == b;
    }
  };
  sqlite3* db_;
  std::string path_;
  // Keyed by SQL text. A connection is used by one thread at a time
  // (SQLITE_OPEN_NOMUTEX), and so is its cache.
  std::unordered_map<std::string, Idle, TextHash, TextEqual> idle_;
  uint64_t uses_ = 0;
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
  Statement(Database* owner, std::string sql, sqlite3_stmt* stmt)
      : owner_(owner), sql_(std::move(sql)), stmt_(stmt) {}
  absl::Status Error(int rc) const;
  // Hands the statement back to its connection's cache.
  void Release();

  // The connection, which must outlive the statement (as SQLite requires).
  Database* owner_;
  // The text it was prepared from: its key in the connection's cache.
  std::string sql_;
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
