#include "services/projects/app/portfolio_handlers.h"

#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "libs/base/errors.h"
#include "libs/base/ids.h"

namespace pmo::projects {

template <typename A>
absl::StatusOr<eventsourcing::Versioned<A>> PortfolioHandlers::LoadExisting(
    const std::string& id, const char* what) {
  ASSIGN_OR_RETURN(eventsourcing::Versioned<A> loaded,
                   eventsourcing::LoadAggregate<A>(store_, id));
  if (!loaded.state.exists())
    return absl::NotFoundError(absl::StrCat(what, " ", id, " not found"));
  return loaded;
}

absl::StatusOr<VersionedPortfolio> PortfolioHandlers::CreatePortfolio(
    const std::string& code, const std::string& name,
    eventsourcing::CommandContext context) {
  RETURN_IF_ERROR(ValidateStructureCode(code, name));
  if (context.occurred_at == absl::Time()) context.occurred_at = clock_.Now();
  const std::string id = NewUuid();
  return eventsourcing::ExecuteCommand<Portfolio>(
      store_, id, context,
      [&](const VersionedPortfolio& p) {
        return p.state.Create(id, code, name);
      },
      eventsourcing::StreamIdentity::kNew);
}

absl::StatusOr<std::pair<VersionedPortfolio, std::string>>
PortfolioHandlers::DefineStrategicObjective(
    const std::string& portfolio_id, const std::string& name, int weight,
    eventsourcing::CommandContext context) {
  if (context.occurred_at == absl::Time()) context.occurred_at = clock_.Now();
  const std::string objective_id = NewUuid();
  ASSIGN_OR_RETURN(
      VersionedPortfolio portfolio,
      eventsourcing::ExecuteCommand<Portfolio>(
          store_, portfolio_id, context, [&](const VersionedPortfolio& p) {
            v1::StrategicObjective objective;
            objective.set_objective_id(objective_id);
            objective.set_name(name);
            objective.set_weight(weight);
            return p.state.DefineObjective(objective);
          }));
  // On a replayed request the objective is the last one as of that version.
  const auto& objectives = portfolio.state.state().objectives();
  std::string id =
      objectives.empty() ? objective_id : objectives.rbegin()->objective_id();
  return std::make_pair(std::move(portfolio), std::move(id));
}

absl::StatusOr<VersionedProgramme> PortfolioHandlers::CreateProgramme(
    const std::string& code, const std::string& name,
    const std::string& portfolio_id, eventsourcing::CommandContext context) {
  RETURN_IF_ERROR(ValidateStructureCode(code, name));
  ASSIGN_OR_RETURN(VersionedPortfolio portfolio,
                   LoadExisting<Portfolio>(portfolio_id, "portfolio"));
  (void)portfolio;
  if (context.occurred_at == absl::Time()) context.occurred_at = clock_.Now();
  const std::string id = NewUuid();
  return eventsourcing::ExecuteCommand<Programme>(
      store_, id, context,
      [&](const VersionedProgramme& p) {
        return p.state.Create(id, code, name, portfolio_id);
      },
      eventsourcing::StreamIdentity::kNew);
}

absl::StatusOr<eventsourcing::Versioned<Project>>
PortfolioHandlers::AssignProjectToProgramme(
    const std::string& project_id, const std::string& programme_id,
    eventsourcing::CommandContext context) {
  ASSIGN_OR_RETURN(VersionedProgramme programme,
                   LoadExisting<Programme>(programme_id, "programme"));
  (void)programme;
  if (context.occurred_at == absl::Time()) context.occurred_at = clock_.Now();
  return eventsourcing::ExecuteCommand<Project>(
      store_, project_id, context,
      [&](const eventsourcing::Versioned<Project>& p) {
        return p.state.AssignToProgramme(programme_id);
      });
}

absl::StatusOr<eventsourcing::Versioned<Project>>
PortfolioHandlers::ScoreProject(const std::string& project_id,
                                const std::string& portfolio_id,
                                const std::string& objective_id, int score,
                                eventsourcing::CommandContext context,
                                const Actor& by) {
  ASSIGN_OR_RETURN(VersionedPortfolio portfolio,
                   LoadExisting<Portfolio>(portfolio_id, "portfolio"));
  if (!portfolio.state.FindObjective(objective_id)) {
    return absl::NotFoundError(absl::StrCat(
        "objective ", objective_id, " not found in portfolio ", portfolio_id));
  }
  if (context.occurred_at == absl::Time()) context.occurred_at = clock_.Now();
  return eventsourcing::ExecuteCommand<Project>(
      store_, project_id, context,
      [&](const eventsourcing::Versioned<Project>& p)
          -> absl::StatusOr<eventsourcing::Decision> {
        if (!p.state.exists()) return absl::NotFoundError("project not found");
        std::string in_portfolio;
        if (!p.state.state().programme_id().empty()) {
          ASSIGN_OR_RETURN(VersionedProgramme programme,
                           LoadExisting<Programme>(
                               p.state.state().programme_id(), "programme"));
          in_portfolio = programme.state.state().portfolio_id();
        }
        if (in_portfolio != portfolio_id) {
          return RuleViolationError("PROJECT_NOT_IN_PORTFOLIO",
                                    absl::StrCat("projects/", project_id),
                                    "a project is scored only against the "
                                    "objectives of its own portfolio");
        }
        return p.state.ScoreAgainstObjective(portfolio_id, objective_id, score,
                                             by);
      });
}

absl::StatusOr<std::vector<RankedProject>> PortfolioHandlers::RankPortfolio(
    const std::string& portfolio_id) {
  ASSIGN_OR_RETURN(VersionedPortfolio portfolio,
                   LoadExisting<Portfolio>(portfolio_id, "portfolio"));
  std::map<std::string, bool> in_portfolio;  // programme id -> belongs here
  int total_weight = 0;
  for (const v1::StrategicObjective& o : portfolio.state.state().objectives())
    total_weight += o.weight();

  std::vector<RankedProject> ranked;
  int64_t after = 0;
  while (true) {
    ASSIGN_OR_RETURN(std::vector<eventstore::StreamStart> page,
                     store_.ListStreams(Project::kStreamType, after, 500));
    if (page.empty()) break;
    for (const eventstore::StreamStart& start : page) {
      ASSIGN_OR_RETURN(
          eventsourcing::Versioned<Project> p,
          eventsourcing::LoadAggregate<Project>(store_, start.stream_id));
      const std::string& programme_id = p.state.state().programme_id();
      if (programme_id.empty()) continue;
      auto known = in_portfolio.find(programme_id);
      if (known == in_portfolio.end()) {
        ASSIGN_OR_RETURN(
            VersionedProgramme programme,
            eventsourcing::LoadAggregate<Programme>(store_, programme_id));
        known =
            in_portfolio
                .emplace(programme_id,
                         programme.state.state().portfolio_id() == portfolio_id)
                .first;
      }
      if (!known->second) continue;
      double weighted = 0;
      for (const v1::StrategicObjective& o :
           portfolio.state.state().objectives()) {
        auto score = p.state.objective_scores().find(o.objective_id());
        if (score != p.state.objective_scores().end())
          weighted += o.weight() * score->second;
      }
      ranked.push_back({p.state.id(), p.state.state().code(),
                        p.state.state().name(), programme_id,
                        p.state.state().priority(),
                        total_weight > 0 ? weighted / total_weight : 0.0, 0});
    }
    after = page.back().position;
  }
  std::sort(ranked.begin(), ranked.end(),
            [](const RankedProject& a, const RankedProject& b) {
              if (a.weighted_score != b.weighted_score)
                return a.weighted_score > b.weighted_score;
              if (a.priority != b.priority) return a.priority < b.priority;
              return a.code < b.code;
            });
  for (size_t i = 0; i < ranked.size(); ++i)
    ranked[i].rank = static_cast<int>(i) + 1;
  return ranked;
}

}  // namespace pmo::projects
