#pragma once

// The answers of the consolidated views beside the portfolio overview:
// resource load across projects, the register of every risk,
// issue and opportunity with exposure over time, the inter-project
// dependency graph with the slips that put projects at risk, and the
// cross-project lists of configuration and quality. Consolidation (in
// consolidation.h) computes them; each is a plain struct, converted to the
// wire messages by services/projection/api.
//
// Every answer is taken at a status date: the live view with today, or a
// consolidation folded from the events up to the end of a past day with
// that day (PortfolioView::WithConsolidation).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"

namespace pmo::projection {

// ---- Resource load across projects ----

// A project's hours in a resource's load (a week's or a day's).
struct LoadShare {
  std::string project_id;
  std::string project_code;  // empty while the project is unknown here
  double hours = 0;
};

// One resource's week (Monday to Sunday): what it can work, what its
// bookings ask, and each project's part.
struct WeekLoad {
  absl::CivilDay week_start;
  double capacity_hours = 0;
  double load_hours = 0;
  std::vector<LoadShare> shares;  // by project id
};

// A day the resources service found over-allocated (ResourceOverAllocated)
// and has not resolved since.
struct OverAllocation {
  absl::CivilDay day;
  double capacity_hours = 0;
  double load_hours = 0;
  double excess_hours = 0;
  std::vector<LoadShare> shares;
};

struct ResourceLoad {
  std::string resource_id;
  std::string name;
  std::vector<WeekLoad> weeks;
  // On or after the status date, in day order.
  std::vector<OverAllocation> over_allocations;
};

struct ResourceLoadQuery {
  absl::CivilDay first_week;  // a Monday
  int weeks = 4;
  std::string resource_id;  // empty: every resource
  std::string project_id;   // empty: every resource; else those booked to it in
                            // the window
};

// ---- Risks, issues, opportunities ----

enum class RegisterEntryKind { kThreat, kOpportunity, kIssue };

struct RegisterEntry {
  std::string id;
  RegisterEntryKind kind = RegisterEntryKind::kThreat;
  int level = 0;  // pmo.risks.v1.RiskLevel
  std::string scope_id;
  std::string project_code;  // when the scope is a known project
  std::string title;
  std::string category;  // risks only
  std::string owner;
  int status = 0;  // pmo.risks.v1.RiskStatus, or IssueStatus for issues
  bool open = true;
  // Risks: the current rating (residual once assessed so, else inherent).
  int probability = 0, impact = 0, score = 0;
  std::string rating;
  int64_t expected_value_minor = 0;
  std::optional<absl::CivilDay> next_review;
  bool overdue =
      false;  // open, review or an open action before the status date
  std::string combined_risk_id;
  // Issues.
  int priority = 0;     // pmo.risks.v1.IssuePriority
  std::string risk_id;  // the risk it came from
  std::optional<absl::CivilDay> raised_on, resolved_on;
};

struct CombinedRiskEntry {
  std::string id;
  int level = 0;
  std::string scope_id;
  std::string title;
  std::string category;
  std::string owner;
  std::vector<std::string> member_risk_ids;
  double probability_any = 0;
  int64_t expected_value_minor = 0;
  int64_t worst_case_minor = 0;
  int max_score = 0;
  std::string max_rating;
};

struct RegisterQuery {
  std::string project_id;    // the risk's or issue's scope
  std::string portfolio_id;  // projects of its programmes, and its own scope
  bool include_closed = false;
  std::optional<RegisterEntryKind> kind;  // unset: every kind
  // The page of the matching entries to build (the totals count them all).
  size_t offset = 0;
  size_t limit = SIZE_MAX;
};

struct Register {
  std::vector<RegisterEntry>
      entries;  // threats and opportunities, then issues; by id
  std::vector<CombinedRiskEntry> combined;
  // Over every matching entry, not only the page.
  size_t total = 0;
  int64_t risk_exposure_minor = 0;      // open threats
  int64_t opportunity_value_minor = 0;  // open opportunities
};

// Open threats' and opportunities' expected value at the end of a day.
struct ExposurePoint {
  absl::CivilDay day;
  int64_t risk_exposure_minor = 0;
  int64_t opportunity_value_minor = 0;
};

struct ExposureQuery {
  std::string project_id;
  std::string programme_id;
  std::string portfolio_id;
  absl::CivilDay from;
  int interval_days = 7;
};

// ---- Inter-project dependencies ----

struct DependencyEdge {
  std::string predecessor_project_id, predecessor_project_code,
      predecessor_task_id;
  std::string successor_project_id, successor_project_code, successor_task_id;
  int type = 0;  // pmo.projects.v1.DependencyType
  int lag_days = 0;
};

struct TaskAtRisk {
  std::string task_id;
  std::optional<absl::CivilDay> early_finish;
  int delay_days = 0;
};

// A predecessor's task slipped, putting tasks of a dependent project at risk.
struct SlipImpact {
  std::string slipped_project_id, slipped_project_code, slipped_task_id;
  int slip_days = 0;
  std::string project_at_risk_id, project_at_risk_code;
  std::vector<TaskAtRisk> tasks_at_risk;
  absl::CivilDay reported_on;
};

struct DependencyGraph {
  std::vector<DependencyEdge> edges;
  std::vector<SlipImpact> slips;  // newest first
};

// ---- Configuration and quality across projects ----

struct ChangeRequestEntry {
  std::string id, project_id, project_code, title, requester;
  int status = 0;  // pmo.configuration.v1.ChangeRequestStatus
  bool open = true;
  int schedule_days = 0;
  int64_t cost_minor = 0;
  absl::CivilDay submitted_on;
};

// A configuration baseline (configuration service) or a schedule baseline
// (projects service).
struct BaselineEntry {
  std::string id;  // empty for a schedule baseline
  std::string project_id, project_code, name;
  bool schedule = false;
  int items = 0;  // configuration: frozen items; schedule: tasks
  std::optional<absl::CivilDay> finish;  // schedule baselines
  absl::CivilDay established_on;
};

struct ToolLicenceEntry {
  std::string tool_id, name, vendor;
  int licence_model = 0;  // pmo.configuration.v1.LicenceModel
  int licence_count = 0;
  std::optional<absl::CivilDay> licence_expiry;
  struct Use {
    std::string project_id, project_code;
    int seats = 0;
  };
  std::vector<Use> uses;
  int seats_used = 0;
  bool over_used = false;  // more seats than licences (per-user and concurrent)
  bool expired = false;    // the expiry is before the status date
  bool retired = false;
};

struct FindingEntry {
  std::string audit_id, finding_id, project_id, project_code, standard_id,
      clause, description;
  int severity = 0;  // pmo.configuration.v1.FindingSeverity
  bool open = true;
  absl::CivilDay recorded_on;
};

struct ConfigurationLists {
  std::vector<ChangeRequestEntry> change_requests;
  std::vector<BaselineEntry> baselines;
  std::vector<ToolLicenceEntry> tools;
  std::vector<FindingEntry> findings;
};

}  // namespace pmo::projection
