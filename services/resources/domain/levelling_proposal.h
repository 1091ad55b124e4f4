#pragma once

// The LevellingProposal aggregate: a computed set of booking changes the
// PMO accepts or discards.
//
//   PROPOSED -> ACCEPTED    (the changes were applied as booking commands)
//       \----> DISCARDED

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/eventsourcing/decision.h"
#include "pmo/resources/v1/events.pb.h"

namespace pmo::resources {

class LevellingProposalAggregate {
 public:
  static constexpr char kStreamType[] = "levelling_proposal";

  void Apply(const google::protobuf::Message& event, absl::Time occurred_at);

  absl::StatusOr<eventsourcing::Decision> Propose(
      v1::LevellingProposal proposal) const;
  absl::StatusOr<eventsourcing::Decision> Accept() const;
  absl::StatusOr<eventsourcing::Decision> Discard(
      const std::string& reason) const;
  // OK while the proposal may still be accepted or discarded.
  absl::Status CheckOpen() const;

  bool exists() const { return !state_.proposal_id().empty(); }
  const v1::LevellingProposal& state() const { return state_; }

 private:
  v1::LevellingProposal state_;
};

}  // namespace pmo::resources
