#include "services/configuration/app/change_control_handlers.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/errors.h"
#include "libs/base/testing/status_matchers.h"
#include "libs/base/testing/temp_dir.h"
#include "libs/eventstore/sqlite_event_store.h"
#include "services/configuration/app/test_projects.h"

namespace pmo::configuration {
namespace {

using ::pmo::testing::StatusIs;
using ::testing::HasSubstr;

eventsourcing::CommandContext Ctx(std::string request_id) {
  eventsourcing::CommandContext c;
  c.request_id = std::move(request_id);
  return c;
}

class ChangeControlHandlersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(store_, eventstore::SqliteEventStore::Open(
                                     dir_.File("configuration.db")));
    projects_ = KnownTestProjects(dir_.File("projects.db"));
    items_ = std::make_unique<ConfigurationHandlers>(*store_, *projects_);
    changes_ = std::make_unique<ChangeControlHandlers>(*store_, *projects_);
    v1::ConfigurationItemRegistered item;
    item.set_project_id("erp");
    item.set_type(v1::ITEM_TYPE_CODE_RELEASE);
    item.set_identifier("REL-4.2");
    item.set_title("Release 4.2");
    item.set_owner("bob");
    ASSERT_OK_AND_ASSIGN(VersionedItem registered,
                         items_->RegisterItem(item, Ctx("item")));
    item_id_ = registered.state.state().item_id();
  }

  v1::ChangeRequestSubmitted Submission() {
    v1::ChangeRequestSubmitted s;
    s.set_project_id("erp");
    s.set_title("Raise the invoice limit");
    s.set_reason("Finance asked for larger batches");
    s.set_requester("carol");
    s.add_affected_item_ids(item_id_);
    return s;
  }

  // Assesses `id` with a LOW impact on every dimension.
  absl::Status AssessAsLow(const std::string& id) {
    v1::ChangeImpact impact;
    impact.set_scope(v1::IMPACT_LEVEL_LOW);
    impact.set_schedule(v1::IMPACT_LEVEL_LOW);
    impact.set_cost(v1::IMPACT_LEVEL_LOW);
    impact.set_risk(v1::IMPACT_LEVEL_LOW);
    return changes_->Assess(id, impact, "dave", Ctx("assess")).status();
  }

  testing::TempDir dir_;
  std::unique_ptr<eventstore::SqliteEventStore> store_;
  std::unique_ptr<projectdirectory::ProjectDirectory> projects_;
  std::unique_ptr<ConfigurationHandlers> items_;
  std::unique_ptr<ChangeControlHandlers> changes_;
  std::string item_id_;
};

