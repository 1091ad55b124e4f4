#pragma once

// Reads a projects event store file directly (as a second SQLite
// connection), so a fault test can count what is on disk without trusting
// the service it just killed.

#include <map>
#include <string>

#include "absl/status/statusor.h"

namespace pmo::testing {

struct StoredProjects {
  // Project code -> every stream (project id) a ProjectCreated gave it. A
  // command stored twice would show as two entries under one code.
  std::multimap<std::string, std::string> streams_by_code;
  int64_t event_count = 0;
  // Highest stream version per project id.
  std::map<std::string, int64_t> versions;
};

absl::StatusOr<StoredProjects> ReadStoredProjects(
    const std::string& store_path);

}  // namespace pmo::testing
