#pragma once

// The Portfolio and Programme aggregates: the structure above projects
// (portfolio -> programmes -> projects) and the portfolio's weighted
// strategic objectives. Each keeps its resource message (v1::Portfolio,
// v1::Programme) as its state, as every aggregate does (ADR 0011).

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/eventsourcing/decision.h"
#include "pmo/projects/v1/events.pb.h"
#include "pmo/projects/v1/portfolios_service.pb.h"

namespace pmo::projects {

// Codes of portfolios and programmes: like project codes.
absl::Status ValidateStructureCode(const std::string& code,
                                   const std::string& name);

class Portfolio {
 public:
  static constexpr char kStreamType[] = "portfolio";
  static constexpr char kCodeScope[] = "portfolio.code";

  void Apply(const google::protobuf::Message& event, absl::Time occurred_at);

  absl::StatusOr<eventsourcing::Decision> Create(
      const std::string& portfolio_id, const std::string& code,
      const std::string& name) const;
  // `objective` carries the id chosen by the caller, its name and weight.
  absl::StatusOr<eventsourcing::Decision> DefineObjective(
      const v1::StrategicObjective& objective) const;

  bool exists() const { return !state_.portfolio_id().empty(); }
  // The answer's portfolio without its version.
  const v1::Portfolio& state() const { return state_; }
  const v1::StrategicObjective* FindObjective(
      const std::string& objective_id) const;

 private:
  v1::Portfolio state_;
};

class Programme {
 public:
  static constexpr char kStreamType[] = "programme";
  static constexpr char kCodeScope[] = "programme.code";

  void Apply(const google::protobuf::Message& event, absl::Time occurred_at);

  // The portfolio's existence is checked by the caller.
  absl::StatusOr<eventsourcing::Decision> Create(
      const std::string& programme_id, const std::string& code,
      const std::string& name, const std::string& portfolio_id) const;

  bool exists() const { return !state_.programme_id().empty(); }
  // The answer's programme without its version.
  const v1::Programme& state() const { return state_; }

 private:
  v1::Programme state_;
};

}  // namespace pmo::projects
