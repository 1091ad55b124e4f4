#pragma once

// The ChangeRequest aggregate and its workflow (see ChangeRequestStatus in
// configuration.proto):
//
//   SUBMITTED --assess--> ASSESSED --decide--> APPROVED --implement-->
//   IMPLEMENTED
//                          ^   |  (votes cast        |                     |
//                          |   |   while ASSESSED)   |                  verify
//                    assess|   +--> REJECTED --close-+--> CLOSED <--close--
//                    VERIFIED
//                          |   +--> DEFERRED --close-+
//                          +--------- DEFERRED
//
// Every command names the step it takes; a step from a status that does
// not allow it is FAILED_PRECONDITION with rule CHANGE_REQUEST_WORKFLOW.

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/eventsourcing/decision.h"
#include "pmo/configuration/v1/events.pb.h"

namespace pmo::configuration {

// The steps of the workflow, one per command.
enum class ChangeStep { kAssess, kVote, kDecide, kImplement, kVerify, kClose };

// Whether `step` may be taken from `status` (the workflow's table).
bool ChangeStepAllowed(v1::ChangeRequestStatus status, ChangeStep step);

// Field checks of a submission; violations name request fields.
absl::Status ValidateSubmission(const v1::ChangeRequestSubmitted& request);

class ChangeRequestAggregate {
 public:
  static constexpr char kStreamType[] = "change_request";

  void Apply(const google::protobuf::Message& event, absl::Time occurred_at);

  absl::StatusOr<eventsourcing::Decision> Submit(
      v1::ChangeRequestSubmitted request) const;
  absl::StatusOr<eventsourcing::Decision> Assess(
      const v1::ChangeImpact& impact, const std::string& assessed_by) const;
  // A member voting again replaces their vote. `board` is the change
  // control board of the project's portfolio (with its version), or null
  // when it has none; with a board, a voter who is not one of its members
  // is PERMISSION_DENIED.
  absl::StatusOr<eventsourcing::Decision> CastVote(
      const v1::BoardVote& vote, const v1::ChangeBoard* board = nullptr) const;
  // Without a board: needs at least one vote (rule BOARD_VOTE_REQUIRED);
  // approval needs more approving votes than rejecting and deferring ones
  // together (rule BOARD_MAJORITY_REQUIRED).
  // With a board: only the chair decides (PERMISSION_DENIED); only the
  // current members' votes count; any decision needs the quorum (rule
  // BOARD_QUORUM_REQUIRED); approval needs the board's majority rule (rule
  // BOARD_MAJORITY_REQUIRED); a rejection is refused when the counted
  // votes carry approval (rule BOARD_VOTES_APPROVE). The decision records
  // the counted votes, their members and the board's rule and version.
  absl::StatusOr<eventsourcing::Decision> Decide(
      v1::BoardDecision decision, const std::string& decided_by,
      const std::string& rationale,
      const v1::ChangeBoard* board = nullptr) const;
  absl::StatusOr<eventsourcing::Decision> Implement(
      const std::string& implemented_by, const std::string& notes) const;
  absl::StatusOr<eventsourcing::Decision> Verify(
      const std::string& verified_by, const std::string& notes) const;
  absl::StatusOr<eventsourcing::Decision> Close(
      const std::string& reason) const;

  bool exists() const { return !state_.change_request_id().empty(); }
  // Without the stream version (the handler adds it).
  const v1::ChangeRequest& state() const { return state_; }

 private:
  absl::Status CheckStep(ChangeStep step) const;
  absl::StatusOr<eventsourcing::Decision> DecideAsBoard(
      v1::BoardDecision decision, const std::string& decided_by,
      const std::string& rationale, const v1::ChangeBoard& board) const;
  v1::ChangeRequest state_;
};

}  // namespace pmo::configuration
