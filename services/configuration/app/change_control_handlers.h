#pragma once

// Commands and queries of change control: change requests and the change
// control board's votes and decisions.

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "libs/base/clock.h"
#include "libs/eventsourcing/command_handling.h"
#include "libs/eventstore/event_store.h"
#include "services/configuration/app/actors.h"
#include "services/configuration/app/known_projects.h"
#include "services/configuration/app/configuration_handlers.h"
#include "services/configuration/domain/change_request.h"

namespace pmo::configuration {

v1::ChangeRequest ToProto(const VersionedChangeRequest& change_request);

class ChangeControlHandlers {
 public:
  ChangeControlHandlers(eventstore::EventStore& store, projectdirectory::ProjectDirectory& projects,
                        const Clock& clock = Clock::Real())
      : store_(store), projects_(projects), clock_(clock) {}

  // Every affected item must be a configuration item of the project;
  // NOT_FOUND when the project is unknown.
  absl::StatusOr<VersionedChangeRequest> Submit(v1::ChangeRequestSubmitted request,
                                                eventsourcing::CommandContext context);
  absl::StatusOr<VersionedChangeRequest> Get(const std::string& change_request_id);
  // Requests of a project (every project when empty), optionally of one
  // status, in submission order.
  absl::StatusOr<std::vector<VersionedChangeRequest>> List(const std::string& project_id,
                                                           v1::ChangeRequestStatus status);
  absl::StatusOr<VersionedChangeRequest> Assess(const std::string& change_request_id,
                                                const v1::ChangeImpact& impact,
                                                const std::string& assessed_by,
                                                eventsourcing::CommandContext context);
  // `vote.member` is the caller. The requester's own vote is refused
  // (FAILED_PRECONDITION, rule SEPARATION_OF_DUTIES) when the request was
  // submitted by a named caller; nothing is appended on a refusal.
  absl::StatusOr<VersionedChangeRequest> CastVote(const std::string& change_request_id,
                                                  const v1::BoardVote& vote,
                                                  eventsourcing::CommandContext context);
  // `decided_by` is the caller; the submitter may not decide their own
  // request (rule SEPARATION_OF_DUTIES).
  absl::StatusOr<VersionedChangeRequest> Decide(const std::string& change_request_id,
                                                v1::BoardDecision decision,
                                                const std::string& decided_by,
                                                const std::string& rationale,
                                                eventsourcing::CommandContext context);
  absl::StatusOr<VersionedChangeRequest> RecordImplementation(
      const std::string& change_request_id, const std::string& implemented_by,
      const std::string& notes, eventsourcing::CommandContext context);
  absl::StatusOr<VersionedChangeRequest> Verify(const std::string& change_request_id,
                                                const std::string& verified_by,
                                                const std::string& notes,
                                                eventsourcing::CommandContext context);
  absl::StatusOr<VersionedChangeRequest> Close(const std::string& change_request_id,
                                               const std::string& reason,
                                               eventsourcing::CommandContext context);

 private:
  // SEPARATION_OF_DUTIES when `actor` submitted `c` (a named caller).
  static absl::Status CheckNotSubmitter(const VersionedChangeRequest& c, const std::string& actor,
                                        absl::string_view step);
  using ChangeRequestCommand = std::function<absl::StatusOr<eventsourcing::Decision>(const VersionedChangeRequest&)>;
  absl::StatusOr<VersionedChangeRequest> Run(const std::string& change_request_id,
                                             eventsourcing::CommandContext context,
                                             const ChangeRequestCommand& decide);

  eventstore::EventStore& store_;
  projectdirectory::ProjectDirectory& projects_;
  const Clock& clock_;
};

}  // namespace pmo::configuration
