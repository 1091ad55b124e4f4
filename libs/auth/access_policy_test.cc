#include "libs/auth/access_policy.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "libs/auth/project_scope.h"
#include "libs/base/testing/status_matchers.h"
#include "pmo/configuration/v1/change_control_service.pb.h"
#include "pmo/projection/v1/views_service.pb.h"
#include "pmo/projects/v1/portfolios_service.pb.h"
#include "pmo/projects/v1/projects_service.pb.h"
#include "pmo/reporting/v1/reporting_service.pb.h"
#include "pmo/risks/v1/risks_service.pb.h"

namespace pmo::auth {
namespace {

using ::pmo::testing::StatusIs;
using ::testing::HasSubstr;
namespace projects = ::pmo::projects::v1;

const google::protobuf::MethodDescriptor& Method(const std::string& full_name) {
  // Naming a message of each service file links its descriptors.
  (void)projects::RankPortfolioRequest::descriptor();
  (void)reporting::v1::WatchInboxRequest::descriptor();
  const auto* m =
      google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(
          full_name);
  EXPECT_NE(m, nullptr) << full_name;
  return *m;
}

const auto& kGetProject = Method("pmo.projects.v1.ProjectsService.GetProject");
const auto& kListProjects =
    Method("pmo.projects.v1.ProjectsService.ListProjects");
const auto& kAddTask = Method("pmo.projects.v1.ProjectsService.AddTask");
const auto& kCreateProject =
    Method("pmo.projects.v1.ProjectsService.CreateProject");

Principal With(std::vector<Role> roles,
               std::vector<std::string> projects = {}) {
  return Principal{"alice", std::move(roles), std::move(projects)};
}

projects::AddTaskRequest AddTaskTo(const std::string& project_id) {
  projects::AddTaskRequest r;
  r.set_project_id(project_id);
  return r;
}

TEST(AccessPolicyTest, TellsReadsFromWritesByTheVerb) {
  EXPECT_EQ(KindOf(kGetProject), MethodKind::kRead);
  EXPECT_EQ(KindOf(kListProjects), MethodKind::kRead);
  EXPECT_EQ(KindOf(kAddTask), MethodKind::kWrite);
  EXPECT_EQ(KindOf(Method("pmo.risks.v1.RisksService.AssessRisk")),
            MethodKind::kWrite);
}

TEST(AccessPolicyTest, FindsTheProjectsARequestNames) {
  EXPECT_THAT(ProjectIdsOf(AddTaskTo("p-1")), ::testing::ElementsAre("p-1"));
  EXPECT_TRUE(ProjectIdsOf(AddTaskTo("")).empty());
  risks::v1::ListRisksRequest list;
  list.set_scope_id("p-9");
  EXPECT_THAT(ProjectIdsOf(list), ::testing::ElementsAre("p-9"));
  EXPECT_FALSE(NamesProjects(*projects::CreateProjectRequest::descriptor()));
}

TEST(AccessPolicyTest, AdminMayDoEverything) {
  EXPECT_OK(Authorize(With({Role::kPmoAdmin}), kCreateProject,
                      projects::CreateProjectRequest()));
  EXPECT_OK(Authorize(With({Role::kPmoAdmin}), kAddTask, AddTaskTo("p-1")));
}

TEST(AccessPolicyTest, AnalystAndServiceReadEverythingAndWriteNothing) {
  for (Role role : {Role::kPmoAnalyst, Role::kService}) {
    EXPECT_OK(Authorize(With({role}), kListProjects,
                        projects::ListProjectsRequest()));
    EXPECT_THAT(
        Authorize(With({role}), kAddTask, AddTaskTo("p-1")),
        StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("AddTask")));
  }
}

TEST(AccessPolicyTest, ManagerWritesAndReadsOnlyTheProjectsTheyManage) {
  const Principal alice = With({Role::kProjectManager}, {"p-1"});
  EXPECT_OK(Authorize(alice, kAddTask, AddTaskTo("p-1")));
  EXPECT_THAT(Authorize(alice, kAddTask, AddTaskTo("p-2")),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       HasSubstr("alice does not manage project p-2")));
  projects::GetProjectRequest get;
  get.set_project_id("p-1");
  EXPECT_OK(Authorize(alice, kGetProject, get));
  get.set_project_id("p-2");
  EXPECT_THAT(Authorize(alice, kGetProject, get),
              StatusIs(absl::StatusCode::kPermissionDenied));
  // Leaving the project out is a cross-project call, not a loophole.
  EXPECT_THAT(Authorize(alice, kAddTask, AddTaskTo("")),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(Authorize(alice, kListProjects, projects::ListProjectsRequest()),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       HasSubstr("cross-project read")));
  EXPECT_THAT(
      Authorize(alice, kCreateProject, projects::CreateProjectRequest()),
      StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("PMO-wide")));
}

