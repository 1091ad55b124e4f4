#pragma once

// The Baseline aggregate: a named, frozen set of configuration item
// versions of one project. Established once, never changed: a later state
// of the project is a later baseline.

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/eventsourcing/decision.h"
#include "pmo/configuration/v1/events.pb.h"

namespace pmo::configuration {

class BaselineAggregate {
 public:
  static constexpr char kStreamType[] = "baseline";
  // Names are unique within a project: claims "<project>\n<name>".
  static constexpr char kNameScope[] = "baseline.name";
  // A baseline holds at most this many item versions.
  static constexpr int kMaxEntries = 100'000;

  void Apply(const google::protobuf::Message& event, absl::Time occurred_at);

  // `baseline.entries` are sorted by item id here; each item at most once.
  absl::StatusOr<eventsourcing::Decision> Establish(
      v1::BaselineEstablished baseline) const;

  bool exists() const { return !state_.baseline_id().empty(); }
  // Without the stream version (the handler adds it).
  const v1::Baseline& state() const { return state_; }

 private:
  v1::Baseline state_;
};

}  // namespace pmo::configuration
