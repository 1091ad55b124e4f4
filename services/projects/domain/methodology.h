#pragma once

// The Methodology aggregate: a registered, immutable version of phases and
// stage gates that projects are started from.

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/eventsourcing/decision.h"
#include "pmo/projects/v1/events.pb.h"

namespace pmo::projects {

// Field checks of a definition; violations name request fields
// ("phases[1].gate.name").
absl::Status ValidateMethodology(
    const std::string& name, const std::string& version,
    const google::protobuf::RepeatedPtrField<v1::Phase>& phases);

class Methodology {
 public:
  static constexpr char kStreamType[] = "methodology";
  // One registration per name and version.
  static constexpr char kVersionScope[] = "methodology.version";

  void Apply(const google::protobuf::Message& event, absl::Time occurred_at);

  absl::StatusOr<eventsourcing::Decision> Register(
      const std::string& methodology_id, const std::string& name,
      const std::string& version,
      const google::protobuf::RepeatedPtrField<v1::Phase>& phases) const;

  // New projects may no longer start from it (nothing when withdrawn).
  absl::StatusOr<eventsourcing::Decision> Withdraw(
      const std::string& reason) const;

  bool exists() const { return !definition_.methodology_id().empty(); }
  bool withdrawn() const { return withdrawn_; }
  // The registered definition, as the event recorded it.
  const v1::MethodologyRegistered& definition() const { return definition_; }

 private:
  v1::MethodologyRegistered definition_;
  bool withdrawn_ = false;
};

}  // namespace pmo::projects
