#include "services/configuration/domain/methodology.h"

#include "absl/strings/str_cat.h"
#include "libs/base/errors.h"
#include "libs/base/proto_time.h"
#include "libs/base/status_macros.h"
#include "services/configuration/domain/field_checks.h"

namespace pmo::configuration {
namespace {

constexpr int kMaxPhases = 50;
constexpr int kMaxGateEntries = 100;

void CheckList(FieldViolations& v, const std::string& field,
               const google::protobuf::RepeatedPtrField<std::string>& values) {
  if (values.size() > kMaxGateEntries) {
    v.Add(field, absl::StrCat("at most ", kMaxGateEntries, " entries"));
    return;
  }
  for (int i = 0; i < values.size(); ++i) {
    CheckText(v, absl::StrCat(field, "[", i, "]"), values[i], 500);
  }
}

}  // namespace

absl::Status ValidateMethodology(const v1::MethodologyVersionPublished& m) {
  FieldViolations v(50);
  CheckText(v, "name", m.name(), 200);
  CheckText(v, "version", m.version(), 50);
  CheckOptionalText(v, "description", m.description(), 4000,
                    TextKind::kMultiline);
  if (m.phases().empty() || m.phases_size() > kMaxPhases) {
    v.Add("phases", absl::StrCat("must hold 1-", kMaxPhases, " phases"));
  }
  for (int i = 0; i < m.phases_size() && i < kMaxPhases; ++i) {
    const std::string at = absl::StrCat("phases[", i, "]");
    const v1::MethodologyPhase& phase = m.phases(i);
    CheckText(v, at + ".name", phase.name(), 200);
    CheckOptionalText(v, at + ".description", phase.description(), 4000,
                      TextKind::kMultiline);
    CheckText(v, at + ".gate.name", phase.gate().name(), 200);
    CheckList(v, at + ".gate.deliverables", phase.gate().deliverables());
    CheckList(v, at + ".gate.criteria", phase.gate().criteria());
  }
  return v.ToStatus();
}

void MethodologyAggregate::Apply(const google::protobuf::Message& event,
                                 absl::Time occurred_at) {
  if (const auto* p =
          dynamic_cast<const v1::MethodologyVersionPublished*>(&event)) {
    state_.set_methodology_id(p->methodology_id());
    state_.set_name(p->name());
    state_.set_version(p->version());
    state_.set_description(p->description());
    *state_.mutable_phases() = p->phases();
    state_.set_published_by(p->published_by());
    *state_.mutable_published_at() = ToTimestamp(occurred_at);
  } else if (dynamic_cast<const v1::MethodologyVersionWithdrawn*>(&event) !=
             nullptr) {
    state_.set_withdrawn(true);
  }
}

absl::StatusOr<eventsourcing::Decision> MethodologyAggregate::Publish(
    v1::MethodologyVersionPublished methodology) const {
  if (exists()) return absl::AlreadyExistsError("methodology version exists");
  RETURN_IF_ERROR(ValidateMethodology(methodology));
  eventsourcing::Decision decision;
  decision.unique_values.push_back(
      {kVersionScope,
       absl::StrCat(methodology.name(), "\n", methodology.version())});
  decision.events.push_back(std::make_unique<v1::MethodologyVersionPublished>(
      std::move(methodology)));
  return decision;
}

absl::StatusOr<eventsourcing::Decision> MethodologyAggregate::Withdraw(
    const std::string& reason) const {
  if (!exists()) return absl::NotFoundError("methodology version not found");
  FieldViolations v;
  CheckText(v, "reason", reason, 2000, TextKind::kMultiline);
  RETURN_IF_ERROR(v.ToStatus());
  eventsourcing::Decision decision;
  if (state_.withdrawn()) return decision;
  auto withdrawn = std::make_unique<v1::MethodologyVersionWithdrawn>();
  withdrawn->set_methodology_id(state_.methodology_id());
  withdrawn->set_reason(reason);
  decision.events.push_back(std::move(withdrawn));
  return decision;
}

}  // namespace pmo::configuration
