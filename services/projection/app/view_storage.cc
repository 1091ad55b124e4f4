#include "services/projection/app/view_storage.h"

#include "absl/strings/str_cat.h"
#include "libs/postgres/postgres.h"
#include "services/projection/app/postgres_view_storage.h"
#include "services/projection/app/sqlite_view_storage.h"

namespace pmo::projection {

absl::StatusOr<std::unique_ptr<ViewStorage>> OpenViewStorage(const ViewLocation& where) {
  if (where.store_url.empty()) return SqliteViewStorage::Open(where.sqlite_path);
  if (!postgres::IsPostgresUrl(where.store_url)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "store_url: '", where.store_url,
        "' is neither empty (SQLite in --data_dir) nor a postgresql:// URL"));
  }
  return PostgresViewStorage::Open(where.store_url, where.schema);
}

}  // namespace pmo::projection
