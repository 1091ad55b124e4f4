// pmoctl's portfolio structure area: portfolios and their strategic
// objectives, programmes, and ranking projects against the objectives
// (pmo.projects.v1.PortfoliosService).

#include "pmo/projects/v1/portfolios_service.grpc.pb.h"
#include "tools/pmoctl/command.h"

namespace pmoctl {
namespace {

namespace pv1 = ::pmo::projects::v1;
using Stub = pv1::PortfoliosService::Stub;

Table PortfolioTable(const pv1::Portfolio& p) {
  Table t({"PORTFOLIO_ID", "CODE", "NAME", "OBJECTIVES", "VERSION"});
  t.Add({p.portfolio_id(), p.code(), p.name(), std::to_string(p.objectives_size()),
         std::to_string(p.version())});
  return t;
}

int CreatePortfolio(Session& s, const Invocation& in) {
  pv1::CreatePortfolioRequest req;
  req.set_request_id(in.RequestId());
  req.set_code(in.Str("code"));
  req.set_name(in.Str("name"));
  auto stub = pv1::PortfoliosService::NewStub(s.channel());
  pv1::CreatePortfolioResponse resp;
  if (int rc = s.Call(stub.get(), &Stub::CreatePortfolio, req, &resp)) return rc;
  s.Print(resp, PortfolioTable(resp.portfolio()));
  return kExitOk;
}

int DefineObjective(Session& s, const Invocation& in) {
  pv1::DefineStrategicObjectiveRequest req;
  req.set_request_id(in.RequestId());
  req.set_portfolio_id(in.Arg(0));
  req.set_name(in.Str("name"));
  req.set_weight(static_cast<int32_t>(in.Int("weight")));
  if (!in.ok()) return in.UsageError();
  auto stub = pv1::PortfoliosService::NewStub(s.channel());
  pv1::DefineStrategicObjectiveResponse resp;
  if (int rc = s.Call(stub.get(), &Stub::DefineStrategicObjective, req, &resp)) return rc;
  Table t({"OBJECTIVE_ID", "NAME", "WEIGHT"});
  for (const auto& o : resp.portfolio().objectives()) {
    t.Add({o.objective_id(), o.name(), std::to_string(o.weight())});
  }
  s.Print(resp, t);
  return kExitOk;
}

int ScoreProject(Session& s, const Invocation& in) {
  pv1::ScoreProjectRequest req;
  req.set_request_id(in.RequestId());
  req.set_project_id(in.Arg(0));
  req.set_portfolio_id(in.Str("portfolio"));
  req.set_objective_id(in.Str("objective"));
  req.set_score(static_cast<int32_t>(in.Int("score")));
  if (!in.ok()) return in.UsageError();
  auto stub = pv1::PortfoliosService::NewStub(s.channel());
  pv1::ScoreProjectResponse resp;
  if (int rc = s.Call(stub.get(), &Stub::ScoreProject, req, &resp)) return rc;
  Table t({"PROJECT_ID", "OBJECTIVE_ID", "SCORE"});
  t.Add({req.project_id(), req.objective_id(), std::to_string(req.score())});
  s.Print(resp, t);
  return kExitOk;
}

int RankPortfolio(Session& s, const Invocation& in) {
  pv1::RankPortfolioRequest req;
  req.set_portfolio_id(in.Arg(0));
  auto stub = pv1::PortfoliosService::NewStub(s.channel());
  pv1::RankPortfolioResponse resp;
  if (int rc = s.Call(stub.get(), &Stub::RankPortfolio, req, &resp)) return rc;
  Table t({"RANK", "CODE", "NAME", "PRIORITY", "WEIGHTED_SCORE", "PROJECT_ID"});
  for (const auto& p : resp.projects()) {
    t.Add({std::to_string(p.rank()), p.code(), p.name(), std::to_string(p.priority()),
           FormatDouble(p.weighted_score()), p.project_id()});
  }
  s.Print(resp, t);
  return kExitOk;
}

int CreateProgramme(Session& s, const Invocation& in) {
  pv1::CreateProgrammeRequest req;
  req.set_request_id(in.RequestId());
  req.set_code(in.Str("code"));
  req.set_name(in.Str("name"));
  req.set_portfolio_id(in.Str("portfolio"));
  auto stub = pv1::PortfoliosService::NewStub(s.channel());
  pv1::CreateProgrammeResponse resp;
  if (int rc = s.Call(stub.get(), &Stub::CreateProgramme, req, &resp)) return rc;
  const pv1::Programme& p = resp.programme();
  Table t({"PROGRAMME_ID", "CODE", "NAME", "PORTFOLIO_ID"});
  t.Add({p.programme_id(), p.code(), p.name(), p.portfolio_id()});
  s.Print(resp, t);
  return kExitOk;
}

int AssignProject(Session& s, const Invocation& in) {
  pv1::AssignProjectToProgrammeRequest req;
  req.set_request_id(in.RequestId());
  req.set_project_id(in.Arg(0));
  req.set_programme_id(in.Arg(1));
  auto stub = pv1::PortfoliosService::NewStub(s.channel());
  pv1::AssignProjectToProgrammeResponse resp;
  if (int rc = s.Call(stub.get(), &Stub::AssignProjectToProgramme, req, &resp)) return rc;
  Table t({"PROJECT_ID", "PROGRAMME_ID"});
  t.Add({resp.project_id(), resp.programme_id()});
  s.Print(resp, t);
  return kExitOk;
}

}  // namespace

void AddPortfolioCommands(std::vector<Command>* out) {
  out->push_back({"portfolios", "create", {}, "Create a portfolio, the top of the structure.",
                  {{"code", "CODE", "unique portfolio code", true},
                   {"name", "NAME", "portfolio name", true}},
                  CreatePortfolio});
  out->push_back({"portfolios", "add-objective", {"PORTFOLIO_ID"},
                  "Define a weighted strategic objective of the portfolio.",
                  {{"name", "NAME", "the objective", true},
                   {"weight", "1-100", "weight relative to the other objectives", true}},
                  DefineObjective});
  out->push_back({"portfolios", "score", {"PROJECT_ID"},
                  "Score a project against one of a portfolio's objectives.",
                  {{"portfolio", "PORTFOLIO_ID", "the portfolio", true},
                   {"objective", "OBJECTIVE_ID", "the objective", true},
                   {"score", "0-10", "how well the project serves it", true}},
                  ScoreProject});
  out->push_back({"portfolios", "rank", {"PORTFOLIO_ID"},
                  "Rank the portfolio's projects by weighted objective score.", {},
                  RankPortfolio});
  out->push_back({"programmes", "create", {}, "Create a programme inside a portfolio.",
                  {{"code", "CODE", "unique programme code", true},
                   {"name", "NAME", "programme name", true},
                   {"portfolio", "PORTFOLIO_ID", "the portfolio it belongs to", true}},
                  CreateProgramme});
  out->push_back({"programmes", "assign", {"PROJECT_ID", "PROGRAMME_ID"},
                  "Put a project into a programme (at most one at a time).", {},
                  AssignProject});
}

}  // namespace pmoctl
