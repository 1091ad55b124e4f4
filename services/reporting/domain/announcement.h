#pragma once

// The Announcement aggregate: a message from the PMO to the stakeholders
// of chosen projects, published once.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/eventsourcing/decision.h"
#include "pmo/reporting/v1/events.pb.h"

namespace pmo::reporting {

class AnnouncementAggregate {
 public:
  static constexpr char kStreamType[] = "announcement";

  void Apply(const google::protobuf::Message& event, absl::Time occurred_at);
  // `announcement` carries its id and author; `stakeholder_ids` whom it
  // reaches (may be empty: nobody has a stake in those projects yet).
  absl::StatusOr<eventsourcing::Decision> Publish(
      v1::Announcement announcement,
      std::vector<std::string> stakeholder_ids) const;

  bool exists() const {
    return !published_.announcement().announcement_id().empty();
  }
  const v1::AnnouncementPublished& published() const { return published_; }

 private:
  v1::AnnouncementPublished published_;
};

}  // namespace pmo::reporting
