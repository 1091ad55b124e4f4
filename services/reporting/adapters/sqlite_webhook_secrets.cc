#include "services/reporting/adapters/sqlite_webhook_secrets.h"

#include "libs/base/status_macros.h"

namespace pmo::reporting {

absl::StatusOr<std::unique_ptr<SqliteWebhookSecrets>>
SqliteWebhookSecrets::Open(const std::string& path) {
  ASSIGN_OR_RETURN(std::unique_ptr<sqlite::Database> db,
                   sqlite::Database::Open(path));
  RETURN_IF_ERROR(
      db->Execute("CREATE TABLE IF NOT EXISTS webhook_secrets (stakeholder_id "
                  "TEXT PRIMARY KEY, "
                  "secret BLOB NOT NULL)"));
  return std::unique_ptr<SqliteWebhookSecrets>(
      new SqliteWebhookSecrets(std::move(db)));
}

absl::Status SqliteWebhookSecrets::Put(const std::string& stakeholder_id,
                                       const std::string& secret) {
  absl::MutexLock lock(&mu_);
  ASSIGN_OR_RETURN(
      sqlite::Statement s,
      db_->Prepare(
          "INSERT INTO webhook_secrets (stakeholder_id, secret) VALUES "
          "(?, ?) ON CONFLICT (stakeholder_id) DO UPDATE SET "
          "secret = excluded.secret"));
  s.Bind(1, stakeholder_id).BindBlob(2, secret);
  return s.Run();
}

absl::StatusOr<std::optional<std::string>> SqliteWebhookSecrets::Get(
    const std::string& stakeholder_id) {
  absl::MutexLock lock(&mu_);
  ASSIGN_OR_RETURN(
      sqlite::Statement s,
      db_->Prepare(
          "SELECT secret FROM webhook_secrets WHERE stakeholder_id = ?"));
  s.Bind(1, stakeholder_id);
  ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return std::nullopt;
  return s.ColumnBlob(0);
}

}  // namespace pmo::reporting
