#pragma once

// Where a service keeps its events, chosen by one flag for every binary:
//
//   --store_url=                 (default) the SQLite file in --data_dir
//   --store_url=postgresql://pmo@db:5432/pmo
//                                PostgreSQL: schema <context> of that
//                                database, shared by every replica of the
//                                service; the outbox relay runs on one of
//                                them (RelayLeadership)
//
// A module opens its store with OpenContextStorage("projects", sqlite_path);
// a main passes relay_leadership to its OutboxRelay.

#include <memory>
#include <string>

#include "absl/flags/declare.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "libs/eventstore/checkpoint_store.h"
#include "libs/eventstore/event_store.h"
#include "libs/outbox/relay_leadership.h"

ABSL_DECLARE_FLAG(std::string, store_url);

namespace pmo::storeconfig {

struct ContextStorage {
  std::unique_ptr<eventstore::EventStore> store;
  std::unique_ptr<eventstore::CheckpointStore> checkpoints;
  // Null with SQLite: the one process that owns the file relays.
  std::unique_ptr<outbox::RelayLeadership> relay_leadership;
};

// Opens the event store of `context` (a plain lower-case name such as
// "projects") where --store_url says; `sqlite_path` is the file used when it
// is empty.
absl::StatusOr<ContextStorage> OpenContextStorage(
    absl::string_view context, const std::string& sqlite_path);

// The same for an explicit URL. INVALID_ARGUMENT naming store_url for a URL
// that is neither empty nor postgresql:// (or postgres://).
absl::StatusOr<ContextStorage> OpenContextStorageAt(
    const std::string& store_url, absl::string_view context,
    const std::string& sqlite_path);

}  // namespace pmo::storeconfig
