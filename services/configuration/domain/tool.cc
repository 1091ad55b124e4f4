#include "services/configuration/domain/tool.h"

#include "absl/strings/str_cat.h"
#include "libs/base/errors.h"
#include "libs/base/status_macros.h"
#include "libs/dates/calendar_dates.h"
#include "services/configuration/domain/field_checks.h"

namespace pmo::configuration {
namespace {

// Site and open-source licences are not counted: they cannot be over-used.
bool Counted(v1::LicenceModel model) {
  return model == v1::LICENCE_MODEL_PER_USER ||
         model == v1::LICENCE_MODEL_CONCURRENT;
}

void CheckLicence(FieldViolations& v, v1::LicenceModel model, int32_t count,
                  const google::type::Date& expiry) {
  if (Counted(model) && count < 1) {
    v.Add("licence_count",
          "a per-user or concurrent licence needs at least 1 licence");
  } else if (count < 0) {
    v.Add("licence_count", "must not be negative");
  }
  if (dates::IsSet(expiry) && !dates::IsRealDate(expiry)) {
    v.Add("licence_expiry", "must be a real date");
  }
}

}  // namespace

void ToolAggregate::Apply(const google::protobuf::Message& event, absl::Time) {
  if (const auto* c = dynamic_cast<const v1::ToolCatalogued*>(&event)) {
    state_.set_tool_id(c->tool_id());
    state_.set_name(c->name());
    state_.set_vendor(c->vendor());
    state_.set_licence_model(c->licence_model());
    state_.set_licence_count(c->licence_count());
    *state_.mutable_licence_expiry() = c->licence_expiry();
  } else if (const auto* l =
                 dynamic_cast<const v1::ToolLicenceChanged*>(&event)) {
    state_.set_licence_count(l->licence_count());
    *state_.mutable_licence_expiry() = l->licence_expiry();
  } else if (const auto* a =
                 dynamic_cast<const v1::ToolAssignedToProject*>(&event)) {
    for (v1::ToolAssignment& existing : *state_.mutable_assignments()) {
      if (existing.project_id() == a->assignment().project_id()) {
        existing = a->assignment();
        return;
      }
    }
    *state_.add_assignments() = a->assignment();
  } else if (const auto* r =
                 dynamic_cast<const v1::ToolReleasedFromProject*>(&event)) {
    auto* assignments = state_.mutable_assignments();
    for (int i = 0; i < assignments->size(); ++i) {
      if (assignments->Get(i).project_id() == r->project_id()) {
        assignments->DeleteSubrange(i, 1);
        break;
      }
    }
  } else if (dynamic_cast<const v1::ToolRetired*>(&event) != nullptr) {
    state_.set_retired(true);
    state_.clear_assignments();
  }
}

absl::Status ToolAggregate::CheckActive() const {
  if (!exists()) return absl::NotFoundError("tool not found");
  if (state_.retired()) {
    return RuleViolationError(
        "TOOL_RETIRED", absl::StrCat("tools/", state_.tool_id()),
        absl::StrCat("tool ", state_.name(), " is retired"));
  }
  return absl::OkStatus();
}

absl::StatusOr<eventsourcing::Decision> ToolAggregate::Catalogue(
    v1::ToolCatalogued tool) const {
  if (exists()) return absl::AlreadyExistsError("tool exists");
  FieldViolations v;
  CheckText(v, "name", tool.name(), 200);
  CheckText(v, "vendor", tool.vendor(), 200);
  if (tool.licence_model() == v1::LICENCE_MODEL_UNSPECIFIED ||
      !v1::LicenceModel_IsValid(tool.licence_model())) {
    v.Add("licence_model", "must be PER_USER, CONCURRENT, SITE or OPEN_SOURCE");
  }
  CheckLicence(v, tool.licence_model(), tool.licence_count(),
               tool.licence_expiry());
  RETURN_IF_ERROR(v.ToStatus());
  eventsourcing::Decision decision;
  decision.unique_values.push_back({kNameScope, tool.name()});
  decision.events.push_back(
      std::make_unique<v1::ToolCatalogued>(std::move(tool)));
  return decision;
}

absl::StatusOr<eventsourcing::Decision> ToolAggregate::ChangeLicence(
    int32_t licence_count, const google::type::Date& expiry) const {
  RETURN_IF_ERROR(CheckActive());
  FieldViolations v;
  CheckLicence(v, state_.licence_model(), licence_count, expiry);
  RETURN_IF_ERROR(v.ToStatus());
  auto changed = std::make_unique<v1::ToolLicenceChanged>();
  changed->set_tool_id(state_.tool_id());
  changed->set_licence_count(licence_count);
  *changed->mutable_licence_expiry() = expiry;
  eventsourcing::Decision decision;
  decision.events.push_back(std::move(changed));
  return decision;
}

absl::StatusOr<eventsourcing::Decision> ToolAggregate::Assign(
    const std::string& project_id, int32_t seats) const {
  FieldViolations v;
  CheckText(v, "project_id", project_id, 64);
  if (seats < 1) v.Add("seats", "must be at least 1");
  RETURN_IF_ERROR(v.ToStatus());
  RETURN_IF_ERROR(CheckActive());
  eventsourcing::Decision decision;
  for (const v1::ToolAssignment& a : state_.assignments()) {
    if (a.project_id() == project_id && a.seats() == seats) return decision;
  }
  // Over-use is allowed and flagged, not refused: a project may need the
  // tool before procurement catches up, and the PMO must see that.
  auto assigned = std::make_unique<v1::ToolAssignedToProject>();
  assigned->set_tool_id(state_.tool_id());
  assigned->mutable_assignment()->set_project_id(project_id);
  assigned->mutable_assignment()->set_seats(seats);
  decision.events.push_back(std::move(assigned));
  return decision;
}

absl::StatusOr<eventsourcing::Decision> ToolAggregate::Release(
    const std::string& project_id) const {
  RETURN_IF_ERROR(CheckActive());
  eventsourcing::Decision decision;
  for (const v1::ToolAssignment& a : state_.assignments()) {
    if (a.project_id() != project_id) continue;
    auto released = std::make_unique<v1::ToolReleasedFromProject>();
    released->set_tool_id(state_.tool_id());
    released->set_project_id(project_id);
    decision.events.push_back(std::move(released));
  }
  return decision;
}

absl::StatusOr<eventsourcing::Decision> ToolAggregate::Retire(
    const std::string& reason) const {
  FieldViolations v;
  CheckText(v, "reason", reason, 2000, TextKind::kMultiline);
  RETURN_IF_ERROR(v.ToStatus());
  if (!exists()) return absl::NotFoundError("tool not found");
  eventsourcing::Decision decision;
  if (state_.retired()) return decision;
  auto retired = std::make_unique<v1::ToolRetired>();
  retired->set_tool_id(state_.tool_id());
  retired->set_reason(reason);
  decision.events.push_back(std::move(retired));
  return decision;
}

v1::Tool ToolFlagsOn(v1::Tool tool, absl::CivilDay today, int warning_days) {
  int32_t seats = 0;
  for (const v1::ToolAssignment& a : tool.assignments()) seats += a.seats();
  tool.set_seats_in_use(seats);
  tool.set_over_used(Counted(tool.licence_model()) &&
                     seats > tool.licence_count());
  const bool expires = tool.licence_model() != v1::LICENCE_MODEL_OPEN_SOURCE &&
                       dates::IsRealDate(tool.licence_expiry());
  tool.set_licence_expiring(
      expires && dates::Day(tool.licence_expiry()) - today <= warning_days);
  return tool;
}

}  // namespace pmo::configuration
