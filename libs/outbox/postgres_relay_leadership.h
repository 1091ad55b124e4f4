#pragma once

// Relay leadership among replicas on one PostgreSQL store: the session
// advisory lock (hashtext('pmo.outbox.relay'), hashtext(<schema>)) held on a
// connection of its own. PostgreSQL frees the lock when that session ends,
// so when the leader dies (or loses its connection) a standby's next
// TryLead() takes over.
//
//   standby ──pg_try_advisory_lock = t──► leader ──connection gone──► standby
//      ▲                                     │ (SELECT 1 before every batch)
//      └────────── retried every poll ───────┘

#include <memory>
#include <mutex>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "libs/outbox/relay_leadership.h"
#include "libs/postgres/postgres.h"

namespace pmo::outbox {

class PostgresRelayLeadership : public RelayLeadership {
 public:
  // `schema`: the store's schema; one leader per schema (per service).
  static absl::StatusOr<std::unique_ptr<PostgresRelayLeadership>> Open(
      const std::string& url, const std::string& schema);
  bool TryLead() override;

 private:
  explicit PostgresRelayLeadership(std::unique_ptr<postgres::Connection> db)
      : db_(std::move(db)) {}
  std::mutex mu_;
  std::unique_ptr<postgres::Connection> db_ ABSL_GUARDED_BY(mu_);
  bool held_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace pmo::outbox
