#include "services/configuration/domain/change_board.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/errors.h"
#include "libs/base/testing/status_matchers.h"
#include "services/configuration/domain/change_request.h"

namespace pmo::configuration {
namespace {

using ::pmo::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr char kItem[] = "11111111-1111-4111-8111-111111111111";

v1::ChangeBoardConfigured Board(std::vector<std::string> members,
                                const std::string& chair, int quorum,
                                v1::BoardMajority majority) {
  v1::ChangeBoardConfigured b;
  b.set_portfolio_id("corp");
  for (std::string& m : members) b.add_members(std::move(m));
  b.set_chair(chair);
  b.set_quorum(quorum);
  b.set_majority(majority);
  return b;
}

// The board as the handler passes it to a change request: configured and
// at `version`.
v1::ChangeBoard AsState(const v1::ChangeBoardConfigured& configured,
                        int64_t version = 1) {
  ChangeBoardAggregate board;
  board.Apply(configured, absl::Now());
  v1::ChangeBoard out = board.state();
  out.set_version(version);
  return out;
}

std::vector<std::string> ViolatedFields(const absl::Status& status) {
  std::vector<std::string> fields;
  for (const FieldViolation& v : FieldViolationsOf(status))
    fields.push_back(v.field);
  return fields;
}

std::string RuleOf(const absl::Status& status) {
  RuleViolation rule;
  return RuleViolationOf(status, &rule) ? rule.rule : "";
}

TEST(ChangeBoardTest, AGoodBoardIsValid) {
  EXPECT_OK(ValidateChangeBoard(
      Board({"ann", "ben", "cem"}, "ann", 2, v1::BOARD_MAJORITY_SIMPLE)));
}

TEST(ChangeBoardTest, EveryBadFieldIsNamed) {
  v1::ChangeBoardConfigured bad =
      Board({"ann", "ann", "", "eve\r\nX-Evil: 1"}, "zed", 5,
            v1::BOARD_MAJORITY_UNSPECIFIED);
  bad.clear_portfolio_id();
  EXPECT_THAT(ViolatedFields(ValidateChangeBoard(bad)),
              ElementsAre("portfolio_id", "members[1]", "members[2]",
                          "members[3]", "chair", "quorum", "majority"));
  EXPECT_THAT(ViolatedFields(ValidateChangeBoard(
                  Board({}, "", 0, v1::BOARD_MAJORITY_SIMPLE))),
              ElementsAre("members", "chair", "quorum"));
  std::vector<std::string> crowd;
  for (int i = 0; i <= kMaxBoardMembers; ++i)
    crowd.push_back("m" + std::to_string(i));
  EXPECT_THAT(ViolatedFields(ValidateChangeBoard(
                  Board(crowd, "m0", 1, v1::BOARD_MAJORITY_SIMPLE))),
              ElementsAre("members"));
}

TEST(ChangeBoardTest, MajorityRules) {
  EXPECT_TRUE(MajorityCarries(v1::BOARD_MAJORITY_SIMPLE, 2, 3));
  EXPECT_FALSE(MajorityCarries(v1::BOARD_MAJORITY_SIMPLE, 2,
                               4));  // a tie does not carry
  EXPECT_TRUE(MajorityCarries(v1::BOARD_MAJORITY_TWO_THIRDS, 2, 3));
  EXPECT_FALSE(MajorityCarries(v1::BOARD_MAJORITY_TWO_THIRDS, 3, 5));
  EXPECT_TRUE(MajorityCarries(v1::BOARD_MAJORITY_TWO_THIRDS, 4, 6));
  EXPECT_TRUE(MajorityCarries(v1::BOARD_MAJORITY_UNANIMOUS, 3, 3));
  EXPECT_FALSE(MajorityCarries(v1::BOARD_MAJORITY_UNANIMOUS, 2, 3));
  EXPECT_FALSE(MajorityCarries(v1::BOARD_MAJORITY_SIMPLE, 0, 0));
}

TEST(ChangeBoardTest, TheSameConfigurationAgainRecordsNothing) {
  ChangeBoardAggregate board;
  const v1::ChangeBoardConfigured first =
      Board({"ann", "ben"}, "ann", 2, v1::BOARD_MAJORITY_SIMPLE);
  ASSERT_OK_AND_ASSIGN(auto configured, board.Configure(first));
  ASSERT_EQ(configured.events.size(), 1u);
  board.Apply(*configured.events[0], absl::Now());
  ASSERT_OK_AND_ASSIGN(auto again, board.Configure(first));
  EXPECT_THAT(again.events, IsEmpty());
  ASSERT_OK_AND_ASSIGN(auto changed,
                       board.Configure(Board({"ann", "ben"}, "ben", 2,
                                             v1::BOARD_MAJORITY_SIMPLE)));
  EXPECT_EQ(changed.events.size(), 1u);
}

class BoardDecisionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    v1::ChangeRequestSubmitted s;
    s.set_change_request_id("cr-1");
    s.set_project_id("erp");
    s.set_title("Raise the invoice limit");
    s.set_reason("Finance asked for larger batches");
    s.set_requester("carol");
    s.add_affected_item_ids(kItem);
    Fold(cr_.Submit(s));
    v1::ChangeImpact impact;
    impact.set_scope(v1::IMPACT_LEVEL_LOW);
    impact.set_schedule(v1::IMPACT_LEVEL_LOW);
    impact.set_cost(v1::IMPACT_LEVEL_LOW);
    impact.set_risk(v1::IMPACT_LEVEL_NONE);
    Fold(cr_.Assess(impact, "dave"));
  }

