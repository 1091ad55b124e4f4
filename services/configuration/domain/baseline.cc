#include "services/configuration/domain/baseline.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "libs/base/errors.h"
#include "libs/base/proto_time.h"
#include "libs/base/status_macros.h"
#include "services/configuration/domain/field_checks.h"

namespace pmo::configuration {

void BaselineAggregate::Apply(const google::protobuf::Message& event,
                              absl::Time occurred_at) {
  if (const auto* e = dynamic_cast<const v1::BaselineEstablished*>(&event)) {
    state_.set_baseline_id(e->baseline_id());
    state_.set_project_id(e->project_id());
    state_.set_name(e->name());
    state_.set_description(e->description());
    *state_.mutable_entries() = e->entries();
    state_.set_created_by(e->created_by());
    *state_.mutable_created_at() = ToTimestamp(occurred_at);
  }
}

absl::StatusOr<eventsourcing::Decision> BaselineAggregate::Establish(
    v1::BaselineEstablished baseline) const {
  if (exists()) return absl::AlreadyExistsError("baseline exists");
  FieldViolations v;
  CheckText(v, "project_id", baseline.project_id(), 64);
  CheckText(v, "name", baseline.name(), 200);
  CheckOptionalText(v, "description", baseline.description(), 2000,
                    TextKind::kMultiline);
  if (baseline.entries().empty()) {
    v.Add("item_ids", "a baseline holds at least one configuration item");
  } else if (baseline.entries_size() > kMaxEntries) {
    v.Add("item_ids",
          absl::StrCat("a baseline holds at most ", kMaxEntries, " items"));
  }
  RETURN_IF_ERROR(v.ToStatus());
  auto* entries = baseline.mutable_entries();
  std::sort(entries->begin(), entries->end(),
            [](const v1::BaselineEntry& a, const v1::BaselineEntry& b) {
              return a.item_id() < b.item_id();
            });
  for (int i = 1; i < entries->size(); ++i) {
    if (entries->Get(i).item_id() == entries->Get(i - 1).item_id()) {
      v.Add("item_ids", absl::StrCat("item ", entries->Get(i).item_id(),
                                     " is listed twice"));
      return v.ToStatus();
    }
  }
  eventsourcing::Decision decision;
  decision.unique_values.push_back(
      {kNameScope, absl::StrCat(baseline.project_id(), "\n", baseline.name())});
  decision.events.push_back(
      std::make_unique<v1::BaselineEstablished>(std::move(baseline)));
  return decision;
}

}  // namespace pmo::configuration
