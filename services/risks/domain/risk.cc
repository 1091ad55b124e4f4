#include "services/risks/domain/risk.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "libs/base/errors.h"
#include "libs/base/status_macros.h"
#include "libs/dates/calendar_dates.h"

namespace pmo::risks {
namespace {

using dates::IsRealDate;
using dates::IsSet;

bool IsOpen(v1::RiskStatus s) {
  return s != v1::RISK_STATUS_CLOSED && s != v1::RISK_STATUS_OCCURRED;
}

}  // namespace

int CurrentScore(const v1::Risk& risk) {
  return risk.has_residual_rating() ? risk.residual_rating().score()
                                    : risk.inherent_rating().score();
}

absl::Status ValidateIdentification(const v1::RiskIdentified& r) {
  FieldViolations v;
  if (r.level() == v1::RISK_LEVEL_UNSPECIFIED ||
      !v1::RiskLevel_IsValid(r.level())) {
    v.Add("level", "must be PROJECT, PROGRAMME or PORTFOLIO");
  }
  CheckText(v, "scope_id", r.scope_id(), 64);
  if (r.kind() == v1::RISK_KIND_UNSPECIFIED ||
      !v1::RiskKind_IsValid(r.kind())) {
    v.Add("kind", "must be THREAT or OPPORTUNITY");
  }
  CheckText(v, "title", r.title(), 200);
  CheckOptionalText(v, "cause", r.cause(), 2000, TextKind::kMultiline);
  CheckOptionalText(v, "event", r.event(), 2000, TextKind::kMultiline);
  CheckOptionalText(v, "effect", r.effect(), 2000, TextKind::kMultiline);
  CheckText(v, "category", r.category(), 100);
  CheckText(v, "owner", r.owner(), 128);
  if (IsSet(r.proximity()) && !IsRealDate(r.proximity()))
    v.Add("proximity", "must be a real date");
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
  if (strategy == v1::RESPONSE_STRATEGY_UNSPECIFIED ||
      !v1::ResponseStrategy_IsValid(strategy)) {
    v.Add("strategy", "is required");
  } else if (kind == v1::RISK_KIND_THREAT && opportunity_only) {
    v.Add("strategy", "EXPLOIT, SHARE and ENHANCE are for opportunities");
  } else if (kind == v1::RISK_KIND_OPPORTUNITY && threat_only) {
    v.Add("strategy", "AVOID, TRANSFER and MITIGATE are for threats");
  }
  if (actions.size() > 50) v.Add("actions", "at most 50");
  for (size_t i = 0; i < actions.size() && i < 50; ++i) {
    const std::string at = absl::StrCat("actions[", i, "]");
    CheckText(v, at + ".description", actions[i].description(), 1000,
              TextKind::kMultiline);
    CheckText(v, at + ".owner", actions[i].owner(), 128);
    if (!IsRealDate(actions[i].due()))
      v.Add(at + ".due", "must be a real date");
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
    state_.set_escalated_from_risk_id(r->escalated_from_risk_id());
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
  } else if (const auto* s =
                 dynamic_cast<const v1::RiskStatusChanged*>(&event)) {
    state_.set_status(s->status());
    if (!s->issue_id().empty()) state_.set_issue_id(s->issue_id());
  } else if (const auto* e = dynamic_cast<const v1::RiskEscalated*>(&event)) {
    v1::Escalation* escalation = state_.mutable_escalation();
    escalation->Clear();
    escalation->set_status(v1::ESCALATION_STATUS_PENDING);
    escalation->set_portfolio_id(e->portfolio_id());
    escalation->set_automatic(e->automatic());
    escalation->set_reason(e->reason());
    escalation->set_escalated_by(e->escalated_by());
    escalation->set_score(e->score());
  } else if (const auto* accepted =
                 dynamic_cast<const v1::EscalationAccepted*>(&event)) {
    state_.mutable_escalation()->set_status(v1::ESCALATION_STATUS_ACCEPTED);
    state_.mutable_escalation()->set_decision_reason(accepted->reason());
    state_.mutable_escalation()->set_portfolio_risk_id(
        accepted->portfolio_risk_id());
  } else if (const auto* returned =
                 dynamic_cast<const v1::EscalationReturned*>(&event)) {
    state_.mutable_escalation()->set_status(v1::ESCALATION_STATUS_RETURNED);
    state_.mutable_escalation()->set_decision_reason(returned->reason());
  } else if (const auto* rerated =
                 dynamic_cast<const v1::RiskRerated*>(&event)) {
    if (rerated->stage() == v1::ASSESSMENT_STAGE_RESIDUAL) {
      *state_.mutable_residual_rating() = rerated->rating();
    } else {
      *state_.mutable_inherent_rating() = rerated->rating();
    }
  } else if (const auto* p = dynamic_cast<const v1::ResponsePlanned*>(&event)) {
    state_.set_strategy(p->strategy());
    *state_.mutable_actions() = p->actions();
  } else if (const auto* j =
                 dynamic_cast<const v1::RiskJoinedCombination*>(&event)) {
    state_.add_combined_risk_ids(j->combined_risk_id());
  } else if (const auto* c =
                 dynamic_cast<const v1::ResponseActionCompleted*>(&event)) {
    for (v1::ResponseAction& action : *state_.mutable_actions()) {
      if (action.action_id() == c->action_id()) action.set_done(true);
    }
  }
}

absl::Status RiskAggregate::CheckOpen() const {
  if (!exists()) return absl::NotFoundError("risk not found");
  if (!IsOpen(state_.status())) {
    return RuleViolationError(
        "RISK_LIFECYCLE", absl::StrCat("risks/", state_.risk_id()),
        absl::StrCat("a ", v1::RiskStatus_Name(state_.status()),
                     " risk cannot change"));
  }
  return absl::OkStatus();
}

void RiskAggregate::AddStatusChange(eventsourcing::Decision& decision,
                                    v1::RiskStatus to,
                                    const std::string& reason) const {
  auto changed = std::make_unique<v1::RiskStatusChanged>();
  changed->set_risk_id(state_.risk_id());
  changed->set_previous_status(state_.status());
  changed->set_status(to);
  changed->set_reason(reason);
  decision.events.push_back(std::move(changed));
}

absl::StatusOr<eventsourcing::Decision> RiskAggregate::Identify(
    v1::RiskIdentified risk) const {
  if (exists()) return absl::AlreadyExistsError("risk exists");
  RETURN_IF_ERROR(ValidateIdentification(risk));
  eventsourcing::Decision decision;
  decision.events.push_back(
      std::make_unique<v1::RiskIdentified>(std::move(risk)));
  return decision;
}

absl::StatusOr<eventsourcing::Decision> RiskAggregate::Assess(
    v1::AssessmentStage stage, const v1::Assessment& assessment,
    const v1::Rating& rating, const google::type::Date& next_review,
    const EscalationThreshold& threshold) const {
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
  // The residual rating, once there is one, is the risk's current score.
  const bool drives =
      stage == v1::ASSESSMENT_STAGE_RESIDUAL || !state_.has_residual_rating();
  AddAutomaticEscalation(
      decision, drives ? rating.score() : CurrentScore(state_), threshold);
  return decision;
}

absl::StatusOr<eventsourcing::Decision> RiskAggregate::Rerate(
    const std::optional<v1::Rating>& inherent,
    const std::optional<v1::Rating>& residual,
    const EscalationThreshold& threshold) const {
  if (!exists()) return absl::NotFoundError("risk not found");
  eventsourcing::Decision decision;
  int score = CurrentScore(state_);
  auto add = [&](v1::AssessmentStage stage, const v1::Rating& previous,
                 const v1::Rating& rating) {
    if (previous.SerializeAsString() == rating.SerializeAsString()) return;
    auto rerated = std::make_unique<v1::RiskRerated>();
    rerated->set_risk_id(state_.risk_id());
    rerated->set_stage(stage);
    *rerated->mutable_rating() = rating;
    *rerated->mutable_previous_rating() = previous;
    decision.events.push_back(std::move(rerated));
  };
  if (inherent && state_.has_inherent_rating()) {
    add(v1::ASSESSMENT_STAGE_INHERENT, state_.inherent_rating(), *inherent);
    if (!state_.has_residual_rating()) score = inherent->score();
  }
  if (residual && state_.has_residual_rating()) {
    add(v1::ASSESSMENT_STAGE_RESIDUAL, state_.residual_rating(), *residual);
    score = residual->score();
  }
  // A closed or occurred risk keeps its history but goes to no queue.
  if (!decision.events.empty() && IsOpen(state_.status())) {
    AddAutomaticEscalation(decision, score, threshold);
  }
  return decision;
}

void RiskAggregate::AddAutomaticEscalation(
    eventsourcing::Decision& decision, int score,
    const EscalationThreshold& threshold) const {
  if (threshold.min_score <= 0 || score < threshold.min_score) return;
  if (state_.level() == v1::RISK_LEVEL_PORTFOLIO) return;
  const v1::Escalation& earlier = state_.escalation();
  switch (earlier.status()) {
    case v1::ESCALATION_STATUS_PENDING:
    case v1::ESCALATION_STATUS_ACCEPTED:
      return;
    case v1::ESCALATION_STATUS_RETURNED:
      // Returned by the PMO: back in the queue only when it got worse.
      if (score <= earlier.score()) return;
      break;
    default:
      break;
  }
  auto escalated = std::make_unique<v1::RiskEscalated>();
  escalated->set_risk_id(state_.risk_id());
  escalated->set_portfolio_id(threshold.portfolio_id);
  escalated->set_automatic(true);
  escalated->set_reason(absl::StrCat("score ", score,
                                     " reached the escalation threshold ",
                                     threshold.min_score));
  escalated->set_score(score);
  decision.events.push_back(std::move(escalated));
}

absl::StatusOr<eventsourcing::Decision> RiskAggregate::PlanResponse(
    v1::ResponseStrategy strategy,
    const std::vector<v1::ResponseAction>& actions) const {
  RETURN_IF_ERROR(CheckOpen());
  RETURN_IF_ERROR(ValidateResponse(state_.kind(), strategy, actions));
  if (state_.status() == v1::RISK_STATUS_IDENTIFIED) {
    return RuleViolationError(
        "RISK_LIFECYCLE", absl::StrCat("risks/", state_.risk_id()),
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
    v1::RiskStatus to, const std::string& reason,
    const std::string& issue_id) const {
  RETURN_IF_ERROR(CheckOpen());
  FieldViolations v;
  if (to != v1::RISK_STATUS_CLOSED && to != v1::RISK_STATUS_OCCURRED) {
    v.Add("status",
          "only CLOSED or OCCURRED are set directly (assessing and planning "
          "move the rest)");
  }
  CheckText(v, "reason", reason, 1000, TextKind::kMultiline);
  RETURN_IF_ERROR(v.ToStatus());
  eventsourcing::Decision decision;
  AddStatusChange(decision, to, reason);
  static_cast<v1::RiskStatusChanged&>(*decision.events.back())
      .set_issue_id(issue_id);
  return decision;
}

absl::StatusOr<eventsourcing::Decision> RiskAggregate::Escalate(
    const std::string& portfolio_id, const std::string& reason,
    const std::string& escalated_by) const {
  RETURN_IF_ERROR(CheckOpen());
  FieldViolations v;
  CheckText(v, "reason", reason, 1000, TextKind::kMultiline);
  RETURN_IF_ERROR(v.ToStatus());
  const std::string at = absl::StrCat("risks/", state_.risk_id());
  if (state_.level() == v1::RISK_LEVEL_PORTFOLIO) {
    return RuleViolationError("ESCALATION", at,
                              "a portfolio risk is the PMO's already");
  }
  const v1::EscalationStatus earlier = state_.escalation().status();
  if (earlier == v1::ESCALATION_STATUS_PENDING ||
      earlier == v1::ESCALATION_STATUS_ACCEPTED) {
    return RuleViolationError(
        "ESCALATION", at,
        absl::StrCat("the risk's escalation is ",
                     v1::EscalationStatus_Name(earlier), " already"));
  }
  auto escalated = std::make_unique<v1::RiskEscalated>();
  escalated->set_risk_id(state_.risk_id());
  escalated->set_portfolio_id(portfolio_id);
  escalated->set_reason(reason);
  escalated->set_score(CurrentScore(state_));
  escalated->set_escalated_by(escalated_by);
  eventsourcing::Decision decision;
  decision.events.push_back(std::move(escalated));
  return decision;
}

absl::Status RiskAggregate::CheckPendingEscalation() const {
  if (!exists()) return absl::NotFoundError("risk not found");
  if (state_.escalation().status() != v1::ESCALATION_STATUS_PENDING) {
    return RuleViolationError(
        "ESCALATION", absl::StrCat("risks/", state_.risk_id()),
        "only a risk in the PMO's escalation queue (PENDING) is accepted "
        "or returned");
  }
  return absl::OkStatus();
}

absl::StatusOr<eventsourcing::Decision> RiskAggregate::AcceptEscalation(
    const std::string& portfolio_risk_id, const std::string& reason) const {
  RETURN_IF_ERROR(CheckPendingEscalation());
  auto accepted = std::make_unique<v1::EscalationAccepted>();
  accepted->set_risk_id(state_.risk_id());
  accepted->set_portfolio_risk_id(portfolio_risk_id);
  accepted->set_reason(reason);
  eventsourcing::Decision decision;
  decision.events.push_back(std::move(accepted));
  return decision;
}

absl::StatusOr<eventsourcing::Decision> RiskAggregate::ReturnEscalation(
    const std::string& reason) const {
  FieldViolations v;
  CheckText(v, "reason", reason, 1000, TextKind::kMultiline);
  RETURN_IF_ERROR(v.ToStatus());
  RETURN_IF_ERROR(CheckPendingEscalation());
  auto returned = std::make_unique<v1::EscalationReturned>();
  returned->set_risk_id(state_.risk_id());
  returned->set_reason(reason);
  eventsourcing::Decision decision;
  decision.events.push_back(std::move(returned));
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
