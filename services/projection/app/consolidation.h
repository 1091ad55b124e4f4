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
#include <vector>

#include "absl/time/civil_time.h"
#include "libs/earnedvalue/earned_value.h"
#include "libs/earnedvalue/health.h"
#include "libs/eventstore/recorded_event.h"
#include "pmo/projects/v1/project.pb.h"

namespace pmo::projection {

// A project's compliance across every quality standard it was audited
// against: NON_COMPLIANT with an open major or critical finding, else
// COMPLIANT_WITH_FINDINGS with an open minor one, else COMPLIANT once an
// audit completed.
enum class Compliance { kNotAudited, kCompliant, kCompliantWithFindings, kNonCompliant };

// One project's line in the portfolio overview.
struct ProjectOverview {
  std::string project_id;
  std::string code;
  std::string name;
  std::string manager;
  ::pmo::projects::v1::ProjectStatus status = ::pmo::projects::v1::PROJECT_STATUS_UNSPECIFIED;
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
  int overdue_risks = 0;  // open, with a review or an open action before the status date
  int64_t risk_exposure_minor = 0;      // open threats' expected value
  int64_t opportunity_value_minor = 0;  // open opportunities' expected value
  int open_issues = 0;
  // Resources.
  int bookings = 0;               // booked allocations
  int resources_booked = 0;       // distinct resources among them
  int over_allocated_resources = 0;  // of those, over-allocated on or after the status date
  int open_capacity_requests = 0;    // requested or approved, not fulfilled
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

class Consolidation {
 public:
  // Folds one event (of a known stream type; others are ignored). Events
  // of one stream must come in version order.
  void Apply(const eventstore::RecordedEvent& event);

  Overview Compute(absl::CivilDay status_date) const;
  // Lower-case hex SHA-256 of the facts, in a canonical order.
  std::string Digest() const;

 private:
  struct Project {
    std::string code, name, manager;
    ::pmo::projects::v1::ProjectStatus status = ::pmo::projects::v1::PROJECT_STATUS_UNSPECIFIED;
    std::string programme_id, phase;
    earnedvalue::ProjectRecords records;
    // (report date, health), in the order reported.
    std::vector<std::pair<absl::CivilDay, ::pmo::projects::v1::Health>> reports;
    struct Milestone {
      std::string name;
      std::optional<absl::CivilDay> not_before;
      bool done = false;
    };
    std::map<std::string, Milestone> milestones;  // by task id
  };
  struct Named {
    std::string code, name, parent_id;
  };
  struct Risk {
    std::string scope_id;
    bool threat = true;
    bool open = true;
    int64_t inherent_ev = 0, residual_ev = 0;
    bool residual = false;
    std::optional<absl::CivilDay> next_review;
    std::map<std::string, std::pair<absl::CivilDay, bool>> actions;  // id -> (due, done)
  };
  struct Issue {
    std::string scope_id;
    bool open = true;
  };
  struct Resource {
    std::map<std::string, std::pair<std::string, bool>> allocations;  // id -> (project, booked)
    std::set<absl::CivilDay> over_allocated;
  };
  struct CapacityRequest {
    std::string project_id;
    bool open = true;
  };

  void ApplyProjects(const eventstore::RecordedEvent& e, const google::protobuf::Message& m);
  void ApplyRisks(const eventstore::RecordedEvent& e, const google::protobuf::Message& m);
  void ApplyResources(const eventstore::RecordedEvent& e, const google::protobuf::Message& m);
  void ApplyConfiguration(const eventstore::RecordedEvent& e, const google::protobuf::Message& m);

  std::map<std::string, Project> projects_;
  std::map<std::string, Named> programmes_;  // parent: portfolio
  std::map<std::string, Named> portfolios_;
  std::map<std::string, Risk> risks_;
  std::map<std::string, Issue> issues_;
  std::map<std::string, Resource> resources_;
  std::map<std::string, CapacityRequest> capacity_requests_;
  struct ChangeRequest {
    std::string project_id;
    bool open = true;
  };
  std::map<std::string, ChangeRequest> change_requests_;
  struct Audit {
    std::string project_id;
    bool completed = false;
    std::map<std::string, std::pair<int, bool>> findings;  // id -> (severity, open)
  };
  std::map<std::string, Audit> audits_;
};

}  // namespace pmo::projection