TEST_F(ChangeControlHandlersTest,
       AChangeRequestWalksTheWholeWorkflowWithEveryEventStored) {
  ASSERT_OK_AND_ASSIGN(VersionedChangeRequest cr,
                       changes_->Submit(Submission(), Ctx("submit")));
  const std::string id = cr.state.state().change_request_id();
  v1::ChangeImpact impact;
  impact.set_scope(v1::IMPACT_LEVEL_LOW);
  impact.set_schedule(v1::IMPACT_LEVEL_MEDIUM);
  impact.set_schedule_days(5);
  impact.set_cost(v1::IMPACT_LEVEL_LOW);
  impact.set_cost_minor(250'000);
  impact.set_risk(v1::IMPACT_LEVEL_NONE);
  ASSERT_OK(changes_->Assess(id, impact, "dave", Ctx("assess")).status());
  for (const char* member : {"erin", "heidi", "ivan"}) {
    v1::BoardVote vote;
    vote.set_member(member);
    vote.set_vote(std::string(member) == "ivan" ? v1::BOARD_DECISION_REJECT
                                                : v1::BOARD_DECISION_APPROVE);
    ASSERT_OK(changes_->CastVote(id, vote, Ctx(std::string("vote-") + member))
                  .status());
  }
  ASSERT_OK(changes_
                ->Decide(id, v1::BOARD_DECISION_APPROVE, "chair", "2 of 3",
                         Ctx("decide"))
                .status());
  ASSERT_OK(
      changes_->RecordImplementation(id, "frank", "in 4.2.1", Ctx("implement"))
          .status());
  ASSERT_OK(changes_->Verify(id, "grace", "regression passed", Ctx("verify"))
                .status());
  ASSERT_OK_AND_ASSIGN(VersionedChangeRequest closed,
                       changes_->Close(id, "delivered", Ctx("close")));
  const v1::ChangeRequest proto = ToProto(closed);
  EXPECT_EQ(proto.status(), v1::CHANGE_REQUEST_STATUS_CLOSED);
  EXPECT_EQ(proto.votes_size(), 3);
  EXPECT_EQ(proto.impact().cost_minor(), 250'000);
  EXPECT_EQ(proto.decided_by(), "chair");
  EXPECT_EQ(proto.version(), 9);

  ASSERT_OK_AND_ASSIGN(auto events, store_->ReadStream(id));
  std::vector<std::string> types;
  types.reserve(events.size());
  for (const auto& e : events) types.push_back(e.event_type);
  EXPECT_THAT(types, ::testing::ElementsAre(
                         "pmo.configuration.v1.ChangeRequestSubmitted",
                         "pmo.configuration.v1.ChangeRequestAssessed",
                         "pmo.configuration.v1.ChangeBoardVoteCast",
                         "pmo.configuration.v1.ChangeBoardVoteCast",
                         "pmo.configuration.v1.ChangeBoardVoteCast",
                         "pmo.configuration.v1.ChangeRequestDecided",
                         "pmo.configuration.v1.ChangeRequestImplemented",
                         "pmo.configuration.v1.ChangeRequestVerified",
                         "pmo.configuration.v1.ChangeRequestClosed"));

  // Closed is final: the rule is named.
  auto again = changes_->Assess(id, impact, "dave", Ctx("assess-again"));
  ASSERT_THAT(again, StatusIs(absl::StatusCode::kFailedPrecondition,
                              HasSubstr("CLOSED")));
  RuleViolation rule;
  ASSERT_TRUE(RuleViolationOf(again.status(), &rule));
  EXPECT_EQ(rule.rule, "CHANGE_REQUEST_WORKFLOW");
}

TEST_F(ChangeControlHandlersTest, AChangeRequestOfAnUnknownProjectIsNotFound) {
  v1::ChangeRequestSubmitted s = Submission();
  s.set_project_id("ghost");
  const int64_t head = store_->HeadPosition();
  EXPECT_THAT(changes_->Submit(s, Ctx("ghost")),
              StatusIs(absl::StatusCode::kNotFound,
                       HasSubstr("project_id: no project ghost")));
  EXPECT_EQ(store_->HeadPosition(), head);
}

TEST_F(ChangeControlHandlersTest, AffectedItemsMustBeItemsOfTheProject) {
  v1::ChangeRequestSubmitted s = Submission();
  s.set_project_id("crm");
  EXPECT_THAT(changes_->Submit(s, Ctx("wrong-project")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("affected_item_ids[0]")));
  s = Submission();
  s.add_affected_item_ids("00000000-0000-4000-8000-000000000000");
  EXPECT_THAT(changes_->Submit(s, Ctx("unknown-item")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("affected_item_ids[1]")));
}

TEST_F(ChangeControlHandlersTest,
       VersionConflictsAreAbortedAndRetriesAnswerTheFirstResult) {
  ASSERT_OK_AND_ASSIGN(VersionedChangeRequest cr,
                       changes_->Submit(Submission(), Ctx("submit")));
  ASSERT_OK_AND_ASSIGN(VersionedChangeRequest retried,
                       changes_->Submit(Submission(), Ctx("submit")));
  EXPECT_EQ(retried.state.state().change_request_id(),
            cr.state.state().change_request_id());
  const std::string id = cr.state.state().change_request_id();
  v1::ChangeImpact impact;
  impact.set_scope(v1::IMPACT_LEVEL_NONE);
  impact.set_schedule(v1::IMPACT_LEVEL_NONE);
  impact.set_cost(v1::IMPACT_LEVEL_NONE);
  impact.set_risk(v1::IMPACT_LEVEL_NONE);
  eventsourcing::CommandContext stale = Ctx("assess");
  stale.expected_version = 7;
  EXPECT_THAT(changes_->Assess(id, impact, "dave", stale),
              StatusIs(absl::StatusCode::kAborted));
  ASSERT_OK_AND_ASSIGN(
      auto listed, changes_->List("erp", v1::CHANGE_REQUEST_STATUS_SUBMITTED));
  EXPECT_EQ(listed.size(), 1u);
  ASSERT_OK_AND_ASSIGN(
      auto none, changes_->List("erp", v1::CHANGE_REQUEST_STATUS_APPROVED));
  EXPECT_TRUE(none.empty());
}

// The caller who submitted a request may neither vote on it nor decide it;
// the decision records who voted. A refusal appends nothing.
TEST_F(ChangeControlHandlersTest,
       TheSubmitterNeitherVotesNorDecidesAndTheDecisionNamesTheVoters) {
  eventsourcing::CommandContext submit = Ctx("submit");
  submit.metadata.actor = "carol";
  ASSERT_OK_AND_ASSIGN(VersionedChangeRequest cr,
                       changes_->Submit(Submission(), submit));
  const std::string id = cr.state.state().change_request_id();
  EXPECT_EQ(cr.state.state().submitted_by(), "carol");
  ASSERT_OK(AssessAsLow(id));
  const int64_t head = store_->HeadPosition();
  v1::BoardVote own;
  own.set_member("carol");
  own.set_vote(v1::BOARD_DECISION_APPROVE);
  EXPECT_THAT(changes_->CastVote(id, own, Ctx("own-vote")),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("a second person must")));
  EXPECT_EQ(store_->HeadPosition(), head);
  v1::BoardVote erin = own;
  erin.set_member("erin");
  ASSERT_OK(changes_->CastVote(id, erin, Ctx("vote-erin")).status());
  EXPECT_THAT(changes_->Decide(id, v1::BOARD_DECISION_APPROVE, "carol", "",
                               Ctx("own-decision")),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("a second person must")));
  ASSERT_OK(
      changes_
          ->Decide(id, v1::BOARD_DECISION_APPROVE, "heidi", "", Ctx("decide"))
          .status());
  ASSERT_OK_AND_ASSIGN(auto events, store_->ReadStream(id));
  ASSERT_EQ(events.back().event_type,
            "pmo.configuration.v1.ChangeRequestDecided");
  v1::ChangeRequestDecided decided;
  ASSERT_TRUE(decided.ParseFromString(events.back().payload));
  EXPECT_THAT(decided.voting_members(), ::testing::ElementsAre("erin"));
  EXPECT_EQ(decided.decided_by(), "heidi");
}

