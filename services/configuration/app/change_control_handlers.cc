#include "services/configuration/app/change_control_handlers.h"

#include "absl/strings/str_cat.h"
#include "libs/base/errors.h"
#include "libs/base/ids.h"
#include "services/configuration/app/business_time.h"

namespace pmo::configuration {

v1::ChangeRequest ToProto(const VersionedChangeRequest& change_request) {
  v1::ChangeRequest out = change_request.state.state();
  out.set_version(change_request.version);
  return out;
}

v1::ChangeBoard ToProto(const VersionedBoard& board) {
  v1::ChangeBoard out = board.state.state();
  out.set_version(board.version);
  return out;
}

absl::Status ChangeControlHandlers::CheckNotSubmitter(
    const VersionedChangeRequest& c, const std::string& actor,
    absl::string_view step) {
  const std::string& submitter = c.state.state().submitted_by();
  if (!c.state.exists() || !IsNamedPerson(submitter) || actor != submitter) {
    return absl::OkStatus();
  }
  return RuleViolationError(
      "SEPARATION_OF_DUTIES",
      absl::StrCat("change_requests/", c.state.state().change_request_id()),
      absl::StrCat(actor, " submitted this change request and may not ", step,
                   " it: a second person must"));
}

absl::StatusOr<VersionedChangeRequest> ChangeControlHandlers::Run(
    const std::string& change_request_id, eventsourcing::CommandContext context,
    const ChangeRequestCommand& decide) {
  StampBusinessTime(context, clock_);
  return eventsourcing::ExecuteCommand<ChangeRequestAggregate>(
      store_, change_request_id, context, decide);
}

absl::StatusOr<VersionedChangeRequest> ChangeControlHandlers::Submit(
    v1::ChangeRequestSubmitted request, eventsourcing::CommandContext context) {
  RETURN_IF_ERROR(ValidateSubmission(request));
  RETURN_IF_ERROR(
      CheckKnownProject(projects_, "project_id", request.project_id()));
  FieldViolations v(50);
  for (int i = 0; i < request.affected_item_ids_size(); ++i) {
    ASSIGN_OR_RETURN(VersionedItem item,
                     eventsourcing::LoadAggregate<ConfigurationItemAggregate>(
                         store_, request.affected_item_ids(i)));
    if (!item.state.exists() ||
        item.state.state().project_id() != request.project_id()) {
      v.Add(absl::StrCat("affected_item_ids[", i, "]"),
            absl::StrCat("is not a configuration item of project ",
                         request.project_id()));
    }
  }
  RETURN_IF_ERROR(v.ToStatus());
  const std::string id = NewUuid();
  request.set_change_request_id(id);
  request.set_submitted_by(context.metadata.actor);
  StampBusinessTime(context, clock_);
  return eventsourcing::ExecuteCommand<ChangeRequestAggregate>(
      store_, id, context,
      [&](const VersionedChangeRequest& c) { return c.state.Submit(request); },
      eventsourcing::StreamIdentity::kNew);
}

absl::StatusOr<VersionedChangeRequest> ChangeControlHandlers::Get(
    const std::string& change_request_id) {
  ASSIGN_OR_RETURN(VersionedChangeRequest c,
                   eventsourcing::LoadAggregate<ChangeRequestAggregate>(
                       store_, change_request_id));
  if (!c.state.exists()) {
    return absl::NotFoundError(
        absl::StrCat("change request ", change_request_id, " not found"));
  }
  return c;
}

absl::StatusOr<std::vector<VersionedChangeRequest>> ChangeControlHandlers::List(
    const std::string& project_id, v1::ChangeRequestStatus status) {
  if (!v1::ChangeRequestStatus_IsValid(status)) {
    FieldViolations v;
    v.Add("status", "must be a change request status");
    return v.ToStatus();
  }
  ASSIGN_OR_RETURN(
      std::vector<VersionedChangeRequest> all,
      eventsourcing::LoadAllOfType<ChangeRequestAggregate>(store_));
  std::vector<VersionedChangeRequest> out;
  for (VersionedChangeRequest& c : all) {
    if (!project_id.empty() && c.state.state().project_id() != project_id)
      continue;
    if (status != v1::CHANGE_REQUEST_STATUS_UNSPECIFIED &&
        c.state.state().status() != status) {
      continue;
    }
    out.push_back(std::move(c));
  }
  return out;
}

absl::StatusOr<VersionedChangeRequest> ChangeControlHandlers::Assess(
    const std::string& change_request_id, const v1::ChangeImpact& impact,
    const std::string& assessed_by, eventsourcing::CommandContext context) {
  return Run(change_request_id, std::move(context),
             [&](const VersionedChangeRequest& c) {
               return c.state.Assess(impact, assessed_by);
             });
}

absl::StatusOr<VersionedChangeRequest> ChangeControlHandlers::CastVote(
    const std::string& change_request_id, const v1::BoardVote& vote,
    eventsourcing::CommandContext context) {
  return Run(change_request_id, std::move(context),
             [&](const VersionedChangeRequest& c)
                 -> absl::StatusOr<eventsourcing::Decision> {
               RETURN_IF_ERROR(CheckNotSubmitter(c, vote.member(), "vote on"));
               ASSIGN_OR_RETURN(std::optional<v1::ChangeBoard> board,
                                BoardOfProject(c.state.state().project_id()));
               return c.state.CastVote(vote, board ? &*board : nullptr);
             });
}

absl::StatusOr<VersionedChangeRequest> ChangeControlHandlers::Decide(
    const std::string& change_request_id, v1::BoardDecision decision,
    const std::string& decided_by, const std::string& rationale,
    eventsourcing::CommandContext context) {
  return Run(change_request_id, std::move(context),
             [&](const VersionedChangeRequest& c)
                 -> absl::StatusOr<eventsourcing::Decision> {
               RETURN_IF_ERROR(CheckNotSubmitter(c, decided_by, "decide"));
               ASSIGN_OR_RETURN(std::optional<v1::ChangeBoard> board,
                                BoardOfProject(c.state.state().project_id()));
               return c.state.Decide(decision, decided_by, rationale,
                                     board ? &*board : nullptr);
             });
}

absl::StatusOr<VersionedChangeRequest>
ChangeControlHandlers::RecordImplementation(
    const std::string& change_request_id, const std::string& implemented_by,
    const std::string& notes, eventsourcing::CommandContext context) {
  return Run(change_request_id, std::move(context),
             [&](const VersionedChangeRequest& c) {
               return c.state.Implement(implemented_by, notes);
             });
}

absl::StatusOr<VersionedChangeRequest> ChangeControlHandlers::Verify(
    const std::string& change_request_id, const std::string& verified_by,
    const std::string& notes, eventsourcing::CommandContext context) {
  return Run(change_request_id, std::move(context),
             [&](const VersionedChangeRequest& c) {
               return c.state.Verify(verified_by, notes);
             });
}

absl::StatusOr<VersionedChangeRequest> ChangeControlHandlers::Close(
    const std::string& change_request_id, const std::string& reason,
    eventsourcing::CommandContext context) {
  return Run(
      change_request_id, std::move(context),
      [&](const VersionedChangeRequest& c) { return c.state.Close(reason); });
}

absl::StatusOr<VersionedBoard> ChangeControlHandlers::ConfigureBoard(
    v1::ChangeBoardConfigured board, eventsourcing::CommandContext context) {
  RETURN_IF_ERROR(ValidateChangeBoard(board));
  ASSIGN_OR_RETURN(bool known, projects_.PortfolioExists(board.portfolio_id()));
  if (!known) {
    return absl::NotFoundError(
        absl::StrCat("portfolio_id: no portfolio ", board.portfolio_id(),
                     " (yet) known to the configuration service"));
  }
  board.set_configured_by(context.metadata.actor);
  StampBusinessTime(context, clock_);
  const std::string portfolio_id = board.portfolio_id();
  return eventsourcing::ExecuteCommand<ChangeBoardAggregate>(
      store_, portfolio_id, context,
      [&](const VersionedBoard& b) { return b.state.Configure(board); });
}

absl::StatusOr<VersionedBoard> ChangeControlHandlers::GetBoard(
    const std::string& portfolio_id) {
  ASSIGN_OR_RETURN(
      VersionedBoard board,
      eventsourcing::LoadAggregate<ChangeBoardAggregate>(store_, portfolio_id));
  if (!board.state.exists()) {
    return absl::NotFoundError(absl::StrCat("portfolio ", portfolio_id,
                                            " has no change control board"));
  }
  return board;
}

absl::StatusOr<std::optional<v1::ChangeBoard>>
ChangeControlHandlers::BoardOfProject(const std::string& project_id) {
  ASSIGN_OR_RETURN(std::string portfolio_id,
                   PortfolioOfProject(projects_, project_id));
  if (portfolio_id.empty()) return std::nullopt;
  ASSIGN_OR_RETURN(
      VersionedBoard board,
      eventsourcing::LoadAggregate<ChangeBoardAggregate>(store_, portfolio_id));
  if (!board.state.exists()) return std::nullopt;
  return ToProto(board);
}

absl::StatusOr<std::optional<v1::ChangeBoard>>
ChangeControlHandlers::BoardOfRequest(const std::string& change_request_id) {
  ASSIGN_OR_RETURN(VersionedChangeRequest c, Get(change_request_id));
  return BoardOfProject(c.state.state().project_id());
}

}  // namespace pmo::configuration
