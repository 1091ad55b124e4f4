#include "libs/auth/project_scope.h"

#include <algorithm>

namespace pmo::auth {

ProjectScope ProjectScope::Only(std::vector<std::string> project_ids) {
  std::sort(project_ids.begin(), project_ids.end());
  project_ids.erase(std::unique(project_ids.begin(), project_ids.end()),
                    project_ids.end());
  return ProjectScope(std::move(project_ids));
}

ProjectScope ProjectScope::Of(const Principal& principal) {
  const bool project_bound =
      principal.Has(Role::kProjectManager) || principal.Has(Role::kViewer);
  if (principal.ReadsEverything() || !project_bound) return Everything();
  return Only(principal.managed_projects);
}

bool ProjectScope::Includes(absl::string_view project_id) const {
  if (!projects_) return true;
  return std::binary_search(projects_->begin(), projects_->end(), project_id);
}

const std::vector<std::string>& ProjectScope::projects() const {
  static const std::vector<std::string> kNone;
  return projects_ ? *projects_ : kNone;
}

}  // namespace pmo::auth
