// Item-scoped rights with real tokens on a secured `pmo`: a project manager
// acts on the risks, issues, bookings and capacity requests of their own
// project, found by the item's id alone, and on nothing of another project;
// approval-like steps are the caller's and never the requester's own; and a
// request id two managers both pick stays each one's (docs/security.md).
//
// The portfolio is tests/support/managed_portfolio.h's: alice manages ERP,
// bob (here) manages CRM; each has a threat and a booking of Dana.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/support/managed_portfolio.h"

namespace pmo::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kUnknownId[] = "0c0ab1e5-dead-4000-8000-00000000beef";

class ItemAccessTest : public ManagedPortfolioTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(ManagedPortfolioTest::SetUp());
    bob_ = Token("bob", {"project_manager"}, {crm_});
    erp_risk_ = OnlyRiskOf(erp_);
    crm_risk_ = OnlyRiskOf(crm_);
    ASSERT_FALSE(erp_risk_.empty());
    ASSERT_FALSE(crm_risk_.empty());
  }

  std::vector<kv1::Risk> RisksOf(const std::string& scope_id) {
    kv1::ListRisksRequest request;
    request.set_scope_id(scope_id);
    kv1::ListRisksResponse response;
    const grpc::Status s = Call(admin_, [&](auto* c) {
      return risks_->ListRisks(c, request, &response);
    });
    EXPECT_TRUE(s.ok()) << s.error_message();
    return {response.risks().begin(), response.risks().end()};
  }
  std::string OnlyRiskOf(const std::string& scope_id) {
    const std::vector<kv1::Risk> risks = RisksOf(scope_id);
    EXPECT_EQ(risks.size(), 1u);
    return risks.empty() ? "" : risks[0].risk_id();
  }
  std::vector<kv1::Issue> IssuesOf(const std::string& scope_id) {
    kv1::ListIssuesRequest request;
    request.set_scope_id(scope_id);
    request.set_include_resolved(true);
    kv1::ListIssuesResponse response;
    const grpc::Status s = Call(admin_, [&](auto* c) {
      return risks_->ListIssues(c, request, &response);
    });
    EXPECT_TRUE(s.ok()) << s.error_message();
    return {response.issues().begin(), response.issues().end()};
  }
  // The risk's stream version, as the administrator reads it.
  int64_t VersionOf(const std::string& risk_id) {
    kv1::GetRiskHistoryRequest request;
    request.set_risk_id(risk_id);
    kv1::GetRiskHistoryResponse response;
    const grpc::Status s = Call(admin_, [&](auto* c) {
      return risks_->GetRiskHistory(c, request, &response);
    });
    EXPECT_TRUE(s.ok()) << s.error_message();
    return response.entries().empty() ? 0
                                      : response.entries().rbegin()->version();
  }

  grpc::Status Assess(const std::string& token, const std::string& risk_id,
                      const std::string& request_id) {
    kv1::AssessRiskRequest assess;
    assess.set_request_id(request_id);
    assess.set_risk_id(risk_id);
    assess.set_residual(false);
    assess.mutable_assessment()->set_probability(2);
    assess.mutable_assessment()->mutable_impact()->set_cost(2);
    assess.mutable_assessment()->set_cost_impact_minor(4'000);
    kv1::AssessRiskResponse assessed;
    return Call(token, [&](auto* c) {
      return risks_->AssessRisk(c, assess, &assessed);
    });
  }
  grpc::Status Plan(const std::string& token, const std::string& risk_id,
                    const std::string& request_id) {
    kv1::PlanResponseRequest plan;
    plan.set_request_id(request_id);
    plan.set_risk_id(risk_id);
    plan.set_strategy(kv1::RESPONSE_STRATEGY_MITIGATE);
    kv1::ResponseAction* action = plan.add_actions();
    action->set_description("Second supplier");
    action->set_owner("alice");
    *action->mutable_due() = Day(2027, 4, 30);
    kv1::PlanResponseResponse planned;
    return Call(token, [&](auto* c) {
      return risks_->PlanResponse(c, plan, &planned);
    });
  }
  grpc::Status Escalate(const std::string& token, const std::string& risk_id,
                        const std::string& request_id) {
    kv1::EscalateRiskRequest escalate;
    escalate.set_request_id(request_id);
    escalate.set_risk_id(risk_id);
    escalate.set_reason("Same supplier across the programme");
    kv1::EscalateRiskResponse escalated;
    return Call(token, [&](auto* c) {
      return risks_->EscalateRisk(c, escalate, &escalated);
    });
  }
  grpc::Status Accept(const std::string& token, const std::string& risk_id,
                      const std::string& request_id) {
    kv1::AcceptEscalationRequest accept;
    accept.set_request_id(request_id);
    accept.set_risk_id(risk_id);
    accept.set_owner("pmo-risk-lead");
    kv1::AcceptEscalationResponse accepted;
    return Call(token, [&](auto* c) {
      return risks_->AcceptEscalation(c, accept, &accepted);
    });
  }
  grpc::Status GetRisk(const std::string& token, const std::string& risk_id,
                       kv1::GetRiskResponse* response) {
    kv1::GetRiskRequest get;
    get.set_risk_id(risk_id);
    return Call(token,
                [&](auto* c) { return risks_->GetRisk(c, get, response); });
  }
  kv1::RaiseIssueRequest Issue(const std::string& request_id,
                               const std::string& scope_id,
                               const std::string& title) {
    kv1::RaiseIssueRequest raise;
    raise.set_request_id(request_id);
    raise.set_level(kv1::RISK_LEVEL_PROJECT);
    raise.set_scope_id(scope_id);
    raise.set_title(title);
    raise.set_priority(kv1::ISSUE_PRIORITY_HIGH);
    raise.set_owner("alice");
    return raise;
  }
  grpc::Status Resolve(const std::string& token, const std::string& issue_id,
                       const std::string& request_id) {
    kv1::ResolveIssueRequest resolve;
    resolve.set_request_id(request_id);
    resolve.set_issue_id(issue_id);
    resolve.set_resolution("Supplier replaced");
    kv1::ResolveIssueResponse resolved;
    return Call(token, [&](auto* c) {
      return risks_->ResolveIssue(c, resolve, &resolved);
    });
  }

  rsv1::Resource Dana() {
    rsv1::GetResourceRequest get;
    get.set_resource_id(resource_);
    rsv1::GetResourceResponse got;
    const grpc::Status s =
        Call(admin_, [&](auto* c) { return pool_->GetResource(c, get, &got); });
    EXPECT_TRUE(s.ok()) << s.error_message();
    return got.resource();
  }
  std::string BookingOf(const std::string& project_id) {
    const rsv1::Resource dana = Dana();
    for (const rsv1::Allocation& a : dana.allocations()) {
      if (a.project_id() == project_id) return a.allocation_id();
    }
    ADD_FAILURE() << "no booking of " << project_id;
    return "";
  }
  grpc::Status Cancel(const std::string& token,
                      const std::string& allocation_id,
                      const std::string& request_id) {
    rsv1::CancelAllocationRequest cancel;
    cancel.set_request_id(request_id);
    cancel.set_resource_id(resource_);
    cancel.set_allocation_id(allocation_id);
    cancel.set_reason("re-planned");
    rsv1::CancelAllocationResponse cancelled;
    return Call(token, [&](auto* c) {
      return pool_->CancelAllocation(c, cancel, &cancelled);
    });
  }
  grpc::Status Decide(const std::string& token,
                      const std::string& capacity_request_id,
                      const std::string& request_id,
                      rsv1::CapacityRequest* out = nullptr) {
    rsv1::DecideCapacityRequestRequest decide;
    decide.set_request_id(request_id);
    decide.set_capacity_request_id(capacity_request_id);
    decide.set_decision(rsv1::CAPACITY_DECISION_APPROVE);
    decide.set_reason("budgeted");
    rsv1::DecideCapacityRequestResponse decided;
    grpc::Status s = Call(token, [&](auto* c) {
      return pool_->DecideCapacityRequest(c, decide, &decided);
    });
    if (out != nullptr) *out = decided.capacity_request();
    return s;
  }

  std::string bob_;
  std::string erp_risk_, crm_risk_;
};

