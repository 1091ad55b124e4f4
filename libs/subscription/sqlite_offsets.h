#pragma once

// Subscription offsets kept in a read model's own SQLite file, so a handler
// can write them in the same transaction as its view (rule 6).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/sqlite/sqlite.h"
#include "libs/subscription/event_handler.h"

namespace pmo::subscription {

// Creates the source_offsets table if missing.
absl::Status CreateOffsetsTable(sqlite::Database& db);

// The next offset to read from (source, partition), if any was saved.
absl::StatusOr<std::optional<int64_t>> LoadOffset(sqlite::Database& db,
                                                  const std::string& source,
                                                  int32_t partition);

// Moves each (source, partition) of the batch to one past its highest
// offset; never backwards. Call inside the handler's transaction.
absl::Status SaveOffsets(sqlite::Database& db,
                         const std::vector<Delivery>& batch);

// Every saved offset, ordered by source and partition.
struct SavedOffset {
  std::string source;
  int32_t partition = 0;
  int64_t next_offset = 0;
};
absl::StatusOr<std::vector<SavedOffset>> LoadOffsets(sqlite::Database& db);

}  // namespace pmo::subscription
