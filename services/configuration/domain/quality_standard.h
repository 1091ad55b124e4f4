#pragma once

// The QualityStandard aggregate: a standard projects are audited against,
// the PMO's own (internal) or an external one such as ISO 9001, with the
// requirements (clauses) findings point at. A defined standard does not
// change; a revision is a new standard with its own code.

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/eventsourcing/decision.h"
#include "pmo/configuration/v1/events.pb.h"

namespace pmo::configuration {

// Field checks of a definition; violations name request fields
// ("requirements[2].clause").
absl::Status ValidateStandard(const v1::QualityStandardDefined& standard);

class QualityStandardAggregate {
 public:
  static constexpr char kStreamType[] = "quality_standard";
  // Codes are unique: "ISO 9001:2015".
  static constexpr char kCodeScope[] = "quality_standard.code";

  void Apply(const google::protobuf::Message& event, absl::Time occurred_at);

  absl::StatusOr<eventsourcing::Decision> Define(
      v1::QualityStandardDefined standard) const;

  bool exists() const { return !state_.standard_id().empty(); }
  // The requirement with `clause`, or nullptr.
  const v1::StandardRequirement* FindRequirement(
      const std::string& clause) const;
  // Without the stream version (the handler adds it).
  const v1::QualityStandard& state() const { return state_; }

 private:
  v1::QualityStandard state_;
};

}  // namespace pmo::configuration
