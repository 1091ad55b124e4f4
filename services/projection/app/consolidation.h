#pragma once

// The consolidated enterprise view: a fold of the events of every context
// (projects, risks, resources) into facts kept per stream, joined only when
// a question is asked. Because each stream's facts depend only on that
// stream's own events (applied in version order by the caller), the result
// does not depend on how the topics interleave: a rebuild gives the same
// digest as the live view.
//
// "As of" a date: Overview(D) takes the status date for the questions that
// depend on it (earned value, overdue reviews and actions, coming
// over-allocations); the caller folds only the events whose business time is
// on or before D to get the view as it stood then (PortfolioView does).

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "absl/time/civil_time.h"
#include "libs/capacity/calendar.h"
#include "libs/capacity/over_allocation.h"
#include "libs/earnedvalue/earned_value.h"
#include "libs/earnedvalue/health.h"
#include "libs/eventstore/recorded_event.h"
#include "pmo/projects/v1/project.pb.h"
#include "services/projection/app/views.h"

namespace pmo::projection {

// A project's compliance across every quality standard it was audited
// against: NON_COMPLIANT with an open major or critical finding, else
// COMPLIANT_WITH_FINDINGS with an open minor one, else COMPLIANT once an
// audit completed.
enum class Compliance {
  kNotAudited,
  kCompliant,
  kCompliantWithFindings,
  kNonCompliant
};

// One project's line in the portfolio overview.
struct ProjectOverview {
  std::string project_id;
  std::string code;
  std::string name;
  std::string manager;
  ::pmo::projects::v1::ProjectStatus status =
      ::pmo::projects::v1::PROJECT_STATUS_UNSPECIFIED;
  std::string phase;  // empty before a methodology is applied
  std::string programme_id, programme_code;
  std::string portfolio_id, portfolio_code;
  // Earned value at the status date (libs/earnedvalue).
  earnedvalue::EarnedValue earned_value;
  earnedvalue::Health health = earnedvalue::Health::kGreen;
  // The manager's latest status report on or before the status date.
  std::optional<::pmo::projects::v1::Health> reported_health;
  // The first milestone not done, by its start constraint.
  std::string next_milestone;
  std::optional<absl::CivilDay> next_milestone_date;
  // Risks and issues whose scope is the project.
  int open_risks = 0;
  int overdue_risks =
      0;  // open, with a review or an open action before the status date
  int64_t risk_exposure_minor = 0;      // open threats' expected value
  int64_t opportunity_value_minor = 0;  // open opportunities' expected value
  int open_issues = 0;
  // Resources.
  int bookings = 0;          // booked allocations
  int resources_booked = 0;  // distinct resources among them
  int over_allocated_resources =
      0;  // of those, over-allocated on or after the status date
  int open_capacity_requests = 0;  // requested or approved, not fulfilled
  // Configuration and quality.
  int open_change_requests = 0;  // submitted and neither rejected nor closed
  int open_findings = 0;         // audit findings not closed
  Compliance compliance = Compliance::kNotAudited;
};

// Totals of a programme or portfolio; ratios of sums (RollUpPortfolio).
struct RollUp {
  std::string id;  // empty: projects in no programme / portfolio
  std::string code;
  int projects = 0;
  earnedvalue::EarnedValue earned_value;
  earnedvalue::Health health = earnedvalue::Health::kGreen;
  int open_risks = 0;
  int overdue_risks = 0;
  int64_t risk_exposure_minor = 0;
  int64_t opportunity_value_minor = 0;
  int open_issues = 0;
};

struct Overview {
  std::vector<ProjectOverview> projects;  // by code
  std::vector<RollUp> programmes;         // by code
  std::vector<RollUp> portfolios;         // by code
};

// Sets overview.programmes and overview.portfolios to the roll-ups of
// overview.projects (ratios of sums, by code). Compute ends with it; an
// answer over some of the projects only (a project manager's) calls it
// again on those.
void RollUpProjects(Overview& overview);

class Consolidation {
 public:
  Consolidation() = default;
  // Counters point into the facts: a copy would point into the original.
  Consolidation(const Consolidation&) = delete;
  Consolidation& operator=(const Consolidation&) = delete;

  // Folds one event (of a known stream type; others are ignored). Events
  // of one stream must come in version order.
  void Apply(const eventstore::RecordedEvent& event);
  // The same with the payload already decoded (DecodeEvent) by the caller.
  void Apply(const eventstore::RecordedEvent& event,
             const google::protobuf::Message& decoded);

