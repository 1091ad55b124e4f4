#include "services/projection/adapters/open_view_storage.h"

#include "absl/strings/str_cat.h"
#include "libs/base/status_macros.h"
#include "libs/postgres/postgres.h"
#include "services/projection/adapters/postgres_view_storage.h"
#include "services/projection/adapters/sqlite_view_storage.h"

namespace pmo::projection {

absl::StatusOr<std::unique_ptr<ViewStorage>> OpenViewStorage(
    const ViewLocation& where) {
  if (where.store_url.empty())
    return SqliteViewStorage::Open(where.sqlite_path);
  if (!postgres::IsPostgresUrl(where.store_url)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "store_url: '", where.store_url,
        "' is neither empty (SQLite in --data_dir) nor a postgresql:// URL"));
  }
  return PostgresViewStorage::Open(where.store_url, where.schema);
}

absl::StatusOr<std::unique_ptr<PortfolioView>> OpenPortfolioViewAt(
    const ViewLocation& where, PortfolioView::Options options) {
  ASSIGN_OR_RETURN(std::unique_ptr<ViewStorage> storage,
                   OpenViewStorage(where));
  return PortfolioView::Open(std::move(storage), std::move(options));
}

absl::StatusOr<std::unique_ptr<PortfolioView>> OpenPortfolioView(
    const std::string& path, PortfolioView::Options options) {
  return OpenPortfolioViewAt({.sqlite_path = path}, std::move(options));
}

std::shared_ptr<const ViewGenerations> SqliteViewGenerations(
    std::string data_dir) {
  return std::make_shared<FileViewGenerations>(
      std::move(data_dir),
      [](const std::string& path) { return OpenPortfolioView(path); });
}

}  // namespace pmo::projection
