#pragma once

// The Project aggregate: a pure fold of its events plus the command methods
// that check the rules and return the events to record.

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "libs/eventsourcing/command_handling.h"
#include "pmo/projects/v1/events.pb.h"
#include "pmo/projects/v1/project.pb.h"

namespace pmo::projects {

using ProjectStatus = ::pmo::projects::v1::ProjectStatus;

// What a project is chartered with.
struct ProjectCharter {
  std::string code;
  std::string name;
  std::string manager;
  absl::CivilDay planned_start;
  absl::CivilDay planned_end;
};

// Field-level checks of a charter; violations name request fields.
absl::Status ValidateCharter(const ProjectCharter& charter);

// Whether the lifecycle allows `from` -> `to`.
bool IsAllowedTransition(ProjectStatus from, ProjectStatus to);

class Project {
 public:
  static constexpr char kStreamType[] = "project";
  // Scope of the organisation-wide unique project code claim.
  static constexpr char kCodeScope[] = "project.code";

  // The fold: applies one recorded event that happened at `occurred_at`.
  void Apply(const google::protobuf::Message& event, absl::Time occurred_at);

  // Registers a new project (PROPOSED). Refused if this stream exists.
  absl::StatusOr<eventsourcing::Decision> Create(
      const std::string& project_id, const ProjectCharter& charter) const;

  // Moves the project along its lifecycle; a reason is required.
  absl::StatusOr<eventsourcing::Decision> ChangeStatus(
      ProjectStatus to, const std::string& reason) const;

  bool exists() const { return !id_.empty(); }
  const std::string& id() const { return id_; }
  const ProjectCharter& charter() const { return charter_; }
  ProjectStatus status() const { return status_; }
  const std::string& status_reason() const { return status_reason_; }
  absl::Time created_at() const { return created_at_; }
  absl::Time updated_at() const { return updated_at_; }

 private:
  std::string id_;
  ProjectCharter charter_;
  ProjectStatus status_ = v1::PROJECT_STATUS_UNSPECIFIED;
  std::string status_reason_;
  absl::Time created_at_;
  absl::Time updated_at_;
};

// google.type.Date <-> absl::CivilDay; false when the date is not a real
// calendar day.
bool CivilDayFromDate(int year, int month, int day, absl::CivilDay* out);
google::type::Date ToDate(absl::CivilDay day);

}  // namespace pmo::projects