  // The portfolio overview. Per-project counters (risks, issues, bookings,
  // requests, findings) are kept up to date by Apply, so this touches only
  // the project lines and what depends on the day (earned value, overdue
  // items, coming over-allocations).
  Overview Compute(absl::CivilDay status_date) const;
  // Lower-case hex SHA-256 of the facts, in a canonical order.
  std::string Digest() const;

  // The other views (views.h), at `status_date`.
  std::vector<ResourceLoad> ResourceLoads(const ResourceLoadQuery& query,
                                          absl::CivilDay status_date) const;
  Register RiskRegister(const RegisterQuery& query,
                        absl::CivilDay status_date) const;
  // Points from query.from every interval_days, and one at status_date.
  std::vector<ExposurePoint> ExposureHistory(const ExposureQuery& query,
                                             absl::CivilDay status_date) const;
  // project_id empty: the whole graph; else the edges and slips touching it.
  DependencyGraph Dependencies(const std::string& project_id) const;
  // project_id empty: every project (tools: every tool, uses of it all).
  ConfigurationLists ConfigurationAcrossProjects(
      const std::string& project_id, absl::CivilDay status_date) const;

 private:
  struct Dependency {
    std::string predecessor_project_id, predecessor_task_id, successor_task_id;
    int type = 0;
    int lag_days = 0;
  };
  struct Slip {
    std::string moved_project_id, moved_task_id;
    int slip_days = 0;
    std::vector<TaskAtRisk> tasks_at_risk;
    absl::CivilDay reported_on;
  };
  struct ScheduleBaseline {
    std::string name;
    int tasks = 0;
    std::optional<absl::CivilDay> finish;
    absl::CivilDay captured_on;
  };
  struct Project {
    std::string code, name, manager;
    ::pmo::projects::v1::ProjectStatus status =
        ::pmo::projects::v1::PROJECT_STATUS_UNSPECIFIED;
    std::string programme_id, phase;
    earnedvalue::ProjectRecords records;
    // The records indexed by date, kept by Apply, so that earned value at a
    // day takes two binary searches (EarnedValueAt), not a pass over every
    // cost: per cost day the total of the costs up to it, and per progress
    // day the last report measured on it (records.progress index).
    std::vector<std::pair<absl::CivilDay, int64_t>> cost_totals;
    std::vector<std::pair<absl::CivilDay, size_t>> latest_progress;
    // (report date, health), in the order reported.
    std::vector<std::pair<absl::CivilDay, ::pmo::projects::v1::Health>> reports;
    struct Milestone {
      std::string name;
      std::optional<absl::CivilDay> not_before;
      bool done = false;
    };
    std::map<std::string, Milestone> milestones;  // by task id
    std::vector<Dependency> dependencies;  // this project is the successor
    std::vector<Slip> slips;  // of predecessors, putting this one at risk
    std::vector<ScheduleBaseline> baselines;
  };
  struct Named {
    std::string code, name, parent_id;
  };
  struct Rating {
    int probability = 0, impact = 0, score = 0;
    std::string rating;
    int64_t ev = 0;
  };
  struct Risk {
    std::string scope_id;
    int level = 0;
    bool threat = true;
    bool open = true;
    int status = 0;
    std::string title, category, owner, combined_risk_id;
    Rating inherent, residual;
    bool has_residual = false;
    std::optional<absl::CivilDay> next_review;
    std::map<std::string, std::pair<absl::CivilDay, bool>>
        actions;  // id -> (due, done)
    const Rating& current() const { return has_residual ? residual : inherent; }
    // The first day after which the risk counts as overdue: its review or
    // an open action's due date, whichever is earlier.
    std::optional<absl::CivilDay> FirstDue() const;
  };
  struct Issue {
    std::string scope_id;
    bool open = true;
    int level = 0, priority = 0;
    std::string title, owner, risk_id;
    std::optional<absl::CivilDay> raised_on, resolved_on;
  };
  struct OverAllocatedDay {
    double capacity_hours = 0, load_hours = 0, excess_hours = 0;
    std::vector<std::pair<std::string, double>> shares;  // (project, hours)
  };
  struct Allocation {
    capacity::Allocation booking;
    bool booked = true;
  };
  struct Resource {
    // Booked allocations per project: the projects its over-allocation
    // touches (Compute starts from the few over-allocated resources).
    std::map<std::string, int> booked_projects;
    std::string name;
    capacity::WorkingCalendar calendar;
    std::map<std::string, Allocation> allocations;  // by id
    std::map<absl::CivilDay, OverAllocatedDay> over_allocated;
  };
  struct CapacityRequest {
    std::string project_id;
    bool open = true;
  };
  struct ChangeRequest {
    std::string project_id, title, requester;
    int status = 0;
    bool open = true;
    int schedule_days = 0;
    int64_t cost_minor = 0;
    absl::CivilDay submitted_on;
  };
  struct Finding {
    std::string clause, description;
    int severity = 0;
    bool open = true;
    absl::CivilDay recorded_on;
  };
  struct Audit {
    std::string project_id, standard_id;
    bool completed = false;
    std::map<std::string, Finding> findings;  // by id
  };
  struct ConfigurationBaseline {
    std::string project_id, name;
    int items = 0;
    absl::CivilDay established_on;
  };
  struct Tool {
    std::string name, vendor;
    int licence_model = 0, licence_count = 0;
    std::optional<absl::CivilDay> licence_expiry;
    std::map<std::string, int> seats;  // by project
    bool retired = false;
  };
  struct CombinedRisk {
    CombinedRiskEntry entry;  // id left empty; the map key holds it
  };

