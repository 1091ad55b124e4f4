#include "services/projects/domain/portfolio.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "libs/base/errors.h"
#include "libs/base/status_macros.h"
#include "libs/base/text_checks.h"
#include "services/projects/domain/project.h"

namespace pmo::projects {
namespace {

bool IsValidCode(const std::string& code) {
  if (code.size() < 2 || code.size() > 32) return false;
  for (char c : code) {
    if (!absl::ascii_isupper(c) && !absl::ascii_isdigit(c) && c != '-' &&
        c != '_')
      return false;
  }
  return absl::ascii_isupper(code[0]) || absl::ascii_isdigit(code[0]);
}

}  // namespace

absl::Status ValidateStructureCode(const std::string& code,
                                   const std::string& name) {
  FieldViolations v;
  if (!IsValidCode(code)) {
    v.Add("code", "must be 2-32 characters of A-Z, 0-9, '-' or '_'");
  }
  CheckText(v, "name", name, 200);
  return v.ToStatus();
}

void Portfolio::Apply(const google::protobuf::Message& event, absl::Time) {
  if (const auto* created = dynamic_cast<const v1::PortfolioCreated*>(&event)) {
    id_ = created->portfolio_id();
    code_ = created->code();
    name_ = created->name();
  } else if (const auto* o =
                 dynamic_cast<const v1::StrategicObjectiveDefined*>(&event)) {
    objectives_.push_back({o->objective_id(), o->name(), o->weight()});
  }
}

absl::StatusOr<eventsourcing::Decision> Portfolio::Create(
    const std::string& portfolio_id, const std::string& code,
    const std::string& name) const {
  if (exists())
    return absl::AlreadyExistsError(absl::StrCat("portfolio ", id_, " exists"));
  RETURN_IF_ERROR(ValidateStructureCode(code, name));
  auto created = std::make_unique<v1::PortfolioCreated>();
  created->set_portfolio_id(portfolio_id);
  created->set_code(code);
  created->set_name(name);
  eventsourcing::Decision decision;
  decision.events.push_back(std::move(created));
  decision.unique_values.push_back({kCodeScope, code});
  return decision;
}

absl::StatusOr<eventsourcing::Decision> Portfolio::DefineObjective(
    const StrategicObjective& o) const {
  if (!exists()) return absl::NotFoundError("portfolio not found");
  FieldViolations v;
  CheckText(v, "name", o.name, 200);
  if (o.weight < 1 || o.weight > 100)
    v.Add("weight", "must be between 1 and 100");
  RETURN_IF_ERROR(v.ToStatus());
  for (const StrategicObjective& existing : objectives_) {
    if (existing.name == o.name) {
      return absl::AlreadyExistsError(
          absl::StrCat("objective '", o.name, "' exists"));
    }
  }
  auto defined = std::make_unique<v1::StrategicObjectiveDefined>();
  defined->set_portfolio_id(id_);
  defined->set_objective_id(o.objective_id);
  defined->set_name(o.name);
  defined->set_weight(o.weight);
  eventsourcing::Decision decision;
  decision.events.push_back(std::move(defined));
  return decision;
}

const StrategicObjective* Portfolio::FindObjective(
    const std::string& objective_id) const {
  for (const StrategicObjective& o : objectives_) {
    if (o.objective_id == objective_id) return &o;
  }
  return nullptr;
}

void Programme::Apply(const google::protobuf::Message& event, absl::Time) {
  if (const auto* created = dynamic_cast<const v1::ProgrammeCreated*>(&event)) {
    id_ = created->programme_id();
    code_ = created->code();
    name_ = created->name();
    portfolio_id_ = created->portfolio_id();
  }
}

absl::StatusOr<eventsourcing::Decision> Programme::Create(
    const std::string& programme_id, const std::string& code,
    const std::string& name, const std::string& portfolio_id) const {
  if (exists())
    return absl::AlreadyExistsError(absl::StrCat("programme ", id_, " exists"));
  RETURN_IF_ERROR(ValidateStructureCode(code, name));
  auto created = std::make_unique<v1::ProgrammeCreated>();
  created->set_programme_id(programme_id);
  created->set_code(code);
  created->set_name(name);
  created->set_portfolio_id(portfolio_id);
  eventsourcing::Decision decision;
  decision.events.push_back(std::move(created));
  decision.unique_values.push_back({kCodeScope, code});
  return decision;
}

}  // namespace pmo::projects
