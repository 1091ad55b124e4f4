// The risks adapter's item scopes: the project an RPC keyed by a risk, a
// combined risk or an issue reaches, as the register records it, and what
// the access policy decides with it for a project manager.

#include "libs/auth/access_policy.h"
#include "services/risks/api/risks_grpc_service.h"
#include "services/risks/app/testing/register_fixture.h"

namespace pmo::risks {
namespace {

using ::pmo::testing::StatusIs;
using testing::A;
using testing::Ctx;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::kDigital;
using ::testing::UnorderedElementsAre;

constexpr char kUnknown[] = "0c0ab1e5-dead-4000-8000-00000000beef";

const google::protobuf::MethodDescriptor& Method(const std::string& name) {
  const auto* m =
      google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(
          "pmo.risks.v1.RisksService." + name);
  EXPECT_NE(m, nullptr) << name;
  return *m;
}

auth::Principal Manager(const std::string& project) {
  return {.subject = "pm-" + project,
          .roles = {auth::Role::kProjectManager},
          .managed_projects = {project}};
}

class RiskItemScopesTest : public testing::RiskRegisterTest {
 protected:
  void SetUp() override {
    RiskRegisterTest::SetUp();
    service_ = std::make_unique<RisksGrpcService>(RiskRegister{
        *handlers_, *issues_, *escalations_, *matrices_, *reports_});
  }
  absl::StatusOr<std::optional<auth::ItemScope>> Scope(
      const std::string& method, const google::protobuf::Message& request) {
    return service_->ScopeOf(Method(method), request);
  }
  absl::Status Authorize(const auth::Principal& who, const std::string& method,
                         const google::protobuf::Message& request) {
    return auth::Authorize(who, Method(method), request, [&] {
      return service_->ScopeOf(Method(method), request);
    });
  }

  std::unique_ptr<RisksGrpcService> service_;
};

TEST_F(RiskItemScopesTest, ARiskIsItsProjectsWhateverTheRequestSays) {
  const std::string erp = Assessed("erp", A(2, 2, 0, 0, 1'000), "erp");
  v1::AssessRiskRequest assess;
  assess.set_request_id("a");
  assess.set_risk_id(erp);
  ASSERT_OK_AND_ASSIGN(auto scope, Scope("AssessRisk", assess));
  ASSERT_TRUE(scope.has_value());
  EXPECT_THAT(scope->project_ids, ElementsAre("erp"));
  EXPECT_TRUE(scope->owners.empty());
  for (const char* method : {"GetRisk", "GetRiskHistory"}) {
    v1::GetRiskRequest get;
    get.set_risk_id(erp);
    v1::GetRiskHistoryRequest history;
    history.set_risk_id(erp);
    const google::protobuf::Message& request =
        std::string(method) == "GetRisk"
            ? static_cast<const google::protobuf::Message&>(get)
            : history;
    ASSERT_OK_AND_ASSIGN(auto read_scope, Scope(method, request));
    ASSERT_TRUE(read_scope.has_value()) << method;
    EXPECT_THAT(read_scope->project_ids, ElementsAre("erp")) << method;
    EXPECT_OK(Authorize(Manager("erp"), method, request));
    EXPECT_THAT(
        Authorize(Manager("crm"), method, request),
        StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("erp")));
  }
  v1::PlanResponseRequest plan;
  plan.set_risk_id(erp);
  v1::CompleteResponseActionRequest complete;
  complete.set_risk_id(erp);
  v1::ChangeRiskStatusRequest status;
  status.set_risk_id(erp);
  v1::EscalateRiskRequest escalate;
  escalate.set_risk_id(erp);
  for (auto [method, request] : std::initializer_list<
           std::pair<const char*, const google::protobuf::Message*>>{
           {"AssessRisk", &assess},
           {"PlanResponse", &plan},
           {"CompleteResponseAction", &complete},
           {"ChangeRiskStatus", &status},
           {"EscalateRisk", &escalate}}) {
    EXPECT_OK(Authorize(Manager("erp"), method, *request)) << method;
    EXPECT_THAT(Authorize(Manager("crm"), method, *request),
                StatusIs(absl::StatusCode::kPermissionDenied))
        << method;
  }
}

TEST_F(RiskItemScopesTest, AnUnknownOrMalformedIdIsNamed) {
  v1::AssessRiskRequest assess;
  assess.set_risk_id(kUnknown);
  EXPECT_THAT(Authorize(Manager("erp"), "AssessRisk", assess),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr(kUnknown)));
  v1::GetIssueRequest issue;
  issue.set_issue_id(kUnknown);
  EXPECT_THAT(Scope("GetIssue", issue),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr(kUnknown)));
  assess.set_risk_id("risk-1");
  EXPECT_THAT(
      Scope("AssessRisk", assess),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("risk_id")));
  // An administrator is not asked for the scope.
  auth::Principal admin{.subject = "pmo", .roles = {auth::Role::kPmoAdmin}};
  assess.set_risk_id(kUnknown);
  EXPECT_OK(Authorize(admin, "AssessRisk", assess));
}

