#pragma once

// The Portfolio and Programme aggregates: the structure above projects
// (portfolio -> programmes -> projects) and the portfolio's weighted
// strategic objectives.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/eventsourcing/decision.h"
#include "pmo/projects/v1/events.pb.h"

namespace pmo::projects {

struct StrategicObjective {
  std::string objective_id;
  std::string name;
  int weight = 1;  // 1..100, relative
};

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
  absl::StatusOr<eventsourcing::Decision> DefineObjective(
      const StrategicObjective& o) const;

  bool exists() const { return !id_.empty(); }
  const std::string& id() const { return id_; }
  const std::string& code() const { return code_; }
  const std::string& name() const { return name_; }
  const std::vector<StrategicObjective>& objectives() const {
    return objectives_;
  }
  const StrategicObjective* FindObjective(
      const std::string& objective_id) const;

 private:
  std::string id_;
  std::string code_;
  std::string name_;
  std::vector<StrategicObjective> objectives_;
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

  bool exists() const { return !id_.empty(); }
  const std::string& id() const { return id_; }
  const std::string& code() const { return code_; }
  const std::string& name() const { return name_; }
  const std::string& portfolio_id() const { return portfolio_id_; }

 private:
  std::string id_;
  std::string code_;
  std::string name_;
  std::string portfolio_id_;
};

}  // namespace pmo::projects
