#pragma once

// Where document bodies live: content-addressed by SHA-256, beside the event
// store rather than in it, because a body of up to 1 MiB would not fit a
// Kafka record (the events carry only the hash and size). A body is written
// before the event that names it and never changed or deleted, so a crash
// in between leaves at worst an unreferenced body, never a dangling hash.
// Kept in a SQLite file by adapters/sqlite_document_bodies.h.

#include <optional>
#include <string>

#include "absl/status/statusor.h"

namespace pmo::configuration {

class DocumentBodies {
 public:
  virtual ~DocumentBodies() = default;

  // Stores `body` (durably) and returns its lower-case hex SHA-256; storing
  // the same bytes again stores nothing more.
  virtual absl::StatusOr<std::string> Put(const std::string& body) = 0;
  // The body named by `sha256`; DATA_LOSS if the stored bytes no longer hash
  // to it, nullopt when there is none.
  virtual absl::StatusOr<std::optional<std::string>> Get(
      const std::string& sha256) = 0;
};

}  // namespace pmo::configuration
