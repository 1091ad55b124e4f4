#pragma once

// Resource levelling: concrete allocation changes that remove a pool's
// over-allocation without delaying any project, changing the bookings of
// low-priority projects first.
//
//   LevellingProblem problem;
//   problem.resources = {{"alice", alice_calendar, {{"sql", 4}}},
//                        {"bob", bob_calendar, {{"sql", 3}}}};
//   problem.allocations = {
//       {{"AL-1", "ERP", Jan(8), Jan(12), kHoursPerDay, 6}, "alice",
//        /*project_priority=*/1, Jan(8), Jan(12)},
//       {{"AL-2", "CRM", Jan(10), Jan(11), kHoursPerDay, 4}, "alice",
//        /*project_priority=*/3, Jan(8), Jan(19), Skill{"sql", 3}}};
//   problem.from = Jan(1);
//   problem.to = Jan(31);
//   ASSIGN_OR_RETURN(LevellingProposal proposal, LevelResources(problem));
//   // proposal.changes: AL-2 moves to Jan 15..16 (ERP keeps its booking);
//   // over_allocated_days_before 2, over_allocated_days_after 0.
//   ASSIGN_OR_RETURN(std::vector<LevellingAllocation> levelled,
//                    ApplyProposal(problem, proposal.changes));
//
// Words. A resource's *working days* and *capacity* are those of its
// capacity::WorkingCalendar; an allocation books its hours per day
// (capacity::HoursPerWorkingDay) on every working day of its period, and a
// day is over-allocated when the load exceeds the capacity
// (capacity::IsOverAllocated). An allocation's *positions* are the working
// days it books. It *fits* at some positions of a resource when, on each of
// them, the load of everything else plus its own hours is within capacity:
// placing it there makes no day over-allocated.
//
// Algorithm. One pass over the days of [from, to] in date order and, on each
// day, over the resources in resource_id order. While the resource is
// over-allocated on that day:
//   1. Candidates: its allocations booking hours that day and not changed
//      yet, lowest priority first (5 before 1); ties: the latest
//      allocation.from first, then the smallest allocation_id.
//   2. For each candidate in that order, the first of these that succeeds is
//      made and the day is looked at again from step 1:
//      (a) Move: the same number of positions, contiguous (no working day
//          skipped), at the first start position where it fits: later starts
//          nearest first, then earlier starts nearest first. The period
//          becomes [first, last position]: a holiday inside it lengthens it
//          in calendar days, never in hours.
//      (b) Split, "pause and resume": from its first position on, book each
//          position where it fits and skip each where it does not, until it
//          has as many positions as before. Every run of consecutive
//          positions becomes one part: same project, unit and amount, id
//          "<allocation_id>/<n>" (n = 1, 2, ..., skipping ids in use). Whole
//          days only: a day with less free capacity than the allocation's
//          hours is skipped, so hours per day never change. The work never
//          starts earlier; it only pauses. Chosen because it is how a
//          planner splits a task around a busy day, and because it keeps
//          every part a plain allocation with the original amount.
//      (c) Reassign: to another resource that has the required skill at
//          least at the required level (any resource if no skill is
//          required), has exactly as many working days in the period (so the
//          hours do not change), and where it fits over the whole period.
//          Among those, the one with the most free hours (capacity - load)
//          over the period; ties (within 1e-9 h) by resource_id. The period
//          is kept; hours per day are kept too: a percentage stays a
//          percentage when both calendars have the same hours_per_day,
//          otherwise it becomes kHoursPerDay with the same hours.
//      If no candidate can be changed, the day stays over-allocated.
// A move or split never leaves the window [earliest_start, latest_finish],
// and every change books the same hours as before, where they fit. Hence:
//   - no change creates over-allocation: each day's load only drops or rises
//     to at most its capacity, so a day over-allocated afterwards was
//     over-allocated before, with no more excess;
//   - each allocation is changed at most once (days it books after a change
//     are never over-allocated again), so the pass ends;
//   - a change may reduce a day's excess without removing it when the other
//     candidates cannot move; it is kept (less overtime is still less);
//   - higher-priority projects' bookings are changed only when the
//     lower-priority ones on that day cannot resolve it.
// An attempt's outcome depends on the bookings only, not on the day being
// levelled; so when a failed candidate comes up again, its searches are
// repeated only on resources whose load has changed since. This keeps long
// runs of unsolvable days cheap and changes no result.
//
// Deterministic and independent of input order: resources, candidates and
// reassignment targets are taken in an order defined by ids, dates and
// priorities. Pure: no clock, no I/O, no randomness.
//
// Cost. Day tables (working day, capacity, load) per resource over the
// horizon = [from, to] together with every allocation window. Each attempt
// is linear in the window's days for (a) and (b) and in resources x period
// days for (c). Over-allocation before and after is counted by
// capacity::FindOverAllocations on the input and on the applied proposal,
// not by the tables the search uses.

