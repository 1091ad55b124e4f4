#pragma once

// The webhooks' signing secrets (app/webhook_secrets.h) in a SQLite file of
// their own (reporting-secrets.db), beside the event store.

#include <memory>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "libs/sqlite/sqlite.h"
#include "services/reporting/app/webhook_secrets.h"

namespace pmo::reporting {

class SqliteWebhookSecrets final : public WebhookSecrets {
 public:
  static absl::StatusOr<std::unique_ptr<SqliteWebhookSecrets>> Open(
      const std::string& path);

  absl::Status Put(const std::string& stakeholder_id,
                   const std::string& secret) override;
  absl::StatusOr<std::optional<std::string>> Get(
      const std::string& stakeholder_id) override;

 private:
  explicit SqliteWebhookSecrets(std::unique_ptr<sqlite::Database> db)
      : db_(std::move(db)) {}
  absl::Mutex mu_;
  std::unique_ptr<sqlite::Database> db_ ABSL_GUARDED_BY(mu_);
};

}  // namespace pmo::reporting
