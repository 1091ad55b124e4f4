#pragma once

// Where the projection's read model is opened: the one place that picks a
// storage engine (SqliteViewStorage, PostgresViewStorage) for the storage
// port of app/view_storage.h, and the PortfolioView on top of it.

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "services/projection/adapters/file_view_generations.h"
#include "services/projection/app/portfolio_view.h"
#include "services/projection/app/view_storage.h"

namespace pmo::projection {

// Opens (creating) the storage at `where`. INVALID_ARGUMENT naming
// store_url for a URL that is neither empty nor postgresql://.
absl::StatusOr<std::unique_ptr<ViewStorage>> OpenViewStorage(
    const ViewLocation& where);

// The view where `where` says: a SQLite file or a PostgreSQL schema. A
// fresh view (a rebuild from offset 0) is a new file or a new schema.
absl::StatusOr<std::unique_ptr<PortfolioView>> OpenPortfolioViewAt(
    const ViewLocation& where, PortfolioView::Options options = {});

// The view in the SQLite file at `path` (created when missing).
absl::StatusOr<std::unique_ptr<PortfolioView>> OpenPortfolioView(
    const std::string& path, PortfolioView::Options options = {});

// The view generations of `data_dir`, each a SQLite file there.
std::shared_ptr<const ViewGenerations> SqliteViewGenerations(
    std::string data_dir);

}  // namespace pmo::projection
