#pragma once

// Commands and queries on the portfolio structure and strategic alignment.

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/base/clock.h"
#include "libs/eventsourcing/command_handling.h"
#include "libs/eventstore/event_store.h"
#include "services/projects/domain/portfolio.h"
#include "services/projects/domain/project.h"

namespace pmo::projects {

using VersionedPortfolio = eventsourcing::Versioned<Portfolio>;
using VersionedProgramme = eventsourcing::Versioned<Programme>;

struct RankedProject {
  std::string project_id;
  std::string code;
  std::string name;
  std::string programme_id;
  int priority = 3;
  double weighted_score = 0;  // 0..10
  int rank = 0;               // 1 is first
};

class PortfolioHandlers {
 public:
  explicit PortfolioHandlers(eventstore::EventStore& store,
                             const Clock& clock = Clock::Real())
      : store_(store), clock_(clock) {}

  absl::StatusOr<VersionedPortfolio> CreatePortfolio(
      const std::string& code, const std::string& name,
      eventsourcing::CommandContext context);
  // Returns the portfolio and the new objective's id.
  absl::StatusOr<std::pair<VersionedPortfolio, std::string>>
  DefineStrategicObjective(const std::string& portfolio_id,
                           const std::string& name, int weight,
                           eventsourcing::CommandContext context);
  absl::StatusOr<VersionedProgramme> CreateProgramme(
      const std::string& code, const std::string& name,
      const std::string& portfolio_id, eventsourcing::CommandContext context);
  absl::StatusOr<eventsourcing::Versioned<Project>> AssignProjectToProgramme(
      const std::string& project_id, const std::string& programme_id,
      eventsourcing::CommandContext context);
  // FAILED_PRECONDITION (rule PROJECT_NOT_IN_PORTFOLIO) unless the project
  // belongs to a programme of that portfolio; FAILED_PRECONDITION (rule
  // SEPARATION_OF_DUTIES) when `by` (the caller) manages the project.
  absl::StatusOr<eventsourcing::Versioned<Project>> ScoreProject(
      const std::string& project_id, const std::string& portfolio_id,
      const std::string& objective_id, int score,
      eventsourcing::CommandContext context, const Actor& by = {});

  // The portfolio's projects, highest weighted score first; ties go to the
  // higher priority (lower number), then to the code.
  absl::StatusOr<std::vector<RankedProject>> RankPortfolio(
      const std::string& portfolio_id);

 private:
  template <typename A>
  absl::StatusOr<eventsourcing::Versioned<A>> LoadExisting(
      const std::string& id, const char* what);

  eventstore::EventStore& store_;
  const Clock& clock_;
};

}  // namespace pmo::projects
