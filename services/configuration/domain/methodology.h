#pragma once

// The Methodology aggregate of the PMO library: one published version of a
// methodology (phases, the stage gate ending each, the deliverables and
// criteria each gate requires). Published versions never change; a change
// is a new version. Withdrawing one stops new projects starting from it.

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/eventsourcing/decision.h"
#include "pmo/configuration/v1/events.pb.h"

namespace pmo::configuration {

// Field checks of a publication; violations name request fields
// ("phases[1].gate.criteria[0]").
absl::Status ValidateMethodology(
    const v1::MethodologyVersionPublished& methodology);

class MethodologyAggregate {
 public:
  static constexpr char kStreamType[] = "methodology_version";
  // One publication per name and version: claims "<name>\n<version>".
  static constexpr char kVersionScope[] = "methodology.version";

  void Apply(const google::protobuf::Message& event, absl::Time occurred_at);

  absl::StatusOr<eventsourcing::Decision> Publish(
      v1::MethodologyVersionPublished methodology) const;
  absl::StatusOr<eventsourcing::Decision> Withdraw(
      const std::string& reason) const;

  bool exists() const { return !state_.methodology_id().empty(); }
  // Without the stream version (the handler adds it).
  const v1::MethodologyVersion& state() const { return state_; }

 private:
  v1::MethodologyVersion state_;
};

}  // namespace pmo::configuration
