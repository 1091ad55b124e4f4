#include "libs/projectdirectory/known_projects.h"

#include "absl/strings/str_cat.h"
#include "libs/base/errors.h"
#include "libs/base/status_macros.h"

namespace pmo::projectdirectory {

absl::Status KnownProjects::CheckOpenForAllocation(
    const std::string& project_id) {
  namespace pv1 = ::pmo::projects::v1;
  ASSIGN_OR_RETURN(std::optional<KnownProject> project, Find(project_id));
  if (!project) {
    return RuleViolationError(
        "UNKNOWN_PROJECT", absl::StrCat("projects/", project_id),
        absl::StrCat("project ", project_id,
                     " is not known to the resource pool (yet)"));
  }
  if (project->status == pv1::PROJECT_STATUS_CLOSED ||
      project->status == pv1::PROJECT_STATUS_CANCELLED) {
    return RuleViolationError(
        "PROJECT_ENDED", absl::StrCat("projects/", project_id),
        absl::StrCat("project ", project->code, " is ",
                     pv1::ProjectStatus_Name(project->status),
                     ": nothing can be allocated to it"));
  }
  return absl::OkStatus();
}

}  // namespace pmo::projectdirectory
