#pragma once

// The Tool aggregate: one entry of the PMO's catalogue of project tools
// (software), its licences and which projects use how many of them.
// Over-use and licences about to expire are flags computed for a date
// (ToolFlagsOn), not stored: they change with the calendar.

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "libs/eventsourcing/decision.h"
#include "pmo/configuration/v1/events.pb.h"

namespace pmo::configuration {

class ToolAggregate {
 public:
  static constexpr char kStreamType[] = "tool";
  // Names are unique in the catalogue.
  static constexpr char kNameScope[] = "tool.name";

  void Apply(const google::protobuf::Message& event, absl::Time occurred_at);

  absl::StatusOr<eventsourcing::Decision> Catalogue(
      v1::ToolCatalogued tool) const;
  absl::StatusOr<eventsourcing::Decision> ChangeLicence(
      int32_t licence_count, const google::type::Date& expiry) const;
  // Sets how many licences `project_id` uses (assigning again replaces it).
  absl::StatusOr<eventsourcing::Decision> Assign(const std::string& project_id,
                                                 int32_t seats) const;
  absl::StatusOr<eventsourcing::Decision> Release(
      const std::string& project_id) const;
  absl::StatusOr<eventsourcing::Decision> Retire(
      const std::string& reason) const;

  bool exists() const { return !state_.tool_id().empty(); }
  // Without flags or stream version (see ToolFlagsOn).
  const v1::Tool& state() const { return state_; }

 private:
  absl::Status CheckActive() const;
  v1::Tool state_;
};

// `tool` with seats_in_use, over_used (counted licence models only) and
// licence_expiring (expiry within `warning_days` of `today`, or past) set.
v1::Tool ToolFlagsOn(v1::Tool tool, absl::CivilDay today, int warning_days);

}  // namespace pmo::configuration
