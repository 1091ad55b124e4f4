#pragma once

// The CapacityRequest aggregate: demand for a skill from a project, decided
// by the PMO (see the lifecycle in resource.proto).

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/eventsourcing/decision.h"
#include "pmo/resources/v1/events.pb.h"

namespace pmo::resources {

class CapacityRequestAggregate {
 public:
  static constexpr char kStreamType[] = "capacity_request";

  void Apply(const google::protobuf::Message& event, absl::Time occurred_at);

  absl::StatusOr<eventsourcing::Decision> Request(
      v1::CapacityRequested request) const;
  absl::StatusOr<eventsourcing::Decision> Approve(
      const std::string& reason) const;
  absl::StatusOr<eventsourcing::Decision> Reject(
      const std::string& reason) const;
  // The booking itself is made on the resource by the caller.
  absl::StatusOr<eventsourcing::Decision> Fulfil(
      const std::string& resource_id, const std::string& allocation_id) const;

  bool exists() const { return !state_.request_id().empty(); }
  const v1::CapacityRequest& state() const { return state_; }

 private:
  absl::Status CheckOpen(const char* action) const;
  v1::CapacityRequest state_;
};

}  // namespace pmo::resources
