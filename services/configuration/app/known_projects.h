#pragma once

// The projects the configuration service knows: learnt from the projects
// service's events (libs/projectdirectory), so items, baselines, change
// requests, documents, audits and tool assignments name only projects that
// exist.

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "libs/projectdirectory/known_projects.h"

namespace pmo::configuration {

// OK when `project_id` is empty (the field checks report a missing one) or
// a known project; NOT_FOUND "<field>: no project <id> (yet)" otherwise.
absl::Status CheckKnownProject(projectdirectory::KnownProjects& projects,
                               absl::string_view field,
                               const std::string& project_id);

// The portfolio of a known project; empty when the project is in no
// programme (so in no portfolio) or unknown.
absl::StatusOr<std::string> PortfolioOfProject(
    projectdirectory::KnownProjects& projects, const std::string& project_id);

}  // namespace pmo::configuration
