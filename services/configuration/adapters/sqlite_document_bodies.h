#pragma once

// The document bodies (app/document_bodies.h) in a SQLite file beside the
// event store (configuration-documents.db).

#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "libs/sqlite/sqlite.h"
#include "services/configuration/app/document_bodies.h"

namespace pmo::configuration {

class SqliteDocumentBodies final : public DocumentBodies {
 public:
  // Opens (creating) the bodies file at `path`.
  static absl::StatusOr<std::unique_ptr<SqliteDocumentBodies>> Open(
      const std::string& path);

  absl::StatusOr<std::string> Put(const std::string& body) override;
  absl::StatusOr<std::optional<std::string>> Get(
      const std::string& sha256) override;

 private:
  explicit SqliteDocumentBodies(std::unique_ptr<sqlite::Database> db)
      : db_(std::move(db)) {}
  std::mutex mu_;
  std::unique_ptr<sqlite::Database> db_ ABSL_GUARDED_BY(mu_);
};

}  // namespace pmo::configuration
