#pragma once

// Commands and queries of change control: change requests and the change
// control board's votes and decisions.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "libs/base/clock.h"
#include "libs/eventsourcing/command_handling.h"
#include "libs/eventstore/event_store.h"
#include "services/configuration/app/actors.h"
#include "services/configuration/app/configuration_handlers.h"
#include "services/configuration/app/known_projects.h"
#include "services/configuration/domain/change_board.h"
#include "services/configuration/domain/change_request.h"

namespace pmo::configuration {

using VersionedBoard = eventsourcing::Versioned<ChangeBoardAggregate>;

v1::ChangeRequest ToProto(const VersionedChangeRequest& change_request);
v1::ChangeBoard ToProto(const VersionedBoard& board);

class ChangeControlHandlers {
 public:
  ChangeControlHandlers(eventstore::EventStore& store,
                        projectdirectory::KnownProjects& projects,
                        const Clock& clock = Clock::Real())
      : store_(store), projects_(projects), clock_(clock) {}

  // Every affected item must be a configuration item of the project;
  // NOT_FOUND when the project is unknown.
  absl::StatusOr<VersionedChangeRequest> Submit(
      v1::ChangeRequestSubmitted request,
      eventsourcing::CommandContext context);
  absl::StatusOr<VersionedChangeRequest> Get(
      const std::string& change_request_id);
  // Requests of a project (every project when empty), optionally of one
  // status, in submission order.
  absl::StatusOr<std::vector<VersionedChangeRequest>> List(
      const std::string& project_id, v1::ChangeRequestStatus status);
  absl::StatusOr<VersionedChangeRequest> Assess(
      const std::string& change_request_id, const v1::ChangeImpact& impact,
      const std::string& assessed_by, eventsourcing::CommandContext context);
  // `vote.member` is the caller. The requester's own vote is refused
  // (FAILED_PRECONDITION, rule SEPARATION_OF_DUTIES) when the request was
  // submitted by a named caller; with a change control board for the
  // project's portfolio, a non-member's vote is PERMISSION_DENIED. Nothing
  // is appended on a refusal.
  absl::StatusOr<VersionedChangeRequest> CastVote(
      const std::string& change_request_id, const v1::BoardVote& vote,
      eventsourcing::CommandContext context);
  // `decided_by` is the caller; the submitter may not decide their own
  // request (rule SEPARATION_OF_DUTIES). With a board, the board's rules
  // apply (ChangeRequestAggregate::Decide).
  absl::StatusOr<VersionedChangeRequest> Decide(
      const std::string& change_request_id, v1::BoardDecision decision,
      const std::string& decided_by, const std::string& rationale,
      eventsourcing::CommandContext context);
  absl::StatusOr<VersionedChangeRequest> RecordImplementation(
      const std::string& change_request_id, const std::string& implemented_by,
      const std::string& notes, eventsourcing::CommandContext context);
  absl::StatusOr<VersionedChangeRequest> Verify(
      const std::string& change_request_id, const std::string& verified_by,
      const std::string& notes, eventsourcing::CommandContext context);
  absl::StatusOr<VersionedChangeRequest> Close(
      const std::string& change_request_id, const std::string& reason,
      eventsourcing::CommandContext context);

  // Sets up or changes a portfolio's board (`board.configured_by` is set to
  // the caller); NOT_FOUND when the portfolio is not known (yet).
  absl::StatusOr<VersionedBoard> ConfigureBoard(
      v1::ChangeBoardConfigured board, eventsourcing::CommandContext context);
  // NOT_FOUND when the portfolio has no board.
  absl::StatusOr<VersionedBoard> GetBoard(const std::string& portfolio_id);
  // The board that votes on and decides `change_request_id` (its project's
  // portfolio's), with its version; nullopt when there is none. NOT_FOUND
  // when the request does not exist.
  absl::StatusOr<std::optional<v1::ChangeBoard>> BoardOfRequest(
      const std::string& change_request_id);

 private:
  // SEPARATION_OF_DUTIES when `actor` submitted `c` (a named caller).
  static absl::Status CheckNotSubmitter(const VersionedChangeRequest& c,
                                        const std::string& actor,
                                        absl::string_view step);
  // The board of `project_id`'s portfolio, with its version, if any.
  absl::StatusOr<std::optional<v1::ChangeBoard>> BoardOfProject(
      const std::string& project_id);
  using ChangeRequestCommand =
      std::function<absl::StatusOr<eventsourcing::Decision>(
          const VersionedChangeRequest&)>;
  absl::StatusOr<VersionedChangeRequest> Run(
      const std::string& change_request_id,
      eventsourcing::CommandContext context,
      const ChangeRequestCommand& decide);

  eventstore::EventStore& store_;
  projectdirectory::KnownProjects& projects_;
  const Clock& clock_;
};

}  // namespace pmo::configuration
