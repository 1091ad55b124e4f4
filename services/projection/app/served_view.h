#pragma once

// The view the projection serves: the one the gRPC adapters read and the
// live subscription feeds. A rebuild from the topics (topics_rebuild.h)
// swaps a fresh view in here without a gap:
//
//   subscription --Handle--> ServedView --> current view <-- Current() -- gRPC
//                                 ^
//   rebuild ----HoldFeed(switch)--+  no batch in flight while it runs
//
// A query pins the view it started on (a shared_ptr), so a query in flight
// during a switch finishes on the old view; the next one reads the new.

#include <functional>
#include <memory>
#include <mutex>

#include "absl/base/thread_annotations.h"
#include "services/projection/app/portfolio_view.h"

namespace pmo::projection {

class ServedView final : public subscription::EventHandler {
 public:
  explicit ServedView(std::shared_ptr<PortfolioView> view)
      : current_(std::move(view)) {}

  // The view answering now; keep the pointer for the whole query.
  std::shared_ptr<PortfolioView> Current() const;

  // subscription::EventHandler: to the current view. A batch waits while
  // HoldFeed runs.
  absl::StatusOr<std::optional<int64_t>> ResumeOffset(
      const std::string& source, int32_t partition) override;
  absl::Status Handle(
      const std::vector<subscription::Delivery>& batch) override;

  // Runs `switch_over` on the current view with the feed held: no batch is
  // in flight and none starts until it returns, so the live view's offsets
  // and content stand still (queries go on). When it returns a view, that
  // view is current from then on, for queries and batches alike; nullptr
  // keeps the current one. Its error is returned and nothing is swapped.
  using SwitchOver =
      std::function<absl::StatusOr<std::shared_ptr<PortfolioView>>(
          PortfolioView& live)>;
  absl::Status HoldFeed(const SwitchOver& switch_over);

 private:
  // Held by Handle and HoldFeed: the live view changes only under it.
  std::mutex feed_mu_;
  mutable std::mutex current_mu_;
  std::shared_ptr<PortfolioView> current_ ABSL_GUARDED_BY(current_mu_);
};

}  // namespace pmo::projection
