#pragma once

// The port through which reports read the projection's consolidated views.
// Plain structs, no protobuf: the report builders and their tests depend on
// this header only, and the adapter (projection_views.h) is the one place
// that knows the projection's wire messages.
//
// Overview() is PortfolioService/GetPortfolioOverview; the resource, risk
// and dependency readers are ConsolidatedViewsService's GetResourceLoad,
// ListRiskRegister with GetRiskExposureHistory, and GetDependencyGraph
// (projection_views.h says what no view gives).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace pmo::reporting {

// What a report is about. kEnterprise: every portfolio.
enum class ScopeLevel { kEnterprise, kPortfolio, kProgramme, kProject };

struct ViewScope {
  ScopeLevel level = ScopeLevel::kEnterprise;
  std::string id;  // empty for kEnterprise
};

// Earned value at the status date, money in minor units; a ratio is absent
// when its denominator is zero.
struct EarnedValuePoint {
  int64_t budget_at_completion = 0;
  int64_t planned_value = 0;
  int64_t earned_value = 0;
  int64_t actual_cost = 0;
  std::optional<double> spi;
  std::optional<double> cpi;
};

// One project's line of the consolidated overview. Enumerations are their
// short names ("GREEN", "IN_PROGRESS", "COMPLIANT"); empty when unknown.
struct ProjectFigures {
  std::string project_id;
  std::string code;
  std::string name;
  std::string manager;
  std::string status;
  std::string phase;
  std::string programme_id;
  std::string programme_code;
  std::string portfolio_id;
  std::string portfolio_code;
  EarnedValuePoint earned_value;
  std::string health;
  std::string reported_health;
  std::string next_milestone;
  std::optional<absl::CivilDay> next_milestone_date;
  int32_t open_risks = 0;
  int32_t overdue_risks = 0;
  int64_t risk_exposure = 0;
  int64_t opportunity_value = 0;
  int32_t open_issues = 0;
  int32_t resources_booked = 0;
  int32_t over_allocated_resources = 0;
  int32_t open_change_requests = 0;
  int32_t open_findings = 0;
  std::string compliance;
};

// A programme's or portfolio's totals.
struct RollUpFigures {
  std::string id;
  std::string code;
  int32_t projects = 0;
  EarnedValuePoint earned_value;
  std::string health;
  int32_t open_risks = 0;
  int32_t overdue_risks = 0;
  int64_t risk_exposure = 0;
  int32_t open_issues = 0;
};

// The overview of the projects in a scope, at one status date.
struct PortfolioSnapshot {
  absl::CivilDay status_date;
  // How fresh the projection's view is: when the newest event it applied
  // was recorded, and how long that event took to reach the view.
  std::optional<absl::Time> last_event_recorded;
  absl::Duration apply_lag;
  std::vector<ProjectFigures> projects;  // by project code
  std::vector<RollUpFigures> programmes;
  std::vector<RollUpFigures> portfolios;
};

// Booked hours against capacity, per resource and week (the dashboard's
// "resource x week" view).
struct ProjectShare {
  std::string project_id;
  std::string project_code;
  double hours = 0;
};
struct ResourceWeekLoad {
  double capacity_hours = 0;
  double booked_hours = 0;
  // Which projects the booked hours are for (the dashboard's tooltips).
  std::vector<ProjectShare> shares = {};
};
struct ResourceLoadRow {
  std::string resource_id;
  std::string name;
  std::vector<ResourceWeekLoad> weeks;  // one per ResourceLoad::week_starts
};
struct ResourceLoad {
  absl::CivilDay status_date;
  std::vector<absl::CivilDay> week_starts;  // Mondays, ascending
  std::vector<ResourceLoadRow> resources;
};

// The risk register with exposure over time.
struct RiskLine {
  std::string risk_id;
  std::string title;
  std::string project_code;  // or the programme/portfolio code it sits at
  int probability = 0;       // 1..n on the portfolio's matrix
  int impact = 0;            // 1..n
  int64_t exposure = 0;      // expected value, minor units
  bool opportunity = false;
};
struct ExposurePoint {
  absl::CivilDay day;
  int64_t threat_exposure = 0;
  int64_t opportunity_value = 0;
};
struct RiskRegister {
  absl::CivilDay status_date;
  int matrix_size = 5;  // probability and impact scales 1..matrix_size
  std::vector<RiskLine> open_risks;
  std::vector<ExposurePoint> trend;  // ascending days
};

// Inter-project dependencies.
struct DependencyLine {
  std::string from_project_code;
  std::string from_task;
  std::string to_project_code;
  std::string to_task;
  std::string type;  // "FS", "SS", "FF", "SF"
  int lag_days = 0;
  // The successor's dates are threatened by the predecessor's slip.
  bool at_risk = false;
};
struct DependencyGraph {
  absl::CivilDay status_date;
  std::vector<DependencyLine> dependencies;
};

class ConsolidatedViews {
 public:
  virtual ~ConsolidatedViews() = default;
  // `as_of` unset: now (the live view).
  virtual absl::StatusOr<PortfolioSnapshot> Overview(
      const ViewScope& scope, std::optional<absl::CivilDay> as_of) = 0;
  virtual absl::StatusOr<ResourceLoad> ResourceLoadByWeek(
      const ViewScope& scope, std::optional<absl::CivilDay> as_of) = 0;
  virtual absl::StatusOr<RiskRegister> Risks(
      const ViewScope& scope, std::optional<absl::CivilDay> as_of) = 0;
  virtual absl::StatusOr<DependencyGraph> Dependencies(
      const ViewScope& scope, std::optional<absl::CivilDay> as_of) = 0;
};

}  // namespace pmo::reporting
