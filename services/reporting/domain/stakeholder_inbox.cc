#include "services/reporting/domain/stakeholder_inbox.h"

#include "libs/base/proto_time.h"

namespace pmo::reporting {

void StakeholderInboxAggregate::Apply(const google::protobuf::Message& event,
                                      absl::Time) {
  if (const auto* d = dynamic_cast<const v1::InboxItemDelivered*>(&event)) {
    items_.push_back(d->item());
    item_ids_.insert(d->item().item_id());
  }
}

absl::StatusOr<eventsourcing::Decision> StakeholderInboxAggregate::Deliver(
    const std::string& stakeholder_id, v1::InboxItem item,
    absl::Time delivered_at) const {
  eventsourcing::Decision decision;
  if (Holds(item.item_id())) return decision;
  item.set_stakeholder_id(stakeholder_id);
  item.set_sequence(static_cast<int64_t>(items_.size()) + 1);
  *item.mutable_delivered_at() = ToTimestamp(delivered_at);
  auto delivered = std::make_unique<v1::InboxItemDelivered>();
  delivered->set_stakeholder_id(stakeholder_id);
  *delivered->mutable_item() = std::move(item);
  decision.events.push_back(std::move(delivered));
  return decision;
}

}  // namespace pmo::reporting
