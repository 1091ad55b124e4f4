#pragma once

// The webhooks' signing secrets, kept beside the event store in a SQLite
// file of their own (reporting-secrets.db) and never in an event: the
// events go to Kafka, where every analytics consumer reads them. The
// events carry only a fingerprint (the first 16 hex digits of the secret's
// SHA-256). A secret is stored before the event naming its stakeholder, so
// a crash leaves at worst an unused secret, never a stakeholder without one.

#include <memory>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "libs/sqlite/sqlite.h"

namespace pmo::reporting {

class WebhookSecrets {
 public:
  static absl::StatusOr<std::unique_ptr<WebhookSecrets>> Open(const std::string& path);

  // Sets the secret of `stakeholder_id` (replacing one stored before).
  absl::Status Put(const std::string& stakeholder_id, const std::string& secret);
  // nullopt when none is stored.
  absl::StatusOr<std::optional<std::string>> Get(const std::string& stakeholder_id);

 private:
  explicit WebhookSecrets(std::unique_ptr<sqlite::Database> db) : db_(std::move(db)) {}
  absl::Mutex mu_;
  std::unique_ptr<sqlite::Database> db_ ABSL_GUARDED_BY(mu_);
};

// The fingerprint events carry.
std::string SecretFingerprint(const std::string& secret);

}  // namespace pmo::reporting
