#include "services/risks/app/risk_handlers.h"

#include "services/risks/app/testing/register_fixture.h"

namespace pmo::risks {
namespace {

using ::pmo::testing::StatusIs;
using ::testing::HasSubstr;

using testing::A;
using testing::Ctx;
using testing::D;
using testing::kCorporate;
using testing::Supplier;
using RiskHandlersTest = testing::RiskRegisterTest;

// Worked by hand on the default 5 x 5 matrix (probability levels 0.1, 0.3,
// 0.5, 0.7, 0.9; LOW 1-4, MEDIUM 5-9, HIGH 10-16, CRITICAL 17-25):
//   inherent: probability 4, impacts cost 3 / schedule 5 / quality 2 -> the
//   highest, 5, drives: score 4 x 5 = 20, CRITICAL; EV 0.7 x 100,000.00 =
//   70,000.00.
//   residual: probability 2, impacts 2 / 3 / 0 -> 3: score 6, MEDIUM;
//   EV 0.3 x 40,000.00 = 12,000.00.
TEST_F(RiskHandlersTest, AssessRespondAndCloseWithEveryRatingExplained) {
  ASSERT_OK_AND_ASSIGN(
      VersionedRisk risk,
      handlers_->IdentifyRisk(Supplier("erp"), Ctx("identify")));
  const std::string id = risk.state.state().risk_id();
  EXPECT_EQ(risk.state.state().status(), v1::RISK_STATUS_IDENTIFIED);
  // A response waits for an assessment.
  v1::ResponseAction action;
  action.set_description("Qualify a second supplier");
  action.set_owner("bob");
  *action.mutable_due() = D(2027, 4, 30);
  EXPECT_THAT(handlers_->PlanResponse(id, v1::RESPONSE_STRATEGY_MITIGATE,
                                      {action}, Ctx("early")),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("assessed before")));

  ASSERT_OK_AND_ASSIGN(
      risk, handlers_->AssessRisk(id, false, A(4, 3, 5, 2, 10'000'000),
                                  D(2027, 3, 1), Ctx("inherent")));
  const v1::Rating& inherent = risk.state.state().inherent_rating();
  EXPECT_EQ(inherent.impact(), 5);
  EXPECT_EQ(inherent.score(), 20);
  EXPECT_EQ(inherent.rating(), "CRITICAL");
  EXPECT_EQ(inherent.expected_value_minor(), 7'000'000);
  EXPECT_FALSE(inherent.matrix_version().empty());
  EXPECT_EQ(risk.state.state().status(), v1::RISK_STATUS_ASSESSED);

  ASSERT_OK_AND_ASSIGN(
      risk, handlers_->PlanResponse(id, v1::RESPONSE_STRATEGY_MITIGATE,
                                    {action}, Ctx("respond")));
  EXPECT_EQ(risk.state.state().status(), v1::RISK_STATUS_RESPONDING);
  ASSERT_EQ(risk.state.state().actions_size(), 1);
  ASSERT_OK_AND_ASSIGN(
      risk, handlers_->AssessRisk(id, true, A(2, 2, 3, 0, 4'000'000), {},
                                  Ctx("residual")));
  EXPECT_EQ(risk.state.state().residual_rating().score(), 6);
  EXPECT_EQ(risk.state.state().residual_rating().rating(), "MEDIUM");
  EXPECT_EQ(risk.state.state().residual_rating().expected_value_minor(),
            1'200'000);
  EXPECT_EQ(risk.state.state().inherent_rating().score(), 20);  // both kept

