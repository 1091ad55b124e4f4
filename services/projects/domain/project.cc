#include "services/projects/domain/project.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "libs/base/errors.h"

namespace pmo::projects {
namespace {

using v1::PROJECT_STATUS_ACTIVE;
using v1::PROJECT_STATUS_APPROVED;
using v1::PROJECT_STATUS_CANCELLED;
using v1::PROJECT_STATUS_CLOSED;
using v1::PROJECT_STATUS_ON_HOLD;
using v1::PROJECT_STATUS_PROPOSED;

absl::CivilDay FromDate(const google::type::Date& d) {
  return absl::CivilDay(d.year(), d.month(), d.day());
}

bool IsValidCode(const std::string& code) {
  if (code.size() < 2 || code.size() > 32) return false;
  if (!absl::ascii_isupper(code[0]) && !absl::ascii_isdigit(code[0])) return false;
  for (char c : code) {
    if (!absl::ascii_isupper(c) && !absl::ascii_isdigit(c) && c != '-' &&
        c != '_') {
      return false;
    }
  }
  return true;
}

void CheckText(FieldViolations& v, const char* field, const std::string& value,
               size_t max) {
  if (absl::StripAsciiWhitespace(value).empty()) {
    v.Add(field, "must not be empty");
  } else if (value.size() > max) {
    v.Add(field, absl::StrCat("must be at most ", max, " characters"));
  }
}

}  // namespace

google::type::Date ToDate(absl::CivilDay day) {
  google::type::Date d;
  d.set_year(static_cast<int>(day.year()));
  d.set_month(day.month());
  d.set_day(day.day());
  return d;
}

bool CivilDayFromDate(int year, int month, int day, absl::CivilDay* out) {
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1) {
    return false;
  }
  absl::CivilDay candidate(year, month, day);
  // CivilDay normalises 31 April to 1 May: a changed day means not real.
  if (candidate.month() != month || candidate.day() != day) return false;
  *out = candidate;
  return true;
}

absl::Status ValidateCharter(const ProjectCharter& charter) {
  FieldViolations v;
  if (!IsValidCode(charter.code)) {
    v.Add("code",
          "must be 2-32 characters of A-Z, 0-9, '-' or '_', starting with a "
          "letter or digit");
  }
  CheckText(v, "name", charter.name, 200);
  CheckText(v, "manager", charter.manager, 128);
  if (charter.planned_end < charter.planned_start) {
    v.Add("planned_end", "must not be before planned_start");
  }
  return v.ToStatus();
}

bool IsAllowedTransition(ProjectStatus from, ProjectStatus to) {
  switch (from) {
    case PROJECT_STATUS_PROPOSED:
      return to == PROJECT_STATUS_APPROVED || to == PROJECT_STATUS_CANCELLED;
    case PROJECT_STATUS_APPROVED:
      return to == PROJECT_STATUS_ACTIVE || to == PROJECT_STATUS_CANCELLED;
    case PROJECT_STATUS_ACTIVE:
      return to == PROJECT_STATUS_ON_HOLD || to == PROJECT_STATUS_CLOSED ||
             to == PROJECT_STATUS_CANCELLED;
    case PROJECT_STATUS_ON_HOLD:
      return to == PROJECT_STATUS_ACTIVE || to == PROJECT_STATUS_CANCELLED;
    default:
      return false;  // CLOSED and CANCELLED are final
  }
}

void Project::Apply(const google::protobuf::Message& event,
                    absl::Time occurred_at) {
  if (const auto* created = dynamic_cast<const v1::ProjectCreated*>(&event)) {
    id_ = created->project_id();
    charter_ = {created->code(), created->name(), created->manager(),
                FromDate(created->planned_start()),
                FromDate(created->planned_end())};
    status_ = created->status();
    created_at_ = occurred_at;
  } else if (const auto* changed =
                 dynamic_cast<const v1::ProjectStatusChanged*>(&event)) {
    status_ = changed->status();
    status_reason_ = changed->reason();
  }
  updated_at_ = occurred_at;
  // Event types added later are ignored by older code (make-before-break).
}

absl::StatusOr<eventsourcing::Decision> Project::Create(
    const std::string& project_id, const ProjectCharter& charter) const {
  if (exists()) {
    return absl::AlreadyExistsError(absl::StrCat("project ", id_, " exists"));
  }
  RETURN_IF_ERROR(ValidateCharter(charter));
  auto created = std::make_unique<v1::ProjectCreated>();
  created->set_project_id(project_id);
  created->set_code(charter.code);
  created->set_name(charter.name);
  created->set_manager(charter.manager);
  *created->mutable_planned_start() = ToDate(charter.planned_start);
  *created->mutable_planned_end() = ToDate(charter.planned_end);
  created->set_status(PROJECT_STATUS_PROPOSED);
  eventsourcing::Decision decision;
  decision.events.push_back(std::move(created));
  decision.unique_claims.push_back({kCodeScope, charter.code});
  return decision;
}

absl::StatusOr<eventsourcing::Decision> Project::ChangeStatus(
    ProjectStatus to, const std::string& reason) const {
  if (!exists()) return absl::NotFoundError("project not found");
  FieldViolations v;
  if (to == v1::PROJECT_STATUS_UNSPECIFIED || !v1::ProjectStatus_IsValid(to)) {
    v.Add("status", "must be a project status other than UNSPECIFIED");
  }
  CheckText(v, "reason", reason, 1000);
  RETURN_IF_ERROR(v.ToStatus());
  if (!IsAllowedTransition(status_, to)) {
    return RuleViolationError(
        "PROJECT_LIFECYCLE", absl::StrCat("projects/", id_),
        absl::StrCat("a project cannot go from ",
                     v1::ProjectStatus_Name(status_), " to ",
                     v1::ProjectStatus_Name(to)));
  }
  auto changed = std::make_unique<v1::ProjectStatusChanged>();
  changed->set_project_id(id_);
  changed->set_previous_status(status_);
  changed->set_status(to);
  changed->set_reason(reason);
  eventsourcing::Decision decision;
  decision.events.push_back(std::move(changed));
  return decision;
}

}  // namespace pmo::projects
