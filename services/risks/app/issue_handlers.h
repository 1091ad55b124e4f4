#pragma once

// The issue log: issues raised directly, and the issue a threat opens when
// it occurs.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/base/clock.h"
#include "libs/eventsourcing/command_handling.h"
#include "libs/eventstore/event_store.h"
#include "services/risks/app/risk_scopes.h"
#include "services/risks/domain/issue.h"

namespace pmo::risks {

using VersionedIssue = eventsourcing::Versioned<IssueAggregate>;

class IssueHandlers {
 public:
  IssueHandlers(eventstore::EventStore& store, RiskScopes& scopes,
                const Clock& clock = Clock::Real())
      : store_(store), scopes_(scopes), clock_(clock) {}

  // An unset raised_on is today. The scope must be known.
  absl::StatusOr<VersionedIssue> RaiseIssue(
      v1::IssueRaised issue, eventsourcing::CommandContext context);
  // The issue of a threat that occurred: its title, owner and scope, a
  // priority from its current rating, `reason` in the description. Its
  // request id is derived from `context`'s, so a retry finds it again.
  absl::StatusOr<VersionedIssue> OpenForOccurredRisk(
      const v1::Risk& risk, const std::string& reason,
      const eventsourcing::CommandContext& context);
  absl::StatusOr<VersionedIssue> GetIssue(const std::string& issue_id);
  absl::StatusOr<VersionedIssue> ReassignIssue(
      const std::string& issue_id, v1::IssuePriority priority,
      const std::string& owner, eventsourcing::CommandContext context);
  // An unset resolved_on is today.
  absl::StatusOr<VersionedIssue> ResolveIssue(
      const std::string& issue_id, const std::string& resolution,
      google::type::Date resolved_on, eventsourcing::CommandContext context);
  // Of `scope_id` (every scope when empty); open ones first, then by
  // priority, highest first; at most `limit` (0: 100).
  absl::StatusOr<std::vector<VersionedIssue>> ListIssues(
      const std::string& scope_id, bool include_resolved, int limit);

 private:
  google::type::Date Today() const;

  eventstore::EventStore& store_;
  RiskScopes& scopes_;
  const Clock& clock_;
};

// The issue priority of a risk rated `rating` ("CRITICAL", "HIGH",
// "MEDIUM"; anything else is LOW).
v1::IssuePriority PriorityOfRating(const std::string& rating);

}  // namespace pmo::risks
