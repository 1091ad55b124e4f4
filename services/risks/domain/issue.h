#pragma once

// The Issue aggregate: one entry of the issue log (a risk that occurred, or a
// problem raised directly), with priority, owner and resolution.

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/eventsourcing/decision.h"
#include "pmo/risks/v1/events.pb.h"

namespace pmo::risks {

class IssueAggregate {
 public:
  static constexpr char kStreamType[] = "issue";

  void Apply(const google::protobuf::Message& event, absl::Time occurred_at);

  absl::StatusOr<eventsourcing::Decision> Raise(v1::IssueRaised issue) const;
  // Nothing when priority and owner are unchanged.
  absl::StatusOr<eventsourcing::Decision> Reassign(
      v1::IssuePriority priority, const std::string& owner) const;
  absl::StatusOr<eventsourcing::Decision> Resolve(
      const std::string& resolution,
      const google::type::Date& resolved_on) const;

  bool exists() const { return !state_.issue_id().empty(); }
  const v1::Issue& state() const { return state_; }

 private:
  absl::Status CheckOpen() const;
  v1::Issue state_;
};

}  // namespace pmo::risks