v1::ChangeBoardConfigured BoardOfPf1() {
  v1::ChangeBoardConfigured board;
  board.set_portfolio_id("pf-1");
  for (const char* m : {"ann", "ben", "cem"}) board.add_members(m);
  board.set_chair("ann");
  board.set_quorum(2);
  board.set_majority(v1::BOARD_MAJORITY_SIMPLE);
  return board;
}

TEST_F(ChangeControlHandlersTest,
       ABoardNeedsAKnownPortfolioAndRecordsWhoConfiguredIt) {
  const int64_t head = store_->HeadPosition();
  v1::ChangeBoardConfigured unknown = BoardOfPf1();
  unknown.set_portfolio_id("pf-404");
  EXPECT_THAT(changes_->ConfigureBoard(unknown, Ctx("unknown")),
              StatusIs(absl::StatusCode::kNotFound,
                       HasSubstr("portfolio_id: no portfolio pf-404")));
  EXPECT_EQ(store_->HeadPosition(), head);
  EXPECT_THAT(changes_->GetBoard("pf-1"),
              StatusIs(absl::StatusCode::kNotFound));

  eventsourcing::CommandContext as_admin = Ctx("board");
  as_admin.metadata.actor = "admin";
  ASSERT_OK_AND_ASSIGN(VersionedBoard board,
                       changes_->ConfigureBoard(BoardOfPf1(), as_admin));
  EXPECT_EQ(board.version, 1);
  ASSERT_OK_AND_ASSIGN(VersionedBoard read, changes_->GetBoard("pf-1"));
  EXPECT_EQ(ToProto(read).configured_by(), "admin");
  EXPECT_THAT(ToProto(read).members(),
              ::testing::ElementsAre("ann", "ben", "cem"));
  // The portfolio's id is the board's stream, and so its Kafka key.
  ASSERT_OK_AND_ASSIGN(auto events, store_->ReadStream("pf-1"));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].event_type, "pmo.configuration.v1.ChangeBoardConfigured");
}

