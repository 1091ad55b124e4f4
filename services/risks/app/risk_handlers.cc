#include "services/risks/app/risk_handlers.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "libs/base/errors.h"
#include "libs/base/ids.h"
#include "libs/eventsourcing/request_ids.h"
#include "services/risks/domain/risk_matrix.h"

namespace pmo::risks {

riskscoring::Assessment ToAssessment(const v1::Assessment& a) {
  return {a.probability(),
          {a.impact().cost(), a.impact().schedule(), a.impact().quality()},
          a.cost_impact_minor()};
}

v1::Rating ToProto(const riskscoring::Rating& r) {
  v1::Rating out;
  out.set_probability(r.probability);
  out.set_impact(r.impact);
  out.set_score(r.score);
  out.set_rating(r.rating);
  out.set_matrix_version(r.matrix_version);
  out.set_expected_value_minor(r.expected_value_minor);
  return out;
}

absl::StatusOr<VersionedRisk> RiskHandlers::IdentifyRisk(
    v1::RiskIdentified risk, eventsourcing::CommandContext context) {
  RETURN_IF_ERROR(ValidateIdentification(risk));
  RETURN_IF_ERROR(scopes_.CheckKnown(risk.level(), risk.scope_id()));
  if (context.occurred_at == absl::Time()) context.occurred_at = clock_.Now();
  const std::string id = NewUuid();
  risk.set_risk_id(id);
  return eventsourcing::ExecuteCommand<RiskAggregate>(
      store_, id, context,
      [&](const VersionedRisk& r) { return r.state.Identify(risk); },
      eventsourcing::StreamIdentity::kNew);
}

absl::StatusOr<VersionedRisk> RiskHandlers::GetRisk(
    const std::string& risk_id) {
  ASSIGN_OR_RETURN(VersionedRisk r, eventsourcing::LoadAggregate<RiskAggregate>(
                                        store_, risk_id));
  if (!r.state.exists())
    return absl::NotFoundError(absl::StrCat("risk ", risk_id, " not found"));
  return r;
}

absl::StatusOr<std::vector<eventstore::RecordedEvent>>
RiskHandlers::GetRiskHistory(const std::string& risk_id) {
  ASSIGN_OR_RETURN(std::vector<eventstore::RecordedEvent> events,
                   store_.ReadStream(risk_id));
  if (events.empty() ||
      events.front().stream_type != RiskAggregate::kStreamType) {
    return absl::NotFoundError(absl::StrCat("risk ", risk_id, " not found"));
  }
  return events;
}

absl::StatusOr<VersionedRisk> RiskHandlers::AssessRisk(
    const std::string& risk_id, bool residual, const v1::Assessment& assessment,
    const google::type::Date& next_review,
    eventsourcing::CommandContext context) {
  // The rating is the portfolio's matrix's; the field names are the
  // request's.
  ASSIGN_OR_RETURN(VersionedRisk current, GetRisk(risk_id));
  const v1::Risk& risk = current.state.state();
  ASSIGN_OR_RETURN(std::string portfolio_id,
                   scopes_.PortfolioOf(risk.level(), risk.scope_id()));
  ASSIGN_OR_RETURN(v1::RiskMatrix matrix, scopes_.MatrixOf(portfolio_id));
  const riskscoring::RiskMatrix scoring = ToScoring(matrix);
  FieldViolations v;
  v.AddAll(riskscoring::ValidateAssessment(scoring, ToAssessment(assessment)),
           "assessment");
  RETURN_IF_ERROR(v.ToStatus());
  ASSIGN_OR_RETURN(riskscoring::Rating rating,
                   riskscoring::Rate(scoring, ToAssessment(assessment)));
  if (context.occurred_at == absl::Time()) context.occurred_at = clock_.Now();
  const v1::AssessmentStage stage =
      residual ? v1::ASSESSMENT_STAGE_RESIDUAL : v1::ASSESSMENT_STAGE_INHERENT;
  const EscalationThreshold threshold{portfolio_id,
                                      matrix.escalation_min_score()};
  ASSIGN_OR_RETURN(VersionedRisk assessed,
                   eventsourcing::ExecuteCommand<RiskAggregate>(
                       store_, risk_id, context, [&](const VersionedRisk& r) {
                         return r.state.Assess(stage, assessment,
                                               ToProto(rating), next_review,
                                               threshold);
                       }));
  // Keep every combined risk it belongs to in step (once per request: the
  // follow-up's request id is derived from this one).
  for (const std::string& combined_id :
       assessed.state.state().combined_risk_ids()) {
    eventsourcing::CommandContext follow = context;
    follow.request_id = eventsourcing::DerivedRequestId(
        context.request_id, "combined-exposure", combined_id);
    follow.expected_version = std::nullopt;
    follow.metadata.causation_id = context.request_id;
    RETURN_IF_ERROR(
        RefreshCombinedExposure(combined_id, risk_id, follow).status());
  }
  return assessed;
}

absl::StatusOr<VersionedCombinedRisk> RiskHandlers::RefreshCombinedExposure(
    const std::string& combined_risk_id, const std::string& member_risk_id,
    const eventsourcing::CommandContext& context) {
  ASSIGN_OR_RETURN(VersionedCombinedRisk combined,
                   GetCombinedRisk(combined_risk_id));
  const v1::CombinedRisk& c = combined.state.state();
  ASSIGN_OR_RETURN(v1::RiskMatrix matrix,
                   scopes_.MatrixFor(c.level(), c.scope_id()));
  ASSIGN_OR_RETURN(v1::CombinedExposure exposure,
                   ExposureOf(c.member_risk_ids(), matrix));
  return eventsourcing::ExecuteCommand<CombinedRiskAggregate>(
      store_, combined_risk_id, context,
      [&](const VersionedCombinedRisk& current) {
        return current.state.UpdateExposure(member_risk_id, exposure);
      });
}

absl::StatusOr<v1::CombinedExposure> RiskHandlers::ExposureOf(
    const google::protobuf::RepeatedPtrField<std::string>& member_risk_ids,
    const v1::RiskMatrix& matrix) {
  std::vector<riskscoring::Assessment> members;
  for (int i = 0; i < member_risk_ids.size(); ++i) {
    absl::StatusOr<VersionedRisk> member = GetRisk(member_risk_ids[i]);
    if (!member.ok()) {
      if (member.status().code() != absl::StatusCode::kNotFound)
        return member.status();
      FieldViolations v;
      v.Add(absl::StrCat("member_risk_ids[", i, "]"),
            "is not a risk of the register");
      return v.ToStatus();
    }
    const v1::Risk& r = member->state.state();
    if (!r.has_inherent_rating()) {
      return RuleViolationError(
          "MEMBER_NOT_ASSESSED", absl::StrCat("risks/", r.risk_id()),
          absl::StrCat("risk '", r.title(), "' is not assessed yet"));
    }
    members.push_back(ToAssessment(r.has_residual_assessment()
                                       ? r.residual_assessment()
                                       : r.inherent_assessment()));
  }
  ASSIGN_OR_RETURN(riskscoring::CombinedExposure combined,
                   riskscoring::Combine(ToScoring(matrix), members));
  v1::CombinedExposure out;
  out.set_probability_any(combined.probability_any);
  out.set_expected_value_minor(combined.expected_value_minor);
  out.set_worst_case_minor(combined.worst_case_minor);
  out.set_max_score(combined.max_score);
  out.set_max_rating(combined.max_rating);
  out.set_matrix_version(matrix.version());
  return out;
}

absl::StatusOr<VersionedCombinedRisk> RiskHandlers::CombineRisks(
    v1::RisksCombined combined, eventsourcing::CommandContext context) {
  if (context.request_id.empty()) {
    FieldViolations v;
    v.Add("request_id", "is required: combining is several appends");
    return v.ToStatus();
  }
  if (context.occurred_at == absl::Time()) context.occurred_at = clock_.Now();
  // A retry answers with the first combination (and completes its notes).
  ASSIGN_OR_RETURN(std::optional<eventstore::AppendResult> earlier,
                   eventsourcing::FindEarlierRequest(store_, context));
  if (!earlier) {
    // Field checks first, so a risk combined with itself is named as such.
    v1::RisksCombined probe = combined;
    probe.set_combined_risk_id("probe");
    RETURN_IF_ERROR(CombinedRiskAggregate().Combine(probe).status());
    RETURN_IF_ERROR(scopes_.CheckKnown(combined.level(), combined.scope_id()));
    ASSIGN_OR_RETURN(v1::RiskMatrix matrix,
                     scopes_.MatrixFor(combined.level(), combined.scope_id()));
    ASSIGN_OR_RETURN(*combined.mutable_exposure(),
                     ExposureOf(combined.member_risk_ids(), matrix));
  }
  const std::string id = earlier ? earlier->stream_id : NewUuid();
  combined.set_combined_risk_id(id);
  ASSIGN_OR_RETURN(VersionedCombinedRisk created,
                   eventsourcing::ExecuteCommand<CombinedRiskAggregate>(
                       store_, id, context,
                       [&](const VersionedCombinedRisk& c) {
                         return c.state.Combine(combined);
                       },
                       eventsourcing::StreamIdentity::kNew));
  for (const std::string& member : created.state.state().member_risk_ids()) {
    eventsourcing::CommandContext note = context;
    note.request_id = eventsourcing::DerivedRequestId(
        context.request_id, "joined-combination", member);
    note.metadata.causation_id = context.request_id;
    ASSIGN_OR_RETURN(VersionedRisk joined,
                     eventsourcing::ExecuteCommand<RiskAggregate>(
                         store_, member, note, [&](const VersionedRisk& r) {
                           return r.state.JoinCombination(id);
                         }));
    (void)joined;
  }
  return created;
}

absl::StatusOr<VersionedCombinedRisk> RiskHandlers::GetCombinedRisk(
    const std::string& combined_risk_id) {
  ASSIGN_OR_RETURN(VersionedCombinedRisk c,
                   eventsourcing::LoadAggregate<CombinedRiskAggregate>(
                       store_, combined_risk_id));
  if (!c.state.exists()) {
    return absl::NotFoundError(
        absl::StrCat("combined risk ", combined_risk_id, " not found"));
  }
  return c;
}

absl::StatusOr<VersionedRisk> RiskHandlers::PlanResponse(
    const std::string& risk_id, v1::ResponseStrategy strategy,
    std::vector<v1::ResponseAction> actions,
    eventsourcing::CommandContext context) {
  for (v1::ResponseAction& a : actions) {
    a.set_action_id(NewUuid());
    a.set_done(false);
  }
  if (context.occurred_at == absl::Time()) context.occurred_at = clock_.Now();
  return eventsourcing::ExecuteCommand<RiskAggregate>(
      store_, risk_id, context, [&](const VersionedRisk& r) {
        return r.state.PlanResponse(strategy, actions);
      });
}

absl::StatusOr<VersionedRisk> RiskHandlers::CompleteResponseAction(
    const std::string& risk_id, const std::string& action_id,
    eventsourcing::CommandContext context) {
  if (context.occurred_at == absl::Time()) context.occurred_at = clock_.Now();
  return eventsourcing::ExecuteCommand<RiskAggregate>(
      store_, risk_id, context, [&](const VersionedRisk& r) {
        return r.state.CompleteAction(action_id);
      });
}

absl::StatusOr<RiskStatusChange> RiskHandlers::ChangeRiskStatus(
    const std::string& risk_id, v1::RiskStatus status,
    const std::string& reason, eventsourcing::CommandContext context) {
  if (context.occurred_at == absl::Time()) context.occurred_at = clock_.Now();
  RiskStatusChange change;
  // A retried request (same id) skips straight to the first answer.
  std::optional<eventstore::AppendResult> earlier;
  if (!context.request_id.empty()) {
    ASSIGN_OR_RETURN(earlier,
                     eventsourcing::FindEarlierRequest(store_, context));
  }
  if (status == v1::RISK_STATUS_OCCURRED && !earlier) {
    ASSIGN_OR_RETURN(VersionedRisk current, GetRisk(risk_id));
    const v1::Risk& risk = current.state.state();
    // A realised opportunity is good news, not an issue.
    if (risk.kind() == v1::RISK_KIND_THREAT) {
      // Everything that would refuse the status change refuses it before
      // the issue is opened.
      RETURN_IF_ERROR(current.state.ChangeStatus(status, reason).status());
      if (context.expected_version &&
          *context.expected_version != current.version) {
        return eventstore::VersionConflictError(risk_id, current.version,
                                                *context.expected_version);
      }
      if (context.request_id.empty()) {
        FieldViolations v;
        v.Add("request_id",
              "is required: an occurred threat also opens an issue");
        return v.ToStatus();
      }
      // A retry after a crash between the two appends finds this issue again.
      ASSIGN_OR_RETURN(change.issue,
                       issues_.OpenForOccurredRisk(risk, reason, context));
    }
  }
  const std::string issue_id =
      change.issue ? change.issue->state.state().issue_id() : "";
  ASSIGN_OR_RETURN(change.risk,
                   eventsourcing::ExecuteCommand<RiskAggregate>(
                       store_, risk_id, context, [&](const VersionedRisk& r) {
                         return r.state.ChangeStatus(status, reason, issue_id);
                       }));
  // A retry answers with the issue the first call opened.
  const std::string& linked = change.risk.state.state().issue_id();
  if (!change.issue && status == v1::RISK_STATUS_OCCURRED && !linked.empty()) {
    ASSIGN_OR_RETURN(change.issue, issues_.GetIssue(linked));
  }
  return change;
}

absl::StatusOr<std::vector<VersionedRisk>> RiskHandlers::ListRisks(
    const std::string& scope_id, int limit) {
  if (limit < 0 || limit > 1000) {
    FieldViolations v;
    v.Add("page_size", "must be between 0 and 1000");
    return v.ToStatus();
  }
  if (limit == 0) limit = 100;
  ASSIGN_OR_RETURN(std::vector<VersionedRisk> all,
                   eventsourcing::LoadAllOfType<RiskAggregate>(store_));
  std::vector<VersionedRisk> out;
  for (VersionedRisk& r : all) {
    if (scope_id.empty() || r.state.state().scope_id() == scope_id)
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

}  // namespace pmo::risks
