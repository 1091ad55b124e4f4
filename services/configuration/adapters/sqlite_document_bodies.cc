#include "services/configuration/adapters/sqlite_document_bodies.h"

#include "absl/strings/str_cat.h"
#include "libs/base/content_hash.h"
#include "libs/base/status_macros.h"

namespace pmo::configuration {

absl::StatusOr<std::unique_ptr<SqliteDocumentBodies>>
SqliteDocumentBodies::Open(const std::string& path) {
  ASSIGN_OR_RETURN(std::unique_ptr<sqlite::Database> db,
                   sqlite::Database::Open(path));
  RETURN_IF_ERROR(
      db->Execute("CREATE TABLE IF NOT EXISTS document_bodies (sha256 TEXT "
                  "PRIMARY KEY, body BLOB NOT NULL) "
                  "WITHOUT ROWID"));
  return std::unique_ptr<SqliteDocumentBodies>(
      new SqliteDocumentBodies(std::move(db)));
}

absl::StatusOr<std::string> SqliteDocumentBodies::Put(const std::string& body) {
  const std::string sha256 = Sha256Hex(body);
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(
      sqlite::Statement insert,
      db_->Prepare("INSERT INTO document_bodies (sha256, body) VALUES (?, ?) "
                   "ON CONFLICT (sha256) DO NOTHING"));
  insert.Bind(1, sha256).BindBlob(2, body);
  RETURN_IF_ERROR(insert.Run());
  return sha256;
}

absl::StatusOr<std::optional<std::string>> SqliteDocumentBodies::Get(
    const std::string& sha256) {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(
      sqlite::Statement select,
      db_->Prepare("SELECT body FROM document_bodies WHERE sha256 = ?"));
  select.Bind(1, sha256);
  ASSIGN_OR_RETURN(bool found, select.Step());
  if (!found) return std::nullopt;
  std::string body = select.ColumnBlob(0);
  if (Sha256Hex(body) != sha256) {
    return absl::DataLossError(
        absl::StrCat("document body ", sha256, " is corrupt"));
  }
  return body;
}

}  // namespace pmo::configuration