#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "libs/capacity/calendar.h"
#include "libs/capacity/over_allocation.h"

namespace pmo::levelling {

inline constexpr int kHighestPriority = 1;
inline constexpr int kLowestPriority = 5;
inline constexpr int kMinSkillLevel = 1;
inline constexpr int kMaxSkillLevel = 5;
// Bounds on the day tables: the levelling period is at most ~10 years and a
// window reaches at most ~5 years before `from` or after `to`.
inline constexpr int kMaxPeriodDays = 3'660;
inline constexpr int kMaxWindowReachDays = 1'830;

struct Skill {
  std::string name;            // non-empty; unique per resource
  int level = kMinSkillLevel;  // kMinSkillLevel..kMaxSkillLevel, 5 = expert

  friend bool operator==(const Skill&, const Skill&) = default;
};

struct LevellingResource {
  std::string resource_id;  // non-empty, unique
  capacity::WorkingCalendar calendar;
  std::vector<Skill> skills;
};

struct LevellingAllocation {
  // allocation_id unique within the problem: changes name it.
  capacity::Allocation allocation;
  std::string resource_id;  // a resource of the problem
  // kHighestPriority (1) .. kLowestPriority (5); the same for every
  // allocation of a project.
  int project_priority = kLowestPriority;
  // How far the project's schedule lets this booking move without delaying
  // the project (e.g. its task's early start and late finish): the period
  // stays within [earliest_start, latest_finish], which must contain it.
  absl::CivilDay earliest_start;
  absl::CivilDay latest_finish;
  // What another resource needs to take the booking over; none: anyone.
  std::optional<Skill> required_skill;
};

struct LevellingProblem {
  std::vector<LevellingResource> resources;
  std::vector<LevellingAllocation> allocations;
  // The over-allocated days of [from, to] (inclusive) are levelled. Changes
  // may place bookings outside it, within their windows.
  absl::CivilDay from;
  absl::CivilDay to;
};

// The allocation keeps its resource, unit and amount; its period becomes
// [from, to].
struct AllocationMove {
  absl::CivilDay from;
  absl::CivilDay to;

