#include "libs/subscription/command_feed.h"

#include "libs/base/status_macros.h"
#include "libs/subscription/sqlite_offsets.h"

namespace pmo::subscription {

absl::StatusOr<std::unique_ptr<CommandFeed>> CommandFeed::Open(
    const std::string& offsets_path, TakeEvent take) {
  ASSIGN_OR_RETURN(std::unique_ptr<sqlite::Database> db,
                   sqlite::Database::Open(offsets_path));
  RETURN_IF_ERROR(CreateOffsetsTable(*db));
  return std::unique_ptr<CommandFeed>(
      new CommandFeed(std::move(db), std::move(take)));
}

absl::StatusOr<std::optional<int64_t>> CommandFeed::ResumeOffset(
    const std::string& source, int32_t partition) {
  std::lock_guard lock(mu_);
  return LoadOffset(*db_, source, partition);
}

absl::Status CommandFeed::Handle(const std::vector<Delivery>& batch) {
  std::lock_guard lock(mu_);
  for (const Delivery& d : batch) {
    if (d.undecodable_reason.empty()) RETURN_IF_ERROR(take_(d.event));
  }
  // After the commands, never before: a crash in between delivers the
  // batch again, and the commands' request ids make that harmless.
  return sqlite::InTransaction(*db_, [&] { return SaveOffsets(*db_, batch); });
}

}  // namespace pmo::subscription
