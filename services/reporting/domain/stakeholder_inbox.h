#pragma once

// The StakeholderInbox aggregate: what one stakeholder has received, in
// order. Its stream id is the stakeholder's id. Delivering an item whose id
// the inbox holds is a no-op: deliveries are retried (the scheduler after a
// crash, an announcement's retried request) and must land once.

#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/eventsourcing/decision.h"
#include "pmo/reporting/v1/events.pb.h"

namespace pmo::reporting {

class StakeholderInboxAggregate {
 public:
  static constexpr char kStreamType[] = "stakeholder_inbox";

  void Apply(const google::protobuf::Message& event, absl::Time occurred_at);

  // `item` without sequence and delivered_at: the inbox gives them.
  absl::StatusOr<eventsourcing::Decision> Deliver(
      const std::string& stakeholder_id, v1::InboxItem item,
      absl::Time delivered_at) const;

  bool Holds(const std::string& item_id) const {
    return item_ids_.contains(item_id);
  }
  const std::vector<v1::InboxItem>& items() const { return items_; }

 private:
  std::vector<v1::InboxItem> items_;
  absl::flat_hash_set<std::string> item_ids_;
};

}  // namespace pmo::reporting
