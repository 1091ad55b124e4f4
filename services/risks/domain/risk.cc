#include "services/risks/domain/risk.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "libs/base/errors.h"
#include "libs/base/status_macros.h"
#include "libs/dates/calendar_dates.h"

namespace pmo::risks {
namespace {

void CheckText(FieldViolations& v, const std::string& field, const std::string& value, size_t max,
               bool required = true) {
  if (required && absl::StripAsciiWhitespace(value).empty()) {
    v.Add(field, "must not be empty");
  } else if (value.size() > max) {
    v.Add(field, absl::StrCat("must be at most ", max, " characters"));
  }
}

using dates::IsRealDate;
using dates::IsSet;

bool IsOpen(v1::RiskStatus s) {
  return s != v1::RISK_STATUS_CLOSED && s != v1::RISK_STATUS_OCCURRED;
}

}  // namespace

absl::Status ValidateIdentification(const v1::RiskIdentified& r) {
  FieldViolations v;
  if (r.level() == v1::RISK_LEVEL_UNSPECIFIED || !v1::RiskLevel_IsValid(r.level())) {
    v.Add("level", "must be PROJECT, PROGRAMME or PORTFOLIO");
  }
  CheckText(v, "scope_id", r.scope_id(), 64);
  if (r.kind() == v1::RISK_KIND_UNSPECIFIED || !v1::RiskKind_IsValid(r.kind())) {
    v.Add("kind", "must be THREAT or OPPORTUNITY");
  }
  CheckText(v, "title", r.title(), 200);
  CheckText(v, "cause", r.cause(), 2000, false);
  CheckText(v, "event", r.event(), 2000, false);
  CheckText(v, "effect", r.effect(), 2000, false);
  CheckText(v, "category", r.category(), 100);
  CheckText(v, "owner", r.owner(), 128);
  if (IsSet(r.proximity()) && !IsRealDate(r.proximity())) v.Add("proximity", "must be a real date");
  if (IsSet(r.next_review()) && !IsRealDate(r.next_review())) {
    v.Add("next_review", "must be a real date");
  }
  if (r.triggers_size() > 20) v.Add("triggers", "at most 20");
  for (int i = 0; i < r.triggers_size() && i < 20; ++i) {
    CheckText(v, absl::StrCat("triggers[", i, "]"), r.triggers(i), 200);
  }
  return v.ToStatus();
}

absl::Status ValidateResponse(v1::RiskKind kind, v1::ResponseStrategy strategy,
                              const std::vector<v1::ResponseAction>& actions) {
  FieldViolations v;
  const bool threat_only = strategy == v1::RESPONSE_STRATEGY_AVOID ||
                           strategy == v1::RESPONSE_STRATEGY_TRANSFER ||
                           strategy == v1::RESPONSE_STRATEGY_MITIGATE;
  const bool opportunity_only = strategy == v1::RESPONSE_STRATEGY_EXPLOIT ||
                                strategy == v1::RESPONSE_STRATEGY_SHARE ||
                                strategy == v1::RESPONSE_STRATEGY_ENHANCE;
  if (strategy == v1::RESPONSE_STRATEGY_UNSPECIFIED || !v1::ResponseStrategy_IsValid(strategy)) {
    v.Add("strategy", "is required");
  } else if (kind == v1::RISK_KIND_THREAT && opportunity_only) {
    v.Add("strategy", "EXPLOIT, SHARE and ENHANCE are for opportunities");
  } else if (kind == v1::RISK_KIND_OPPORTUNITY && threat_only) {
    v.Add("strategy", "AVOID, TRANSFER and MITIGATE are for threats");
  }
  if (actions.size() > 50) v.Add("actions", "at most 50");
  for (size_t i = 0; i < actions.size() && i < 50; ++i) {
    const std::string at = absl::StrCat("actions[", i, "]");
    CheckText(v, at + ".description", actions[i].description(), 1000);
    CheckText(v, at + ".owner", actions[i].owner(), 128);
    if (!IsRealDate(actions[i].due())) v.Add(at + ".due", "must be a real date");
  }
  return v.ToStatus();
}

void RiskAggregate::Apply(const google::protobuf::Message& event, absl::Time) {
  if (const auto* r = dynamic_cast<const v1::RiskIdentified*>(&event)) {
    state_.set_risk_id(r->risk_id());
    state_.set_level(r->level());
    state_.set_scope_id(r->scope_id());
    state_.set_kind(r->kind());
    state_.set_title(r->title());
    state_.set_cause(r->cause());
    state_.set_event(r->event());
    state_.set_effect(r->effect());
    state_.set_category(r->category());
    state_.set_owner(r->owner());
    *state_.mutable_proximity() = r->proximity();
    *state_.mutable_triggers() = r->triggers();
    *state_.mutable_next_review() = r->next_review();
    state_.set_status(v1::RISK_STATUS_IDENTIFIED);
  } else if (const auto* a = dynamic_cast<const v1::RiskAssessed*>(&event)) {
    if (a->stage() == v1::ASSESSMENT_STAGE_RESIDUAL) {
      *state_.mutable_residual_assessment() = a->assessment();
      *state_.mutable_residual_rating() = a->rating();
    } else {
      *state_.mutable_inherent_assessment() = a->assessment();
      *state_.mutable_inherent_rating() = a->rating();
    }
    if (a->has_next_review()) *state_.mutable_next_review() = a->next_review();
  } else if (const auto* s = dynamic_cast<const v1::RiskStatusChanged*>(&event)) {
    state_.set_status(s->status());
  } else if (const auto* p = dynamic_cast<const v1::ResponsePlanned*>(&event)) {
    state_.set_strategy(p->strategy());
    *state_.mutable_actions() = p->actions();
  } else if (const auto* j = dynamic_cast<const v1::RiskJoinedCombination*>(&event)) {
    state_.add_combined_risk_ids(j->combined_risk_id());
  } else if (const auto* c = dynamic_cast<const v1::ResponseActionCompleted*>(&event)) {
    for (v1::ResponseAction& action : *state_.mutable_actions()) {
      if (action.action_id() == c->action_id()) action.set_done(true);
    }
  }
}

absl::Status RiskAggregate::CheckOpen() const {
  if (!exists()) return absl::NotFoundError("risk not found");
  if (!IsOpen(state_.status())) {
    return RuleViolationError("RISK_LIFECYCLE", absl::StrCat("risks/", state_.risk_id()),
                              absl::StrCat("a ", v1::RiskStatus_Name(state_.status()),
                                           " risk cannot change"));
  }
  return absl::OkStatus();
}

void RiskAggregate::AddStatusChange(eventsourcing::Decision& decision, v1::RiskStatus to,
                                    const std::string& reason) const {
  auto changed = std::make_unique<v1::RiskStatusChanged>();
  changed->set_risk_id(state_.risk_id());
  changed->set_previous_status(state_.status());
  changed->set_status(to);
  changed->set_reason(reason);
  decision.events.push_back(std::move(changed));
}

absl::StatusOr<eventsourcing::Decision> RiskAggregate::Identify(v1::RiskIdentified risk) const {
  if (exists()) return absl::AlreadyExistsError("risk exists");
  RETURN_IF_ERROR(ValidateIdentification(risk));
  eventsourcing::Decision decision;
  decision.events.push_back(std::make_unique<v1::RiskIdentified>(std::move(risk)));
  return decision;
}

absl::StatusOr<eventsourcing::Decision> RiskAggregate::Assess(
    v1::AssessmentStage stage, const v1::Assessment& assessment, const v1::Rating& rating,
    const google::type::Date& next_review) const {
  RETURN_IF_ERROR(CheckOpen());
  if (IsSet(next_review) && !IsRealDate(next_review)) {
    FieldViolations v;
    v.Add("next_review", "must be a real date");
    return v.ToStatus();
  }
  auto assessed = std::make_unique<v1::RiskAssessed>();
  assessed->set_risk_id(state_.risk_id());
  assessed->set_stage(stage);
  *assessed->mutable_assessment() = assessment;
  *assessed->mutable_rating() = rating;
  if (IsSet(next_review)) *assessed->mutable_next_review() = next_review;
  eventsourcing::Decision decision;
  decision.events.push_back(std::move(assessed));
  if (state_.status() == v1::RISK_STATUS_IDENTIFIED) {
    AddStatusChange(decision, v1::RISK_STATUS_ASSESSED, "assessed");
  }
  return decision;
}

absl::StatusOr<eventsourcing::Decision> RiskAggregate::PlanResponse(
    v1::ResponseStrategy strategy, const std::vector<v1::ResponseAction>& actions) const {
  RETURN_IF_ERROR(CheckOpen());
  RETURN_IF_ERROR(ValidateResponse(state_.kind(), strategy, actions));
  if (state_.status() == v1::RISK_STATUS_IDENTIFIED) {
    return RuleViolationError("RISK_LIFECYCLE", absl::StrCat("risks/", state_.risk_id()),
                              "a risk is assessed before its response is planned");
  }
  auto planned = std::make_unique<v1::ResponsePlanned>();
  planned->set_risk_id(state_.risk_id());
  planned->set_strategy(strategy);
  for (const v1::ResponseAction& a : actions) *planned->add_actions() = a;
  eventsourcing::Decision decision;
  decision.events.push_back(std::move(planned));
  if (state_.status() == v1::RISK_STATUS_ASSESSED) {
    AddStatusChange(decision, v1::RISK_STATUS_RESPONDING, "response planned");
  }
  return decision;
}

absl::StatusOr<eventsourcing::Decision> RiskAggregate::CompleteAction(
    const std::string& action_id) const {
  RETURN_IF_ERROR(CheckOpen());
  for (const v1::ResponseAction& a : state_.actions()) {
    if (a.action_id() != action_id) continue;
    eventsourcing::Decision decision;
    if (a.done()) return decision;
    auto completed = std::make_unique<v1::ResponseActionCompleted>();
    completed->set_risk_id(state_.risk_id());
    completed->set_action_id(action_id);
    decision.events.push_back(std::move(completed));
    return decision;
  }
  return absl::NotFoundError(absl::StrCat("action ", action_id, " not found"));
}

absl::StatusOr<eventsourcing::Decision> RiskAggregate::ChangeStatus(
    v1::RiskStatus to, const std::string& reason) const {
  RETURN_IF_ERROR(CheckOpen());
  FieldViolations v;
  if (to != v1::RISK_STATUS_CLOSED && to != v1::RISK_STATUS_OCCURRED) {
    v.Add("status", "only CLOSED or OCCURRED are set directly (assessing and planning move the rest)");
  }
  CheckText(v, "reason", reason, 1000);
  RETURN_IF_ERROR(v.ToStatus());
  eventsourcing::Decision decision;
  AddStatusChange(decision, to, reason);
  return decision;
}

absl::StatusOr<eventsourcing::Decision> RiskAggregate::JoinCombination(
    const std::string& combined_risk_id) const {
  if (!exists()) return absl::NotFoundError("risk not found");
  eventsourcing::Decision decision;
  for (const std::string& id : state_.combined_risk_ids()) {
    if (id == combined_risk_id) return decision;
  }
  auto joined = std::make_unique<v1::RiskJoinedCombination>();
  joined->set_risk_id(state_.risk_id());
  joined->set_combined_risk_id(combined_risk_id);
  decision.events.push_back(std::move(joined));
  return decision;
}

}  // namespace pmo::risks
