#pragma once

// Levelling proposals over the whole pool: computed with libs/levelling,
// recorded for the PMO, and applied as ordinary booking commands when
// accepted.

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "libs/base/clock.h"
#include "libs/eventsourcing/command_handling.h"
#include "libs/eventstore/event_store.h"
#include "libs/projectdirectory/known_projects.h"
#include "services/resources/app/resource_handlers.h"
#include "services/resources/domain/levelling_proposal.h"

namespace pmo::resources {

using projectdirectory::KnownProject;
using projectdirectory::KnownProjects;

using VersionedProposal = eventsourcing::Versioned<LevellingProposalAggregate>;

class LevellingHandlers {
 public:
  LevellingHandlers(eventstore::EventStore& store, KnownProjects& projects,
                    ResourceHandlers& bookings,
                    const Clock& clock = Clock::Real())
      : store_(store),
        projects_(projects),
        bookings_(bookings),
        clock_(clock) {}

  // Bookings move only within their window (movable_from..movable_to; none:
  // they stay); they go to another resource only when they name the skill
  // that needs (bookings that fulfilled a capacity request do).
  absl::StatusOr<VersionedProposal> ProposeLevelling(
      absl::CivilDay from, absl::CivilDay to,
      eventsourcing::CommandContext context);
  // Applies every change (cancel, then book the new period, parts or
  // resource), each with a request id derived from this one, then marks the
  // proposal accepted. FAILED_PRECONDITION (rule LEVELLING_PROPOSAL_STALE)
  // when a booking it changes is gone.
  absl::StatusOr<VersionedProposal> AcceptLevelling(
      const std::string& proposal_id, eventsourcing::CommandContext context);
  absl::StatusOr<VersionedProposal> DiscardLevelling(
      const std::string& proposal_id, const std::string& reason,
      eventsourcing::CommandContext context);

 private:
  eventstore::EventStore& store_;
  KnownProjects& projects_;
  ResourceHandlers& bookings_;
  const Clock& clock_;
};

}  // namespace pmo::resources