TEST_F(RiskItemScopesTest, AnIssueIsItsProjects) {
  v1::IssueRaised raised;
  raised.set_level(v1::RISK_LEVEL_PROJECT);
  raised.set_scope_id("crm");
  raised.set_title("Supplier late");
  raised.set_priority(v1::ISSUE_PRIORITY_HIGH);
  raised.set_owner("bob");
  ASSERT_OK_AND_ASSIGN(VersionedIssue issue,
                       issues_->RaiseIssue(raised, Ctx("raise")));
  const std::string id = issue.state.state().issue_id();
  v1::GetIssueRequest get;
  get.set_issue_id(id);
  v1::ReassignIssueRequest reassign;
  reassign.set_issue_id(id);
  v1::ResolveIssueRequest resolve;
  resolve.set_issue_id(id);
  for (auto [method, request] : std::initializer_list<
           std::pair<const char*, const google::protobuf::Message*>>{
           {"GetIssue", &get},
           {"ReassignIssue", &reassign},
           {"ResolveIssue", &resolve}}) {
    ASSERT_OK_AND_ASSIGN(auto scope, Scope(method, *request));
    ASSERT_TRUE(scope.has_value()) << method;
    EXPECT_THAT(scope->project_ids, ElementsAre("crm")) << method;
    EXPECT_OK(Authorize(Manager("crm"), method, *request)) << method;
    EXPECT_THAT(Authorize(Manager("erp"), method, *request),
                StatusIs(absl::StatusCode::kPermissionDenied))
        << method;
  }
}

TEST_F(RiskItemScopesTest, ACombinedRiskNeedsTheManagerOfEveryMember) {
  const std::string erp = Assessed("erp", A(2, 2, 0, 0, 1'000), "erp");
  const std::string crm = Assessed("crm", A(3, 2, 0, 0, 2'000), "crm");
  v1::CombineRisksRequest combine;
  combine.set_scope_id(kDigital);
  combine.add_member_risk_ids(erp);
  combine.add_member_risk_ids(crm);
  ASSERT_OK_AND_ASSIGN(auto scope, Scope("CombineRisks", combine));
  ASSERT_TRUE(scope.has_value());
  EXPECT_THAT(scope->project_ids, UnorderedElementsAre("erp", "crm"));
  auth::Principal both{.subject = "pm",
                       .roles = {auth::Role::kProjectManager},
                       .managed_projects = {"erp", "crm", kDigital}};
  EXPECT_OK(Authorize(both, "CombineRisks", combine));
  auth::Principal one = both;
  one.managed_projects = {"erp", kDigital};
  EXPECT_THAT(Authorize(one, "CombineRisks", combine),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("crm")));

  v1::RisksCombined combined;
  combined.set_level(v1::RISK_LEVEL_PROGRAMME);
  combined.set_scope_id(kDigital);
  combined.set_title("Shared supplier");
  combined.set_category("External/Suppliers");
  combined.set_owner("pmo");
  combined.add_member_risk_ids(erp);
  combined.add_member_risk_ids(crm);
  ASSERT_OK_AND_ASSIGN(VersionedCombinedRisk created,
                       handlers_->CombineRisks(combined, Ctx("combine")));
  v1::GetCombinedRiskRequest get;
  get.set_combined_risk_id(created.state.state().combined_risk_id());
  ASSERT_OK_AND_ASSIGN(scope, Scope("GetCombinedRisk", get));
  ASSERT_TRUE(scope.has_value());
  EXPECT_THAT(scope->project_ids, UnorderedElementsAre("erp", "crm"));
  EXPECT_THAT(Authorize(Manager("erp"), "GetCombinedRisk", get),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("crm")));
  v1::CombineRisksRequest unknown = combine;
  unknown.set_member_risk_ids(1, kUnknown);
  EXPECT_THAT(Scope("CombineRisks", unknown),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr(kUnknown)));
}

TEST_F(RiskItemScopesTest, AcceptingAndReturningEscalationsStayThePmos) {
  const std::string erp = Assessed("erp", A(2, 2, 0, 0, 1'000), "erp");
  ASSERT_OK(
      escalations_->EscalateRisk(erp, "Vendor", Ctx("escalate")).status());
  v1::AcceptEscalationRequest accept;
  accept.set_risk_id(erp);
  v1::ReturnEscalationRequest give_back;
  give_back.set_risk_id(erp);
  for (auto [method, request] : std::initializer_list<
           std::pair<const char*, const google::protobuf::Message*>>{
           {"AcceptEscalation", &accept}, {"ReturnEscalation", &give_back}}) {
    ASSERT_OK_AND_ASSIGN(auto scope, Scope(method, *request));
    EXPECT_FALSE(scope.has_value()) << method;
    EXPECT_THAT(Authorize(Manager("erp"), method, *request),
                StatusIs(absl::StatusCode::kPermissionDenied))
        << method;
  }
  // Nor are requests naming their project looked up.
  v1::ListRisksRequest list;
  list.set_scope_id("erp");
  ASSERT_OK_AND_ASSIGN(auto scope, Scope("ListRisks", list));
  EXPECT_FALSE(scope.has_value());
}

}  // namespace
}  // namespace pmo::risks