TEST(AccessPolicyTest, NoRoleMayDoNothing) {
  EXPECT_THAT(Authorize(With({}), kGetProject, projects::GetProjectRequest()),
              StatusIs(absl::StatusCode::kPermissionDenied));
}

TEST(AccessPolicyTest, TableRowSaysKindAndWho) {
  // admin | analyst | manager of it | of another | viewer | stakeholder |
  // anonymous
  EXPECT_EQ(AccessTableRow(kAddTask),
            "| `ProjectsService/AddTask` | write (project) | yes | no | yes | "
            "no | no | no | no |");
  EXPECT_EQ(AccessTableRow(kGetProject),
            "| `ProjectsService/GetProject` | read (project) | yes | yes | yes "
            "| no | yes | no | no |");
  EXPECT_EQ(AccessTableRow(kCreateProject),
            "| `ProjectsService/CreateProject` | write (PMO-wide) | yes | no | "
            "no | no | no | no | no |");
  EXPECT_EQ(AccessTableRow(Method("pmo.risks.v1.RisksService.AssessRisk")),
            "| `RisksService/AssessRisk` | write (item) | yes | no | yes | no "
            "| no | no | no |");
  EXPECT_EQ(AccessTableRow(
                Method("pmo.reporting.v1.CommunicationService.WatchInbox")),
            "| `CommunicationService/WatchInbox` | read (item) | yes | yes | "
            "no | no | no | own items | no |");
  EXPECT_EQ(AccessTableRow(Method(
                "pmo.projection.v1.ConsolidatedViewsService.GetResourceLoad")),
            "| `ConsolidatedViewsService/GetResourceLoad` | read (narrowed) | "
            "yes | yes | their projects "
            "| their projects | their projects | no | no |");
}

TEST(AccessPolicyTest, LetsAManagerReadTheConsolidatedViewsNamingNoProject) {
  const auto& load =
      Method("pmo.projection.v1.ConsolidatedViewsService.GetResourceLoad");
  const auto& rebuild =
      Method("pmo.projection.v1.ConsolidatedViewsService.StartViewRebuild");
  EXPECT_TRUE(AnswersForCaller(load));
  EXPECT_FALSE(AnswersForCaller(rebuild));
  EXPECT_FALSE(AnswersForCaller(kListProjects));
  const Principal alice = With({Role::kProjectManager}, {"p-1"});
  ::pmo::projection::v1::GetResourceLoadRequest all;
  EXPECT_TRUE(Authorize(alice, load, all).ok());
  ::pmo::projection::v1::GetResourceLoadRequest other;
  other.set_project_id("p-2");
  EXPECT_THAT(
      Authorize(alice, load, other),
      StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("project p-2")));
  EXPECT_THAT(Authorize(alice, rebuild,
                        ::pmo::projection::v1::StartViewRebuildRequest()),
              StatusIs(absl::StatusCode::kPermissionDenied));
  // A cross-project read elsewhere stays refused.
  EXPECT_THAT(Authorize(alice, kListProjects, projects::ListProjectsRequest()),
              StatusIs(absl::StatusCode::kPermissionDenied));
}

// An item-keyed request names no project; the service's records say whose
// item it is.
ItemScopeLookup ItemOf(const std::vector<std::string>& projects,
                       const std::vector<std::string>& owners = {}) {
  return [=]() -> absl::StatusOr<std::optional<ItemScope>> {
    return ItemScope{projects, owners};
  };
}

risks::v1::AssessRiskRequest AssessRisk(const std::string& risk_id) {
  risks::v1::AssessRiskRequest r;
  r.set_risk_id(risk_id);
  return r;
}