  // What one project's risks, issues, bookings, requests and findings add
  // up to, kept up to date by Apply: each fact's contribution is taken out
  // before its event and put back after (Contribute(..., -1 / +1)).
  // Derived from the facts, so not part of the digest.
  struct Counters {
    int open_risks = 0;
    int64_t risk_exposure_minor = 0;
    int64_t opportunity_value_minor = 0;
    // FirstDue() of every open risk that has one, sorted: overdue at D are
    // those before D (one binary search).
    std::vector<absl::CivilDay> risks_due;
    // Changes of open threats' / opportunities' expected value by the
    // business day they happened: the exposure history.
    std::map<absl::CivilDay, std::pair<int64_t, int64_t>> exposure_changes;
    int open_issues = 0;
    int bookings = 0;
    // Booked resources, with how many bookings each has on the project.
    std::unordered_map<const Resource*, int> booked_resources;
    int open_capacity_requests = 0;
    int open_change_requests = 0;
    int open_findings = 0, open_minor_findings = 0, open_major_findings = 0;
    int completed_audits = 0;
  };
  void Contribute(const Risk& r, int sign, absl::CivilDay day);
  void Contribute(const Issue& i, int sign);
  void Contribute(Resource& r, const Allocation& a, int sign);
  void Contribute(const CapacityRequest& q, int sign);
  void Contribute(const ChangeRequest& q, int sign);
  void Contribute(const Audit& a, int sign);

  void ApplyProjects(const eventstore::RecordedEvent& e,
                     const google::protobuf::Message& m);
  void ApplyRisks(const eventstore::RecordedEvent& e,
                  const google::protobuf::Message& m);
  void ApplyRisk(const eventstore::RecordedEvent& e,
                 const google::protobuf::Message& m, Risk& r);
  void ApplyResources(const eventstore::RecordedEvent& e,
                      const google::protobuf::Message& m);
  void ApplyResource(const google::protobuf::Message& m, Resource& r);
  void ApplyConfiguration(const eventstore::RecordedEvent& e,
                          const google::protobuf::Message& m);
  // ComputeEarnedValue over the records known at `day`, from the indexes.
  static absl::StatusOr<earnedvalue::EarnedValue> EarnedValueAt(
      const Project& p, absl::CivilDay day);
  std::string CodeOf(const std::string& project_id) const;
  // The portfolio a project belongs to through its programme ("" if none).
  std::string PortfolioOf(const std::string& project_id) const;

  std::map<std::string, Project> projects_;
  std::map<std::string, Named> programmes_;  // parent: portfolio
  std::map<std::string, Named> portfolios_;
  std::map<std::string, Risk> risks_;
  std::map<std::string, Issue> issues_;
  std::map<std::string, Resource> resources_;
  std::map<std::string, CapacityRequest> capacity_requests_;
  std::map<std::string, ChangeRequest> change_requests_;
  std::map<std::string, Audit> audits_;
  std::map<std::string, ConfigurationBaseline> baselines_;
  std::map<std::string, Tool> tools_;
  std::map<std::string, CombinedRisk> combined_risks_;
  std::unordered_map<std::string, Counters> counters_;  // by project id
};

}  // namespace pmo::projection