  ASSERT_OK(handlers_
                ->CompleteResponseAction(
                    id, risk.state.state().actions(0).action_id(), Ctx("done"))
                .status());
  ASSERT_OK_AND_ASSIGN(
      RiskStatusChange closed,
      handlers_->ChangeRiskStatus(id, v1::RISK_STATUS_CLOSED,
                                  "second supplier signed", Ctx("close")));
  EXPECT_FALSE(closed.issue.has_value());
  EXPECT_THAT(
      handlers_->AssessRisk(id, true, A(1, 1, 1, 1, 0), {}, Ctx("after-close")),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("CLOSED")));
  // Score 20 reached the default matrix's escalation threshold (17), so
  // the inherent assessment also put it in the PMO's queue.
  EXPECT_EQ(closed.risk.state.state().escalation().status(),
            v1::ESCALATION_STATUS_PENDING);
  EXPECT_TRUE(closed.risk.state.state().escalation().automatic());
  EXPECT_EQ(closed.risk.state.state().escalation().portfolio_id(), kCorporate);
  // The whole history is in the stream.
  ASSERT_OK_AND_ASSIGN(auto events, store_->ReadStream(id));
  EXPECT_EQ(events.size(), 9u);
}

TEST_F(RiskHandlersTest, BadInputNamesTheField) {
  ASSERT_OK_AND_ASSIGN(
      VersionedRisk risk,
      handlers_->IdentifyRisk(Supplier("erp"), Ctx("identify")));
  const std::string id = risk.state.state().risk_id();
  EXPECT_THAT(handlers_->AssessRisk(id, false, A(6, 3, 0, 0, 1), {}, Ctx("p6")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("assessment.probability")));
  ASSERT_OK(handlers_->AssessRisk(id, false, A(3, 3, 0, 0, 1), {}, Ctx("ok"))
                .status());
  v1::ResponseAction ownerless;
  ownerless.set_description("Do something");
  *ownerless.mutable_due() = D(2027, 4, 30);
  EXPECT_THAT(handlers_->PlanResponse(id, v1::RESPONSE_STRATEGY_MITIGATE,
                                      {ownerless}, Ctx("no-owner")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("actions[0].owner")));
  EXPECT_THAT(handlers_->PlanResponse(id, v1::RESPONSE_STRATEGY_EXPLOIT, {},
                                      Ctx("exploit")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("for opportunities")));
  v1::RiskIdentified untitled = Supplier("erp");
  untitled.clear_title();
  untitled.clear_owner();
  EXPECT_THAT(
      handlers_->IdentifyRisk(untitled, Ctx("untitled")),
      StatusIs(absl::StatusCode::kInvalidArgument,
               ::testing::AllOf(HasSubstr("title"), HasSubstr("owner"))));
  EXPECT_THAT(
      handlers_->ChangeRiskStatus(id, v1::RISK_STATUS_ASSESSED, "why",
                                  Ctx("bad-status")),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("status")));
}

TEST_F(RiskHandlersTest, OpportunitiesShareTheRegisterAndListsRankByScore) {
  ASSERT_OK_AND_ASSIGN(VersionedRisk threat,
                       handlers_->IdentifyRisk(Supplier("erp"), Ctx("t")));
  ASSERT_OK_AND_ASSIGN(
      VersionedRisk opportunity,
      handlers_->IdentifyRisk(Supplier("erp", v1::RISK_KIND_OPPORTUNITY),
                              Ctx("o")));
  ASSERT_OK_AND_ASSIGN(VersionedRisk other,
                       handlers_->IdentifyRisk(Supplier("crm"), Ctx("c")));
  ASSERT_OK(handlers_
                ->AssessRisk(threat.state.state().risk_id(), false,
                             A(2, 2, 0, 0, 1), {}, Ctx("ta"))
                .status());
  ASSERT_OK(handlers_
                ->AssessRisk(opportunity.state.state().risk_id(), false,
                             A(5, 4, 0, 0, 1), {}, Ctx("oa"))
                .status());
  ASSERT_OK(handlers_
                ->PlanResponse(opportunity.state.state().risk_id(),
                               v1::RESPONSE_STRATEGY_EXPLOIT, {},
                               Ctx("exploit"))
                .status());
  ASSERT_OK_AND_ASSIGN(auto erp, handlers_->ListRisks("erp", 0));
  ASSERT_EQ(erp.size(), 2u);
  EXPECT_EQ(erp[0].state.state().kind(),
            v1::RISK_KIND_OPPORTUNITY);  // score 20 before 4
  ASSERT_OK_AND_ASSIGN(auto all, handlers_->ListRisks("", 0));
  EXPECT_EQ(all.size(), 3u);
  (void)other;
}

}  // namespace
}  // namespace pmo::risks

