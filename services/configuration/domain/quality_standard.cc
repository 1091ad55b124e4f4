#include "services/configuration/domain/quality_standard.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "libs/base/errors.h"
#include "libs/base/status_macros.h"
#include "services/configuration/domain/field_checks.h"

namespace pmo::configuration {

absl::Status ValidateStandard(const v1::QualityStandardDefined& standard) {
  FieldViolations v(50);
  CheckText(v, "code", standard.code(), 100);
  CheckText(v, "title", standard.title(), 200);
  CheckOptionalText(v, "issuing_body", standard.issuing_body(), 200);
  if (standard.requirements().empty() || standard.requirements_size() > 2000) {
    v.Add("requirements", "a standard needs 1-2000 requirements");
  }
  std::set<std::string> clauses;
  for (int i = 0; i < standard.requirements_size(); ++i) {
    const v1::StandardRequirement& r = standard.requirements(i);
    const std::string field = absl::StrCat("requirements[", i, "]");
    CheckText(v, absl::StrCat(field, ".clause"), r.clause(), 50);
    CheckText(v, absl::StrCat(field, ".text"), r.text(), 4000,
              TextKind::kMultiline);
    if (!r.clause().empty() && !clauses.insert(r.clause()).second) {
      v.Add(absl::StrCat(field, ".clause"),
            absl::StrCat("clause ", r.clause(), " is listed twice"));
    }
  }
  return v.ToStatus();
}

void QualityStandardAggregate::Apply(const google::protobuf::Message& event,
                                     absl::Time) {
  if (const auto* d = dynamic_cast<const v1::QualityStandardDefined*>(&event)) {
    state_.set_standard_id(d->standard_id());
    state_.set_code(d->code());
    state_.set_title(d->title());
    state_.set_issuing_body(d->issuing_body());
    *state_.mutable_requirements() = d->requirements();
  }
}

absl::StatusOr<eventsourcing::Decision> QualityStandardAggregate::Define(
    v1::QualityStandardDefined standard) const {
  if (exists()) return absl::AlreadyExistsError("quality standard exists");
  RETURN_IF_ERROR(ValidateStandard(standard));
  eventsourcing::Decision decision;
  decision.unique_values.push_back({kCodeScope, standard.code()});
  decision.events.push_back(
      std::make_unique<v1::QualityStandardDefined>(std::move(standard)));
  return decision;
}

const v1::StandardRequirement* QualityStandardAggregate::FindRequirement(
    const std::string& clause) const {
  for (const v1::StandardRequirement& r : state_.requirements()) {
    if (r.clause() == clause) return &r;
  }
  return nullptr;
}

}  // namespace pmo::configuration
