#pragma once

// The projection's read model in a schema of a PostgreSQL database
// (--store_url; docs/adr/0007). The same tables as the SQLite file, created
// or migrated at open; one transaction per batch with the offsets in it,
// committed with synchronous_commit = on.
//
// One view per schema: the writer holds a session advisory lock on the
// schema for as long as it is open, and a second PortfolioView on the same
// schema is refused (FAILED_PRECONDITION). Two writers would each apply
// half of the events to the shared tables while each keeps the whole
// consolidation in memory, and the journal's fold at start would no longer
// match either. Replicas of pmo-projection take a schema each.

#include <memory>
#include <string>

#include "libs/postgres/postgres.h"
#include "services/projection/app/view_storage.h"

namespace pmo::projection {

class PostgresViewStorage : public ViewStorage {
 public:
  // Opens (creating or migrating) the view in `schema` (a plain lower-case
  // name) of the database at `url`.
  static absl::StatusOr<std::unique_ptr<PostgresViewStorage>> Open(
      const std::string& url, const std::string& schema);

  ViewWriter& writer() override { return *writer_; }
  ViewReader& reader() override { return *reader_; }
  absl::StatusOr<std::unique_ptr<ViewReader>> NewReader() override;

 private:
  PostgresViewStorage(std::string url, std::string quoted_schema,
                      std::unique_ptr<ViewWriter> writer,
                      std::unique_ptr<ViewReader> reader)
      : url_(std::move(url)),
        quoted_schema_(std::move(quoted_schema)),
        writer_(std::move(writer)),
        reader_(std::move(reader)) {}

  const std::string url_;
  const std::string quoted_schema_;
  std::unique_ptr<ViewWriter> writer_;
  std::unique_ptr<ViewReader> reader_;
};

}  // namespace pmo::projection
