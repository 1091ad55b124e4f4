#include "services/resources/domain/levelling_proposal.h"

#include "absl/strings/str_cat.h"
#include "libs/base/errors.h"
#include "libs/base/status_macros.h"

namespace pmo::resources {

void LevellingProposalAggregate::Apply(const google::protobuf::Message& event,
                                       absl::Time) {
  if (const auto* p = dynamic_cast<const v1::LevellingProposed*>(&event)) {
    state_ = p->proposal();
    state_.set_status(v1::LEVELLING_PROPOSAL_STATUS_PROPOSED);
  } else if (dynamic_cast<const v1::LevellingAccepted*>(&event)) {
    state_.set_status(v1::LEVELLING_PROPOSAL_STATUS_ACCEPTED);
  } else if (dynamic_cast<const v1::LevellingDiscarded*>(&event)) {
    state_.set_status(v1::LEVELLING_PROPOSAL_STATUS_DISCARDED);
  }
}

absl::StatusOr<eventsourcing::Decision> LevellingProposalAggregate::Propose(
    v1::LevellingProposal proposal) const {
  if (exists()) return absl::AlreadyExistsError("proposal exists");
  auto proposed = std::make_unique<v1::LevellingProposed>();
  *proposed->mutable_proposal() = std::move(proposal);
  eventsourcing::Decision decision;
  decision.events.push_back(std::move(proposed));
  return decision;
}

absl::Status LevellingProposalAggregate::CheckOpen() const {
  if (!exists()) return absl::NotFoundError("levelling proposal not found");
  if (state_.status() != v1::LEVELLING_PROPOSAL_STATUS_PROPOSED) {
    return RuleViolationError(
        "LEVELLING_PROPOSAL_LIFECYCLE",
        absl::StrCat("levelling-proposals/", state_.proposal_id()),
        absl::StrCat("the proposal is already ",
                     v1::LevellingProposalStatus_Name(state_.status())));
  }
  return absl::OkStatus();
}

absl::StatusOr<eventsourcing::Decision> LevellingProposalAggregate::Accept()
    const {
  RETURN_IF_ERROR(CheckOpen());
  auto accepted = std::make_unique<v1::LevellingAccepted>();
  accepted->set_proposal_id(state_.proposal_id());
  eventsourcing::Decision decision;
  decision.events.push_back(std::move(accepted));
  return decision;
}

absl::StatusOr<eventsourcing::Decision> LevellingProposalAggregate::Discard(
    const std::string& reason) const {
  RETURN_IF_ERROR(CheckOpen());
  auto discarded = std::make_unique<v1::LevellingDiscarded>();
  discarded->set_proposal_id(state_.proposal_id());
  discarded->set_reason(reason);
  eventsourcing::Decision decision;
  decision.events.push_back(std::move(discarded));
  return decision;
}

}  // namespace pmo::resources
