#pragma once

// Port: which of a service's replicas runs its outbox relay. With SQLite one
// process owns the store and needs none; replicas sharing a PostgreSQL store
// elect one through an advisory lock (PostgresRelayLeadership), so the events
// are relayed once, not once per replica.

namespace pmo::outbox {

class RelayLeadership {
 public:
  virtual ~RelayLeadership() = default;
  // Whether this process leads now, taking the leadership if it is free.
  // Also confirms a held leadership is still held (false once it is lost,
  // e.g. with the connection that held the lock). Called before every batch.
  virtual bool TryLead() = 0;
};

}  // namespace pmo::outbox
