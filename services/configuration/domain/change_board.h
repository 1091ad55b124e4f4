#pragma once

// The ChangeBoard aggregate: a portfolio's change control board (members,
// chair, quorum, majority rule), and the tally of a change request's votes
// under it. The stream id is the portfolio id, so the board's events are
// keyed by their portfolio on Kafka.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/eventsourcing/decision.h"
#include "pmo/configuration/v1/events.pb.h"

namespace pmo::configuration {

inline constexpr int kMaxBoardMembers = 50;

// Field checks of a configuration; violations name request fields
// ("members[2]", "chair", "quorum").
absl::Status ValidateChangeBoard(const v1::ChangeBoardConfigured& board);

// Whether `in_favour` of `counted` votes carry a motion under `majority`.
bool MajorityCarries(v1::BoardMajority majority, int in_favour, int counted);

// The votes of one decision round as the board counts them: only its
// current members' votes count (a member who left no longer counts).
struct BoardTally {
  // The counted votes, in voting order.
  std::vector<v1::BoardVote> counted;
  int approving = 0;
};
BoardTally TallyVotes(
    const v1::ChangeBoard& board,
    const google::protobuf::RepeatedPtrField<v1::BoardVote>& votes);

bool IsBoardMember(const v1::ChangeBoard& board, const std::string& name);

class ChangeBoardAggregate {
 public:
  static constexpr char kStreamType[] = "change_board";

  void Apply(const google::protobuf::Message& event, absl::Time occurred_at);

  // The same configuration again records nothing.
  absl::StatusOr<eventsourcing::Decision> Configure(
      v1::ChangeBoardConfigured board) const;

  bool exists() const { return !state_.portfolio_id().empty(); }
  // Without the stream version (the handler adds it).
  const v1::ChangeBoard& state() const { return state_; }

 private:
  v1::ChangeBoard state_;
};

}  // namespace pmo::configuration
