#include "libs/levelling/levelling.h"

#include <algorithm>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <variant>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/errors.h"
#include "libs/base/testing/status_matchers.h"
#include "libs/capacity/calendar.h"
#include "libs/capacity/over_allocation.h"

namespace pmo::levelling {
namespace {

using ::pmo::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::SizeIs;
using ::testing::UnorderedElementsAre;

using capacity::Allocation;
using capacity::AllocationUnit;
using capacity::WorkingCalendar;

constexpr AllocationUnit kHours = AllocationUnit::kHoursPerDay;
constexpr AllocationUnit kPercent = AllocationUnit::kPercent;

// January 2024 starts on a Monday:
//   Mo Tu We Th Fr Sa Su
//    1  2  3  4  5  6  7
//    8  9 10 11 12 13 14
//   15 16 17 18 19 20 21
//   22 23 24 25 26 27 28
absl::CivilDay Jan(int day) { return absl::CivilDay(2024, 1, day); }

LevellingResource Person(std::string id, std::vector<Skill> skills = {},
                         WorkingCalendar calendar = {}) {  // Mo-Fr, 8 h
  return {std::move(id), std::move(calendar), std::move(skills)};
}

// `hours` a day on `resource` over [from, to], movable within
// [earliest, latest].
LevellingAllocation Booking(std::string id, std::string project,
                            std::string resource, absl::CivilDay from,
                            absl::CivilDay to, double hours, int priority,
                            absl::CivilDay earliest, absl::CivilDay latest,
                            std::optional<Skill> skill = std::nullopt) {
  return {{std::move(id), std::move(project), from, to, kHours, hours},
          std::move(resource),
          priority,
          earliest,
          latest,
          std::move(skill)};
}

LevellingProblem Problem(std::vector<LevellingResource> resources,
                         std::vector<LevellingAllocation> allocations) {
  return {std::move(resources), std::move(allocations), Jan(1), Jan(31)};
}

// The check every solvable case ends with, independent of the library's own
// counting: apply the proposal, then capacity::FindOverAllocations on each
// resource's changed allocations over the problem's period.
int OverAllocatedDaysAfterApplying(const LevellingProblem& problem,
                                   const LevellingProposal& proposal) {
  absl::StatusOr<std::vector<LevellingAllocation>> levelled =
      ApplyProposal(problem, proposal.changes);
  EXPECT_TRUE(levelled.ok()) << levelled.status();
  if (!levelled.ok()) return -1;
  int days = 0;
  for (const LevellingResource& r : problem.resources) {
    std::vector<Allocation> booked;
    for (const LevellingAllocation& a : *levelled) {
      if (a.resource_id == r.resource_id) booked.push_back(a.allocation);
    }
    days += static_cast<int>(capacity::FindOverAllocations(
                                 r.calendar, booked, problem.from, problem.to)
                                 .size());
  }
  return days;
}

std::vector<std::string> FieldsOf(const absl::Status& status) {
  std::vector<std::string> fields;
  for (const FieldViolation& v : FieldViolationsOf(status)) {
    fields.push_back(v.field);
  }
  return fields;
}

// ---------------------------------------------------------------------------
// (a) Move

TEST(LevelResourcesTest, MoveWithinSlackRemovesOverAllocation) {
  // alice, 8 h: ERP 6 h Mon 8..Fri 12 (no slack), CRM 4 h Wed 10..Thu 11
  // (may move within 8..19). Wed and Thu: 6 + 4 = 10 > 8, excess 2 each.
  // CRM (priority 3) goes before ERP (1). Without CRM's own hours the days
  // 8..12 carry 6 h, and 6 + 4 > 8, so CRM's 2 working days fit first at
  // Mon 15..Tue 16 (later starts 11 and 12 still touch 8..12).
  const LevellingProblem problem = Problem(
      {Person("alice")},
      {Booking("AL-A", "ERP", "alice", Jan(8), Jan(12), 6, 1, Jan(8), Jan(12)),
       Booking("AL-B", "CRM", "alice", Jan(10), Jan(11), 4, 3, Jan(8),
               Jan(19))});
  ASSERT_OK_AND_ASSIGN(LevellingProposal proposal, LevelResources(problem));

  ASSERT_THAT(proposal.changes, SizeIs(1));
  const LevellingChange& change = proposal.changes[0];
  EXPECT_EQ(change.allocation_id, "AL-B");
  EXPECT_EQ(change.project_id, "CRM");
  EXPECT_EQ(change.resource_id, "alice");
  EXPECT_EQ(change.over_allocated_day, Jan(10));
  EXPECT_EQ(change.finish_shift_days, 5);   // Thu 11 -> Tue 16
  EXPECT_DOUBLE_EQ(change.moved_hours, 8);  // 2 days x 4 h, none kept
  const auto* move = std::get_if<AllocationMove>(&change.action);
  ASSERT_NE(move, nullptr);
  EXPECT_EQ(*move, (AllocationMove{Jan(15), Jan(16)}));

  EXPECT_EQ(proposal.over_allocated_days_before, 2);
  EXPECT_DOUBLE_EQ(proposal.excess_hours_before, 4);  // 2 days x 2 h
  EXPECT_EQ(proposal.over_allocated_days_after, 0);
  EXPECT_DOUBLE_EQ(proposal.excess_hours_after, 0);
  EXPECT_THAT(proposal.remaining, IsEmpty());
  EXPECT_EQ(OverAllocatedDaysAfterApplying(problem, proposal), 0);

  ASSERT_THAT(proposal.projects, SizeIs(1));  // ERP is untouched
  const ProjectEffect& crm = proposal.projects[0];
  EXPECT_EQ(crm.project_id, "CRM");
  EXPECT_EQ(crm.priority, 3);
  EXPECT_EQ(crm.allocations_moved, 1);
  EXPECT_EQ(crm.allocations_split, 0);
  EXPECT_EQ(crm.allocations_reassigned, 0);
  EXPECT_DOUBLE_EQ(crm.moved_hours, 8);
  EXPECT_DOUBLE_EQ(crm.reassigned_hours, 0);
  EXPECT_EQ(crm.max_days_shifted, 5);
  EXPECT_EQ(crm.finish_before, Jan(11));
  EXPECT_EQ(crm.finish_after, Jan(16));
  EXPECT_EQ(crm.finish_shift_days, 5);
  EXPECT_TRUE(crm.windows_kept);
}

TEST(LevelResourcesTest, MovesEarlierWhenThereIsNoRoomLater) {
  // As above, but CRM's window is Mon 1..Thu 11: no later start. Earlier
  // starts, nearest first: Tue 9 (9, 10) and Mon 8 (8, 9) touch ERP's days,
  // Fri 5 (5, 8) too; Thu 4 (4, 5) fits.
  const LevellingProblem problem = Problem(
      {Person("alice")},
      {Booking("AL-A", "ERP", "alice", Jan(8), Jan(12), 6, 1, Jan(8), Jan(12)),
       Booking("AL-B", "CRM", "alice", Jan(10), Jan(11), 4, 3, Jan(1),
               Jan(11))});
  ASSERT_OK_AND_ASSIGN(LevellingProposal proposal, LevelResources(problem));
  ASSERT_THAT(proposal.changes, SizeIs(1));
  EXPECT_EQ(std::get<AllocationMove>(proposal.changes[0].action),
            (AllocationMove{Jan(4), Jan(5)}));
  EXPECT_EQ(proposal.changes[0].finish_shift_days, -6);  // Thu 11 -> Fri 5
  EXPECT_EQ(proposal.over_allocated_days_after, 0);
  EXPECT_EQ(OverAllocatedDaysAfterApplying(problem, proposal), 0);
}

// ---------------------------------------------------------------------------
// Priorities

TEST(LevelResourcesTest, LowerPriorityProjectMovesEvenIfTheOtherCould) {
  // The same two bookings, both with slack, priorities swapped: ERP 4, CRM 2.
  // ERP (6 h, Mon 8..Fri 12, window 8..26) moves. Without it, Wed 10 and
  // Thu 11 carry CRM's 4 h and 4 + 6 > 8. Its 5 working days from Tue 9, Wed
  // 10 or Thu 11 touch those; from Fri 12: 12, 15, 16, 17, 18 fit.
  const LevellingProblem problem = Problem(
      {Person("alice")},
      {Booking("AL-A", "ERP", "alice", Jan(8), Jan(12), 6, 4, Jan(8), Jan(26)),
       Booking("AL-B", "CRM", "alice", Jan(10), Jan(11), 4, 2, Jan(8),
               Jan(19))});
  ASSERT_OK_AND_ASSIGN(LevellingProposal proposal, LevelResources(problem));
  ASSERT_THAT(proposal.changes, SizeIs(1));
  EXPECT_EQ(proposal.changes[0].allocation_id, "AL-A");
  EXPECT_EQ(std::get<AllocationMove>(proposal.changes[0].action),
            (AllocationMove{Jan(12), Jan(18)}));
  EXPECT_EQ(proposal.changes[0].over_allocated_day, Jan(10));
  // Fri 12 is booked before and after: 4 of 5 days x 6 h moved.
  EXPECT_DOUBLE_EQ(proposal.changes[0].moved_hours, 24);
  ASSERT_THAT(proposal.projects, SizeIs(1));
  EXPECT_EQ(proposal.projects[0].project_id, "ERP");
  EXPECT_EQ(proposal.projects[0].finish_shift_days, 6);  // Fri 12 -> Thu 18
  EXPECT_EQ(OverAllocatedDaysAfterApplying(problem, proposal), 0);
}

TEST(LevelResourcesTest, EqualPriorityLatestStartMovesFirst) {
  // Both priority 3 and both movable: CRM starts later (Wed 10 > Mon 8), so
  // CRM moves, to Mon 15..Tue 16 as in the first test.
  const LevellingProblem problem = Problem(
      {Person("alice")},
      {Booking("AL-A", "ERP", "alice", Jan(8), Jan(12), 6, 3, Jan(8), Jan(26)),
       Booking("AL-B", "CRM", "alice", Jan(10), Jan(11), 4, 3, Jan(8),
               Jan(19))});
  ASSERT_OK_AND_ASSIGN(LevellingProposal proposal, LevelResources(problem));
  ASSERT_THAT(proposal.changes, SizeIs(1));
  EXPECT_EQ(proposal.changes[0].allocation_id, "AL-B");
  EXPECT_EQ(std::get<AllocationMove>(proposal.changes[0].action),
            (AllocationMove{Jan(15), Jan(16)}));
}

TEST(LevelResourcesTest, HigherPriorityChangesOnlyWhenLowerCannot) {
  // CRM (priority 4) 4 h Mon 8..Fri 12 with no slack and nobody to take it
  // over; ERP (priority 1) 6 h on the same days, movable until Fri 19.
  // Every day: 10 > 8. CRM is tried first and fails (no other position;
  // pausing finds no day where 6 + 4 <= 8; no other resource). ERP then
  // fits at Mon 15..Fri 19.
  const LevellingProblem problem = Problem(
      {Person("alice")},
      {Booking("AL-A", "ERP", "alice", Jan(8), Jan(12), 6, 1, Jan(8), Jan(19)),
       Booking("AL-B", "CRM", "alice", Jan(8), Jan(12), 4, 4, Jan(8),
               Jan(12))});
  ASSERT_OK_AND_ASSIGN(LevellingProposal proposal, LevelResources(problem));
  ASSERT_THAT(proposal.changes, SizeIs(1));
  EXPECT_EQ(proposal.changes[0].allocation_id, "AL-A");
  EXPECT_EQ(std::get<AllocationMove>(proposal.changes[0].action),
            (AllocationMove{Jan(15), Jan(19)}));
  EXPECT_EQ(proposal.over_allocated_days_before, 5);
  EXPECT_EQ(proposal.over_allocated_days_after, 0);
  ASSERT_THAT(proposal.projects, SizeIs(1));
  EXPECT_EQ(proposal.projects[0].project_id, "ERP");
  EXPECT_EQ(proposal.projects[0].priority, 1);
  EXPECT_EQ(proposal.projects[0].finish_shift_days, 7);  // Fri 12 -> Fri 19
  EXPECT_TRUE(proposal.projects[0].windows_kept);
}

// ---------------------------------------------------------------------------
// (b) Split

TEST(LevelResourcesTest, SplitsWhenTheWholeBookingCannotMove) {
  // CRM (priority 3) 4 h Mon 8..Fri 12, window up to Mon 15: one spare
  // working day. OPS (priority 1) 6 h on Wed 10 only, window Wed 10 only.
  // Wed 10: 4 + 6 = 10 > 8.
  // (a) CRM's 5 working days can start Mon 8 or Tue 9 (9, 10, 11, 12, 15);
  //     both include Wed 10, where 6 + 4 > 8: no move.
  // (b) pause and resume: book 8, 9; skip 10; book 11, 12, 15 (5 days):
  //     parts Mon 8..Tue 9 and Thu 11..Mon 15 (the weekend books nothing).
  const LevellingProblem problem = Problem(
      {Person("alice")},
      {Booking("AL-B", "CRM", "alice", Jan(8), Jan(12), 4, 3, Jan(8), Jan(15)),
       Booking("AL-X", "OPS", "alice", Jan(10), Jan(10), 6, 1, Jan(10),
               Jan(10))});
  ASSERT_OK_AND_ASSIGN(LevellingProposal proposal, LevelResources(problem));
  ASSERT_THAT(proposal.changes, SizeIs(1));
  const LevellingChange& change = proposal.changes[0];
  EXPECT_EQ(change.allocation_id, "AL-B");
  const auto* split = std::get_if<AllocationSplit>(&change.action);
  ASSERT_NE(split, nullptr);
  ASSERT_THAT(split->parts, SizeIs(2));
  EXPECT_EQ(split->parts[0].allocation_id, "AL-B/1");
  EXPECT_EQ(split->parts[0].from, Jan(8));
  EXPECT_EQ(split->parts[0].to, Jan(9));
  EXPECT_EQ(split->parts[1].allocation_id, "AL-B/2");
  EXPECT_EQ(split->parts[1].from, Jan(11));
  EXPECT_EQ(split->parts[1].to, Jan(15));
  for (const Allocation& part : split->parts) {
    EXPECT_EQ(part.project_id, "CRM");
    EXPECT_EQ(part.unit, kHours);
    EXPECT_EQ(part.amount, 4);
  }
  // Hours kept: 2 x 4 + 3 x 4 = 20 = 5 x 4.
  double booked = 0;
  for (const Allocation& part : split->parts) {
    for (absl::CivilDay d = part.from; d <= part.to; ++d) {
      booked += capacity::LoadHours(WorkingCalendar{}, part, d);
    }
  }
  EXPECT_DOUBLE_EQ(booked, 20);
  EXPECT_EQ(change.finish_shift_days, 3);   // Fri 12 -> Mon 15
  EXPECT_DOUBLE_EQ(change.moved_hours, 4);  // only Mon 15 is a new day
  EXPECT_EQ(proposal.over_allocated_days_after, 0);
  EXPECT_EQ(OverAllocatedDaysAfterApplying(problem, proposal), 0);
  ASSERT_THAT(proposal.projects, SizeIs(1));
  EXPECT_EQ(proposal.projects[0].allocations_split, 1);
  EXPECT_TRUE(proposal.projects[0].windows_kept);

  ASSERT_OK_AND_ASSIGN(std::vector<LevellingAllocation> levelled,
                       ApplyProposal(problem, proposal.changes));
  ASSERT_THAT(levelled, SizeIs(3));  // the parts in place of AL-B, then AL-X
  EXPECT_EQ(levelled[0].allocation.allocation_id, "AL-B/1");
  EXPECT_EQ(levelled[1].allocation.allocation_id, "AL-B/2");
  EXPECT_EQ(levelled[1].latest_finish, Jan(15));  // window kept
  EXPECT_EQ(levelled[2].allocation.allocation_id, "AL-X");
}

TEST(LevelResourcesTest, SplitPartIdsSkipIdsInUse) {
  // The split above, with an unrelated allocation already called "AL-B/1".
  LevellingProblem problem = Problem(
      {Person("alice")},
      {Booking("AL-B", "CRM", "alice", Jan(8), Jan(12), 4, 3, Jan(8), Jan(15)),
       Booking("AL-X", "OPS", "alice", Jan(10), Jan(10), 6, 1, Jan(10),
               Jan(10)),
       Booking("AL-B/1", "WEB", "alice", Jan(22), Jan(22), 1, 1, Jan(22),
               Jan(22))});
  ASSERT_OK_AND_ASSIGN(LevellingProposal proposal, LevelResources(problem));
  ASSERT_THAT(proposal.changes, SizeIs(1));
  const auto& split = std::get<AllocationSplit>(proposal.changes[0].action);
  ASSERT_THAT(split.parts, SizeIs(2));
  EXPECT_EQ(split.parts[0].allocation_id, "AL-B/2");
  EXPECT_EQ(split.parts[1].allocation_id, "AL-B/3");
}

// ---------------------------------------------------------------------------
// (c) Reassign

TEST(LevelResourcesTest, ReassignsToTheQualifiedResourceWithMostFreeHours) {
  // alice, 8 h: ERP (priority 1) 6 h and CRM (priority 3) 50% = 4 h, both
  // Mon 8..Fri 12 with no slack: 10 > 8 on 5 days. CRM cannot move (no other
  // position) nor split (6 + 4 > 8 every day), so it goes to someone with
  // sql >= 3 who is free for 4 h on each of the 5 days:
  //   bob    sql 2            free 40 h  not qualified
  //   carol  sql 3, 3 h/day   free 5 x (8 - 3) = 25 h
  //   dave   sql 5, 2 h/day   free 5 x (8 - 2) = 30 h  <- most free hours
  //   erin   sql 5, Wed off   free 32 h, but 0 + 4 > 0 on Wed: not free
  //   frank  no skills        free 40 h  not qualified
  WorkingCalendar erin_calendar;
  erin_calendar.absences = {{Jan(10), Jan(10), 8}};
  const LevellingProblem problem = Problem(
      {Person("alice", {{"sql", 4}}), Person("bob", {{"sql", 2}}),
       Person("carol", {{"sql", 3}}), Person("dave", {{"sql", 5}, {"go", 2}}),
       Person("erin", {{"sql", 5}}, erin_calendar), Person("frank")},
      {Booking("AL-A", "ERP", "alice", Jan(8), Jan(12), 6, 1, Jan(8), Jan(12)),
       {{"AL-B", "CRM", Jan(8), Jan(12), kPercent, 50},
        "alice",
        3,
        Jan(8),
        Jan(12),
        Skill{"sql", 3}},
       Booking("AL-C", "WEB", "carol", Jan(8), Jan(12), 3, 2, Jan(8), Jan(12)),
       Booking("AL-D", "WEB", "dave", Jan(8), Jan(12), 2, 2, Jan(8), Jan(12))});
  ASSERT_OK_AND_ASSIGN(LevellingProposal proposal, LevelResources(problem));

  ASSERT_THAT(proposal.changes, SizeIs(1));
  const LevellingChange& change = proposal.changes[0];
  EXPECT_EQ(change.allocation_id, "AL-B");
  EXPECT_EQ(change.resource_id, "alice");
  const auto* reassignment =
      std::get_if<AllocationReassignment>(&change.action);
  ASSERT_NE(reassignment, nullptr);
  EXPECT_EQ(reassignment->resource_id, "dave");
  // Same 8 h calendar: the percentage stays a percentage.
  EXPECT_EQ(reassignment->allocation.unit, kPercent);
  EXPECT_EQ(reassignment->allocation.amount, 50);
  EXPECT_EQ(reassignment->allocation.from, Jan(8));
  EXPECT_EQ(reassignment->allocation.to, Jan(12));
  EXPECT_EQ(change.finish_shift_days, 0);
  EXPECT_DOUBLE_EQ(change.moved_hours, 20);  // 5 x 4 h

  EXPECT_EQ(proposal.over_allocated_days_before, 5);
  EXPECT_DOUBLE_EQ(proposal.excess_hours_before, 10);
  EXPECT_EQ(proposal.over_allocated_days_after, 0);  // dave: 2 + 4 = 6 <= 8
  EXPECT_EQ(OverAllocatedDaysAfterApplying(problem, proposal), 0);
  ASSERT_THAT(proposal.projects, SizeIs(1));
  EXPECT_EQ(proposal.projects[0].project_id, "CRM");
  EXPECT_EQ(proposal.projects[0].allocations_reassigned, 1);
  EXPECT_DOUBLE_EQ(proposal.projects[0].reassigned_hours, 20);
  EXPECT_DOUBLE_EQ(proposal.projects[0].moved_hours, 0);
  EXPECT_EQ(proposal.projects[0].finish_shift_days, 0);
}

TEST(LevelResourcesTest, ReassignmentKeepsHoursOnAnotherDayLength) {
  // CRM is 50% of alice's 8 h = 4 h a day. gina works 6 h days: 50% of hers
  // would be 3 h, so the booking becomes 4 h a day (fits: 0 + 4 <= 6).
  WorkingCalendar six_hours;
  six_hours.hours_per_day = 6;
  const LevellingProblem problem = Problem(
      {Person("alice"), Person("gina", {}, six_hours)},
      {Booking("AL-A", "ERP", "alice", Jan(8), Jan(12), 6, 1, Jan(8), Jan(12)),
       {{"AL-B", "CRM", Jan(8), Jan(12), kPercent, 50},
        "alice",
        3,
        Jan(8),
        Jan(12)}});
  ASSERT_OK_AND_ASSIGN(LevellingProposal proposal, LevelResources(problem));
  ASSERT_THAT(proposal.changes, SizeIs(1));
  const auto& reassignment =
      std::get<AllocationReassignment>(proposal.changes[0].action);
  EXPECT_EQ(reassignment.resource_id, "gina");
  EXPECT_EQ(reassignment.allocation.unit, kHours);
  EXPECT_EQ(reassignment.allocation.amount, 4);
  EXPECT_EQ(capacity::LoadHours(six_hours, reassignment.allocation, Jan(9)), 4);
  EXPECT_EQ(OverAllocatedDaysAfterApplying(problem, proposal), 0);
}

TEST(LevelResourcesTest, UnqualifiedResourceIsNotChosenAndTheRestIsReported) {
  // As above but the only other resource, bob, has sql 2 and CRM needs 3;
  // ERP needs sap, which bob lacks too. Nothing can change: 5 days stay
  // over-allocated by 2 h, each with both projects' shares.
  const LevellingProblem problem = Problem(
      {Person("alice", {{"sql", 4}, {"sap", 4}}), Person("bob", {{"sql", 2}})},
      {Booking("AL-A", "ERP", "alice", Jan(8), Jan(12), 6, 1, Jan(8), Jan(12),
               Skill{"sap", 1}),
       Booking("AL-B", "CRM", "alice", Jan(8), Jan(12), 4, 3, Jan(8), Jan(12),
               Skill{"sql", 3})});
  ASSERT_OK_AND_ASSIGN(LevellingProposal proposal, LevelResources(problem));
  EXPECT_THAT(proposal.changes, IsEmpty());
  EXPECT_THAT(proposal.projects, IsEmpty());
  EXPECT_EQ(proposal.over_allocated_days_before, 5);
  EXPECT_EQ(proposal.over_allocated_days_after, 5);
  EXPECT_DOUBLE_EQ(proposal.excess_hours_after, 10);
  ASSERT_THAT(proposal.remaining, SizeIs(5));
  for (int i = 0; i < 5; ++i) {
    const ResourceOverAllocation& r = proposal.remaining[i];
    EXPECT_EQ(r.resource_id, "alice");
    EXPECT_EQ(r.day.day, Jan(8 + i));
    EXPECT_DOUBLE_EQ(r.day.capacity_hours, 8);
    EXPECT_DOUBLE_EQ(r.day.load_hours, 10);
    EXPECT_DOUBLE_EQ(r.day.excess_hours, 2);
    EXPECT_THAT(r.day.shares, ElementsAre(capacity::ProjectShare{"CRM", 4},
                                          capacity::ProjectShare{"ERP", 6}));
  }
  EXPECT_EQ(OverAllocatedDaysAfterApplying(problem, proposal), 5);
}

// ---------------------------------------------------------------------------
// Calendars

TEST(LevelResourcesTest, HolidaysAndPartialDaysAreRespected) {
  // alice, 8 h, half a day off on Wed 10 (capacity 4) and a holiday on
  // Mon 15. ERP (priority 1) 4 h Mon 8..Fri 12; CRM (priority 3) 2 h Tue
  // 9..Thu 11, window 8..19. Wed 10: 4 + 2 = 6 > 4, the only bad day
  // (others: 6 <= 8).
  // CRM's 3 working days, without its own hours: Wed 10 blocked (4 + 2 > 4).
  // Starting Wed 10: blocked. Starting Thu 11: 11, 12, then 15 is a holiday,
  // so 16: Thu 11..Tue 16, 3 days x 2 h as before.
  WorkingCalendar calendar;
  calendar.holidays = {Jan(15)};
  calendar.absences = {{Jan(10), Jan(10), 4}};
  const LevellingProblem problem = Problem(
      {Person("alice", {}, calendar)},
      {Booking("AL-A", "ERP", "alice", Jan(8), Jan(12), 4, 1, Jan(8), Jan(12)),
       Booking("AL-B", "CRM", "alice", Jan(9), Jan(11), 2, 3, Jan(8),
               Jan(19))});
  ASSERT_OK_AND_ASSIGN(LevellingProposal proposal, LevelResources(problem));
  EXPECT_EQ(proposal.over_allocated_days_before, 1);
  EXPECT_DOUBLE_EQ(proposal.excess_hours_before, 2);
  ASSERT_THAT(proposal.changes, SizeIs(1));
  const auto& move = std::get<AllocationMove>(proposal.changes[0].action);
  EXPECT_EQ(move, (AllocationMove{Jan(11), Jan(16)}));
  EXPECT_EQ(proposal.changes[0].finish_shift_days, 5);  // Thu 11 -> Tue 16
  // New days 12 and 16 (11 was booked before): 2 x 2 h.
  EXPECT_DOUBLE_EQ(proposal.changes[0].moved_hours, 4);

  Allocation moved = problem.allocations[1].allocation;
  moved.from = move.from;
  moved.to = move.to;
  EXPECT_EQ(capacity::LoadHours(calendar, moved, Jan(15)), 0);  // holiday
  double booked = 0;
  for (absl::CivilDay d = moved.from; d <= moved.to; ++d) {
    booked += capacity::LoadHours(calendar, moved, d);
  }
  EXPECT_DOUBLE_EQ(booked, 6);                       // 11, 12, 16 x 2 h
  EXPECT_EQ(proposal.over_allocated_days_after, 0);  // Wed 10: 4 <= 4
  EXPECT_EQ(OverAllocatedDaysAfterApplying(problem, proposal), 0);
}

// ---------------------------------------------------------------------------
// Validation

TEST(LevelResourcesTest, BadInputNamesEveryField) {
  WorkingCalendar bad_calendar;
  bad_calendar.hours_per_day = 25;
  LevellingProblem problem = Problem(
      {Person("alice"), Person("bob", {{"sql", 6}}),
       Person("carol", {}, bad_calendar), Person("alice")},
      {// The window Tue 9..Fri 12 does not contain the period from Mon 8.
       Booking("AL-0", "ERP", "alice", Jan(8), Jan(12), 4, 1, Jan(9), Jan(12)),
       Booking("AL-1", "ERP", "nobody", Jan(8), Jan(12), 4, 1, Jan(8), Jan(12)),
       Booking("AL-2", "CRM", "alice", Jan(8), Jan(12), 4, 0, Jan(8), Jan(12)),
       Booking("AL-3", "ERP", "alice", Jan(8), Jan(12), 0, 1, Jan(8), Jan(12)),
       Booking("AL-3", "ERP", "alice", Jan(8), Jan(12), 4, 1, Jan(8), Jan(12)),
       Booking("AL-5", "ERP", "alice", Jan(8), Jan(12), 4, 1, Jan(8), Jan(11)),
       Booking("AL-6", "ERP", "alice", Jan(8), Jan(12), 4, 1, Jan(8), Jan(12),
               Skill{"sql", 0}),
       Booking("AL-7", "ERP", "alice", Jan(8), Jan(12), 4, 2, Jan(8),
               Jan(12))});
  const absl::StatusOr<LevellingProposal> proposal = LevelResources(problem);
  EXPECT_THAT(proposal, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(
      FieldsOf(proposal.status()),
      UnorderedElementsAre(
          "resources[1].skills[0].level", "resources[2].calendar.hours_per_day",
          "resources[3].resource_id", "allocations[0].earliest_start",
          "allocations[1].resource_id", "allocations[2].project_priority",
          "allocations[3].allocation.amount",
          "allocations[4].allocation.allocation_id",
          "allocations[5].latest_finish", "allocations[6].required_skill.level",
          "allocations[7].project_priority"));
  EXPECT_THAT(ValidateProblem(problem),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(LevelResourcesTest, BadPeriodAndWindowReach) {
  LevellingProblem problem = Problem(
      {Person("alice")}, {Booking("AL-1", "ERP", "alice", Jan(8), Jan(12), 4, 1,
                                  Jan(1) - kMaxWindowReachDays - 1, Jan(12))});
  EXPECT_THAT(FieldsOf(ValidateProblem(problem)),
              ElementsAre("allocations[0].earliest_start"));
  problem.to = Jan(1) - 1;
  EXPECT_THAT(FieldsOf(ValidateProblem(problem)), ElementsAre("to"));
}

TEST(LevelResourcesTest, ManyViolationsAreCounted) {
  LevellingProblem problem = Problem({Person("alice")}, {});
  for (int i = 0; i < 30; ++i) {
    problem.allocations.push_back(Booking(absl::StrCat("AL-", i), "ERP",
                                          "nobody", Jan(8), Jan(12), 4, 1,
                                          Jan(8), Jan(12)));
  }
  const std::vector<FieldViolation> violations =
      FieldViolationsOf(ValidateProblem(problem));
  ASSERT_THAT(violations, SizeIs(21));  // 20 listed, and a count
  EXPECT_EQ(violations.back().description, "and 10 more violations not listed");
}

TEST(ApplyProposalTest, BadChangesNameTheirFields) {
  const LevellingProblem problem = Problem(
      {Person("alice")},
      {Booking("AL-A", "ERP", "alice", Jan(8), Jan(12), 6, 1, Jan(8), Jan(19)),
       Booking("AL-B", "CRM", "alice", Jan(8), Jan(12), 4, 3, Jan(8),
               Jan(19))});
  std::vector<LevellingChange> changes(4);
  changes[0].allocation_id = "AL-Z";
  changes[0].action = AllocationMove{Jan(15), Jan(19)};
  changes[1].allocation_id = "AL-A";
  changes[1].action = AllocationMove{Jan(19), Jan(15)};
  changes[2].allocation_id = "AL-A";
  changes[2].action = AllocationSplit{};
  changes[3].allocation_id = "AL-B";
  changes[3].action =
      AllocationReassignment{"nobody", problem.allocations[1].allocation};
  const auto levelled = ApplyProposal(problem, changes);
  EXPECT_THAT(levelled, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(FieldsOf(levelled.status()),
              UnorderedElementsAre(
                  "changes[0].allocation_id", "changes[1].action.to",
                  "changes[2].allocation_id", "changes[2].action.parts",
                  "changes[3].action.resource_id"));
}

// ---------------------------------------------------------------------------
// Properties over random pools

LevellingProblem RandomProblem(unsigned seed) {
  std::mt19937 rng(seed);
  auto uniform = [&](int low, int high) {  // inclusive
    return low + static_cast<int>(rng() % (high - low + 1));
  };
  const std::vector<std::string> skills = {"sql", "go", "ux"};
  LevellingProblem problem;
  problem.from = absl::CivilDay(2024, 1, 1);
  problem.to = absl::CivilDay(2024, 3, 31);
  for (int r = 0; r < 6; ++r) {
    LevellingResource resource;
    resource.resource_id = absl::StrCat("R", r);
    resource.calendar.hours_per_day = uniform(0, 3) == 0 ? 6 : 8;
    resource.calendar.holidays = {problem.from + uniform(0, 90)};
    resource.calendar.absences = {{problem.from + uniform(0, 80),
                                   problem.from + uniform(80, 90),
                                   uniform(0, 1) == 0 ? 4.0 : 8.0}};
    for (const std::string& skill : skills) {
      if (uniform(0, 1) == 0) resource.skills.push_back({skill, uniform(1, 5)});
    }
    problem.resources.push_back(std::move(resource));
  }
  int project_priority[8];
  for (int& p : project_priority) p = uniform(1, 5);
  for (int i = 0; i < 40; ++i) {
    LevellingAllocation a;
    const int project = uniform(0, 7);
    a.allocation.allocation_id = absl::StrCat("AL-", i);
    a.allocation.project_id = absl::StrCat("P", project);
    a.allocation.from = problem.from + uniform(0, 80);
    a.allocation.to = a.allocation.from + uniform(0, 20);
    if (uniform(0, 1) == 0) {
      a.allocation.unit = kPercent;
      a.allocation.amount = 10.0 * uniform(2, 8);
    } else {
      a.allocation.amount = uniform(1, 6);
    }
    a.resource_id = absl::StrCat("R", uniform(0, 5));
    a.project_priority = project_priority[project];
    a.earliest_start = a.allocation.from - uniform(0, 10);
    a.latest_finish = a.allocation.to + uniform(0, 20);
    if (uniform(0, 2) != 0) {
      a.required_skill = Skill{skills[uniform(0, 2)], uniform(1, 4)};
    }
    problem.allocations.push_back(std::move(a));
  }
  return problem;
}

// Hours each project books in all, from the allocations and their
// resources' calendars.
std::map<std::string, double> HoursByProject(
    const LevellingProblem& problem,
    const std::vector<LevellingAllocation>& allocations) {
  std::map<std::string, double> hours;
  for (const LevellingAllocation& a : allocations) {
    const auto r =
        std::find_if(problem.resources.begin(), problem.resources.end(),
                     [&](const LevellingResource& x) {
                       return x.resource_id == a.resource_id;
                     });
    for (absl::CivilDay d = a.allocation.from; d <= a.allocation.to; ++d) {
      hours[a.allocation.project_id] +=
          capacity::LoadHours(r->calendar, a.allocation, d);
    }
  }
  return hours;
}

TEST(LevelResourcesPropertyTest, RandomPoolsImproveAndKeepEveryRule) {
  int solved_days = 0;
  for (unsigned seed = 1; seed <= 30; ++seed) {
    SCOPED_TRACE(absl::StrCat("seed ", seed));
    const LevellingProblem problem = RandomProblem(seed);
    ASSERT_OK_AND_ASSIGN(LevellingProposal proposal, LevelResources(problem));
    ASSERT_OK_AND_ASSIGN(std::vector<LevellingAllocation> levelled,
                         ApplyProposal(problem, proposal.changes));

    // The remaining days are what capacity::FindOverAllocations finds.
    EXPECT_EQ(proposal.over_allocated_days_after,
              OverAllocatedDaysAfterApplying(problem, proposal));
    // No new over-allocation: each day over afterwards was over before, by
    // at least as much.
    const std::vector<ResourceOverAllocation> before = FindPoolOverAllocations(
        problem.resources, problem.allocations, problem.from, problem.to);
    for (const ResourceOverAllocation& after : proposal.remaining) {
      const auto it = std::find_if(
          before.begin(), before.end(), [&](const ResourceOverAllocation& b) {
            return b.resource_id == after.resource_id &&
                   b.day.day == after.day.day;
          });
      ASSERT_NE(it, before.end()) << after.resource_id << " " << after.day.day;
      EXPECT_LE(after.day.excess_hours, it->day.excess_hours + 1e-9);
    }
    EXPECT_LE(proposal.over_allocated_days_after,
              proposal.over_allocated_days_before);
    solved_days += proposal.over_allocated_days_before -
                   proposal.over_allocated_days_after;
    // Windows kept; hours kept per project; skills respected.
    for (const LevellingAllocation& a : levelled) {
      EXPECT_LE(a.earliest_start, a.allocation.from);
      EXPECT_GE(a.latest_finish, a.allocation.to);
    }
    for (const ProjectEffect& e : proposal.projects) {
      EXPECT_TRUE(e.windows_kept);
    }
    const std::map<std::string, double> hours_before =
        HoursByProject(problem, problem.allocations);
    const std::map<std::string, double> hours_after =
        HoursByProject(problem, levelled);
    for (const auto& [project, hours] : hours_before) {
      EXPECT_NEAR(hours_after.at(project), hours, 1e-9) << project;
    }
    for (const LevellingChange& c : proposal.changes) {
      const auto* r = std::get_if<AllocationReassignment>(&c.action);
      if (r == nullptr) continue;
      const LevellingAllocation& in =
          *std::find_if(problem.allocations.begin(), problem.allocations.end(),
                        [&](const LevellingAllocation& a) {
                          return a.allocation.allocation_id == c.allocation_id;
                        });
      if (!in.required_skill.has_value()) continue;
      const LevellingResource& to =
          *std::find_if(problem.resources.begin(), problem.resources.end(),
                        [&](const LevellingResource& x) {
                          return x.resource_id == r->resource_id;
                        });
      EXPECT_TRUE(std::any_of(to.skills.begin(), to.skills.end(),
                              [&](const Skill& s) {
                                return s.name == in.required_skill->name &&
                                       s.level >= in.required_skill->level;
                              }))
          << c.allocation_id << " -> " << r->resource_id;
    }

    // Input order does not matter.
    LevellingProblem shuffled = problem;
    std::mt19937 rng(seed);
    std::shuffle(shuffled.resources.begin(), shuffled.resources.end(), rng);
    std::shuffle(shuffled.allocations.begin(), shuffled.allocations.end(), rng);
    ASSERT_OK_AND_ASSIGN(LevellingProposal again, LevelResources(shuffled));
    ASSERT_EQ(again.changes.size(), proposal.changes.size());
    for (size_t i = 0; i < again.changes.size(); ++i) {
      EXPECT_EQ(again.changes[i].allocation_id,
                proposal.changes[i].allocation_id);
      EXPECT_EQ(again.changes[i].action.index(),
                proposal.changes[i].action.index());
      EXPECT_EQ(again.changes[i].finish_shift_days,
                proposal.changes[i].finish_shift_days);
    }
    EXPECT_EQ(again.over_allocated_days_after,
              proposal.over_allocated_days_after);
  }
  EXPECT_GT(solved_days, 0);  // the pools do exercise the levelling
}

}  // namespace
}  // namespace pmo::levelling
