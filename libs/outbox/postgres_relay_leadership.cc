#include "libs/outbox/postgres_relay_leadership.h"

#include "libs/base/status_macros.h"

namespace pmo::outbox {

absl::StatusOr<std::unique_ptr<PostgresRelayLeadership>>
PostgresRelayLeadership::Open(const std::string& url,
                              const std::string& schema) {
  RETURN_IF_ERROR(postgres::PlainIdentifier(schema).status());
  ASSIGN_OR_RETURN(std::unique_ptr<postgres::Connection> db,
                   postgres::Connection::Open(url));
  // The schema name is a checked plain identifier; as a literal it needs no
  // quoting beyond the single quotes.
  RETURN_IF_ERROR(db->Prepare(
      "try_lead",
      "SELECT pg_try_advisory_lock(hashtext('pmo.outbox.relay'), hashtext('" +
          schema + "'))"));
  RETURN_IF_ERROR(db->Prepare("still_here", "SELECT 1"));
  return std::unique_ptr<PostgresRelayLeadership>(
      new PostgresRelayLeadership(std::move(db)));
}

bool PostgresRelayLeadership::TryLead() {
  std::lock_guard lock(mu_);
  if (held_) {
    // The lock lives as long as this session: a working round trip means it
    // is still ours.
    if (db_->Run("still_here", {}).ok()) return true;
    held_ = false;
  }
  // A replaced connection is a new session that holds nothing yet.
  if (!db_->EnsureConnected().ok()) return false;
  absl::StatusOr<postgres::Result> taken = db_->Run("try_lead", {});
  held_ = taken.ok() && taken->Text(0, 0) == "t";
  return held_;
}

}  // namespace pmo::outbox
