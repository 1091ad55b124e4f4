#include "services/configuration/app/known_projects.h"

#include "absl/strings/str_cat.h"
#include "libs/base/status_macros.h"

namespace pmo::configuration {

absl::Status CheckKnownProject(projectdirectory::KnownProjects& projects,
                               absl::string_view field,
                               const std::string& project_id) {
  if (project_id.empty()) return absl::OkStatus();
  ASSIGN_OR_RETURN(std::optional<projectdirectory::KnownProject> known,
                   projects.Find(project_id));
  if (!known) {
    return absl::NotFoundError(
        absl::StrCat(field, ": no project ", project_id,
                     " (yet) known to the configuration service"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> PortfolioOfProject(
    projectdirectory::KnownProjects& projects, const std::string& project_id) {
  ASSIGN_OR_RETURN(std::optional<projectdirectory::KnownProject> known,
                   projects.Find(project_id));
  if (!known) return std::string();
  return known->portfolio_id;
}

}  // namespace pmo::configuration
