#include "libs/auth/access_policy.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "libs/auth/project_scope.h"
#include "libs/base/testing/status_matchers.h"
#include "pmo/projection/v1/views_service.pb.h"
#include "pmo/projects/v1/projects_service.pb.h"
#include "pmo/risks/v1/risks_service.pb.h"

namespace pmo::auth {
namespace {

using ::pmo::testing::StatusIs;
using ::testing::HasSubstr;
namespace projects = ::pmo::projects::v1;

const google::protobuf::MethodDescriptor& Method(const std::string& full_name) {
  const auto* m =
      google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(full_name);
  EXPECT_NE(m, nullptr) << full_name;
  return *m;
}

const auto& kGetProject = Method("pmo.projects.v1.ProjectsService.GetProject");
const auto& kListProjects = Method("pmo.projects.v1.ProjectsService.ListProjects");
const auto& kAddTask = Method("pmo.projects.v1.ProjectsService.AddTask");
const auto& kCreateProject = Method("pmo.projects.v1.ProjectsService.CreateProject");

Principal With(std::vector<Role> roles, std::vector<std::string> projects = {}) {
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
  EXPECT_EQ(KindOf(Method("pmo.risks.v1.RisksService.AssessRisk")), MethodKind::kWrite);
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
  EXPECT_OK(Authorize(With({Role::kPmoAdmin}), kCreateProject, projects::CreateProjectRequest()));
  EXPECT_OK(Authorize(With({Role::kPmoAdmin}), kAddTask, AddTaskTo("p-1")));
}

TEST(AccessPolicyTest, AnalystAndServiceReadEverythingAndWriteNothing) {
  for (Role role : {Role::kPmoAnalyst, Role::kService}) {
    EXPECT_OK(Authorize(With({role}), kListProjects, projects::ListProjectsRequest()));
    EXPECT_THAT(Authorize(With({role}), kAddTask, AddTaskTo("p-1")),
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
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("cross-project read")));
  EXPECT_THAT(Authorize(alice, kCreateProject, projects::CreateProjectRequest()),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("PMO-wide")));
}

TEST(AccessPolicyTest, NoRoleMayDoNothing) {
  EXPECT_THAT(Authorize(With({}), kGetProject, projects::GetProjectRequest()),
              StatusIs(absl::StatusCode::kPermissionDenied));
}

TEST(AccessPolicyTest, TableRowSaysKindAndWho) {
  EXPECT_EQ(AccessTableRow(kAddTask),
            "| `ProjectsService/AddTask` | write (project) | admin; manager of the project named |");
  EXPECT_EQ(AccessTableRow(kCreateProject),
            "| `ProjectsService/CreateProject` | write (PMO-wide) | admin |");
}

TEST(AccessPolicyTest, LetsAManagerReadTheConsolidatedViewsNamingNoProject) {
  const auto& load = Method("pmo.projection.v1.ConsolidatedViewsService.GetResourceLoad");
  const auto& rebuild = Method("pmo.projection.v1.ConsolidatedViewsService.StartViewRebuild");
  EXPECT_TRUE(AnswersForCaller(load));
  EXPECT_FALSE(AnswersForCaller(rebuild));
  EXPECT_FALSE(AnswersForCaller(kListProjects));
  const Principal alice = With({Role::kProjectManager}, {"p-1"});
  ::pmo::projection::v1::GetResourceLoadRequest all;
  EXPECT_TRUE(Authorize(alice, load, all).ok());
  ::pmo::projection::v1::GetResourceLoadRequest other;
  other.set_project_id("p-2");
  EXPECT_THAT(Authorize(alice, load, other),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("project p-2")));
  EXPECT_THAT(Authorize(alice, rebuild, ::pmo::projection::v1::StartViewRebuildRequest()),
              StatusIs(absl::StatusCode::kPermissionDenied));
  // A cross-project read elsewhere stays refused.
  EXPECT_THAT(Authorize(alice, kListProjects, projects::ListProjectsRequest()),
              StatusIs(absl::StatusCode::kPermissionDenied));
}

TEST(ProjectScopeTest, NarrowsOnlyAManagerWithoutAReadAllRole) {
  EXPECT_TRUE(ProjectScope::Of(With({Role::kPmoAnalyst})).IsEverything());
  EXPECT_TRUE(ProjectScope::Of(With({Role::kProjectManager, Role::kService}, {"p-1"})).IsEverything());
  EXPECT_TRUE(ProjectScope::Of(With({})).IsEverything());  // the development header
  const ProjectScope alice = ProjectScope::Of(With({Role::kProjectManager}, {"p-2", "p-1", "p-2"}));
  EXPECT_FALSE(alice.IsEverything());
  EXPECT_TRUE(alice.Includes("p-1"));
  EXPECT_FALSE(alice.Includes("p-3"));
  EXPECT_FALSE(alice.Includes(""));
  EXPECT_THAT(alice.projects(), ::testing::ElementsAre("p-1", "p-2"));
  EXPECT_TRUE(ProjectScope::Of(With({Role::kProjectManager})).projects().empty());
  EXPECT_FALSE(ProjectScope::Of(With({Role::kProjectManager})).Includes("p-1"));
}

}  // namespace
}  // namespace pmo::auth
