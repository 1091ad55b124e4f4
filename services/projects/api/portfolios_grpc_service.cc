#include "services/projects/api/portfolios_grpc_service.h"

#include "absl/strings/str_cat.h"
#include "libs/base/errors.h"
#include "libs/base/ids.h"
#include "libs/eventsourcing/request_ids.h"
#include "libs/grpcserver/call_context.h"
#include "libs/grpcserver/request_checks.h"
#include "libs/grpcserver/status_mapping.h"
#include "services/projects/api/projects_grpc_service.h"

namespace pmo::projects {
namespace {

using grpcserver::ToGrpcStatus;

using grpcserver::CheckRequestId;

using grpcserver::CheckUuid;

v1::Portfolio ToProto(const VersionedPortfolio& p) {
  v1::Portfolio out = p.state.state();
  out.set_version(p.version);
  return out;
}

eventsourcing::CommandContext Context(const grpc::ServerContext& context,
                                      const std::string& request_id) {
  return grpcserver::CommandContextOf(context, request_id, std::nullopt);
}

}  // namespace

grpc::Status PortfoliosGrpcService::CreatePortfolio(
    grpc::ServerContext* context, const v1::CreatePortfolioRequest* request,
    v1::CreatePortfolioResponse* response) {
  FieldViolations v;
  CheckRequestId(v, request->request_id());
  v.AddAll(ValidateStructureCode(request->code(), request->name()));
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  auto portfolio =
      handlers_.CreatePortfolio(request->code(), request->name(),
                                Context(*context, request->request_id()));
  if (!portfolio.ok()) return ToGrpcStatus(portfolio.status());
  *response->mutable_portfolio() = ToProto(*portfolio);
  return grpc::Status::OK;
}

grpc::Status PortfoliosGrpcService::DefineStrategicObjective(
    grpc::ServerContext* context,
    const v1::DefineStrategicObjectiveRequest* request,
    v1::DefineStrategicObjectiveResponse* response) {
  FieldViolations v;
  CheckRequestId(v, request->request_id());
  CheckUuid(v, "portfolio_id", request->portfolio_id());
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  auto defined = handlers_.DefineStrategicObjective(
      request->portfolio_id(), request->name(), request->weight(),
      Context(*context, request->request_id()));
  if (!defined.ok()) return ToGrpcStatus(defined.status());
  *response->mutable_portfolio() = ToProto(defined->first);
  response->set_objective_id(defined->second);
  return grpc::Status::OK;
}

grpc::Status PortfoliosGrpcService::CreateProgramme(
    grpc::ServerContext* context, const v1::CreateProgrammeRequest* request,
    v1::CreateProgrammeResponse* response) {
  FieldViolations v;
  CheckRequestId(v, request->request_id());
  CheckUuid(v, "portfolio_id", request->portfolio_id());
  v.AddAll(ValidateStructureCode(request->code(), request->name()));
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  auto programme = handlers_.CreateProgramme(
      request->code(), request->name(), request->portfolio_id(),
      Context(*context, request->request_id()));
  if (!programme.ok()) return ToGrpcStatus(programme.status());
  v1::Programme* out = response->mutable_programme();
  *out = programme->state.state();
  out->set_version(programme->version);
  return grpc::Status::OK;
}

grpc::Status PortfoliosGrpcService::AssignProjectToProgramme(
    grpc::ServerContext* context,
    const v1::AssignProjectToProgrammeRequest* request,
    v1::AssignProjectToProgrammeResponse* response) {
  FieldViolations v;
  CheckRequestId(v, request->request_id());
  CheckUuid(v, "project_id", request->project_id());
  CheckUuid(v, "programme_id", request->programme_id());
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  auto project = handlers_.AssignProjectToProgramme(
      request->project_id(), request->programme_id(),
      Context(*context, request->request_id()));
  if (!project.ok()) return ToGrpcStatus(project.status());
  response->set_project_id(project->state.id());
  response->set_programme_id(project->state.state().programme_id());
  return grpc::Status::OK;
}

grpc::Status PortfoliosGrpcService::ScoreProject(
    grpc::ServerContext* context, const v1::ScoreProjectRequest* request,
    v1::ScoreProjectResponse* response) {
  FieldViolations v;
  CheckRequestId(v, request->request_id());
  CheckUuid(v, "project_id", request->project_id());
  CheckUuid(v, "portfolio_id", request->portfolio_id());
  CheckUuid(v, "objective_id", request->objective_id());
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  auto project = handlers_.ScoreProject(
      request->project_id(), request->portfolio_id(), request->objective_id(),
      request->score(), Context(*context, request->request_id()),
      ActorOf(*context, request->project_id()));
  if (!project.ok()) return ToGrpcStatus(project.status());
  response->set_project_id(project->state.id());
  return grpc::Status::OK;
}

grpc::Status PortfoliosGrpcService::RankPortfolio(
    grpc::ServerContext* context, const v1::RankPortfolioRequest* request,
    v1::RankPortfolioResponse* response) {
  FieldViolations v;
  CheckUuid(v, "portfolio_id", request->portfolio_id());
  if (!v.empty()) return ToGrpcStatus(v.ToStatus());
  auto ranking = handlers_.RankPortfolio(request->portfolio_id());
  if (!ranking.ok()) return ToGrpcStatus(ranking.status());
  for (const RankedProject& r : *ranking) {
    v1::RankedProject* out = response->add_projects();
    out->set_project_id(r.project_id);
    out->set_code(r.code);
    out->set_name(r.name);
    out->set_programme_id(r.programme_id);
    out->set_priority(r.priority);
    out->set_weighted_score(r.weighted_score);
    out->set_rank(r.rank);
  }
  return grpc::Status::OK;
}

}  // namespace pmo::projects
