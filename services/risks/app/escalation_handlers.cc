#include "services/risks/app/escalation_handlers.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "libs/base/errors.h"
#include "libs/base/ids.h"
#include "libs/eventsourcing/request_ids.h"
#include "services/risks/domain/risk_matrix.h"

namespace pmo::risks {
namespace {

// Appends `next`'s events to `decision`, applying them to `draft` so the
// following step decides on the state they make.
absl::Status Then(eventsourcing::Decision& decision, RiskAggregate& draft,
                  absl::StatusOr<eventsourcing::Decision> next) {
  if (!next.ok()) return next.status();
  for (auto& event : next->events) {
    draft.Apply(*event, absl::Time());
    decision.events.push_back(std::move(event));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<VersionedRisk> EscalationHandlers::EscalateRisk(
    const std::string& risk_id, const std::string& reason,
    eventsourcing::CommandContext context) {
  ASSIGN_OR_RETURN(VersionedRisk current, risks_.GetRisk(risk_id));
  ASSIGN_OR_RETURN(std::string portfolio_id,
                   scopes_.PortfolioOf(current.state.state().level(),
                                       current.state.state().scope_id()));
  if (context.occurred_at == absl::Time()) context.occurred_at = clock_.Now();
  const std::string by = context.metadata.actor;
  return eventsourcing::ExecuteCommand<RiskAggregate>(
      store_, risk_id, context, [&](const VersionedRisk& r) {
        return r.state.Escalate(portfolio_id, reason, by);
      });
}

absl::StatusOr<std::vector<VersionedRisk>> EscalationHandlers::ListEscalations(
    const std::string& portfolio_id, v1::EscalationStatus status, int limit) {
  FieldViolations v;
  if (limit < 0 || limit > 1000)
    v.Add("page_size", "must be between 0 and 1000");
  if (!v1::EscalationStatus_IsValid(status))
    v.Add("status", "is not an escalation status");
  RETURN_IF_ERROR(v.ToStatus());
  if (limit == 0) limit = 100;
  if (status == v1::ESCALATION_STATUS_UNSPECIFIED)
    status = v1::ESCALATION_STATUS_PENDING;
  ASSIGN_OR_RETURN(std::vector<VersionedRisk> all,
                   eventsourcing::LoadAllOfType<RiskAggregate>(store_));
  std::vector<VersionedRisk> out;
  for (VersionedRisk& r : all) {
    const v1::Escalation& e = r.state.state().escalation();
    if (e.status() != status) continue;
    if (!portfolio_id.empty() && e.portfolio_id() != portfolio_id) continue;
    out.push_back(std::move(r));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const VersionedRisk& a, const VersionedRisk& b) {
                     return CurrentScore(a.state.state()) >
                            CurrentScore(b.state.state());
                   });
  if (static_cast<int>(out.size()) > limit) out.resize(limit);
  return out;
}

absl::StatusOr<AcceptedEscalation> EscalationHandlers::AcceptEscalation(
    const std::string& risk_id, const std::string& owner,
    const std::string& reason, const std::string& portfolio_id,
    eventsourcing::CommandContext context) {
  FieldViolations v;
  if (context.request_id.empty())
    v.Add("request_id", "is required: accepting is several appends");
  CheckText(v, "owner", owner, 128);
  CheckOptionalText(v, "reason", reason, 1000, TextKind::kMultiline);
  RETURN_IF_ERROR(v.ToStatus());
  if (context.occurred_at == absl::Time()) context.occurred_at = clock_.Now();
  ASSIGN_OR_RETURN(VersionedRisk escalated, risks_.GetRisk(risk_id));
  const v1::Risk& from = escalated.state.state();
  // A retry answers with the portfolio risk the first call opened (and
  // completes the acceptance).
  ASSIGN_OR_RETURN(std::optional<eventstore::AppendResult> earlier,
                   eventsourcing::FindEarlierRequest(store_, context));
  v1::RiskIdentified identified;
  std::optional<riskscoring::Rating> inherent, residual;
  if (!earlier) {
    RETURN_IF_ERROR(escalated.state.AcceptEscalation("probe", reason).status());
    // Separation of duties: whoever escalated it does not also take it in.
    const std::string& escalated_by = from.escalation().escalated_by();
    if (!escalated_by.empty() && escalated_by == context.metadata.actor) {
      return RuleViolationError(
          "SEPARATION_OF_DUTIES", absl::StrCat("risks/", risk_id),
          absl::StrCat(
              escalated_by,
              " escalated this risk and may not also accept the escalation"));
    }
    const std::string portfolio =
        portfolio_id.empty() ? from.escalation().portfolio_id() : portfolio_id;
    if (portfolio.empty()) {
      v.Add("portfolio_id", "is required: the risk's scope is in no portfolio");
      return v.ToStatus();
    }
    RETURN_IF_ERROR(scopes_.CheckKnown(v1::RISK_LEVEL_PORTFOLIO, portfolio));
    identified.set_level(v1::RISK_LEVEL_PORTFOLIO);
    identified.set_scope_id(portfolio);
    identified.set_kind(from.kind());
    identified.set_title(from.title());
    identified.set_cause(from.cause());
    identified.set_event(from.event());
    identified.set_effect(from.effect());
    identified.set_category(from.category());
    identified.set_owner(owner);
    *identified.mutable_proximity() = from.proximity();
    *identified.mutable_triggers() = from.triggers();
    *identified.mutable_next_review() = from.next_review();
    identified.set_escalated_from_risk_id(risk_id);
    ASSIGN_OR_RETURN(v1::RiskMatrix matrix, scopes_.MatrixOf(portfolio));
    const riskscoring::RiskMatrix scoring = ToScoring(matrix);
    // An assessment on a matrix with fewer levels does not fit the
    // portfolio's: the PMO re-assesses it then.
    if (from.has_inherent_assessment()) {
      absl::StatusOr<riskscoring::Rating> r =
          riskscoring::Rate(scoring, ToAssessment(from.inherent_assessment()));
      if (r.ok()) inherent = *r;
    }
    if (inherent && from.has_residual_assessment()) {
      absl::StatusOr<riskscoring::Rating> r =
          riskscoring::Rate(scoring, ToAssessment(from.residual_assessment()));
      if (r.ok()) residual = *r;
    }
  }
  const std::string portfolio_risk_id =
      earlier ? earlier->stream_id : NewUuid();
  identified.set_risk_id(portfolio_risk_id);
  AcceptedEscalation accepted;
  ASSIGN_OR_RETURN(
      accepted.portfolio_risk,
      eventsourcing::ExecuteCommand<RiskAggregate>(
          store_, portfolio_risk_id, context,
          [&](const VersionedRisk& r)
              -> absl::StatusOr<eventsourcing::Decision> {
            eventsourcing::Decision decision;
            RiskAggregate draft = r.state;
            RETURN_IF_ERROR(Then(decision, draft, draft.Identify(identified)));
            if (inherent) {
              RETURN_IF_ERROR(Then(decision, draft,
                                   draft.Assess(v1::ASSESSMENT_STAGE_INHERENT,
                                                from.inherent_assessment(),
                                                ToProto(*inherent), {})));
            }
            if (residual) {
              RETURN_IF_ERROR(Then(decision, draft,
                                   draft.Assess(v1::ASSESSMENT_STAGE_RESIDUAL,
                                                from.residual_assessment(),
                                                ToProto(*residual), {})));
            }
            return decision;
          },
          eventsourcing::StreamIdentity::kNew));
  eventsourcing::CommandContext mark = context;
  mark.request_id = eventsourcing::DerivedRequestId(
      context.request_id, "escalation-accepted", risk_id);
  mark.expected_version = std::nullopt;
  mark.metadata.causation_id = context.request_id;
  ASSIGN_OR_RETURN(accepted.risk,
                   eventsourcing::ExecuteCommand<RiskAggregate>(
                       store_, risk_id, mark, [&](const VersionedRisk& r) {
                         return r.state.AcceptEscalation(portfolio_risk_id,
                                                         reason);
                       }));
  return accepted;
}

absl::StatusOr<VersionedRisk> EscalationHandlers::ReturnEscalation(
    const std::string& risk_id, const std::string& reason,
    eventsourcing::CommandContext context) {
  if (context.occurred_at == absl::Time()) context.occurred_at = clock_.Now();
  return eventsourcing::ExecuteCommand<RiskAggregate>(
      store_, risk_id, context,
      [&](const VersionedRisk& r) { return r.state.ReturnEscalation(reason); });
}

}  // namespace pmo::risks
