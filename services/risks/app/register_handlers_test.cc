// The register beyond single risks: the issue log, the PMO's escalation
// queue, overdue lists, versioned portfolio matrices with re-rating, and the
// contingency reserve over time. Figures are worked by hand in comments.

#include "services/risks/app/testing/register_fixture.h"

namespace pmo::risks {
namespace {

using ::pmo::testing::StatusIs;
using ::pmo::testing::ViolatesRule;
using testing::A;
using testing::Ctx;
using testing::D;
using ::testing::HasSubstr;
using testing::kCorporate;
using testing::kDigital;
using testing::Supplier;

class RegisterTest : public testing::RiskRegisterTest {
 protected:
  // The next day, 09:00.
  void NextDay(int days = 1) { clock_.Advance(absl::Hours(24 * days)); }
  // The corporate portfolio's own matrix: probabilities 0.05..0.8, LOW 1-2,
  // MEDIUM 3-5, HIGH 6-11, CRITICAL 12-25, no automatic escalation.
  static v1::RiskMatrix Stricter() {
    v1::RiskMatrix m;
    m.set_probability_levels(5);
    m.set_impact_levels(5);
    for (double p : {0.05, 0.2, 0.4, 0.6, 0.8}) m.add_probability_of_level(p);
    for (auto [name, lo, hi] :
         {std::tuple{"LOW", 1, 2}, std::tuple{"MEDIUM", 3, 5},
          std::tuple{"HIGH", 6, 11}, std::tuple{"CRITICAL", 12, 25}}) {
      v1::RatingBand* b = m.add_bands();
      b->set_rating(name);
      b->set_min_score(lo);
      b->set_max_score(hi);
    }
    return m;
  }
};

TEST_F(RegisterTest, UnknownScopesAreRefusedNamingTheRule) {
  EXPECT_THAT(handlers_->IdentifyRisk(Supplier("nowhere"), Ctx("p")),
              ViolatesRule("UNKNOWN_PROJECT"));
  EXPECT_THAT(handlers_->IdentifyRisk(Supplier("nowhere", v1::RISK_KIND_THREAT,
                                               v1::RISK_LEVEL_PROGRAMME),
                                      Ctx("g")),
              ViolatesRule("UNKNOWN_PROGRAMME"));
  EXPECT_THAT(handlers_->IdentifyRisk(Supplier("nowhere", v1::RISK_KIND_THREAT,
                                               v1::RISK_LEVEL_PORTFOLIO),
                                      Ctx("f")),
              ViolatesRule("UNKNOWN_PORTFOLIO"));
  EXPECT_OK(handlers_
                ->IdentifyRisk(Supplier(kDigital, v1::RISK_KIND_THREAT,
                                        v1::RISK_LEVEL_PROGRAMME),
                               Ctx("ok"))
                .status());
}

// Residual probability 3, cost impact 4 on the default matrix: score 12,
// HIGH -> issue priority HIGH.
TEST_F(RegisterTest, AThreatThatOccursOpensItsIssueOnceLinkedBothWays) {
  const std::string id = Assessed("erp", A(4, 4, 0, 0, 50'000), "erp");
  ASSERT_OK(
      handlers_
          ->AssessRisk(id, true, A(3, 4, 0, 0, 50'000), {}, Ctx("residual"))
          .status());
  NextDay();
  ASSERT_OK_AND_ASSIGN(
      RiskStatusChange occurred,
      handlers_->ChangeRiskStatus(id, v1::RISK_STATUS_OCCURRED,
                                  "Supplier went into administration",
                                  Ctx("occurred")));
  ASSERT_TRUE(occurred.issue.has_value());
  const v1::Issue& issue = occurred.issue->state.state();
  EXPECT_EQ(issue.risk_id(), id);
  EXPECT_EQ(occurred.risk.state.state().issue_id(), issue.issue_id());
  EXPECT_EQ(occurred.risk.state.state().status(), v1::RISK_STATUS_OCCURRED);
  EXPECT_EQ(issue.priority(), v1::ISSUE_PRIORITY_HIGH);
  EXPECT_EQ(issue.owner(), "alice");
  EXPECT_EQ(issue.scope_id(), "erp");
  EXPECT_THAT(issue.description(),
              HasSubstr("Supplier went into administration"));
  EXPECT_EQ(issue.raised_on().day(), 2);

  // The same request again: the same issue, nothing appended.
  const int64_t head = store_->HeadPosition();
  ASSERT_OK_AND_ASSIGN(
      RiskStatusChange again,
      handlers_->ChangeRiskStatus(id, v1::RISK_STATUS_OCCURRED,
                                  "Supplier went into administration",
                                  Ctx("occurred")));
  ASSERT_TRUE(again.issue.has_value());
  EXPECT_EQ(again.issue->state.state().issue_id(), issue.issue_id());
  EXPECT_EQ(store_->HeadPosition(), head);

  // The history shows every change, with who made it.
  ASSERT_OK_AND_ASSIGN(auto history, handlers_->GetRiskHistory(id));
  std::vector<std::string> types;
  types.reserve(history.size());
  for (const auto& e : history) types.push_back(e.event_type);
  EXPECT_THAT(types, ::testing::ElementsAre("pmo.risks.v1.RiskIdentified",
                                            "pmo.risks.v1.RiskAssessed",
                                            "pmo.risks.v1.RiskStatusChanged",
                                            "pmo.risks.v1.RiskAssessed",
                                            "pmo.risks.v1.RiskStatusChanged"));
  EXPECT_EQ(history.back().metadata.actor, "pm-alice");
  EXPECT_THAT(handlers_->GetRiskHistory(issue.issue_id()),
              StatusIs(absl::StatusCode::kNotFound));

  // An occurred risk changes no more, and opens no second issue.
  EXPECT_THAT(handlers_->ChangeRiskStatus(id, v1::RISK_STATUS_OCCURRED, "again",
                                          Ctx("twice")),
              ViolatesRule("RISK_LIFECYCLE"));
  ASSERT_OK_AND_ASSIGN(auto open, issues_->ListIssues("erp", false, 0));
  EXPECT_EQ(open.size(), 1u);
}

TEST_F(RegisterTest, ARealisedOpportunityOpensNoIssue) {
  const std::string id =
      Assessed("erp", A(4, 2, 0, 0, 10'000), "o", v1::RISK_KIND_OPPORTUNITY);
  ASSERT_OK_AND_ASSIGN(
      RiskStatusChange realised,
      handlers_->ChangeRiskStatus(id, v1::RISK_STATUS_OCCURRED,
                                  "bulk discount won", Ctx("realised")));
  EXPECT_FALSE(realised.issue.has_value());
  EXPECT_TRUE(realised.risk.state.state().issue_id().empty());
}

TEST_F(RegisterTest, IssuesAreRaisedReassignedAndResolvedWithClearErrors) {
  v1::IssueRaised issue;
  issue.set_level(v1::RISK_LEVEL_PROJECT);
  issue.set_scope_id("crm");
  issue.set_title("Test environment down");
  issue.set_priority(v1::ISSUE_PRIORITY_MEDIUM);
  issue.set_owner("bob");
  v1::IssueRaised bad = issue;
  bad.clear_owner();
  bad.set_priority(v1::ISSUE_PRIORITY_UNSPECIFIED);
  EXPECT_THAT(
      issues_->RaiseIssue(bad, Ctx("bad")),
      StatusIs(absl::StatusCode::kInvalidArgument,
               ::testing::AllOf(HasSubstr("owner"), HasSubstr("priority"))));
  ASSERT_OK_AND_ASSIGN(VersionedIssue raised,
                       issues_->RaiseIssue(issue, Ctx("raise")));
  const std::string id = raised.state.state().issue_id();
  EXPECT_EQ(raised.state.state().raised_on().day(), 1);  // today
  ASSERT_OK_AND_ASSIGN(
      raised, issues_->ReassignIssue(id, v1::ISSUE_PRIORITY_CRITICAL, "carol",
                                     Ctx("reassign")));
  EXPECT_EQ(raised.state.state().owner(), "carol");
  EXPECT_THAT(
      issues_->ResolveIssue(id, "", {}, Ctx("no-resolution")),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("resolution")));
  EXPECT_THAT(
      issues_->ResolveIssue(id, "Fixed", D(2027, 2, 1), Ctx("before-raised")),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("resolved_on")));
  auto stale = Ctx("stale");
  stale.expected_version = 1;
  EXPECT_THAT(issues_->ResolveIssue(id, "Fixed", {}, stale),
              StatusIs(absl::StatusCode::kAborted));
  ASSERT_OK_AND_ASSIGN(
      raised,
      issues_->ResolveIssue(id, "Rebuilt the environment", {}, Ctx("resolve")));
  EXPECT_EQ(raised.state.state().status(), v1::ISSUE_STATUS_RESOLVED);
  EXPECT_THAT(
      issues_->ReassignIssue(id, v1::ISSUE_PRIORITY_LOW, "dan", Ctx("late")),
      ViolatesRule("ISSUE_LIFECYCLE"));
  ASSERT_OK_AND_ASSIGN(auto open, issues_->ListIssues("crm", false, 0));
  EXPECT_TRUE(open.empty());
  ASSERT_OK_AND_ASSIGN(auto all, issues_->ListIssues("crm", true, 0));
  EXPECT_EQ(all.size(), 1u);
}

// Default matrix threshold 17: probability 4 x impact 5 = 20 escalates by
// itself; probability 2 x impact 3 = 6 does not, until a manager escalates.
TEST_F(RegisterTest, RisksReachThePmoQueueAndAreAcceptedOrReturned) {
  const std::string severe = Assessed("erp", A(4, 5, 0, 0, 80'000), "severe");
  const std::string minor = Assessed("crm", A(2, 3, 0, 0, 10'000), "minor");
  ASSERT_OK_AND_ASSIGN(auto queue,
                       escalations_->ListEscalations(kCorporate, {}, 0));
  ASSERT_EQ(queue.size(), 1u);
  EXPECT_EQ(queue[0].state.state().risk_id(), severe);
  EXPECT_TRUE(queue[0].state.state().escalation().automatic());

  EXPECT_THAT(
      escalations_->EscalateRisk(minor, "", Ctx("no-reason")),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("reason")));
  ASSERT_OK_AND_ASSIGN(
      VersionedRisk escalated,
      escalations_->EscalateRisk(minor, "Same vendor as ERP", Ctx("escalate")));
  EXPECT_EQ(escalated.state.state().escalation().escalated_by(), "pm-alice");
  EXPECT_THAT(escalations_->EscalateRisk(minor, "again", Ctx("escalate-again")),
              ViolatesRule("ESCALATION"));
  ASSERT_OK_AND_ASSIGN(queue, escalations_->ListEscalations(kCorporate, {}, 0));
  ASSERT_EQ(queue.size(), 2u);
  EXPECT_EQ(queue[0].state.state().risk_id(), severe);  // score 20 before 6

  // Returned with a reason; back in the queue only when it gets worse.
  EXPECT_THAT(
      escalations_->ReturnEscalation(minor, " ", Ctx("return-blank")),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("reason")));
  ASSERT_OK_AND_ASSIGN(VersionedRisk returned,
                       escalations_->ReturnEscalation(
                           minor, "Project can handle it", Ctx("return")));
  EXPECT_EQ(returned.state.state().escalation().status(),
            v1::ESCALATION_STATUS_RETURNED);
  ASSERT_OK_AND_ASSIGN(auto back,
                       escalations_->ListEscalations(
                           kCorporate, v1::ESCALATION_STATUS_RETURNED, 0));
  EXPECT_EQ(back.size(), 1u);

  // Accepted: a portfolio risk with the same description and assessment.
  EXPECT_THAT(
      escalations_->AcceptEscalation(severe, "", "", "", Ctx("no-owner")),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("owner")));
  ASSERT_OK_AND_ASSIGN(
      AcceptedEscalation accepted,
      escalations_->AcceptEscalation(
          severe, "pmo-risk-lead", "Affects the portfolio", "", Ctx("accept")));
  const v1::Risk& pr = accepted.portfolio_risk.state.state();
  EXPECT_EQ(pr.level(), v1::RISK_LEVEL_PORTFOLIO);
  EXPECT_EQ(pr.scope_id(), kCorporate);
  EXPECT_EQ(pr.owner(), "pmo-risk-lead");
  EXPECT_EQ(pr.escalated_from_risk_id(), severe);
  EXPECT_EQ(pr.inherent_rating().score(), 20);
  EXPECT_EQ(pr.status(), v1::RISK_STATUS_ASSESSED);
  EXPECT_EQ(accepted.risk.state.state().escalation().status(),
            v1::ESCALATION_STATUS_ACCEPTED);
  EXPECT_EQ(accepted.risk.state.state().escalation().portfolio_risk_id(),
            pr.risk_id());
  // A retry answers with the same portfolio risk.
  ASSERT_OK_AND_ASSIGN(
      AcceptedEscalation retry,
      escalations_->AcceptEscalation(
          severe, "pmo-risk-lead", "Affects the portfolio", "", Ctx("accept")));
  EXPECT_EQ(retry.portfolio_risk.state.state().risk_id(), pr.risk_id());
  ASSERT_OK_AND_ASSIGN(queue, escalations_->ListEscalations(kCorporate, {}, 0));
  EXPECT_TRUE(queue.empty());
}

TEST_F(RegisterTest, WhoEscalatedARiskDoesNotAcceptTheEscalation) {
  const std::string minor = Assessed("crm", A(2, 3, 0, 0, 10'000), "minor");
  ASSERT_OK(
      escalations_->EscalateRisk(minor, "Same vendor as ERP", Ctx("escalate"))
          .status());
  ASSERT_OK_AND_ASSIGN(VersionedRisk before, handlers_->GetRisk(minor));
  ASSERT_OK_AND_ASSIGN(auto portfolio_risks,
                       handlers_->ListRisks(kCorporate, 0));
  // Ctx's actor, pm-alice, escalated it.
  EXPECT_THAT(escalations_->AcceptEscalation(minor, "pmo-risk-lead", "", "",
                                             Ctx("accept-own")),
              ViolatesRule("SEPARATION_OF_DUTIES"));
  ASSERT_OK_AND_ASSIGN(VersionedRisk after, handlers_->GetRisk(minor));
  EXPECT_EQ(after.version, before.version);
  ASSERT_OK_AND_ASSIGN(auto still, handlers_->ListRisks(kCorporate, 0));
  EXPECT_EQ(still.size(), portfolio_risks.size());

  eventsourcing::CommandContext lead = Ctx("accept");
  lead.metadata.actor = "pmo-lead";
  ASSERT_OK_AND_ASSIGN(
      AcceptedEscalation accepted,
      escalations_->AcceptEscalation(minor, "pmo-risk-lead", "", "", lead));
  EXPECT_EQ(accepted.risk.state.state().escalation().status(),
            v1::ESCALATION_STATUS_ACCEPTED);
  ASSERT_OK_AND_ASSIGN(auto history, handlers_->GetRiskHistory(minor));
  EXPECT_EQ(history.back().metadata.actor, "pmo-lead");
}

TEST_F(RegisterTest,
       AnEscalationFromAProjectInNoPortfolioNeedsOneToBeAccepted) {
  const std::string lab = Assessed("lab", A(5, 5, 0, 0, 1'000), "lab");
  ASSERT_OK_AND_ASSIGN(auto queue, escalations_->ListEscalations("", {}, 0));
  ASSERT_EQ(queue.size(), 1u);
  EXPECT_EQ(queue[0].state.state().escalation().portfolio_id(), "");
  EXPECT_THAT(
      escalations_->AcceptEscalation(lab, "pmo", "", "", Ctx("accept")),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("portfolio_id")));
  ASSERT_OK_AND_ASSIGN(AcceptedEscalation accepted,
                       escalations_->AcceptEscalation(
                           lab, "pmo", "", kCorporate, Ctx("accept-2")));
  EXPECT_EQ(accepted.portfolio_risk.state.state().scope_id(), kCorporate);
}

TEST_F(RegisterTest, OverdueReviewsAndActionsAreListedMostOverdueFirst) {
  auto identified = Supplier("erp");
  *identified.mutable_next_review() = D(2027, 3, 10);
  ASSERT_OK_AND_ASSIGN(VersionedRisk r,
                       handlers_->IdentifyRisk(identified, Ctx("r")));
  const std::string id = r.state.state().risk_id();
  ASSERT_OK(
      handlers_
          ->AssessRisk(id, false, A(2, 2, 0, 0, 1'000), D(2027, 3, 5), Ctx("a"))
          .status());
  v1::ResponseAction early, late;
  early.set_description("Second supplier");
  early.set_owner("bob");
  *early.mutable_due() = D(2027, 3, 3);
  late = early;
  late.set_description("Escrow");
  *late.mutable_due() = D(2027, 3, 20);
  ASSERT_OK(handlers_
                ->PlanResponse(id, v1::RESPONSE_STRATEGY_MITIGATE,
                               {early, late}, Ctx("p"))
                .status());
  const std::string closed = Assessed("crm", A(2, 2, 0, 0, 1'000), "closed");
  ASSERT_OK(
      handlers_
          ->ChangeRiskStatus(closed, v1::RISK_STATUS_CLOSED, "gone", Ctx("c"))
          .status());

  ASSERT_OK_AND_ASSIGN(Overdue overdue,
                       reports_->ListOverdue("", absl::CivilDay(2027, 3, 12)));
  ASSERT_EQ(overdue.reviews.size(),
            1u);  // the review moved to 5 March; 7 days late
  EXPECT_EQ(overdue.reviews[0].days_overdue(), 7);
  ASSERT_EQ(overdue.actions.size(), 1u);  // the 3 March action; 9 days late
  EXPECT_EQ(overdue.actions[0].action().description(), "Second supplier");
  EXPECT_EQ(overdue.actions[0].days_overdue(), 9);
  ASSERT_OK(handlers_
                ->CompleteResponseAction(
                    id, overdue.actions[0].action().action_id(), Ctx("done"))
                .status());
  ASSERT_OK_AND_ASSIGN(
      overdue, reports_->ListOverdue("erp", absl::CivilDay(2027, 3, 25)));
  ASSERT_EQ(overdue.actions.size(), 1u);
  EXPECT_EQ(overdue.actions[0].action().description(), "Escrow");
  ASSERT_OK_AND_ASSIGN(
      overdue, reports_->ListOverdue("crm", absl::CivilDay(2027, 3, 25)));
  EXPECT_TRUE(overdue.reviews.empty());
}

// ERP's risk: probability 3, cost impact 2, 10,000 if it happens.
//   default matrix: score 6 MEDIUM, EV 0.5 x 10,000 = 5,000
//   corporate v1:   score 6 HIGH,   EV 0.4 x 10,000 = 4,000
// LAB is in no portfolio: its risk keeps the default rating.
TEST_F(RegisterTest, AMatrixVersionReratesThePortfolioAndStaysExplainable) {
  const std::string erp = Assessed("erp", A(3, 2, 0, 0, 10'000), "erp");
  const std::string crm = Assessed("crm", A(2, 2, 0, 0, 10'000), "crm");
  const std::string lab = Assessed("lab", A(3, 2, 0, 0, 10'000), "lab");
  v1::RisksCombined combined;
  combined.set_level(v1::RISK_LEVEL_PROGRAMME);
  combined.set_scope_id(kDigital);
  combined.set_title("One vendor");
  combined.set_category("External/Suppliers");
  combined.set_owner("pmo");
  combined.add_member_risk_ids(erp);
  combined.add_member_risk_ids(crm);
  ASSERT_OK_AND_ASSIGN(VersionedCombinedRisk c,
                       handlers_->CombineRisks(combined, Ctx("combine")));
  // 5,000 + 0.3 x 10,000 = 8,000.
  EXPECT_EQ(c.state.state().exposure().expected_value_minor(), 8'000);

  v1::RiskMatrix overlapping = Stricter();
  overlapping.mutable_bands(1)->set_min_score(2);
  EXPECT_THAT(
      matrices_->ConfigureRiskMatrix(kCorporate, overlapping, Ctx("bad")),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("matrix.bands[1].min_score")));
  v1::RiskMatrix escalating_too_high = Stricter();
  escalating_too_high.set_escalation_min_score(26);
  EXPECT_THAT(matrices_->ConfigureRiskMatrix(kCorporate, escalating_too_high,
                                             Ctx("bad-2")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("matrix.escalation_min_score")));

  ASSERT_OK_AND_ASSIGN(
      ConfiguredMatrix configured,
      matrices_->ConfigureRiskMatrix(kCorporate, Stricter(), Ctx("v1")));
  EXPECT_EQ(configured.matrix.version(), absl::StrCat(kCorporate, "/v1"));
  EXPECT_EQ(configured.ratings_changed, 2);  // ERP's and CRM's inherent ratings
  ASSERT_OK_AND_ASSIGN(VersionedRisk rerated, handlers_->GetRisk(erp));
  EXPECT_EQ(rerated.state.state().inherent_rating().rating(), "HIGH");
  EXPECT_EQ(rerated.state.state().inherent_rating().expected_value_minor(),
            4'000);
  EXPECT_EQ(rerated.state.state().inherent_rating().matrix_version(),
            configured.matrix.version());
  ASSERT_OK_AND_ASSIGN(VersionedRisk untouched, handlers_->GetRisk(lab));
  EXPECT_EQ(untouched.state.state().inherent_rating().rating(), "MEDIUM");
  // 4,000 + 0.2 x 10,000 = 6,000, on the new version.
  ASSERT_OK_AND_ASSIGN(
      c, handlers_->GetCombinedRisk(c.state.state().combined_risk_id()));
  EXPECT_EQ(c.state.state().exposure().expected_value_minor(), 6'000);
  EXPECT_EQ(c.state.state().exposure().matrix_version(),
            configured.matrix.version());

  // The same matrix again is no new version; re-rating again appends nothing.
  const int64_t head = store_->HeadPosition();
  ASSERT_OK_AND_ASSIGN(configured, matrices_->ConfigureRiskMatrix(
                                       kCorporate, Stricter(), Ctx("same")));
  EXPECT_EQ(configured.ratings_changed, 0);
  ASSERT_OK_AND_ASSIGN(int again,
                       matrices_->RerateStale(kCorporate, Ctx("again")));
  EXPECT_EQ(again, 0);
  EXPECT_EQ(store_->HeadPosition(), head);

  // Every version stays readable: old ratings remain explainable.
  ASSERT_OK_AND_ASSIGN(v1::RiskMatrix old,
                       matrices_->GetRiskMatrix(kCorporate, "5x5-default"));
  EXPECT_EQ(old.bands(1).min_score(), 5);
  ASSERT_OK_AND_ASSIGN(v1::RiskMatrix current,
                       matrices_->GetRiskMatrix(kCorporate, ""));
  EXPECT_EQ(current.version(), absl::StrCat(kCorporate, "/v1"));
  EXPECT_THAT(matrices_->GetRiskMatrix(kCorporate, "v9"),
              StatusIs(absl::StatusCode::kNotFound));
  // New assessments in the portfolio use it.
  ASSERT_OK_AND_ASSIGN(VersionedRisk reassessed,
                       handlers_->AssessRisk(crm, true, A(1, 1, 0, 0, 1'000),
                                             {}, Ctx("crm-res")));
  EXPECT_EQ(reassessed.state.state().residual_rating().expected_value_minor(),
            50);  // 0.05 x 1,000
}

// Day by day (09:00 UTC each):
//   1 Mar  ERP threat, EV 5,000 (p 3 -> 0.5 x 10,000)
//   2 Mar  CRM threat, EV 6,000 (p 2 -> 0.3 x 20,000)          11,000
//   3 Mar  ERP opportunity, EV 700 (p 4 -> 0.7 x 1,000), apart  11,000 / 700
//          LAB threat (not in the portfolio)
//   5 Mar  ERP threat closed                                      6,000 / 700
TEST_F(RegisterTest, TheContingencyReserveIsFollowedDayByDay) {
  const std::string erp = Assessed("erp", A(3, 2, 0, 0, 10'000), "erp");
  NextDay();
  Assessed("crm", A(2, 2, 0, 0, 20'000), "crm");
  NextDay();
  Assessed("erp", A(4, 1, 0, 0, 1'000), "gain", v1::RISK_KIND_OPPORTUNITY);
  Assessed("lab", A(5, 5, 0, 0, 1'000'000), "lab");
  NextDay(2);
  ASSERT_OK(handlers_
                ->ChangeRiskStatus(erp, v1::RISK_STATUS_CLOSED, "mitigated",
                                   Ctx("close"))
                .status());

  ASSERT_OK_AND_ASSIGN(auto points, reports_->ContingencyReserve(
                                        v1::RISK_LEVEL_PORTFOLIO, kCorporate,
                                        absl::CivilDay(2027, 3, 1),
                                        absl::CivilDay(2027, 3, 10)));
  std::vector<std::tuple<int, int64_t, int64_t, int>> got;
  got.reserve(points.size());
  for (const v1::ContingencyPoint& p : points) {
    got.emplace_back(p.date().day(), p.threat_expected_value_minor(),
                     p.opportunity_expected_value_minor(), p.open_risks());
  }
  EXPECT_THAT(got, ::testing::ElementsAre(std::tuple{1, 5'000, 0, 1},
                                          std::tuple{2, 11'000, 0, 2},
                                          std::tuple{3, 11'000, 700, 3},
                                          std::tuple{5, 6'000, 700, 2},
                                          std::tuple{10, 6'000, 700, 2}));
  // One project, from a later day: the reserve it had then.
  ASSERT_OK_AND_ASSIGN(points, reports_->ContingencyReserve(
                                   v1::RISK_LEVEL_PROJECT, "erp",
                                   absl::CivilDay(2027, 3, 2), std::nullopt));
  ASSERT_EQ(points.size(),
            3u);  // 2 Mar, 5 Mar, today (5 Mar is today: one point)
  EXPECT_EQ(points[0].threat_expected_value_minor(), 5'000);
  EXPECT_EQ(points[1].date().day(), 3);
  EXPECT_EQ(points[2].threat_expected_value_minor(), 0);
  EXPECT_THAT(reports_->ContingencyReserve(v1::RISK_LEVEL_PROJECT, "erp",
                                           absl::CivilDay(2027, 3, 9),
                                           absl::CivilDay(2027, 3, 2)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("to")));
}

}  // namespace
}  // namespace pmo::risks
