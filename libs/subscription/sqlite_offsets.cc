#include "libs/subscription/sqlite_offsets.h"

#include <map>

#include "libs/base/status_macros.h"

namespace pmo::subscription {

absl::Status CreateOffsetsTable(sqlite::Database& db) {
  return db.Execute(
      "CREATE TABLE IF NOT EXISTS source_offsets (source TEXT NOT NULL, "
      "partition INTEGER "
      "NOT NULL, next_offset INTEGER NOT NULL, PRIMARY KEY (source, "
      "partition)) WITHOUT ROWID");
}

absl::StatusOr<std::optional<int64_t>> LoadOffset(sqlite::Database& db,
                                                  const std::string& source,
                                                  int32_t partition) {
  ASSIGN_OR_RETURN(
      sqlite::Statement stmt,
      db.Prepare("SELECT next_offset FROM source_offsets WHERE source = ? AND "
                 "partition = ?"));
  stmt.Bind(1, source).Bind(2, static_cast<int64_t>(partition));
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return std::nullopt;
  return stmt.ColumnInt(0);
}

absl::Status SaveOffsets(sqlite::Database& db,
                         const std::vector<Delivery>& batch) {
  std::map<std::pair<std::string, int32_t>, int64_t> next_offsets;
  for (const Delivery& d : batch) {
    int64_t& next = next_offsets[{d.source, d.partition}];
    next = std::max(next, d.offset + 1);
  }
  ASSIGN_OR_RETURN(
      sqlite::Statement save,
      db.Prepare(
          "INSERT INTO source_offsets (source, partition, next_offset) "
          "VALUES (?, ?, ?) ON CONFLICT (source, partition) DO UPDATE SET "
          "next_offset = MAX(next_offset, excluded.next_offset)"));
  for (const auto& [key, next] : next_offsets) {
    save.Reset();
    save.Bind(1, key.first)
        .Bind(2, static_cast<int64_t>(key.second))
        .Bind(3, next);
    RETURN_IF_ERROR(save.Run());
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<SavedOffset>> LoadOffsets(sqlite::Database& db) {
  ASSIGN_OR_RETURN(
      sqlite::Statement stmt,
      db.Prepare("SELECT source, partition, next_offset FROM source_offsets "
                 "ORDER BY source, partition"));
  std::vector<SavedOffset> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    out.push_back({stmt.ColumnText(0), static_cast<int32_t>(stmt.ColumnInt(1)),
                   stmt.ColumnInt(2)});
  }
  return out;
}

}  // namespace pmo::subscription
