#pragma once

// A handler for a consumer whose effect is a command in its own service
// (the projects service adopting the library's methodology versions): it
// hands each readable event to a use case, then saves the batch's offsets
// in its own SQLite file. The use case's commands carry request ids
// derived from the event id, so an event delivered again (after a crash
// between the command and the offsets, or with the offsets file lost)
// appends nothing: at-least-once delivery, exactly-once effect.
//
// Unlike a read model, the effect and the offsets sit in different stores
// and cannot share a transaction; the derived request ids are what makes
// that safe.

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "libs/eventstore/recorded_event.h"
#include "libs/sqlite/sqlite.h"
#include "libs/subscription/event_handler.h"

namespace pmo::subscription {

class CommandFeed : public EventHandler {
 public:
  // Runs the commands one event calls for. An error stops the batch: no
  // offset of it is saved and the subscription delivers it again.
  using TakeEvent =
      std::function<absl::Status(const eventstore::RecordedEvent&)>;

  // Offsets live in `offsets_path` (created if missing).
  static absl::StatusOr<std::unique_ptr<CommandFeed>> Open(
      const std::string& offsets_path, TakeEvent take);

  absl::StatusOr<std::optional<int64_t>> ResumeOffset(
      const std::string& source, int32_t partition) override;
  // Events that could not be read (`undecodable_reason`) only move the
  // offset.
  absl::Status Handle(const std::vector<Delivery>& batch) override;

 private:
  CommandFeed(std::unique_ptr<sqlite::Database> db, TakeEvent take)
      : db_(std::move(db)), take_(std::move(take)) {}

  std::mutex mu_;
  std::unique_ptr<sqlite::Database> db_ ABSL_GUARDED_BY(mu_);
  const TakeEvent take_;
};

}  // namespace pmo::subscription