TEST(AccessPolicyTest, AManagerActsOnTheItemsOfTheirProjectsOnly) {
  const auto& assess = Method("pmo.risks.v1.RisksService.AssessRisk");
  const auto& get = Method("pmo.risks.v1.RisksService.GetRisk");
  const Principal alice = With({Role::kProjectManager}, {"p-1"});
  EXPECT_OK(Authorize(alice, assess, AssessRisk("r-1"), ItemOf({"p-1"})));
  EXPECT_THAT(Authorize(alice, assess, AssessRisk("r-2"), ItemOf({"p-2"})),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       HasSubstr("alice does not manage project p-2")));
  risks::v1::GetRiskRequest read;
  read.set_risk_id("r-1");
  EXPECT_OK(Authorize(alice, get, read, ItemOf({"p-1"})));
  // An item shared by two projects needs both.
  EXPECT_THAT(
      Authorize(alice, assess, AssessRisk("c-1"), ItemOf({"p-1", "p-2"})),
      StatusIs(absl::StatusCode::kPermissionDenied));
  // Without the service's answer, an item-keyed write stays admin-only.
  EXPECT_THAT(
      Authorize(alice, assess, AssessRisk("r-1")),
      StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("PMO-wide")));
  EXPECT_THAT(Authorize(alice, assess, AssessRisk("r-1"),
                        [] { return std::optional<ItemScope>(); }),
              StatusIs(absl::StatusCode::kPermissionDenied));
}

// A change control board's members vote, whatever their role; its chair
// decides. The office opens only the RPCs listed with it.
TEST(AccessPolicyTest, ABoardMemberVotesOnTheRequestsTheirBoardDecides) {
  const auto& vote =
      Method("pmo.configuration.v1.ChangeControlService.CastBoardVote");
  const auto& decide =
      Method("pmo.configuration.v1.ChangeControlService.DecideChangeRequest");
  const auto& assess =
      Method("pmo.configuration.v1.ChangeControlService.AssessChangeRequest");
  const auto board =
      [](const std::vector<std::string>& holders) -> ItemScopeLookup {
    return [=]() -> absl::StatusOr<std::optional<ItemScope>> {
      return ItemScope{{"p-1"}, {}, holders};
    };
  };
  configuration::v1::CastBoardVoteRequest cast;
  cast.set_change_request_id("cr-1");
  const Principal ben{"ben", {Role::kStakeholder}, {}};
  EXPECT_OK(Authorize(ben, vote, cast, board({"ann", "ben"})));
  EXPECT_THAT(Authorize(ben, vote, cast, board({"ann"})),
              StatusIs(absl::StatusCode::kPermissionDenied));
  configuration::v1::DecideChangeRequestRequest decision;
  decision.set_change_request_id("cr-1");
  configuration::v1::AssessChangeRequestRequest assessment;
  assessment.set_change_request_id("cr-1");
  EXPECT_OK(Authorize(ben, decide, decision, board({"ben"})));
  EXPECT_THAT(Authorize(ben, assess, assessment, board({"ben"})),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(AccessTableRow(vote),
              HasSubstr("| write (item; also its board's members) |"));
  EXPECT_THAT(AccessTableRow(decide),
              HasSubstr("| write (item; also its board's chair) |"));
}

TEST(AccessPolicyTest, AnUnknownItemIsNotFoundForThoseWhoseRightsDependOnIt) {
  const auto& assess = Method("pmo.risks.v1.RisksService.AssessRisk");
  ItemScopeLookup missing = []() -> absl::StatusOr<std::optional<ItemScope>> {
    return absl::NotFoundError("risk r-9 not found");
  };
  EXPECT_THAT(Authorize(With({Role::kProjectManager}, {"p-1"}), assess,
                        AssessRisk("r-9"), missing),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("r-9")));
  // An admin's call is not looked up at all: the handler answers.
  bool asked = false;
  EXPECT_OK(Authorize(With({Role::kPmoAdmin}), assess, AssessRisk("r-9"), [&] {
    asked = true;
    return absl::StatusOr<std::optional<ItemScope>>(std::nullopt);
  }));
  EXPECT_FALSE(asked);
}

TEST(AccessPolicyTest, AViewerReadsTheirProjectsAndWritesNothing) {
  const Principal vera = With({Role::kViewer}, {"p-1"});
  projects::GetProjectRequest get;
  get.set_project_id("p-1");
  EXPECT_OK(Authorize(vera, kGetProject, get));
  get.set_project_id("p-2");
  EXPECT_THAT(Authorize(vera, kGetProject, get),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       HasSubstr("may not read project p-2")));
  EXPECT_THAT(Authorize(vera, kAddTask, AddTaskTo("p-1")),
              StatusIs(absl::StatusCode::kPermissionDenied));
  const auto& assess = Method("pmo.risks.v1.RisksService.AssessRisk");
  EXPECT_THAT(Authorize(vera, assess, AssessRisk("r-1"), ItemOf({"p-1"})),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_TRUE(ProjectScope::Of(vera).Includes("p-1"));
  EXPECT_FALSE(ProjectScope::Of(vera).Includes("p-2"));
}