TEST_F(ItemAccessTest,
       AManagerAssessesPlansAndEscalatesTheRisksOfTheirProjectOnly) {
  grpc::Status s = Assess(alice_, erp_risk_, "assess-own");
  EXPECT_TRUE(s.ok()) << s.error_message();
  s = Plan(alice_, erp_risk_, "plan-own");
  EXPECT_TRUE(s.ok()) << s.error_message();
  s = Escalate(alice_, erp_risk_, "escalate-own");
  EXPECT_TRUE(s.ok()) << s.error_message();
  kv1::GetRiskResponse own;
  s = GetRisk(alice_, erp_risk_, &own);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(own.risk().status(), kv1::RISK_STATUS_RESPONDING);
  EXPECT_EQ(own.risk().escalation().status(), kv1::ESCALATION_STATUS_PENDING);
  EXPECT_EQ(own.risk().escalation().escalated_by(), "alice");

  // CRM's risk: refused, named by its id alone, and nothing appended.
  const int64_t before = VersionOf(crm_risk_);
  EXPECT_EQ(Assess(alice_, crm_risk_, "assess-other").error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Plan(alice_, crm_risk_, "plan-other").error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  s = Escalate(alice_, crm_risk_, "escalate-other");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(s.error_message(), HasSubstr(crm_));
  kv1::GetRiskResponse other;
  EXPECT_EQ(GetRisk(alice_, crm_risk_, &other).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_FALSE(other.has_risk());
  EXPECT_EQ(VersionOf(crm_risk_), before);
  // Bob, its manager, may.
  s = Assess(bob_, crm_risk_, "assess-own");
  EXPECT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(VersionOf(crm_risk_), before + 1);

  // An id the register does not hold is named.
  s = GetRisk(alice_, kUnknownId, &other);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(s.error_message(), HasSubstr(kUnknownId));
  s = Assess(alice_, "not-a-uuid", "assess-bad");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadRequestFields(s), ElementsAre("risk_id"));
}

TEST_F(ItemAccessTest, TheOneWhoEscalatedDoesNotAcceptTheEscalation) {
  // Accepting is the PMO's step.
  ASSERT_TRUE(Escalate(alice_, erp_risk_, "escalate").ok());
  EXPECT_EQ(Accept(alice_, erp_risk_, "accept").error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  grpc::Status s = Accept(admin_, erp_risk_, "accept");
  EXPECT_TRUE(s.ok()) << s.error_message();

  // An administrator who escalated is refused, nothing appended; another
  // one accepts.
  ASSERT_TRUE(Escalate(admin_, crm_risk_, "escalate").ok());
  const int64_t before = VersionOf(crm_risk_);
  const size_t portfolio_risks = RisksOf(corp_).size();
  s = Accept(admin_, crm_risk_, "accept-own");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(PreconditionRules(s), ElementsAre("SEPARATION_OF_DUTIES"));
  EXPECT_EQ(VersionOf(crm_risk_), before);
  EXPECT_EQ(RisksOf(corp_).size(), portfolio_risks);
  s = Accept(Token("pmo-admin-2", {"pmo_admin"}), crm_risk_, "accept");
  EXPECT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(RisksOf(corp_).size(), portfolio_risks + 1);
}

TEST_F(ItemAccessTest, AManagerResolvesTheIssuesOfTheirProjectOnly) {
  kv1::RaiseIssueResponse own, other;
  ASSERT_TRUE(Call(alice_, [&](auto* c) {
                return risks_->RaiseIssue(
                    c, Issue("raise", erp_, "Supplier late"), &own);
              }).ok());
  ASSERT_TRUE(Call(bob_, [&](auto* c) {
                return risks_->RaiseIssue(
                    c, Issue("raise", crm_, "Supplier late"), &other);
              }).ok());
  kv1::GetIssueRequest get;
  get.set_issue_id(other.issue().issue_id());
  kv1::GetIssueResponse got;
  EXPECT_EQ(
      Call(alice_, [&](auto* c) { return risks_->GetIssue(c, get, &got); })
          .error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Resolve(alice_, other.issue().issue_id(), "resolve").error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  get.set_issue_id(own.issue().issue_id());
  grpc::Status s =
      Call(alice_, [&](auto* c) { return risks_->GetIssue(c, get, &got); });
  EXPECT_TRUE(s.ok()) << s.error_message();
  s = Resolve(alice_, own.issue().issue_id(), "resolve");
  EXPECT_TRUE(s.ok()) << s.error_message();
  for (const kv1::Issue& i : IssuesOf(crm_))
    EXPECT_EQ(i.status(), kv1::ISSUE_STATUS_OPEN);
}

TEST_F(
    ItemAccessTest,
    AManagerCancelsTheirProjectsBookingsOnlyAndDoesNotDecideTheirOwnRequests) {
  const std::string erp_booking = BookingOf(erp_);
  const std::string crm_booking = BookingOf(crm_);
  const int64_t before = Dana().version();
  grpc::Status s = Cancel(alice_, crm_booking, "cancel-other");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Dana().version(), before);
  EXPECT_EQ(Cancel(alice_, kUnknownId, "cancel-unknown").error_code(),
            grpc::StatusCode::NOT_FOUND);
  s = Cancel(alice_, erp_booking, "cancel-own");
  EXPECT_TRUE(s.ok()) << s.error_message();
  // A retry still finds the (now cancelled) booking's project.
  s = Cancel(alice_, erp_booking, "cancel-own");
  EXPECT_TRUE(s.ok()) << s.error_message();
  s = Cancel(bob_, crm_booking, "cancel-own");
  EXPECT_TRUE(s.ok()) << s.error_message();
  const rsv1::Resource dana = Dana();
  for (const rsv1::Allocation& a : dana.allocations()) {
    EXPECT_EQ(a.status(), rsv1::ALLOCATION_STATUS_CANCELLED) << a.project_id();
  }

  // Capacity: who asks is the caller, and may not decide it.
  rsv1::RequestCapacityRequest ask;
  ask.set_request_id("ask");
  ask.set_project_id(erp_);
  ask.mutable_skill()->set_name("SAP");
  ask.mutable_skill()->set_level(3);
  ask.set_unit(rsv1::ALLOCATION_UNIT_HOURS_PER_DAY);
  ask.set_amount(4);
  *ask.mutable_from() = Day(2027, 4, 5);
  *ask.mutable_to() = Day(2027, 4, 9);
  ask.set_requested_by("carol");
  rsv1::RequestCapacityResponse asked;
  s = Call(alice_,
           [&](auto* c) { return pool_->RequestCapacity(c, ask, &asked); });
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadRequestFields(s), ElementsAre("requested_by"));
  ask.set_request_id("ask-2");
  ask.clear_requested_by();
  s = Call(alice_,
           [&](auto* c) { return pool_->RequestCapacity(c, ask, &asked); });
  ASSERT_TRUE(s.ok()) << s.error_message();
  const std::string id = asked.capacity_request().request_id();
  EXPECT_EQ(asked.capacity_request().requested_by(), "alice");

  s = Decide(alice_, id, "approve-own");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(PreconditionRules(s), ElementsAre("SEPARATION_OF_DUTIES"));
  EXPECT_EQ(Decide(bob_, id, "approve-other").error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  rsv1::CapacityRequest decided;
  s = Decide(Token("carol", {"project_manager"}, {erp_}), id, "approve",
             &decided);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(decided.status(), rsv1::CAPACITY_REQUEST_STATUS_APPROVED);
  EXPECT_EQ(decided.version(), 2);  // the refused decisions appended nothing
}

// Two managers pick the same request id: each gets their own risk (and
// issue); a retry answers as the first call did; the same id with another
// request is refused and shows nothing of the first.
TEST_F(ItemAccessTest, ARequestIdTwoManagersPickStaysEachOnes) {
  auto identify = [&](const std::string& scope_id, const std::string& title) {
    kv1::IdentifyRiskRequest r;
    r.set_request_id("r-1");
    r.set_level(kv1::RISK_LEVEL_PROJECT);
    r.set_scope_id(scope_id);
    r.set_kind(kv1::RISK_KIND_THREAT);
    r.set_title(title);
    r.set_category("Technical/Integration");
    r.set_owner("alice");
    return r;
  };
  kv1::IdentifyRiskResponse first, second, retry, changed;
  grpc::Status s = Call(alice_, [&](auto* c) {
    return risks_->IdentifyRisk(c, identify(erp_, "Interface slips"), &first);
  });
  ASSERT_TRUE(s.ok()) << s.error_message();
  s = Call(bob_, [&](auto* c) {
    return risks_->IdentifyRisk(c, identify(crm_, "Interface slips"), &second);
  });
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_NE(second.risk().risk_id(), first.risk().risk_id());
  EXPECT_EQ(second.risk().scope_id(), crm_);
  EXPECT_EQ(RisksOf(erp_).size(), 2u);
  EXPECT_EQ(RisksOf(crm_).size(), 2u);

  s = Call(alice_, [&](auto* c) {
    return risks_->IdentifyRisk(c, identify(erp_, "Interface slips"), &retry);
  });
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(retry.risk().risk_id(), first.risk().risk_id());
  EXPECT_EQ(VersionOf(first.risk().risk_id()), 1);
  EXPECT_EQ(RisksOf(erp_).size(), 2u);

  s = Call(alice_, [&](auto* c) {
    return risks_->IdentifyRisk(c, identify(erp_, "Another title"), &changed);
  });
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadRequestFields(s), ElementsAre("request_id"));
  EXPECT_THAT(s.error_message(), Not(HasSubstr(first.risk().risk_id())));
  EXPECT_FALSE(changed.has_risk());
  EXPECT_EQ(RisksOf(erp_).size(), 2u);

  // The same for issues.
  kv1::RaiseIssueResponse issue1, issue2, issue_retry, issue_changed;
  s = Call(alice_, [&](auto* c) {
    return risks_->RaiseIssue(c, Issue("r-1", erp_, "Late"), &issue1);
  });
  ASSERT_TRUE(s.ok()) << s.error_message();
  s = Call(bob_, [&](auto* c) {
    return risks_->RaiseIssue(c, Issue("r-1", crm_, "Late"), &issue2);
  });
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_NE(issue2.issue().issue_id(), issue1.issue().issue_id());
  EXPECT_EQ(issue2.issue().scope_id(), crm_);
  s = Call(alice_, [&](auto* c) {
    return risks_->RaiseIssue(c, Issue("r-1", erp_, "Late"), &issue_retry);
  });
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(issue_retry.issue().issue_id(), issue1.issue().issue_id());
  s = Call(alice_, [&](auto* c) {
    return risks_->RaiseIssue(c, Issue("r-1", erp_, "Later"), &issue_changed);
  });
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadRequestFields(s), ElementsAre("request_id"));
  EXPECT_THAT(s.error_message(), Not(HasSubstr(issue1.issue().issue_id())));
  EXPECT_FALSE(issue_changed.has_issue());
  EXPECT_EQ(IssuesOf(erp_).size(), 1u);
  EXPECT_EQ(IssuesOf(crm_).size(), 1u);
}

}  // namespace
}  // namespace pmo::testing