  void Fold(const absl::StatusOr<eventsourcing::Decision>& d) {
    ASSERT_OK(d.status());
    for (const auto& e : d->events) cr_.Apply(*e, absl::Now());
  }

  absl::StatusOr<eventsourcing::Decision> VoteAs(const std::string& member,
                                                 v1::BoardDecision vote) {
    v1::BoardVote v;
    v.set_member(member);
    v.set_vote(vote);
    return cr_.CastVote(v, &board_);
  }

  ChangeRequestAggregate cr_;
  // Three members, two must vote, two thirds approve.
  v1::ChangeBoard board_ = AsState(
      Board({"ann", "ben", "cem"}, "ann", 2, v1::BOARD_MAJORITY_TWO_THIRDS), 3);
};

TEST_F(BoardDecisionTest, ANonMemberMayNotVote) {
  EXPECT_THAT(
      VoteAs("zoe", v1::BOARD_DECISION_APPROVE),
      StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("not a member")));
  // Without a board anyone the access rules let through votes.
  v1::BoardVote v;
  v.set_member("zoe");
  v.set_vote(v1::BOARD_DECISION_APPROVE);
  EXPECT_OK(cr_.CastVote(v, nullptr).status());
}

TEST_F(BoardDecisionTest, OnlyTheChairDecides) {
  Fold(VoteAs("ann", v1::BOARD_DECISION_APPROVE));
  Fold(VoteAs("ben", v1::BOARD_DECISION_APPROVE));
  EXPECT_THAT(cr_.Decide(v1::BOARD_DECISION_APPROVE, "ben", "", &board_),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       HasSubstr("its chair (ann)")));
}

TEST_F(BoardDecisionTest, EveryDecisionNeedsTheQuorum) {
  Fold(VoteAs("ben", v1::BOARD_DECISION_REJECT));
  for (v1::BoardDecision d :
       {v1::BOARD_DECISION_APPROVE, v1::BOARD_DECISION_REJECT,
        v1::BOARD_DECISION_DEFER}) {
    EXPECT_EQ(RuleOf(cr_.Decide(d, "ann", "", &board_).status()),
              "BOARD_QUORUM_REQUIRED");
  }
  Fold(VoteAs("cem", v1::BOARD_DECISION_REJECT));
  EXPECT_OK(cr_.Decide(v1::BOARD_DECISION_REJECT, "ann", "", &board_).status());
}

TEST_F(BoardDecisionTest,
       ApprovalNeedsTheBoardsMajorityAndARejectionMustNotOverruleIt) {
  Fold(VoteAs("ann", v1::BOARD_DECISION_APPROVE));
  Fold(VoteAs("ben", v1::BOARD_DECISION_APPROVE));
  Fold(VoteAs("cem", v1::BOARD_DECISION_REJECT));
  // 2 of 3 is two thirds: approval carries, so the chair may not reject.
  EXPECT_EQ(
      RuleOf(
          cr_.Decide(v1::BOARD_DECISION_REJECT, "ann", "", &board_).status()),
      "BOARD_VOTES_APPROVE");
  EXPECT_OK(cr_.Decide(v1::BOARD_DECISION_DEFER, "ann", "", &board_).status());
  // Ben changes his mind: 1 of 3 does not carry.
  Fold(VoteAs("ben", v1::BOARD_DECISION_DEFER));
  EXPECT_EQ(
      RuleOf(
          cr_.Decide(v1::BOARD_DECISION_APPROVE, "ann", "", &board_).status()),
      "BOARD_MAJORITY_REQUIRED");
}

TEST_F(BoardDecisionTest, TheDecisionRecordsTheCountedMembersAndTheBoardsRule) {
  // Zoe voted before the board existed; her vote does not count under it.
  v1::BoardVote early;
  early.set_member("zoe");
  early.set_vote(v1::BOARD_DECISION_REJECT);
  Fold(cr_.CastVote(early, nullptr));
  Fold(VoteAs("cem", v1::BOARD_DECISION_APPROVE));
  EXPECT_EQ(
      RuleOf(
          cr_.Decide(v1::BOARD_DECISION_APPROVE, "ann", "", &board_).status()),
      "BOARD_QUORUM_REQUIRED");
  Fold(VoteAs("ben", v1::BOARD_DECISION_APPROVE));
  ASSERT_OK_AND_ASSIGN(auto decided, cr_.Decide(v1::BOARD_DECISION_APPROVE,
                                                "ann", "go", &board_));
  ASSERT_EQ(decided.events.size(), 1u);
  const auto& event =
      dynamic_cast<const v1::ChangeRequestDecided&>(*decided.events[0]);
  EXPECT_THAT(event.voting_members(), ElementsAre("cem", "ben"));
  ASSERT_EQ(event.votes_size(), 2);
  EXPECT_EQ(event.board_portfolio_id(), "corp");
  EXPECT_EQ(event.board_version(), 3);
  EXPECT_EQ(event.quorum(), 2);
  EXPECT_EQ(event.majority(), v1::BOARD_MAJORITY_TWO_THIRDS);
  EXPECT_EQ(event.decided_by(), "ann");
}

}  // namespace
}  // namespace pmo::configuration
