#include "services/configuration/domain/change_request.h"

#include <algorithm>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/errors.h"
#include "libs/base/testing/status_matchers.h"

namespace pmo::configuration {
namespace {

using ::pmo::testing::StatusIs;
using ::testing::HasSubstr;

constexpr char kItem[] = "11111111-1111-4111-8111-111111111111";

v1::ChangeRequestSubmitted Submission() {
  v1::ChangeRequestSubmitted s;
  s.set_change_request_id("cr-1");
  s.set_project_id("erp");
  s.set_title("Raise the invoice limit");
  s.set_reason("Finance asked for larger batches");
  s.set_requester("carol");
  s.add_affected_item_ids(kItem);
  return s;
}

v1::ChangeImpact Impact() {
  v1::ChangeImpact i;
  i.set_scope(v1::IMPACT_LEVEL_LOW);
  i.set_schedule(v1::IMPACT_LEVEL_MEDIUM);
  i.set_schedule_days(5);
  i.set_cost(v1::IMPACT_LEVEL_LOW);
  i.set_cost_minor(250'000);
  i.set_risk(v1::IMPACT_LEVEL_NONE);
  return i;
}

v1::BoardVote Vote(const std::string& member, v1::BoardDecision vote) {
  v1::BoardVote v;
  v.set_member(member);
  v.set_vote(vote);
  return v;
}

// Applies the events of a decision (the fold the store would replay).
void ApplyAll(ChangeRequestAggregate& cr,
              const absl::StatusOr<eventsourcing::Decision>& d) {
  ASSERT_OK(d.status());
  for (const auto& e : d->events) cr.Apply(*e, absl::Now());
}

// A change request brought to `status` through the workflow's own commands.
ChangeRequestAggregate InStatus(v1::ChangeRequestStatus status) {
  ChangeRequestAggregate cr;
  ApplyAll(cr, cr.Submit(Submission()));
  if (status == v1::CHANGE_REQUEST_STATUS_SUBMITTED) return cr;
  ApplyAll(cr, cr.Assess(Impact(), "dave"));
  if (status == v1::CHANGE_REQUEST_STATUS_ASSESSED) return cr;
  v1::BoardDecision decision = status == v1::CHANGE_REQUEST_STATUS_REJECTED
                                   ? v1::BOARD_DECISION_REJECT
                               : status == v1::CHANGE_REQUEST_STATUS_DEFERRED
                                   ? v1::BOARD_DECISION_DEFER
                                   : v1::BOARD_DECISION_APPROVE;
  ApplyAll(cr, cr.CastVote(Vote("erin", decision)));
  ApplyAll(cr, cr.Decide(decision, "chair", "board meeting 12"));
  if (status != v1::CHANGE_REQUEST_STATUS_CLOSED &&
      (decision != v1::BOARD_DECISION_APPROVE ||
       status == v1::CHANGE_REQUEST_STATUS_APPROVED)) {
    return cr;
  }
  if (decision == v1::BOARD_DECISION_APPROVE) {
    ApplyAll(cr, cr.Implement("frank", "limit raised in release 4.2"));
    if (status == v1::CHANGE_REQUEST_STATUS_IMPLEMENTED) return cr;
    ApplyAll(cr, cr.Verify("grace", "regression suite passed"));
    if (status == v1::CHANGE_REQUEST_STATUS_VERIFIED) return cr;
  }
  ApplyAll(cr, cr.Close("done"));
  return cr;
}

absl::StatusOr<eventsourcing::Decision> Take(const ChangeRequestAggregate& cr,
                                             ChangeStep step) {
  switch (step) {
    case ChangeStep::kAssess:
      return cr.Assess(Impact(), "dave");
    case ChangeStep::kVote:
      return cr.CastVote(Vote("heidi", v1::BOARD_DECISION_APPROVE));
    case ChangeStep::kDecide:
      return cr.Decide(v1::BOARD_DECISION_REJECT, "chair", "");
    case ChangeStep::kImplement:
      return cr.Implement("frank", "");
    case ChangeStep::kVerify:
      return cr.Verify("grace", "");
    case ChangeStep::kClose:
      return cr.Close("withdrawn");
  }
  return absl::InternalError("unknown step");
}

// The workflow's full table: which step each status allows.
const std::vector<std::pair<v1::ChangeRequestStatus, std::vector<ChangeStep>>>&
LegalSteps() {
  static const auto* table = new std::vector<
      std::pair<v1::ChangeRequestStatus, std::vector<ChangeStep>>>{
      {v1::CHANGE_REQUEST_STATUS_SUBMITTED, {ChangeStep::kAssess}},
      {v1::CHANGE_REQUEST_STATUS_ASSESSED,
       {ChangeStep::kVote, ChangeStep::kDecide}},
      {v1::CHANGE_REQUEST_STATUS_APPROVED, {ChangeStep::kImplement}},
      {v1::CHANGE_REQUEST_STATUS_REJECTED, {ChangeStep::kClose}},
      {v1::CHANGE_REQUEST_STATUS_DEFERRED,
       {ChangeStep::kAssess, ChangeStep::kClose}},
      {v1::CHANGE_REQUEST_STATUS_IMPLEMENTED, {ChangeStep::kVerify}},
      {v1::CHANGE_REQUEST_STATUS_VERIFIED, {ChangeStep::kClose}},
      {v1::CHANGE_REQUEST_STATUS_CLOSED, {}},
  };
  return *table;
}

TEST(ChangeRequestWorkflow,
     EveryLegalStepIsTakenAndEveryIllegalOneRefusedWithTheRule) {
  const std::vector<ChangeStep> all = {
      ChangeStep::kAssess,    ChangeStep::kVote,   ChangeStep::kDecide,
      ChangeStep::kImplement, ChangeStep::kVerify, ChangeStep::kClose};
  int legal = 0;
  int illegal = 0;
  for (const auto& [status, allowed] : LegalSteps()) {
    ChangeRequestAggregate cr = InStatus(status);
    // The board decides only after a vote (a rule of its own, tested below).
    if (status == v1::CHANGE_REQUEST_STATUS_ASSESSED) {
      ApplyAll(cr, cr.CastVote(Vote("erin", v1::BOARD_DECISION_REJECT)));
    }
    ASSERT_EQ(cr.state().status(), status)
        << v1::ChangeRequestStatus_Name(status);
    for (ChangeStep step : all) {
      const bool expected =
          std::find(allowed.begin(), allowed.end(), step) != allowed.end();
      SCOPED_TRACE(absl::StrCat(v1::ChangeRequestStatus_Name(status), " step ",
                                static_cast<int>(step)));
      EXPECT_EQ(ChangeStepAllowed(status, step), expected);
      absl::StatusOr<eventsourcing::Decision> result = Take(cr, step);
      if (expected) {
        ++legal;
        EXPECT_OK(result.status());
      } else {
        ++illegal;
        ASSERT_THAT(result, StatusIs(absl::StatusCode::kFailedPrecondition));
        RuleViolation rule;
        ASSERT_TRUE(RuleViolationOf(result.status(), &rule));
        EXPECT_EQ(rule.rule, "CHANGE_REQUEST_WORKFLOW");
        EXPECT_THAT(rule.description,
                    HasSubstr(v1::ChangeRequestStatus_Name(status)));
      }
    }
  }
  EXPECT_EQ(legal, 9);
  EXPECT_EQ(illegal, 39);
}

TEST(ChangeRequestWorkflow, EachStepLeadsToItsStatus) {
  ChangeRequestAggregate cr = InStatus(v1::CHANGE_REQUEST_STATUS_ASSESSED);
  ApplyAll(cr, cr.CastVote(Vote("erin", v1::BOARD_DECISION_DEFER)));
  ApplyAll(cr,
           cr.Decide(v1::BOARD_DECISION_DEFER, "chair", "wait for Q3 budget"));
  EXPECT_EQ(cr.state().status(), v1::CHANGE_REQUEST_STATUS_DEFERRED);
  // Re-assessing a deferred request opens a new round: old votes go.
  ApplyAll(cr, cr.Assess(Impact(), "dave"));
  EXPECT_EQ(cr.state().status(), v1::CHANGE_REQUEST_STATUS_ASSESSED);
  EXPECT_TRUE(cr.state().votes().empty());
  EXPECT_EQ(cr.state().decision(), v1::BOARD_DECISION_UNSPECIFIED);
  ApplyAll(cr, cr.CastVote(Vote("erin", v1::BOARD_DECISION_APPROVE)));
  ApplyAll(cr, cr.Decide(v1::BOARD_DECISION_APPROVE, "chair", "budget found"));
  EXPECT_EQ(cr.state().status(), v1::CHANGE_REQUEST_STATUS_APPROVED);
  ApplyAll(cr, cr.Implement("frank", "release 4.2"));
  EXPECT_EQ(cr.state().status(), v1::CHANGE_REQUEST_STATUS_IMPLEMENTED);
  ApplyAll(cr, cr.Verify("grace", "tests passed"));
  EXPECT_EQ(cr.state().status(), v1::CHANGE_REQUEST_STATUS_VERIFIED);
  ApplyAll(cr, cr.Close("delivered"));
  EXPECT_EQ(cr.state().status(), v1::CHANGE_REQUEST_STATUS_CLOSED);
  EXPECT_EQ(cr.state().closure_reason(), "delivered");
}

TEST(ChangeRequestBoard,
     EveryVoteIsRecordedAndAMemberVotingAgainReplacesTheirVote) {
  ChangeRequestAggregate cr = InStatus(v1::CHANGE_REQUEST_STATUS_ASSESSED);
  ApplyAll(cr, cr.CastVote(Vote("erin", v1::BOARD_DECISION_REJECT)));
  ApplyAll(cr, cr.CastVote(Vote("heidi", v1::BOARD_DECISION_APPROVE)));
  ApplyAll(cr, cr.CastVote(Vote("erin", v1::BOARD_DECISION_APPROVE)));
  ASSERT_EQ(cr.state().votes_size(), 2);
  EXPECT_EQ(cr.state().votes(0).member(), "erin");
  EXPECT_EQ(cr.state().votes(0).vote(), v1::BOARD_DECISION_APPROVE);
  // The same vote again records nothing.
  ASSERT_OK_AND_ASSIGN(auto again,
                       cr.CastVote(Vote("heidi", v1::BOARD_DECISION_APPROVE)));
  EXPECT_TRUE(again.events.empty());
  ASSERT_OK_AND_ASSIGN(auto decided, cr.Decide(v1::BOARD_DECISION_APPROVE,
                                               "chair", "unanimous"));
  const auto& event =
      dynamic_cast<const v1::ChangeRequestDecided&>(*decided.events[0]);
  EXPECT_EQ(event.votes_size(), 2);
}

TEST(ChangeRequestBoard, ADecisionNeedsVotesAndApprovalNeedsAMajority) {
  ChangeRequestAggregate cr = InStatus(v1::CHANGE_REQUEST_STATUS_ASSESSED);
  RuleViolation rule;
  auto no_votes = cr.Decide(v1::BOARD_DECISION_APPROVE, "chair", "");
  ASSERT_THAT(no_votes, StatusIs(absl::StatusCode::kFailedPrecondition));
  ASSERT_TRUE(RuleViolationOf(no_votes.status(), &rule));
  EXPECT_EQ(rule.rule, "BOARD_VOTE_REQUIRED");

  ApplyAll(cr, cr.CastVote(Vote("erin", v1::BOARD_DECISION_APPROVE)));
  ApplyAll(cr, cr.CastVote(Vote("heidi", v1::BOARD_DECISION_REJECT)));
  auto tie = cr.Decide(v1::BOARD_DECISION_APPROVE, "chair", "");
  ASSERT_THAT(tie, StatusIs(absl::StatusCode::kFailedPrecondition,
                            HasSubstr("1 of 2")));
  ASSERT_TRUE(RuleViolationOf(tie.status(), &rule));
  EXPECT_EQ(rule.rule, "BOARD_MAJORITY_REQUIRED");
  // Deferring or rejecting on a split board is allowed.
  EXPECT_OK(
      cr.Decide(v1::BOARD_DECISION_DEFER, "chair", "split board").status());
  ApplyAll(cr, cr.CastVote(Vote("ivan", v1::BOARD_DECISION_APPROVE)));
  EXPECT_OK(cr.Decide(v1::BOARD_DECISION_APPROVE, "chair", "2 of 3").status());
}

TEST(ChangeRequestInput, BadFieldsAreNamed) {
  ChangeRequestAggregate empty;
  v1::ChangeRequestSubmitted bad = Submission();
  bad.clear_title();
  bad.clear_requester();
  bad.add_affected_item_ids("not-a-uuid");
  bad.add_affected_item_ids(kItem);
  auto submitted = empty.Submit(bad);
  ASSERT_THAT(submitted, StatusIs(absl::StatusCode::kInvalidArgument));
  std::vector<std::string> fields;
  for (const FieldViolation& v : FieldViolationsOf(submitted.status()))
    fields.push_back(v.field);
  EXPECT_THAT(fields, ::testing::UnorderedElementsAre("title", "requester",
                                                      "affected_item_ids[1]",
                                                      "affected_item_ids[2]"));

  const ChangeRequestAggregate cr =
      InStatus(v1::CHANGE_REQUEST_STATUS_SUBMITTED);
  v1::ChangeImpact impact = Impact();
  impact.clear_risk();
  auto assessed = cr.Assess(impact, "");
  ASSERT_THAT(assessed, StatusIs(absl::StatusCode::kInvalidArgument));
  fields.clear();
  for (const FieldViolation& v : FieldViolationsOf(assessed.status()))
    fields.push_back(v.field);
  EXPECT_THAT(fields,
              ::testing::UnorderedElementsAre("impact.risk", "assessed_by"));

  const ChangeRequestAggregate assessed_cr =
      InStatus(v1::CHANGE_REQUEST_STATUS_ASSESSED);
  EXPECT_THAT(
      assessed_cr.CastVote(Vote("", v1::BOARD_DECISION_UNSPECIFIED)),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("vote.member")));
  EXPECT_THAT(ChangeRequestAggregate().Assess(Impact(), "dave"),
              StatusIs(absl::StatusCode::kNotFound));
}

}  // namespace
}  // namespace pmo::configuration
