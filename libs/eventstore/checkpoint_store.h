#pragma once

// Named positions a reader has durably finished, e.g. the outbox relay's
// "published up to position n".

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "absl/status/statusor.h"
#include "libs/sqlite/sqlite.h"

namespace pmo::eventstore {

class CheckpointStore {
 public:
  virtual ~CheckpointStore() = default;
  // 0 when nothing was saved under `name`.
  virtual absl::StatusOr<int64_t> Load(const std::string& name) = 0;
  virtual absl::Status Save(const std::string& name, int64_t position) = 0;
};

// Checkpoints in a table of an SQLite file (the event store's own file, so a
// relay's progress lives beside the events it publishes).
class SqliteCheckpointStore : public CheckpointStore {
 public:
  static absl::StatusOr<std::unique_ptr<SqliteCheckpointStore>> Open(
      const std::string& path);
  absl::StatusOr<int64_t> Load(const std::string& name) override;
  absl::Status Save(const std::string& name, int64_t position) override;

 private:
  explicit SqliteCheckpointStore(std::unique_ptr<sqlite::Database> db)
      : db_(std::move(db)) {}
  std::mutex mu_;
  std::unique_ptr<sqlite::Database> db_;
};

}  // namespace pmo::eventstore
