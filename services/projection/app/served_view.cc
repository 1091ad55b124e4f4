#include "services/projection/app/served_view.h"

#include "libs/base/status_macros.h"

namespace pmo::projection {

std::shared_ptr<PortfolioView> ServedView::Current() const {
  std::lock_guard lock(current_mu_);
  return current_;
}

absl::StatusOr<std::optional<int64_t>> ServedView::ResumeOffset(
    const std::string& source, int32_t partition) {
  return Current()->ResumeOffset(source, partition);
}

absl::Status ServedView::Handle(
    const std::vector<subscription::Delivery>& batch) {
  std::lock_guard feed(feed_mu_);
  return Current()->Handle(batch);
}

absl::Status ServedView::HoldFeed(const SwitchOver& switch_over) {
  std::shared_ptr<PortfolioView> retired;
  {
    std::lock_guard feed(feed_mu_);
    ASSIGN_OR_RETURN(retired, switch_over(*Current()));
    if (retired != nullptr) {
      std::lock_guard lock(current_mu_);
      current_.swap(retired);
    }
  }
  // The old view is let go with the feed running again; queries still
  // holding it keep it open until they end.
  return absl::OkStatus();
}

}  // namespace pmo::projection