TEST(AccessPolicyTest, AStakeholderReadsWhatIsPersonallyTheirsOnly) {
  const auto& inbox = Method("pmo.reporting.v1.CommunicationService.ListInbox");
  reporting::v1::ListInboxRequest read;
  read.set_stakeholder_id("s-1");
  const Principal sam{"sam", {Role::kStakeholder}, {}};
  EXPECT_OK(Authorize(sam, inbox, read, ItemOf({"p-1"}, {"sam"})));
  EXPECT_THAT(Authorize(sam, inbox, read, ItemOf({"p-1"}, {"someone-else"})),
              StatusIs(absl::StatusCode::kPermissionDenied));
  // Only where owners read by rule: a risk is its project's, not its owner's.
  risks::v1::GetRiskRequest risk;
  risk.set_risk_id("r-1");
  EXPECT_THAT(Authorize(sam, Method("pmo.risks.v1.RisksService.GetRisk"), risk,
                        ItemOf({"p-1"}, {"sam"})),
              StatusIs(absl::StatusCode::kPermissionDenied));
  // Owning an item lets one read it, never change it.
  EXPECT_THAT(Authorize(sam, Method("pmo.risks.v1.RisksService.AssessRisk"),
                        AssessRisk("r-1"), ItemOf({"p-1"}, {"sam"})),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(Authorize(sam, kListProjects, projects::ListProjectsRequest()),
              StatusIs(absl::StatusCode::kPermissionDenied));
}

TEST(AccessPolicyTest,
     WritesOfWhatThePmoHoldsAcrossProjectsAreTheAdministrators) {
  const auto& assign =
      Method("pmo.projects.v1.PortfoliosService.AssignProjectToProgramme");
  projects::AssignProjectToProgrammeRequest request;
  request.set_project_id("p-1");
  request.set_programme_id("g-1");
  EXPECT_THAT(
      Authorize(With({Role::kProjectManager}, {"p-1"}), assign, request),
      StatusIs(absl::StatusCode::kPermissionDenied,
               HasSubstr("needs pmo_admin")));
  EXPECT_OK(Authorize(With({Role::kPmoAdmin}), assign, request));
  EXPECT_THAT(AccessTableRow(assign),
              HasSubstr("| write (PMO-wide) | yes | no | no | no |"));
}

TEST(AccessPolicyTest, RankingAndWatchingAreReads) {
  EXPECT_EQ(KindOf(Method("pmo.projects.v1.PortfoliosService.RankPortfolio")),
            MethodKind::kRead);
  EXPECT_EQ(KindOf(Method("pmo.reporting.v1.CommunicationService.WatchInbox")),
            MethodKind::kRead);
  EXPECT_EQ(KindOf(Method("pmo.projects.v1.PortfoliosService.ScoreProject")),
            MethodKind::kWrite);
}

TEST(ProjectScopeTest, NarrowsOnlyAManagerWithoutAReadAllRole) {
  EXPECT_TRUE(ProjectScope::Of(With({Role::kPmoAnalyst})).IsEverything());
  EXPECT_TRUE(
      ProjectScope::Of(With({Role::kProjectManager, Role::kService}, {"p-1"}))
          .IsEverything());
  EXPECT_TRUE(
      ProjectScope::Of(With({})).IsEverything());  // the development header
  const ProjectScope alice =
      ProjectScope::Of(With({Role::kProjectManager}, {"p-2", "p-1", "p-2"}));
  EXPECT_FALSE(alice.IsEverything());
  EXPECT_TRUE(alice.Includes("p-1"));
  EXPECT_FALSE(alice.Includes("p-3"));
  EXPECT_FALSE(alice.Includes(""));
  EXPECT_THAT(alice.projects(), ::testing::ElementsAre("p-1", "p-2"));
  EXPECT_TRUE(
      ProjectScope::Of(With({Role::kProjectManager})).projects().empty());
  EXPECT_FALSE(ProjectScope::Of(With({Role::kProjectManager})).Includes("p-1"));
}

}  // namespace
}  // namespace pmo::auth
