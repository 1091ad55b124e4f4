#include "libs/auth/principal.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace pmo::auth {

absl::string_view RoleName(Role role) {
  switch (role) {
    case Role::kPmoAdmin:
      return "pmo_admin";
    case Role::kPmoAnalyst:
      return "pmo_analyst";
    case Role::kProjectManager:
      return "project_manager";
    case Role::kService:
      return "service";
    case Role::kViewer:
      return "viewer";
    case Role::kStakeholder:
      return "stakeholder";
  }
  return "unknown";
}

absl::StatusOr<Role> RoleNamed(absl::string_view name) {
  for (Role role : {Role::kPmoAdmin, Role::kPmoAnalyst, Role::kProjectManager,
                    Role::kService, Role::kViewer, Role::kStakeholder}) {
    if (RoleName(role) == name) return role;
  }
  // The name is the token's own claim, not a secret; bounded so a huge
  // claim cannot flood a log line.
  return absl::InvalidArgumentError(
      absl::StrCat("pmo_roles: unknown role '", name.substr(0, 40),
                   "' (pmo_admin, pmo_analyst, project_manager, service, "
                   "viewer, stakeholder)"));
}

bool Principal::Has(Role role) const {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

bool Principal::Manages(absl::string_view project_id) const {
  return Has(Role::kProjectManager) &&
         std::find(managed_projects.begin(), managed_projects.end(),
                   project_id) != managed_projects.end();
}

bool Principal::ReadsProject(absl::string_view project_id) const {
  return (Has(Role::kProjectManager) || Has(Role::kViewer)) &&
         std::find(managed_projects.begin(), managed_projects.end(),
                   project_id) != managed_projects.end();
}

bool Principal::ReadsEverything() const {
  return Has(Role::kPmoAdmin) || Has(Role::kPmoAnalyst) || Has(Role::kService);
}

}  // namespace pmo::auth
