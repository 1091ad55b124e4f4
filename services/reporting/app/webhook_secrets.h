#pragma once

// The webhooks' signing secrets, kept beside the event store and never in
// an event: the events go to Kafka, where every analytics consumer reads
// them. The events carry only a fingerprint (the first 16 hex digits of the
// secret's SHA-256). A secret is stored before the event naming its
// stakeholder, so a crash leaves at worst an unused secret, never a
// stakeholder without one. Kept in a SQLite file of their own
// (reporting-secrets.db) by adapters/sqlite_webhook_secrets.h.

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace pmo::reporting {

class WebhookSecrets {
 public:
  virtual ~WebhookSecrets() = default;

  // Sets the secret of `stakeholder_id` (replacing one stored before).
  virtual absl::Status Put(const std::string& stakeholder_id,
                           const std::string& secret) = 0;
  // nullopt when none is stored.
  virtual absl::StatusOr<std::optional<std::string>> Get(
      const std::string& stakeholder_id) = 0;
};

// The fingerprint events carry.
std::string SecretFingerprint(const std::string& secret);

}  // namespace pmo::reporting
