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
    state_.set_portfolio_id(created->portfolio_id());
    state_.set_code(created->code());
    state_.set_name(created->name());
  } else if (const auto* o =
                 dynamic_cast<const v1::StrategicObjectiveDefined*>(&event)) {
    v1::StrategicObjective* objective = state_.add_objectives();
    objective->set_objective_id(o->objective_id());
    objective->set_name(o->name());
    objective->set_weight(o->weight());
  }
}

absl::StatusOr<eventsourcing::Decision> Portfolio::Create(
    const std::string& portfolio_id, const std::string& code,
    const std::string& name) const {
  if (exists()) {
    return absl::AlreadyExistsError(
        absl::StrCat("portfolio ", state_.portfolio_id(), " exists"));
  }
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
    const v1::StrategicObjective& objective) const {
  if (!exists()) return absl::NotFoundError("portfolio not found");
  FieldViolations v;
  CheckText(v, "name", objective.name(), 200);
  if (objective.weight() < 1 || objective.weight() > 100)
    v.Add("weight", "must be between 1 and 100");
  RETURN_IF_ERROR(v.ToStatus());
  for (const v1::StrategicObjective& existing : state_.objectives()) {
    if (existing.name() == objective.name()) {
      return absl::AlreadyExistsError(
          absl::StrCat("objective '", objective.name(), "' exists"));
    }
  }
  auto defined = std::make_unique<v1::StrategicObjectiveDefined>();
  defined->set_portfolio_id(state_.portfolio_id());
  defined->set_objective_id(objective.objective_id());
  defined->set_name(objective.name());
  defined->set_weight(objective.weight());
  eventsourcing::Decision decision;
  decision.events.push_back(std::move(defined));
  return decision;
}

const v1::StrategicObjective* Portfolio::FindObjective(
    const std::string& objective_id) const {
  for (const v1::StrategicObjective& o : state_.objectives()) {
    if (o.objective_id() == objective_id) return &o;
  }
  return nullptr;
}

void Programme::Apply(const google::protobuf::Message& event, absl::Time) {
  if (const auto* created = dynamic_cast<const v1::ProgrammeCreated*>(&event)) {
    state_.set_programme_id(created->programme_id());
    state_.set_code(created->code());
    state_.set_name(created->name());
    state_.set_portfolio_id(created->portfolio_id());
  }
}

absl::StatusOr<eventsourcing::Decision> Programme::Create(
    const std::string& programme_id, const std::string& code,
    const std::string& name, const std::string& portfolio_id) const {
  if (exists()) {
    return absl::AlreadyExistsError(
        absl::StrCat("programme ", state_.programme_id(), " exists"));
  }
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
