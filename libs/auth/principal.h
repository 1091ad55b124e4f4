#pragma once

// Who a verified bearer token says is calling, and what the PMO lets them do.
//
// Roles (the `pmo_roles` claim):
//   pmo_admin        the PMO administrator: every RPC;
//   pmo_analyst      reads everything, writes nothing;
//   project_manager  reads and writes only the projects in `pmo_projects`;
//   service          another PMO service calling: reads everything;
//   viewer           reads only the projects in `pmo_projects`, writes
//                    nothing (a sponsor, a team lead);
//   stakeholder      reads only what is personally theirs (their inbox).
// Which RPC needs which role is in docs/security.md (access_policy.h).

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace pmo::auth {

enum class Role {
  kPmoAdmin,
  kPmoAnalyst,
  kProjectManager,
  kService,
  kViewer,
  kStakeholder
};

// "pmo_admin", "pmo_analyst", "project_manager", "service", "viewer",
// "stakeholder".
absl::string_view RoleName(Role role);
// The role a claim value names; INVALID_ARGUMENT for any other name.
absl::StatusOr<Role> RoleNamed(absl::string_view name);

struct Principal {
  std::string subject;  // the `sub` claim: the actor recorded on events
  std::vector<Role> roles;
  // The projects a project manager manages or a viewer reads (the
  // `pmo_projects` claim, ADR 0008); empty for the other roles.
  std::vector<std::string> managed_projects;

  bool Has(Role role) const;
  bool Manages(absl::string_view project_id) const;
  // A project manager's or viewer's project.
  bool ReadsProject(absl::string_view project_id) const;
  // Admin, analyst or service: every project.
  bool ReadsEverything() const;
};

}  // namespace pmo::auth
