#include "services/configuration/domain/change_request.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "libs/base/errors.h"
#include "libs/base/ids.h"
#include "libs/base/status_macros.h"
#include "services/configuration/domain/change_board.h"
#include "services/configuration/domain/field_checks.h"

namespace pmo::configuration {
namespace {

constexpr int kMaxAffectedItems = 1000;

const char* StepName(ChangeStep step) {
  switch (step) {
    case ChangeStep::kAssess:
      return "assessed";
    case ChangeStep::kVote:
      return "voted on";
    case ChangeStep::kDecide:
      return "decided";
    case ChangeStep::kImplement:
      return "implemented";
    case ChangeStep::kVerify:
      return "verified";
    case ChangeStep::kClose:
      return "closed";
  }
  return "changed";
}

const char* StepPrecondition(ChangeStep step) {
  switch (step) {
    case ChangeStep::kAssess:
      return "only SUBMITTED or DEFERRED requests are assessed";
    case ChangeStep::kVote:
      return "the board votes on ASSESSED requests only";
    case ChangeStep::kDecide:
      return "the board decides ASSESSED requests only";
    case ChangeStep::kImplement:
      return "only APPROVED requests are implemented";
    case ChangeStep::kVerify:
      return "only IMPLEMENTED requests are verified";
    case ChangeStep::kClose:
      return "only VERIFIED, REJECTED or DEFERRED requests are closed";
  }
  return "";
}

bool IsVote(v1::BoardDecision d) {
  return d == v1::BOARD_DECISION_APPROVE || d == v1::BOARD_DECISION_REJECT ||
         d == v1::BOARD_DECISION_DEFER;
}

v1::ChangeRequestStatus StatusAfter(v1::BoardDecision d) {
  switch (d) {
    case v1::BOARD_DECISION_APPROVE:
      return v1::CHANGE_REQUEST_STATUS_APPROVED;
    case v1::BOARD_DECISION_REJECT:
      return v1::CHANGE_REQUEST_STATUS_REJECTED;
    default:
      return v1::CHANGE_REQUEST_STATUS_DEFERRED;
  }
}

void CheckImpactLevel(FieldViolations& v, const std::string& field,
                      v1::ImpactLevel level) {
  if (level == v1::IMPACT_LEVEL_UNSPECIFIED ||
      !v1::ImpactLevel_IsValid(level)) {
    v.Add(field, "must be NONE, LOW, MEDIUM or HIGH");
  }
}

}  // namespace

bool ChangeStepAllowed(v1::ChangeRequestStatus status, ChangeStep step) {
  using S = v1::ChangeRequestStatus;
  switch (step) {
    case ChangeStep::kAssess:
      return status == S::CHANGE_REQUEST_STATUS_SUBMITTED ||
             status == S::CHANGE_REQUEST_STATUS_DEFERRED;
    case ChangeStep::kVote:
    case ChangeStep::kDecide:
      return status == S::CHANGE_REQUEST_STATUS_ASSESSED;
    case ChangeStep::kImplement:
      return status == S::CHANGE_REQUEST_STATUS_APPROVED;
    case ChangeStep::kVerify:
      return status == S::CHANGE_REQUEST_STATUS_IMPLEMENTED;
    case ChangeStep::kClose:
      return status == S::CHANGE_REQUEST_STATUS_VERIFIED ||
             status == S::CHANGE_REQUEST_STATUS_REJECTED ||
             status == S::CHANGE_REQUEST_STATUS_DEFERRED;
  }
  return false;
}

absl::Status ValidateSubmission(const v1::ChangeRequestSubmitted& r) {
  FieldViolations v(50);
  CheckText(v, "project_id", r.project_id(), 64);
  CheckText(v, "title", r.title(), 200);
  CheckText(v, "reason", r.reason(), 4000, TextKind::kMultiline);
  CheckText(v, "requester", r.requester(), 128);
  if (r.affected_item_ids().empty()) {
    v.Add("affected_item_ids",
          "a change request affects at least one configuration item");
  } else if (r.affected_item_ids_size() > kMaxAffectedItems) {
    v.Add("affected_item_ids",
          absl::StrCat("at most ", kMaxAffectedItems, " items"));
  }
  std::set<std::string> seen;
  for (int i = 0; i < r.affected_item_ids_size() && i <= kMaxAffectedItems;
       ++i) {
    const std::string& id = r.affected_item_ids(i);
    const std::string field = absl::StrCat("affected_item_ids[", i, "]");
    if (!IsUuid(id)) {
      v.Add(field, "must be a configuration item id");
    } else if (!seen.insert(id).second) {
      v.Add(field, "is listed twice");
    }
  }
  return v.ToStatus();
}

void ChangeRequestAggregate::Apply(const google::protobuf::Message& event,
                                   absl::Time) {
  if (const auto* s = dynamic_cast<const v1::ChangeRequestSubmitted*>(&event)) {
    state_.set_change_request_id(s->change_request_id());
    state_.set_project_id(s->project_id());
    state_.set_title(s->title());
    state_.set_reason(s->reason());
    state_.set_requester(s->requester());
    state_.set_submitted_by(s->submitted_by());
    *state_.mutable_affected_item_ids() = s->affected_item_ids();
    state_.set_status(v1::CHANGE_REQUEST_STATUS_SUBMITTED);
  } else if (const auto* a =
                 dynamic_cast<const v1::ChangeRequestAssessed*>(&event)) {
    *state_.mutable_impact() = a->impact();
    state_.set_assessed_by(a->assessed_by());
    // A new assessment opens a new decision round.
    state_.clear_votes();
    state_.clear_decision();
    state_.clear_decided_by();
    state_.clear_decision_rationale();
    state_.set_status(v1::CHANGE_REQUEST_STATUS_ASSESSED);
  } else if (const auto* vote =
                 dynamic_cast<const v1::ChangeBoardVoteCast*>(&event)) {
    auto* votes = state_.mutable_votes();
    for (int i = 0; i < votes->size(); ++i) {
      if (votes->Get(i).member() == vote->vote().member()) {
        *votes->Mutable(i) = vote->vote();
        return;
      }
    }
    *votes->Add() = vote->vote();
  } else if (const auto* d =
                 dynamic_cast<const v1::ChangeRequestDecided*>(&event)) {
    state_.set_decision(d->decision());
    state_.set_decided_by(d->decided_by());
    state_.set_decision_rationale(d->rationale());
    state_.set_status(StatusAfter(d->decision()));
  } else if (const auto* i =
                 dynamic_cast<const v1::ChangeRequestImplemented*>(&event)) {
    state_.set_implemented_by(i->implemented_by());
    state_.set_implementation_notes(i->notes());
    state_.set_status(v1::CHANGE_REQUEST_STATUS_IMPLEMENTED);
  } else if (const auto* ver =
                 dynamic_cast<const v1::ChangeRequestVerified*>(&event)) {
    state_.set_verified_by(ver->verified_by());
    state_.set_verification_notes(ver->notes());
    state_.set_status(v1::CHANGE_REQUEST_STATUS_VERIFIED);
  } else if (const auto* c =
                 dynamic_cast<const v1::ChangeRequestClosed*>(&event)) {
    state_.set_closure_reason(c->reason());
    state_.set_status(v1::CHANGE_REQUEST_STATUS_CLOSED);
  }
}

absl::Status ChangeRequestAggregate::CheckStep(ChangeStep step) const {
  if (!exists()) return absl::NotFoundError("change request not found");
  if (ChangeStepAllowed(state_.status(), step)) return absl::OkStatus();
  return RuleViolationError(
      "CHANGE_REQUEST_WORKFLOW",
      absl::StrCat("change_requests/", state_.change_request_id()),
      absl::StrCat("a ", v1::ChangeRequestStatus_Name(state_.status()),
                   " change request cannot be ", StepName(step), ": ",
                   StepPrecondition(step)));
}

absl::StatusOr<eventsourcing::Decision> ChangeRequestAggregate::Submit(
    v1::ChangeRequestSubmitted request) const {
  if (exists()) return absl::AlreadyExistsError("change request exists");
  RETURN_IF_ERROR(ValidateSubmission(request));
  eventsourcing::Decision decision;
  decision.events.push_back(
      std::make_unique<v1::ChangeRequestSubmitted>(std::move(request)));
  return decision;
}

absl::StatusOr<eventsourcing::Decision> ChangeRequestAggregate::Assess(
    const v1::ChangeImpact& impact, const std::string& assessed_by) const {
  FieldViolations v;
  CheckImpactLevel(v, "impact.scope", impact.scope());
  CheckImpactLevel(v, "impact.schedule", impact.schedule());
  CheckImpactLevel(v, "impact.cost", impact.cost());
  CheckImpactLevel(v, "impact.risk", impact.risk());
  CheckOptionalText(v, "impact.scope_notes", impact.scope_notes(), 4000,
                    TextKind::kMultiline);
  CheckOptionalText(v, "impact.risk_notes", impact.risk_notes(), 4000,
                    TextKind::kMultiline);
  CheckText(v, "assessed_by", assessed_by, 128);
  RETURN_IF_ERROR(v.ToStatus());
  RETURN_IF_ERROR(CheckStep(ChangeStep::kAssess));
  auto assessed = std::make_unique<v1::ChangeRequestAssessed>();
  assessed->set_change_request_id(state_.change_request_id());
  *assessed->mutable_impact() = impact;
  assessed->set_assessed_by(assessed_by);
  eventsourcing::Decision decision;
  decision.events.push_back(std::move(assessed));
  return decision;
}

absl::StatusOr<eventsourcing::Decision> ChangeRequestAggregate::CastVote(
    const v1::BoardVote& vote, const v1::ChangeBoard* board) const {
  FieldViolations v;
  CheckText(v, "vote.member", vote.member(), 128);
  if (!IsVote(vote.vote()))
    v.Add("vote.vote", "must be APPROVE, REJECT or DEFER");
  CheckOptionalText(v, "vote.comment", vote.comment(), 2000,
                    TextKind::kMultiline);
  RETURN_IF_ERROR(v.ToStatus());
  if (board != nullptr && !IsBoardMember(*board, vote.member())) {
    return absl::PermissionDeniedError(absl::StrCat(
        vote.member(),
        " is not a member of the change control board of portfolio ",
        board->portfolio_id(), "; only its members vote"));
  }
  RETURN_IF_ERROR(CheckStep(ChangeStep::kVote));
  eventsourcing::Decision decision;
  for (const v1::BoardVote& cast : state_.votes()) {
    if (cast.member() == vote.member() && cast.vote() == vote.vote() &&
        cast.comment() == vote.comment()) {
      return decision;  // the same vote again
    }
  }
  auto event = std::make_unique<v1::ChangeBoardVoteCast>();
  event->set_change_request_id(state_.change_request_id());
  *event->mutable_vote() = vote;
  decision.events.push_back(std::move(event));
  return decision;
}

absl::StatusOr<eventsourcing::Decision> ChangeRequestAggregate::Decide(
    v1::BoardDecision board_decision, const std::string& decided_by,
    const std::string& rationale, const v1::ChangeBoard* board) const {
  FieldViolations v;
  if (!IsVote(board_decision))
    v.Add("decision", "must be APPROVE, REJECT or DEFER");
  CheckText(v, "decided_by", decided_by, 128);
  CheckOptionalText(v, "rationale", rationale, 4000, TextKind::kMultiline);
  RETURN_IF_ERROR(v.ToStatus());
  if (board != nullptr && decided_by != board->chair()) {
    return absl::PermissionDeniedError(absl::StrCat(
        decided_by, " does not chair the change control board of portfolio ",
        board->portfolio_id(), "; its chair (", board->chair(),
        ") records its decisions"));
  }
  RETURN_IF_ERROR(CheckStep(ChangeStep::kDecide));
  if (board != nullptr)
    return DecideAsBoard(board_decision, decided_by, rationale, *board);
  const std::string subject =
      absl::StrCat("change_requests/", state_.change_request_id());
  if (state_.votes().empty()) {
    return RuleViolationError(
        "BOARD_VOTE_REQUIRED", subject,
        "the change control board decides after at least one vote");
  }
  int approving = 0;
  for (const v1::BoardVote& vote : state_.votes()) {
    if (vote.vote() == v1::BOARD_DECISION_APPROVE) ++approving;
  }
  const int others = state_.votes_size() - approving;
  if (board_decision == v1::BOARD_DECISION_APPROVE && approving <= others) {
    return RuleViolationError(
        "BOARD_MAJORITY_REQUIRED", subject,
        absl::StrCat("approval needs a majority of the board: ", approving,
                     " of ", state_.votes_size(), " votes approve"));
  }
  auto decided = std::make_unique<v1::ChangeRequestDecided>();
  decided->set_change_request_id(state_.change_request_id());
  decided->set_decision(board_decision);
  decided->set_decided_by(decided_by);
  decided->set_rationale(rationale);
  *decided->mutable_votes() = state_.votes();
  for (const v1::BoardVote& vote : state_.votes())
    decided->add_voting_members(vote.member());
  eventsourcing::Decision decision;
  decision.events.push_back(std::move(decided));
  return decision;
}

absl::StatusOr<eventsourcing::Decision> ChangeRequestAggregate::DecideAsBoard(
    v1::BoardDecision board_decision, const std::string& decided_by,
    const std::string& rationale, const v1::ChangeBoard& board) const {
  const std::string subject =
      absl::StrCat("change_requests/", state_.change_request_id());
  const BoardTally tally = TallyVotes(board, state_.votes());
  const int counted = static_cast<int>(tally.counted.size());
  if (counted < board.quorum()) {
    return RuleViolationError(
        "BOARD_QUORUM_REQUIRED", subject,
        absl::StrCat("the change control board decides once ", board.quorum(),
                     " of its members have voted; ", counted, " have"));
  }
  const bool approval_carries =
      MajorityCarries(board.majority(), tally.approving, counted);
  const std::string count =
      absl::StrCat(tally.approving, " of ", counted,
                   " counted votes approve (majority rule ",
                   v1::BoardMajority_Name(board.majority()), ")");
  if (board_decision == v1::BOARD_DECISION_APPROVE && !approval_carries) {
    return RuleViolationError(
        "BOARD_MAJORITY_REQUIRED", subject,
        absl::StrCat("approval needs the board's majority: ", count));
  }
  if (board_decision == v1::BOARD_DECISION_REJECT && approval_carries) {
    return RuleViolationError(
        "BOARD_VOTES_APPROVE", subject,
        absl::StrCat(
            "the board's votes approve the change (", count,
            "); the chair records approval or defers, not a rejection"));
  }
  auto decided = std::make_unique<v1::ChangeRequestDecided>();
  decided->set_change_request_id(state_.change_request_id());
  decided->set_decision(board_decision);
  decided->set_decided_by(decided_by);
  decided->set_rationale(rationale);
  for (const v1::BoardVote& vote : tally.counted) {
    *decided->add_votes() = vote;
    decided->add_voting_members(vote.member());
  }
  decided->set_board_portfolio_id(board.portfolio_id());
  decided->set_board_version(board.version());
  decided->set_quorum(board.quorum());
  decided->set_majority(board.majority());
  eventsourcing::Decision decision;
  decision.events.push_back(std::move(decided));
  return decision;
}

absl::StatusOr<eventsourcing::Decision> ChangeRequestAggregate::Implement(
    const std::string& implemented_by, const std::string& notes) const {
  FieldViolations v;
  CheckText(v, "implemented_by", implemented_by, 128);
  CheckOptionalText(v, "notes", notes, 4000, TextKind::kMultiline);
  RETURN_IF_ERROR(v.ToStatus());
  RETURN_IF_ERROR(CheckStep(ChangeStep::kImplement));
  auto event = std::make_unique<v1::ChangeRequestImplemented>();
  event->set_change_request_id(state_.change_request_id());
  event->set_implemented_by(implemented_by);
  event->set_notes(notes);
  eventsourcing::Decision decision;
  decision.events.push_back(std::move(event));
  return decision;
}

absl::StatusOr<eventsourcing::Decision> ChangeRequestAggregate::Verify(
    const std::string& verified_by, const std::string& notes) const {
  FieldViolations v;
  CheckText(v, "verified_by", verified_by, 128);
  CheckOptionalText(v, "notes", notes, 4000, TextKind::kMultiline);
  RETURN_IF_ERROR(v.ToStatus());
  RETURN_IF_ERROR(CheckStep(ChangeStep::kVerify));
  auto event = std::make_unique<v1::ChangeRequestVerified>();
  event->set_change_request_id(state_.change_request_id());
  event->set_verified_by(verified_by);
  event->set_notes(notes);
  eventsourcing::Decision decision;
  decision.events.push_back(std::move(event));
  return decision;
}

absl::StatusOr<eventsourcing::Decision> ChangeRequestAggregate::Close(
    const std::string& reason) const {
  FieldViolations v;
  CheckOptionalText(v, "reason", reason, 2000, TextKind::kMultiline);
  RETURN_IF_ERROR(v.ToStatus());
  RETURN_IF_ERROR(CheckStep(ChangeStep::kClose));
  auto event = std::make_unique<v1::ChangeRequestClosed>();
  event->set_change_request_id(state_.change_request_id());
  event->set_reason(reason);
  eventsourcing::Decision decision;
  decision.events.push_back(std::move(event));
  return decision;
}

}  // namespace pmo::configuration