  friend bool operator==(const AllocationMove&,
                         const AllocationMove&) = default;
};

// The allocation is replaced by `parts` (two or more) on the same resource,
// in date order.
struct AllocationSplit {
  std::vector<capacity::Allocation> parts;
};

// The allocation moves to resource `resource_id` as `allocation` (same id,
// project and period; unit and amount as described above).
struct AllocationReassignment {
  std::string resource_id;
  capacity::Allocation allocation;
};

struct LevellingChange {
  std::string allocation_id;
  std::string project_id;
  std::string resource_id;            // the resource it was booked on
  absl::CivilDay over_allocated_day;  // the day being levelled
  // Last booked day after minus before, in calendar days (> 0: later).
  int finish_shift_days = 0;
  // Hours no longer booked on the same resource and day.
  double moved_hours = 0;
  std::variant<AllocationMove, AllocationSplit, AllocationReassignment> action;
};

// What the proposal does to one project (one with at least one change).
struct ProjectEffect {
  std::string project_id;
  int priority = kLowestPriority;
  int allocations_moved = 0;
  int allocations_split = 0;
  int allocations_reassigned = 0;
  double moved_hours = 0;       // booked on other days of the same resource
  double reassigned_hours = 0;  // booked on another resource
  int max_days_shifted = 0;     // largest |finish_shift_days| of its changes
  // The last day any of the project's allocations books, before and after.
  absl::CivilDay finish_before;
  absl::CivilDay finish_after;
  int finish_shift_days = 0;  // finish_after - finish_before
  // Every allocation of the project still inside its window, i.e. the
  // levelling does not delay the project. Always true for LevelResources'
  // proposals; reported so that a caller need not take that on trust.
  bool windows_kept = true;
};

struct ResourceOverAllocation {
  std::string resource_id;
  capacity::OverAllocatedDay day;
};

struct LevellingProposal {
  std::vector<LevellingChange> changes;  // in the order made
  std::vector<ProjectEffect> projects;   // by priority (1 first), project_id
  // Over-allocated resource-days in [from, to] and their summed excess
  // hours, for the input and for the input with the changes applied.
  int over_allocated_days_before = 0;
  double excess_hours_before = 0;
  int over_allocated_days_after = 0;
  double excess_hours_after = 0;
  // What stays unsolved: the over-allocated resource-days after the
  // changes, by day, then resource_id; empty when all is solved.
  std::vector<ResourceOverAllocation> remaining;
};

// OK, or INVALID_ARGUMENT with a pmo::FieldViolations entry per bad field
// (at most 20 listed, plus a count):
//   "to"                                    before from, or the period
//                                           longer than kMaxPeriodDays
//   "resources[i].resource_id"              empty or duplicate
//   "resources[i].calendar.<field>"         as capacity::ValidateCalendar
//   "resources[i].skills[j].name"           empty or duplicate
//   "resources[i].skills[j].level"          not in 1..5
//   "allocations[i].allocation.<field>"     as capacity::ValidateAllocation,
//                                           and a duplicate allocation_id
//   "allocations[i].resource_id"            not a resource of the problem
//   "allocations[i].project_priority"       not in 1..5, or unlike another
//                                           allocation of the same project
//   "allocations[i].earliest_start"         after allocation.from, or more
//                                           than kMaxWindowReachDays before
//                                           from
//   "allocations[i].latest_finish"          before allocation.to or
//                                           earliest_start, or more than
//                                           kMaxWindowReachDays after to
//   "allocations[i].required_skill.name"    empty
//   "allocations[i].required_skill.level"   not in 1..5
absl::Status ValidateProblem(const LevellingProblem& problem);

// Proposes changes that remove the over-allocation of [problem.from,
// problem.to] as described at the top of this file, with each changed
// project's effect and the over-allocation before and after.
// INVALID_ARGUMENT as ValidateProblem.
absl::StatusOr<LevellingProposal> LevelResources(
    const LevellingProblem& problem);

// The problem's allocations with `changes` applied, in input order (a split
// allocation's parts in its place), each keeping its priority, window and
// required skill. INVALID_ARGUMENT as ValidateProblem, or for a change:
//   "changes[i].allocation_id"          unknown, or changed twice
//   "changes[i].action.to"              a move ending before it starts
//   "changes[i].action.parts"           a split without parts
//   "changes[i].action.parts[j].<field>"
//   "changes[i].action.allocation.<field>"
//                                       as capacity::ValidateAllocation
//   "changes[i].action.resource_id"     not a resource of the problem
absl::StatusOr<std::vector<LevellingAllocation>> ApplyProposal(
    const LevellingProblem& problem, std::span<const LevellingChange> changes);

// Every over-allocated resource-day in [from, to], by day, then resource_id,
// computed with capacity::FindOverAllocations per resource. Every
// allocation's resource_id must name one of `resources` (as ValidateProblem
// checks); anything else is a bug and aborts.
std::vector<ResourceOverAllocation> FindPoolOverAllocations(
    std::span<const LevellingResource> resources,
    std::span<const LevellingAllocation> allocations, absl::CivilDay from,
    absl::CivilDay to);

}  // namespace pmo::levelling
