#pragma once

// The projection's read model in one SQLite file (WAL): the embedded
// default. One writer and one reader connection on the file; a batch is one
// BEGIN IMMEDIATE ... COMMIT.

#include <memory>
#include <string>
#include <unordered_map>

#include "libs/sqlite/sqlite.h"
#include "services/projection/app/view_storage.h"

namespace pmo::projection {

class SqliteViewStorage : public ViewStorage {
 public:
  // Opens (creating or migrating) the view file at `path`.
  static absl::StatusOr<std::unique_ptr<SqliteViewStorage>> Open(
      const std::string& path);

  ViewWriter& writer() override { return *writer_; }
  ViewReader& reader() override { return *reader_; }
  absl::StatusOr<std::unique_ptr<ViewReader>> NewReader() override;

 private:
  SqliteViewStorage(std::string path, std::unique_ptr<ViewWriter> writer,
                    std::unique_ptr<ViewReader> reader)
      : path_(std::move(path)),
        writer_(std::move(writer)),
        reader_(std::move(reader)) {}

  const std::string path_;
  std::unique_ptr<ViewWriter> writer_;
  std::unique_ptr<ViewReader> reader_;
};

}  // namespace pmo::projection
