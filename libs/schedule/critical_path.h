#pragma once

// The Critical Path Method (Kelley & Walker's forward and backward pass, as
// taught by the PMBOK Guide) over an activity-on-node network with FS, SS, FF
// and SF dependencies and lags.
//
//   std::vector<Activity> activities = {{"A", 3}, {"B", 2}};
//   std::vector<Dependency> dependencies = {{"A", "B"}};  // FS, lag 0
//   ASSIGN_OR_RETURN(ProjectSchedule s,
//                    ComputeCriticalPath(activities, dependencies));
//   // s.activities[1].early_start == 3, s.project_finish == 5
//
// Time. Every time is a whole number of working days counted from the project
// start, day 0; calendars stay with the caller, who maps offsets to dates. An
// activity occupies [start, finish): a 3-day activity starting at 0 finishes
// at 3, and its FS successor (lag 0) starts at 3. A milestone (duration 0)
// starts and finishes at the same offset.
//
// Forward pass (early dates), in topological order:
//   ES = max(0, start_no_earlier_than, every predecessor's requirement)
//   EF = ES + duration
// where a dependency P -> S with lag L requires
//   FS: S.ES >= P.EF + L        SS: S.ES >= P.ES + L
//   FF: S.EF >= P.EF + L        SF: S.EF >= P.ES + L
// A negative lag is a lead. Nothing starts before day 0: a lead that would
// pull an activity before the project start leaves it at day 0.
//
// Project finish = max EF (0 for an empty network).
//
// Backward pass (late dates), in reverse topological order, the mirror image:
//   LF = min(project finish, every successor's requirement)
//   LS = LF - duration
// where P -> S with lag L requires
//   FS: P.LF <= S.LS - L        SS: P.LS <= S.LS - L
//   FF: P.LF <= S.LF - L        SF: P.LS <= S.LF - L
// The project finish bounds every activity, not only those without
// successors: an activity whose only successor is SS-linked must still finish
// by the project finish.
//
// Floats:
//   total float = LS - ES (= LF - EF), always >= 0
//   free float  = min(project finish - EF,
//                     min over successors of the dependency's slack)
//   slack of P -> S:  FS: S.ES - (P.EF + L)   SS: S.ES - (P.ES + L)
//                     FF: S.EF - (P.EF + L)   SF: S.EF - (P.ES + L)
//   critical    = total float == 0
// (For an activity without successors free float is project finish - EF; for
// an FS-only network the first term never wins, and 0 <= free <= total.)
//
// A start-no-earlier-than constraint raises ES only; it does not limit the
// late dates, so an activity held back by its constraint may become critical.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace pmo::schedule {

enum class DependencyType : uint8_t {
  kFinishToStart,   // FS: the successor starts after the predecessor finishes
  kStartToStart,    // SS: the successor starts after the predecessor starts
  kFinishToFinish,  // FF: the successor finishes after the predecessor finishes
  kStartToFinish,   // SF: the successor finishes after the predecessor starts
};

// Bound on |duration|, |lag| and constraint days (about 3,800 years of
// working days), so that no sum over a network can overflow.
inline constexpr int64_t kMaxDays = 1'000'000;

struct Activity {
  std::string id;             // unique, non-empty
  int64_t duration_days = 0;  // 0..kMaxDays; 0 makes a milestone
  // "Start no earlier than" day offset, 0..kMaxDays.
  std::optional<int64_t> start_no_earlier_than;
};

struct Dependency {
  std::string predecessor_id;
  std::string successor_id;
  DependencyType type = DependencyType::kFinishToStart;
  int64_t lag_days = 0;  // -kMaxDays..kMaxDays; negative is a lead
};

struct ScheduledActivity {
  int64_t early_start = 0;
  int64_t early_finish = 0;
  int64_t late_start = 0;
  int64_t late_finish = 0;
  int64_t total_float = 0;
  int64_t free_float = 0;
  bool critical = false;  // total_float == 0

  friend bool operator==(const ScheduledActivity&,
                         const ScheduledActivity&) = default;
};

struct ProjectSchedule {
  int64_t project_finish = 0;
  // activities[i] are the dates of the input's activities[i].
  std::vector<ScheduledActivity> activities;
  // Indices (into the input) of every critical activity, in input order.
  // Where several paths tie, all their activities are here.
  std::vector<int> critical_activities;
  // One critical path, as indices from its first activity to its last, linked
  // by driving dependencies (slack 0). It ends at the first activity (input
  // order) that is critical, finishes at the project finish and drives no
  // other critical activity; each step back takes the first dependency (input
  // order) that drives the current activity, until one is driven only by day
  // 0 or by its own start constraint. Empty only for an empty network.
  std::vector<int> critical_path;
};

// Schedules the network. Runs in O(activities + dependencies) time with a
// handful of flat arrays (no allocation per activity); ids are hashed once.
//
// Errors:
//  - INVALID_ARGUMENT (pmo::FieldViolationsOf lists the fields, e.g.
//    "activities[2].id", "dependencies[3].predecessor_id") for an empty or
//    duplicate id, a duration, lag or constraint out of range, an unknown
//    activity id or dependency type, or an activity depending on itself.
//    Every violation is reported at once (the first 20, then a count).
//  - FAILED_PRECONDITION, a pmo::RuleViolationError with rule
//    "SCHEDULE_CYCLE", when the dependencies form a cycle; the message names
//    one cycle in order, e.g. "A -> B -> C -> A".
absl::StatusOr<ProjectSchedule> ComputeCriticalPath(
    std::span<const Activity> activities,
    std::span<const Dependency> dependencies);

}  // namespace pmo::schedule
