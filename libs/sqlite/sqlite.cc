#include "libs/sqlite/sqlite.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace pmo::sqlite {
namespace {

absl::Status FromCode(int rc, sqlite3* db, absl::string_view what) {
  const std::string message =
      absl::StrCat(what, ": ", db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  const int primary = rc & 0xff;
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
    return absl::UnavailableError(message);
  }
  if (primary == SQLITE_CONSTRAINT) return absl::AlreadyExistsError(message);
  // A full volume (or a size limit) is the operator's to fix and the caller's
  // to retry later: RESOURCE_EXHAUSTED, never INTERNAL (the disk-full fault
  // test, tests/faults/disk_full_test.cc). Other I/O errors (a shared-memory
  // file that cannot grow on that full volume, a write refused by a failing
  // disk) are transient from the caller's side: UNAVAILABLE, so clients retry
  // with the same request_id.
  if (primary == SQLITE_FULL) return absl::ResourceExhaustedError(message);
  if (primary == SQLITE_IOERR) return absl::UnavailableError(message);
  return absl::InternalError(message);
}

}  // namespace

absl::StatusOr<std::unique_ptr<Database>> Database::Open(
    const std::string& path) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(
      path.c_str(), &db,
      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
      nullptr);
  if (rc != SQLITE_OK) {
    absl::Status s = FromCode(rc, db, absl::StrCat("open ", path));
    sqlite3_close(db);
    return s;
  }
  sqlite3_extended_result_codes(db, 1);
  // Another connection holding the write lock (a reader checkpointing, a
  // second process) is waited for rather than failed at once.
  sqlite3_busy_timeout(db, 5000);
  std::unique_ptr<Database> out(new Database(db, path));
  if (absl::Status s =
          out->Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                       "PRAGMA foreign_keys=ON;");
      !s.ok()) {
    return s;
  }
  return out;
}

Database::~Database() {
  for (auto& [sql, idle] : idle_) sqlite3_finalize(idle.stmt);
  sqlite3_close(db_);
}

absl::Status Database::Execute(absl::string_view sql) {
  char* error = nullptr;
  const std::string text(sql);
  const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error);
  if (rc != SQLITE_OK) {
    std::string message = error ? error : sqlite3_errstr(rc);
    sqlite3_free(error);
    return FromCode(rc, nullptr,
                    absl::StrCat(text.substr(0, 60), ": ", message));
  }
  return absl::OkStatus();
}

absl::StatusOr<Statement> Database::Prepare(absl::string_view sql) {
  if (auto it = idle_.find(sql); it != idle_.end()) {
    auto node = idle_.extract(it);
    return Statement(this, std::move(node.key()), node.mapped().stmt);
  }
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v2(
      db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) {
    return FromCode(rc, db_, absl::StrCat("prepare ", sql.substr(0, 60)));
  }
  return Statement(this, std::string(sql), stmt);
}

void Database::Release(std::string sql, sqlite3_stmt* stmt) {
  // A reset statement holds no read snapshot and no lock; the bindings go
  // so a reuse can never see the last caller's values.
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
  auto [it, inserted] = idle_.try_emplace(std::move(sql), Idle{stmt, ++uses_});
  if (!inserted) {
    sqlite3_finalize(stmt);  // one idle copy per text is enough
    return;
  }
  if (idle_.size() <= kMaxCachedStatements) return;
  auto oldest = idle_.begin();
  for (auto i = idle_.begin(); i != idle_.end(); ++i) {
    if (i->second.last_used < oldest->second.last_used) oldest = i;
  }
  sqlite3_finalize(oldest->second.stmt);
  idle_.erase(oldest);
}

int64_t Database::Changes() const { return sqlite3_changes64(db_); }

Statement::Statement(Statement&& other) noexcept
    : owner_(other.owner_),
      sql_(std::move(other.sql_)),
      stmt_(other.stmt_),
      bind_error_(other.bind_error_) {
  other.stmt_ = nullptr;
}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    Release();
    owner_ = other.owner_;
    sql_ = std::move(other.sql_);
    stmt_ = other.stmt_;
    bind_error_ = other.bind_error_;
    other.stmt_ = nullptr;
  }
  return *this;
}

Statement::~Statement() { Release(); }

void Statement::Release() {
  if (stmt_ == nullptr) return;
  owner_->Release(std::move(sql_), stmt_);
  stmt_ = nullptr;
}

Statement& Statement::Bind(int index, int64_t value) {
  const int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK && bind_error_ == SQLITE_OK) bind_error_ = rc;
  return *this;
}

Statement& Statement::Bind(int index, absl::string_view text) {
  const int rc =
      sqlite3_bind_text(stmt_, index, text.data(),
                        static_cast<int>(text.size()), SQLITE_TRANSIENT);
  if (rc != SQLITE_OK && bind_error_ == SQLITE_OK) bind_error_ = rc;
  return *this;
}

Statement& Statement::BindBlob(int index, absl::string_view bytes) {
  const int rc =
      sqlite3_bind_blob(stmt_, index, bytes.data(),
                        static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
  if (rc != SQLITE_OK && bind_error_ == SQLITE_OK) bind_error_ = rc;
  return *this;
}

Statement& Statement::BindNull(int index) {
  const int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK && bind_error_ == SQLITE_OK) bind_error_ = rc;
  return *this;
}

absl::Status Statement::Error(int rc) const {
  return FromCode(rc, owner_->db_, absl::StrCat("step ", sqlite3_sql(stmt_)));
}

absl::StatusOr<bool> Statement::Step() {
  if (bind_error_ != SQLITE_OK) return Error(bind_error_);
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return Error(rc);
}

absl::Status Statement::Run() {
  absl::StatusOr<bool> row = Step();
  if (!row.ok()) return row.status();
  return absl::OkStatus();
}

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  bind_error_ = SQLITE_OK;
}

int64_t Statement::ColumnInt(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

std::string Statement::ColumnText(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  return text ? std::string(reinterpret_cast<const char*>(text),
                            sqlite3_column_bytes(stmt_, column))
              : std::string();
}

std::string Statement::ColumnBlob(int column) const {
  const void* blob = sqlite3_column_blob(stmt_, column);
  return blob ? std::string(static_cast<const char*>(blob),
                            sqlite3_column_bytes(stmt_, column))
              : std::string();
}

bool Statement::ColumnIsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

}  // namespace pmo::sqlite
