#pragma once

// Which projects a caller may see in the consolidated, cross-project
// answers (the projection's views and the reports built on them):
// everything for the PMO's administrators, analysts and services; only
// the projects in `pmo_projects` for a project manager or a viewer. The method
// guard lets a manager's cross-project read through only for the RPCs that
// narrow their answer with this (AnswersForCaller in access_policy.h).
//
//   ProjectScope scope = ProjectScope::Of(principal);
//   if (!scope.Includes(line.project_id)) continue;  // not theirs: left out

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "libs/auth/principal.h"

namespace pmo::auth {

class ProjectScope {
 public:
  static ProjectScope Everything() { return ProjectScope(std::nullopt); }
  static ProjectScope Only(std::vector<std::string> project_ids);
  // Only the `pmo_projects` of a project manager or viewer who has no read-all
  // role (pmo_admin, pmo_analyst, service); everything otherwise. A caller
  // with no role at all is the development header's (or an in-process
  // call's): the method guard refuses such callers wherever roles are
  // enforced, so they only get here where everything is visible anyway.
  static ProjectScope Of(const Principal& principal);

  bool IsEverything() const { return !projects_.has_value(); }
  bool Includes(absl::string_view project_id) const;
  // The projects seen, sorted and unique; empty for Everything().
  const std::vector<std::string>& projects() const;

 private:
  explicit ProjectScope(std::optional<std::vector<std::string>> projects)
      : projects_(std::move(projects)) {}

  std::optional<std::vector<std::string>> projects_;
};

}  // namespace pmo::auth