namespace pmo::risks {
namespace {

// Worked by hand on the default matrix: ERP's risk, probability 3 (0.5),
// 10,000 if it happens -> EV 5,000; CRM's, probability 2 (0.3), 20,000 ->
// EV 6,000. Combined: P(any) = 1 - 0.5 x 0.7 = 0.65, EV 11,000, worst case
// 30,000. ERP's residual, probability 1 (0.1) -> EV 1,000: P(any) =
// 1 - 0.9 x 0.7 = 0.37, EV 7,000.
TEST_F(RiskHandlersTest, CombinedExposureFollowsItsMembers) {
  ASSERT_OK_AND_ASSIGN(VersionedRisk erp,
                       handlers_->IdentifyRisk(Supplier("erp"), Ctx("erp")));
  ASSERT_OK_AND_ASSIGN(VersionedRisk crm,
                       handlers_->IdentifyRisk(Supplier("crm"), Ctx("crm")));
  const std::string a = erp.state.state().risk_id(),
                    b = crm.state.state().risk_id();
  v1::RisksCombined combined;
  combined.set_level(v1::RISK_LEVEL_PORTFOLIO);
  combined.set_scope_id(kCorporate);
  combined.set_title("Single supplier across projects");
  combined.set_category("External/Suppliers");
  combined.set_owner("pmo");
  combined.add_member_risk_ids(a);
  combined.add_member_risk_ids(b);
  EXPECT_THAT(handlers_->CombineRisks(combined, Ctx("too-early")),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("not assessed")));
  ASSERT_OK(
      handlers_->AssessRisk(a, false, A(3, 2, 0, 0, 10'000), {}, Ctx("a1"))
          .status());
  ASSERT_OK(
      handlers_->AssessRisk(b, false, A(2, 3, 0, 0, 20'000), {}, Ctx("b1"))
          .status());
  v1::RisksCombined with_itself = combined;
  with_itself.set_member_risk_ids(1, a);
  EXPECT_THAT(handlers_->CombineRisks(with_itself, Ctx("itself")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("member_risk_ids[1]")));

  ASSERT_OK_AND_ASSIGN(VersionedCombinedRisk c,
                       handlers_->CombineRisks(combined, Ctx("combine")));
  const v1::CombinedExposure& start = c.state.state().exposure();
  EXPECT_NEAR(start.probability_any(), 0.65, 1e-9);
  EXPECT_EQ(start.expected_value_minor(), 11'000);
  EXPECT_EQ(start.worst_case_minor(), 30'000);
  ASSERT_OK_AND_ASSIGN(VersionedRisk member, handlers_->GetRisk(a));
  EXPECT_THAT(member.state.state().combined_risk_ids(),
              ::testing::ElementsAre(c.state.state().combined_risk_id()));

  ASSERT_OK(handlers_->AssessRisk(a, true, A(1, 2, 0, 0, 10'000), {}, Ctx("a2"))
                .status());
  ASSERT_OK_AND_ASSIGN(
      c, handlers_->GetCombinedRisk(c.state.state().combined_risk_id()));
  EXPECT_NEAR(c.state.state().exposure().probability_any(), 0.37, 1e-9);
  EXPECT_EQ(c.state.state().exposure().expected_value_minor(), 7'000);
  ASSERT_OK_AND_ASSIGN(auto events,
                       store_->ReadStream(c.state.state().combined_risk_id()));
  EXPECT_EQ(events.back().event_type, "pmo.risks.v1.CombinedExposureChanged");
  // The same request again changes nothing more.
  ASSERT_OK(handlers_->AssessRisk(a, true, A(1, 2, 0, 0, 10'000), {}, Ctx("a2"))
                .status());
  ASSERT_OK_AND_ASSIGN(auto again,
                       store_->ReadStream(c.state.state().combined_risk_id()));
  EXPECT_EQ(again.size(), events.size());
}

}  // namespace
}  // namespace pmo::risks
