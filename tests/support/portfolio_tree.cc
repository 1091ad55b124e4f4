#include "tests/support/portfolio_tree.h"

#include "absl/strings/str_cat.h"
#include "pmo/projects/v1/portfolios_service.grpc.pb.h"
#include "pmo/projects/v1/projects_service.grpc.pb.h"
#include "tests/support/grpc_testing.h"
#include "tests/support/project_requests.h"

namespace pmo::testing {
namespace {

namespace pv1 = ::pmo::projects::v1;

absl::Status Failed(const std::string& what, const grpc::Status& s) {
  return absl::UnavailableError(absl::StrCat(what, ": ", s.error_message()));
}

}  // namespace

absl::StatusOr<PortfolioTree> CreatePortfolioTree(
    int projects_port, const std::vector<std::string>& project_codes) {
  auto channel = LoopbackChannel(projects_port);
  auto projects = pv1::ProjectsService::NewStub(channel);
  auto portfolios = pv1::PortfoliosService::NewStub(channel);
  PortfolioTree tree;
  pv1::CreatePortfolioRequest corp;
  corp.set_request_id("portfolio-CORP");
  corp.set_code("CORP");
  corp.set_name("Corporate");
  pv1::CreatePortfolioResponse portfolio;
  {
    grpc::ClientContext ctx;
    grpc::Status s = portfolios->CreatePortfolio(&ctx, corp, &portfolio);
    if (!s.ok()) return Failed("CreatePortfolio CORP", s);
  }
  tree.portfolio_id = portfolio.portfolio().portfolio_id();
  pv1::CreateProgrammeRequest digital;
  digital.set_request_id("programme-DIGITAL");
  digital.set_code("DIGITAL");
  digital.set_name("Digital");
  digital.set_portfolio_id(tree.portfolio_id);
  pv1::CreateProgrammeResponse programme;
  {
    grpc::ClientContext ctx;
    grpc::Status s = portfolios->CreateProgramme(&ctx, digital, &programme);
    if (!s.ok()) return Failed("CreateProgramme DIGITAL", s);
  }
  tree.programme_id = programme.programme().programme_id();
  for (const std::string& code : project_codes) {
    pv1::CreateProjectResponse created;
    {
      grpc::ClientContext ctx;
      grpc::Status s =
          projects->CreateProject(&ctx, NewProjectRequest(code), &created);
      if (!s.ok()) return Failed("CreateProject " + code, s);
    }
    tree.project_ids.push_back(created.project().project_id());
    pv1::AssignProjectToProgrammeRequest assign;
    assign.set_request_id("assign-" + code);
    assign.set_project_id(tree.project_ids.back());
    assign.set_programme_id(tree.programme_id);
    pv1::AssignProjectToProgrammeResponse assigned;
    grpc::ClientContext ctx;
    grpc::Status s =
        portfolios->AssignProjectToProgramme(&ctx, assign, &assigned);
    if (!s.ok()) return Failed("AssignProjectToProgramme " + code, s);
  }
  return tree;
}

}  // namespace pmo::testing
