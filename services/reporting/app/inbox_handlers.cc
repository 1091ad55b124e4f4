#include "services/reporting/app/inbox_handlers.h"

#include "libs/base/status_macros.h"

namespace pmo::reporting {

uint64_t InboxNotifier::generation() const {
  absl::MutexLock lock(&mu_);
  return generation_;
}

void InboxNotifier::Notify() {
  absl::MutexLock lock(&mu_);
  ++generation_;
}

uint64_t InboxNotifier::WaitForChange(uint64_t seen,
                                      absl::Duration timeout) const {
  absl::MutexLock lock(&mu_);
  auto changed = [this, seen]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
    return generation_ != seen;
  };
  mu_.AwaitWithTimeout(absl::Condition(&changed), timeout);
  return generation_;
}

absl::StatusOr<v1::InboxItem> InboxHandlers::Deliver(
    const std::string& stakeholder_id, v1::InboxItem item,
    eventsourcing::CommandContext context) {
  if (context.occurred_at == absl::Time()) {
    context.occurred_at =
        absl::FromUnixMicros(absl::ToUnixMicros(clock_.Now()));
  }
  const std::string item_id = item.item_id();
  const absl::Time at = context.occurred_at;
  ASSIGN_OR_RETURN(
      auto inbox,
      eventsourcing::ExecuteCommand<StakeholderInboxAggregate>(
          store_, stakeholder_id, context,
          [&](const eventsourcing::Versioned<StakeholderInboxAggregate>& i) {
            return i.state.Deliver(stakeholder_id, item, at);
          }));
  notifier_.Notify();
  for (const v1::InboxItem& held : inbox.state.items()) {
    if (held.item_id() == item_id) return held;
  }
  return absl::InternalError("a delivered item is not in the inbox");
}

absl::StatusOr<std::vector<v1::InboxItem>> InboxHandlers::List(
    const std::string& stakeholder_id, int64_t after_sequence, int limit) {
  ASSIGN_OR_RETURN(auto inbox,
                   eventsourcing::LoadAggregate<StakeholderInboxAggregate>(
                       store_, stakeholder_id));
  std::vector<v1::InboxItem> out;
  for (const v1::InboxItem& item : inbox.state.items()) {
    if (item.sequence() <= after_sequence) continue;
    if (static_cast<int>(out.size()) >= limit) break;
    out.push_back(item);
  }
  return out;
}

}  // namespace pmo::reporting
