#pragma once

// The port through which a service's use cases ask about the portfolio
// structure another context owns: which portfolios, programmes and
// projects exist, where each project sits (portfolio -> programme ->
// project) and its lifecycle status. The answer is eventually consistent,
// so a project created a moment ago may not be known yet; callers say
// "(yet)" in their errors. ProjectDirectory (project_directory.h) is the
// adapter that keeps it in a SQLite file fed by the projects service's
// events; a use case holds only this interface.

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "pmo/projects/v1/project.pb.h"

namespace pmo::projectdirectory {

struct KnownProject {
  std::string project_id;
  std::string code;
  ::pmo::projects::v1::ProjectStatus status =
      ::pmo::projects::v1::PROJECT_STATUS_UNSPECIFIED;
  int priority = 3;  // 1 (highest) to 5
  // Empty while the project is in no programme.
  std::string programme_id;
  // The programme's portfolio; empty while the project is in no programme.
  std::string portfolio_id;
};

struct KnownProgramme {
  std::string programme_id;
  std::string code;
  std::string portfolio_id;
};

class KnownProjects {
 public:
  virtual ~KnownProjects() = default;

  virtual absl::StatusOr<std::optional<KnownProject>> Find(
      const std::string& project_id) = 0;
  virtual absl::StatusOr<std::optional<KnownProgramme>> FindProgramme(
      const std::string& programme_id) = 0;
  virtual absl::StatusOr<bool> PortfolioExists(
      const std::string& portfolio_id) = 0;

  // OK when the project exists and is not closed or cancelled; else
  // FAILED_PRECONDITION naming the rule (UNKNOWN_PROJECT, PROJECT_ENDED).
  // The same rule for every adapter, so not virtual.
  absl::Status CheckOpenForAllocation(const std::string& project_id);
};

}  // namespace pmo::projectdirectory