// With a board for the project's portfolio, only members vote, the chair
// decides once the quorum has voted, and the decision names the board.
TEST_F(ChangeControlHandlersTest, TheProjectsPortfolioBoardVotesAndDecides) {
  ASSERT_OK_AND_ASSIGN(VersionedChangeRequest cr,
                       changes_->Submit(Submission(), Ctx("submit")));
  const std::string id = cr.state.state().change_request_id();
  ASSERT_OK(AssessAsLow(id));
  ASSERT_OK_AND_ASSIGN(auto board, changes_->BoardOfRequest(id));
  EXPECT_FALSE(board.has_value());
  ASSERT_OK(changes_->ConfigureBoard(BoardOfPf1(), Ctx("board")).status());
  ASSERT_OK_AND_ASSIGN(board, changes_->BoardOfRequest(id));
  ASSERT_TRUE(board.has_value());
  EXPECT_EQ(board->chair(), "ann");

  const int64_t head = store_->HeadPosition();
  v1::BoardVote vote;
  vote.set_member("zoe");
  vote.set_vote(v1::BOARD_DECISION_APPROVE);
  EXPECT_THAT(
      changes_->CastVote(id, vote, Ctx("zoe")),
      StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("not a member")));
  vote.set_member("ben");
  ASSERT_OK(changes_->CastVote(id, vote, Ctx("ben")).status());
  EXPECT_THAT(
      changes_->Decide(id, v1::BOARD_DECISION_APPROVE, "ann", "", Ctx("early")),
      StatusIs(absl::StatusCode::kFailedPrecondition,
               HasSubstr("2 of its members")));
  EXPECT_EQ(store_->HeadPosition(), head + 1);  // only ben's vote
  vote.set_member("cem");
  ASSERT_OK(changes_->CastVote(id, vote, Ctx("cem")).status());
  EXPECT_THAT(changes_->Decide(id, v1::BOARD_DECISION_APPROVE, "ben", "",
                               Ctx("not-chair")),
              StatusIs(absl::StatusCode::kPermissionDenied));
  ASSERT_OK(
      changes_->Decide(id, v1::BOARD_DECISION_APPROVE, "ann", "", Ctx("decide"))
          .status());
  ASSERT_OK_AND_ASSIGN(auto events, store_->ReadStream(id));
  v1::ChangeRequestDecided decided;
  ASSERT_TRUE(decided.ParseFromString(events.back().payload));
  EXPECT_THAT(decided.voting_members(), ::testing::ElementsAre("ben", "cem"));
  EXPECT_EQ(decided.board_portfolio_id(), "pf-1");
  EXPECT_EQ(decided.board_version(), 1);
}

}  // namespace
}  // namespace pmo::configuration
