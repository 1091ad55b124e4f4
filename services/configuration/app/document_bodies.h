#pragma once

// Where document bodies live: content-addressed by SHA-256, beside the event
// store rather than in it, because a body of up to 1 MiB would not fit a
// Kafka record (the events carry only the hash and size). A body is written
// before the event that names it and never changed or deleted, so a crash
// in between leaves at worst an unreferenced body, never a dangling hash.

#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "libs/sqlite/sqlite.h"

namespace pmo::configuration {

class DocumentBodies {
 public:
  // Opens (creating) the bodies file at `path`.
  static absl::StatusOr<std::unique_ptr<DocumentBodies>> Open(const std::string& path);

  // Stores `body` (durably) and returns its lower-case hex SHA-256; storing
  // the same bytes again stores nothing more.
  absl::StatusOr<std::string> Put(const std::string& body);
  // The body named by `sha256`; DATA_LOSS if the stored bytes no longer hash
  // to it, nullopt when there is none.
  absl::StatusOr<std::optional<std::string>> Get(const std::string& sha256);

 private:
  explicit DocumentBodies(std::unique_ptr<sqlite::Database> db) : db_(std::move(db)) {}
  std::mutex mu_;
  std::unique_ptr<sqlite::Database> db_ ABSL_GUARDED_BY(mu_);
};

}  // namespace pmo::configuration
