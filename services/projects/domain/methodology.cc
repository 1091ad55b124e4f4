#include "services/projects/domain/methodology.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "libs/base/errors.h"
#include "libs/base/status_macros.h"
#include "libs/base/text_checks.h"

namespace pmo::projects {
namespace {}  // namespace

absl::Status ValidateMethodology(
    const std::string& name, const std::string& version,
    const google::protobuf::RepeatedPtrField<v1::Phase>& phases) {
  FieldViolations v;
  CheckText(v, "name", name, 200);
  CheckText(v, "version", version, 50);
  if (phases.empty() || phases.size() > 50)
    v.Add("phases", "must hold 1-50 phases");
  for (int i = 0; i < phases.size(); ++i) {
    const std::string at = absl::StrCat("phases[", i, "]");
    CheckText(v, at + ".name", phases[i].name(), 200);
    CheckText(v, at + ".gate.name", phases[i].gate().name(), 200);
    for (int d = 0; d < phases[i].gate().deliverables_size(); ++d) {
      CheckText(v, absl::StrCat(at, ".gate.deliverables[", d, "]"),
                phases[i].gate().deliverables(d), 500);
    }
    for (int c = 0; c < phases[i].gate().criteria_size(); ++c) {
      CheckText(v, absl::StrCat(at, ".gate.criteria[", c, "]"),
                phases[i].gate().criteria(c), 500);
    }
  }
  return v.ToStatus();
}

void Methodology::Apply(const google::protobuf::Message& event, absl::Time) {
  if (const auto* registered =
          dynamic_cast<const v1::MethodologyRegistered*>(&event)) {
    definition_ = *registered;
  } else if (dynamic_cast<const v1::MethodologyWithdrawn*>(&event) != nullptr) {
    withdrawn_ = true;
  }
}

absl::StatusOr<eventsourcing::Decision> Methodology::Withdraw(
    const std::string& reason) const {
  if (!exists()) return absl::NotFoundError("methodology not found");
  eventsourcing::Decision decision;
  if (withdrawn_) return decision;
  auto withdrawn = std::make_unique<v1::MethodologyWithdrawn>();
  withdrawn->set_methodology_id(definition_.methodology_id());
  withdrawn->set_reason(reason);
  decision.events.push_back(std::move(withdrawn));
  return decision;
}

absl::StatusOr<eventsourcing::Decision> Methodology::Register(
    const std::string& methodology_id, const std::string& name,
    const std::string& version,
    const google::protobuf::RepeatedPtrField<v1::Phase>& phases) const {
  if (exists()) return absl::AlreadyExistsError("methodology exists");
  RETURN_IF_ERROR(ValidateMethodology(name, version, phases));
  auto registered = std::make_unique<v1::MethodologyRegistered>();
  registered->set_methodology_id(methodology_id);
  registered->set_name(name);
  registered->set_version(version);
  *registered->mutable_phases() = phases;
  eventsourcing::Decision decision;
  decision.events.push_back(std::move(registered));
  decision.unique_values.push_back(
      {kVersionScope, absl::StrCat(name, "\n", version)});
  return decision;
}

}  // namespace pmo::projects
