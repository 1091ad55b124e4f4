#pragma once

// Rebuild from the beginning of the events topics into a fresh view file,
// then switch to it without a gap in service (docs/adr/0010).
//
//   RUNNING: catch up   a reader of its own (no group, no committed
//                       offsets) reads every partition from offset 0 into a
//                       fresh generation (ViewGenerations) through
//                       PortfolioView::Handle, never past the live view's
//                       offsets; the live view goes on answering and
//                       applying.
//   RUNNING: switch     once it has what the live view had: the live feed
//                       is held (ServedView::HoldFeed, no batch in flight),
//                       the fresh view is brought to exactly the live
//                       offsets, both digests are taken;
//       equal   -> the fresh generation is made live (pointer file), then
//                  served: queries and the live subscription go on with it
//                  -> SWITCHED; the old view's files go with its last query.
//       differ  -> nothing is swapped -> FAILED with both digests; the
//                  fresh files are deleted.
//   Any error (topics unreadable for stall_timeout, the live offsets not
//   reached within hold_timeout, a failed write) -> FAILED, the live view
//   untouched.

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "libs/subscription/event_log_reader.h"
#include "services/projection/app/served_view.h"
#include "services/projection/app/view_generations.h"
#include "services/projection/app/view_rebuild.h"

namespace pmo::projection {

class TopicsRebuild final : public ViewRebuild {
 public:
  // A reader of every partition the live subscription consumes, from the
  // beginning; one per rebuild.
  using OpenReader = std::function<
      absl::StatusOr<std::unique_ptr<subscription::EventLogReader>>()>;
  struct Options {
    int max_batch = 500;
    // The longest the fresh view may lack events the live view has with
    // none arriving (the topics cannot be read, or no longer hold them).
    absl::Duration stall_timeout = absl::Seconds(60);
    // The longest the live feed is held for the last events.
    absl::Duration hold_timeout = absl::Seconds(10);
    // How long one read waits for the first message.
    absl::Duration read_wait = absl::Milliseconds(100);
  };

  TopicsRebuild(ServedView& served,
                std::shared_ptr<const ViewGenerations> generations,
                OpenReader open_reader, Options options);
  TopicsRebuild(ServedView& served,
                std::shared_ptr<const ViewGenerations> generations,
                OpenReader open_reader)
      : TopicsRebuild(served, std::move(generations), std::move(open_reader),
                      Options()) {}
  ~TopicsRebuild() override;  // Stop()

  absl::Status Start() override;
  ViewRebuildStatus Status() override;
  void Stop() override;
  // Waits for a running rebuild to end (tests).
  void Wait();

 private:
  void Run();
  absl::Status Build();
  void Progress(int64_t folded, int64_t behind);

  ServedView& served_;
  const std::shared_ptr<const ViewGenerations> generations_;
  const OpenReader open_reader_;
  const Options options_;
  std::atomic<bool> stopping_{false};
  std::mutex mu_;
  ViewRebuildStatus status_ ABSL_GUARDED_BY(mu_);
  std::thread runner_ ABSL_GUARDED_BY(mu_);
};

}  // namespace pmo::projection
