#pragma once

// The ConfigurationItem aggregate: one thing of a project under
// configuration control (a requirement, a design, a code release...), with
// every version it went through, its links and the baselines that froze it.
//
// The rule that makes change control bite lives here: once a baseline holds
// a version of the item, a new version must cite an approved change request
// of the same project that lists the item and is not yet verified or
// closed (BASELINED_ITEM_NEEDS_APPROVED_CHANGE). A change of status (to
// RELEASED or OBSOLETE) of a baselined item needs one too.

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/eventsourcing/decision.h"
#include "pmo/configuration/v1/events.pb.h"

namespace pmo::configuration {

// Field checks of a registration; violations name request fields.
absl::Status ValidateRegistration(const v1::ConfigurationItemRegistered& item);

class ConfigurationItemAggregate {
 public:
  static constexpr char kStreamType[] = "configuration_item";
  // Identifiers are unique within a project: claims "<project>\n<identifier>".
  static constexpr char kIdentifierScope[] = "configuration_item.identifier";

  void Apply(const google::protobuf::Message& event, absl::Time occurred_at);

  absl::StatusOr<eventsourcing::Decision> Register(
      v1::ConfigurationItemRegistered item) const;
  // `version` carries what changed, why and who; its number is given here.
  // `cited_change` is the state of the change request `version` cites
  // (nullptr when it cites none); the handler loads it.
  absl::StatusOr<eventsourcing::Decision> RecordVersion(
      v1::ItemVersion version, const v1::ChangeRequest* cited_change) const;
  // The same rule as RecordVersion: a baselined item changes status only
  // under `cited_change` (nullptr when none is cited).
  absl::StatusOr<eventsourcing::Decision> ChangeStatus(
      v1::ItemStatus to, const std::string& reason,
      const v1::ChangeRequest* cited_change) const;
  // Links to an item of the same project (the handler checks the target);
  // linking twice the same way changes nothing.
  absl::StatusOr<eventsourcing::Decision> Link(const v1::ItemLink& link) const;
  // Notes that a baseline froze one of its versions (nothing when noted).
  absl::StatusOr<eventsourcing::Decision> NoteBaselined(
      const v1::BaselineMembership& membership) const;

  bool exists() const { return !state_.item_id().empty(); }
  bool baselined() const { return state_.baselines_size() > 0; }
  int32_t current_version_number() const {
    return state_.versions().empty()
               ? 0
               : state_.versions().rbegin()->version_number();
  }
  // Without the stream version (the handler adds it).
  const v1::ConfigurationItem& state() const { return state_; }

 private:
  absl::Status CheckExists() const;
  // BASELINED_ITEM_NEEDS_APPROVED_CHANGE unless the change is authorised:
  // a baselined item needs `cited_change`, and a cited change must be of the
  // item's project, list it, and be APPROVED or IMPLEMENTED.
  absl::Status CheckAuthorised(const v1::ChangeRequest* cited_change,
                               const std::string& what) const;
  v1::ConfigurationItem state_;
};

}  // namespace pmo::configuration
