#include "libs/storeconfig/store_config.h"

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "libs/base/status_macros.h"
#include "libs/eventstore/postgres_event_store.h"
#include "libs/eventstore/sqlite_event_store.h"
#include "libs/outbox/postgres_relay_leadership.h"
#include "libs/postgres/postgres.h"

ABSL_FLAG(
    std::string, store_url, "",
    "Event store: empty for the SQLite file in --data_dir, or a PostgreSQL URL "
    "(postgresql://user@host:port/db; one schema per service, shared by its "
    "replicas; "
    "the projection's view goes to schema projection, one view per database)");

namespace pmo::storeconfig {

absl::StatusOr<ContextStorage> OpenContextStorage(
    absl::string_view context, const std::string& sqlite_path) {
  return OpenContextStorageAt(absl::GetFlag(FLAGS_store_url), context,
                              sqlite_path);
}

absl::StatusOr<ContextStorage> OpenContextStorageAt(
    const std::string& store_url, absl::string_view context,
    const std::string& sqlite_path) {
  ContextStorage storage;
  if (store_url.empty()) {
    ASSIGN_OR_RETURN(storage.store,
                     eventstore::SqliteEventStore::Open(sqlite_path));
    ASSIGN_OR_RETURN(storage.checkpoints,
                     eventstore::SqliteCheckpointStore::Open(sqlite_path));
    return storage;
  }
  if (!postgres::IsPostgresUrl(store_url)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "store_url: '", store_url,
        "' is neither empty (SQLite in --data_dir) nor a postgresql:// URL"));
  }
  const std::string schema(context);
  ASSIGN_OR_RETURN(storage.store, eventstore::PostgresEventStore::Open(
                                      store_url, {.schema = schema}));
  ASSIGN_OR_RETURN(
      storage.checkpoints,
      eventstore::PostgresCheckpointStore::Open(store_url, schema));
  ASSIGN_OR_RETURN(storage.relay_leadership,
                   outbox::PostgresRelayLeadership::Open(store_url, schema));
  return storage;
}

}  // namespace pmo::storeconfig
