#include "services/configuration/domain/change_board.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "libs/base/errors.h"
#include "libs/base/status_macros.h"
#include "services/configuration/domain/field_checks.h"

namespace pmo::configuration {

absl::Status ValidateChangeBoard(const v1::ChangeBoardConfigured& board) {
  FieldViolations v(20);
  CheckText(v, "portfolio_id", board.portfolio_id(), 64);
  if (board.members().empty() || board.members_size() > kMaxBoardMembers) {
    v.Add("members",
          absl::StrCat("a board has 1 to ", kMaxBoardMembers, " members"));
  }
  std::set<std::string> seen;
  for (int i = 0; i < board.members_size() && i < kMaxBoardMembers; ++i) {
    const std::string field = absl::StrCat("members[", i, "]");
    FieldViolations name;
    CheckText(name, field, board.members(i), 128);
    if (!name.empty()) {
      v.AddAll(name.ToStatus());
    } else if (!seen.insert(board.members(i)).second) {
      v.Add(field, "is listed twice");
    }
  }
  if (board.chair().empty()) {
    v.Add("chair", "is required: the member who records the board's decisions");
  } else if (!seen.empty() && !seen.contains(board.chair())) {
    v.Add("chair", "must be one of the members");
  }
  if (board.quorum() < 1 ||
      board.quorum() > std::max(board.members_size(), 1)) {
    v.Add("quorum", absl::StrCat("must be 1 to the number of members (",
                                 board.members_size(), ")"));
  }
  if (board.majority() == v1::BOARD_MAJORITY_UNSPECIFIED ||
      !v1::BoardMajority_IsValid(board.majority())) {
    v.Add("majority", "must be SIMPLE, TWO_THIRDS or UNANIMOUS");
  }
  return v.ToStatus();
}

bool MajorityCarries(v1::BoardMajority majority, int in_favour, int counted) {
  if (counted <= 0) return false;
  switch (majority) {
    case v1::BOARD_MAJORITY_SIMPLE:
      return 2 * in_favour > counted;
    case v1::BOARD_MAJORITY_TWO_THIRDS:
      return 3 * in_favour >= 2 * counted;
    case v1::BOARD_MAJORITY_UNANIMOUS:
      return in_favour == counted;
    default:
      return false;
  }
}

bool IsBoardMember(const v1::ChangeBoard& board, const std::string& name) {
  return std::find(board.members().begin(), board.members().end(), name) !=
         board.members().end();
}

BoardTally TallyVotes(
    const v1::ChangeBoard& board,
    const google::protobuf::RepeatedPtrField<v1::BoardVote>& votes) {
  BoardTally tally;
  for (const v1::BoardVote& vote : votes) {
    if (!IsBoardMember(board, vote.member())) continue;
    if (vote.vote() == v1::BOARD_DECISION_APPROVE) ++tally.approving;
    tally.counted.push_back(vote);
  }
  return tally;
}

void ChangeBoardAggregate::Apply(const google::protobuf::Message& event,
                                 absl::Time) {
  if (const auto* c = dynamic_cast<const v1::ChangeBoardConfigured*>(&event)) {
    state_.set_portfolio_id(c->portfolio_id());
    *state_.mutable_members() = c->members();
    state_.set_chair(c->chair());
    state_.set_quorum(c->quorum());
    state_.set_majority(c->majority());
    state_.set_configured_by(c->configured_by());
  }
}

absl::StatusOr<eventsourcing::Decision> ChangeBoardAggregate::Configure(
    v1::ChangeBoardConfigured board) const {
  RETURN_IF_ERROR(ValidateChangeBoard(board));
  eventsourcing::Decision decision;
  const bool same = exists() && state_.chair() == board.chair() &&
                    state_.quorum() == board.quorum() &&
                    state_.majority() == board.majority() &&
                    std::equal(state_.members().begin(), state_.members().end(),
                               board.members().begin(), board.members().end());
  if (same) return decision;
  decision.events.push_back(
      std::make_unique<v1::ChangeBoardConfigured>(std::move(board)));
  return decision;
}

}  // namespace pmo::configuration
