#include "libs/capacity/load_ledger.h"

#include <cmath>
#include <ostream>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/errors.h"
#include "libs/base/testing/status_matchers.h"
#include "libs/capacity/calendar.h"
#include "libs/capacity/over_allocation.h"

namespace pmo::capacity {

void PrintTo(const OverAllocationChange& c, std::ostream* os) {
  *os << c.day << (c.over_allocated ? " over-allocated" : " resolved");
}

namespace {

using ::pmo::testing::StatusIs;
using ::testing::DoubleNear;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::IsEmpty;
using ::testing::SizeIs;

constexpr AllocationUnit kHours = AllocationUnit::kHoursPerDay;
constexpr AllocationUnit kPercent = AllocationUnit::kPercent;

// January 2024 starts on a Monday:
//   Mo Tu We Th Fr Sa Su
//    1  2  3  4  5  6  7
//    8  9 10 11 12 13 14
//   15 16 17 18 19 20 21
//   22 23 24 25 26 27 28
//   29 30 31
absl::CivilDay Jan(int day) { return absl::CivilDay(2024, 1, day); }

OverAllocationChange Became(absl::CivilDay day) { return {day, true}; }
OverAllocationChange Resolved(absl::CivilDay day) { return {day, false}; }

WorkingCalendar NewYearCalendar() {
  WorkingCalendar cal;  // Monday..Friday, 8 h
  cal.holidays = {Jan(1)};
  return cal;
}

class LoadLedgerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(alice_, ledger_.AddResource(NewYearCalendar()));
  }

  std::vector<OverAllocationChange> Upsert(const Allocation& a) {
    absl::StatusOr<std::vector<OverAllocationChange>> changes =
        ledger_.Upsert(alice_, a);
    EXPECT_OK(changes);
    return changes.ok() ? *changes : std::vector<OverAllocationChange>{};
  }

  LoadLedger ledger_{Jan(1), 31};  // January 2024
  int alice_ = -1;
};

// ERP 60% (0.6 x 8 = 4.8 h) Jan 2..12, then CRM 5 h/day:
//   CRM Jan 8..19:  Jan 8..12 load 4.8 + 5 = 9.8 > 8  -> become over
//                   Jan 15..19 load 5                  -> fine
//   CRM moved to Jan 11..24:
//                   Jan 8, 9, 10 back to 4.8           -> resolved
//                   Jan 11, 12 still 9.8               -> same, not reported
//                   Jan 22..24 load 5                  -> fine
//   ERP removed:    Jan 11, 12 down to 5               -> resolved
TEST_F(LoadLedgerTest, UpsertAndRemoveReportChangedDays) {
  EXPECT_THAT(Upsert({"AL-1", "ERP", Jan(2), Jan(12), kPercent, 60}),
              IsEmpty());
  EXPECT_THAT(Upsert({"AL-2", "CRM", Jan(8), Jan(19), kHours, 5}),
              ElementsAre(Became(Jan(8)), Became(Jan(9)), Became(Jan(10)),
                          Became(Jan(11)), Became(Jan(12))));
  EXPECT_DOUBLE_EQ(ledger_.Load(alice_, Jan(8)), 9.8);
  EXPECT_TRUE(ledger_.IsOverAllocated(alice_, Jan(8)));

  EXPECT_THAT(
      Upsert({"AL-2", "CRM", Jan(11), Jan(24), kHours, 5}),
      ElementsAre(Resolved(Jan(8)), Resolved(Jan(9)), Resolved(Jan(10))));
  EXPECT_THAT(ledger_.allocations(alice_), SizeIs(2));  // replaced, not added
  EXPECT_DOUBLE_EQ(ledger_.Load(alice_, Jan(10)), 4.8);
  EXPECT_DOUBLE_EQ(ledger_.Load(alice_, Jan(11)), 9.8);
  EXPECT_DOUBLE_EQ(ledger_.Load(alice_, Jan(13)), 0);  // Saturday
  EXPECT_DOUBLE_EQ(ledger_.Load(alice_, Jan(22)), 5);
  EXPECT_DOUBLE_EQ(ledger_.Load(alice_, Jan(25)), 0);  // after the period

  // Jan 11, 12: 9.8 - 8 = 1.8 h over, CRM 5 h and ERP 4.8 h.
  const std::vector<OverAllocatedDay> over =
      ledger_.OverAllocations(alice_, Jan(1), Jan(31));
  ASSERT_THAT(over, SizeIs(2));
  EXPECT_EQ(over[0].day, Jan(11));
  EXPECT_EQ(over[1].day, Jan(12));
  EXPECT_DOUBLE_EQ(over[0].capacity_hours, 8);
  EXPECT_DOUBLE_EQ(over[0].load_hours, 9.8);
  EXPECT_NEAR(over[0].excess_hours, 1.8, 1e-9);
  EXPECT_THAT(over[0].shares,
              ElementsAre(ProjectShare{"CRM", 5}, ProjectShare{"ERP", 4.8}));

  EXPECT_THAT(ledger_.Remove(alice_, "AL-1"),
              ElementsAre(Resolved(Jan(11)), Resolved(Jan(12))));
  EXPECT_THAT(ledger_.OverAllocations(alice_, Jan(1), Jan(31)), IsEmpty());
  // Removing again (a replayed event) changes nothing.
  EXPECT_THAT(ledger_.Remove(alice_, "AL-1"), IsEmpty());
  EXPECT_THAT(ledger_.allocations(alice_), SizeIs(1));
}

// BASE 20% (1.6 h) all month; MOVE 90% (7.2 h) on Jan 2..3 makes 8.8 > 8.
// Moving MOVE to Monday/Tuesday Jan 29..30 resolves Jan 2, 3 and makes
// Jan 29, 30 over, reported in day order.
TEST_F(LoadLedgerTest, MovingToADisjointPeriod) {
  EXPECT_THAT(Upsert({"BASE", "OPS", Jan(1), Jan(31), kPercent, 20}),
              IsEmpty());
  EXPECT_THAT(Upsert({"MOVE", "ERP", Jan(2), Jan(3), kPercent, 90}),
              ElementsAre(Became(Jan(2)), Became(Jan(3))));
  EXPECT_THAT(Upsert({"MOVE", "ERP", Jan(29), Jan(30), kPercent, 90}),
              ElementsAre(Resolved(Jan(2)), Resolved(Jan(3)), Became(Jan(29)),
                          Became(Jan(30))));
  // And back, overlapping the old period by one day (Jan 30 stays over).
  EXPECT_THAT(Upsert({"MOVE", "ERP", Jan(30), Jan(31), kPercent, 90}),
              ElementsAre(Resolved(Jan(29)), Became(Jan(31))));
}

// Changing only the amount: 40% + 50% = 7.2 h fits; 40% + 80% = 9.6 h does
// not, on every working day of Jan 8..9.
TEST_F(LoadLedgerTest, ChangingTheAmount) {
  EXPECT_THAT(Upsert({"AL-1", "ERP", Jan(8), Jan(9), kPercent, 40}), IsEmpty());
  EXPECT_THAT(Upsert({"AL-2", "CRM", Jan(8), Jan(9), kPercent, 50}), IsEmpty());
  EXPECT_THAT(Upsert({"AL-2", "CRM", Jan(8), Jan(9), kPercent, 80}),
              ElementsAre(Became(Jan(8)), Became(Jan(9))));
  EXPECT_DOUBLE_EQ(ledger_.Load(alice_, Jan(8)), 9.6);
  // The same allocation again: nothing changes.
  EXPECT_THAT(Upsert({"AL-2", "CRM", Jan(8), Jan(9), kPercent, 80}), IsEmpty());
}

// ERP 100% Jan 2..5. A day of leave on Thursday Jan 4 makes it over by 8 h;
// making Jan 4 a holiday instead of leave books nothing there: resolved.
TEST_F(LoadLedgerTest, CalendarChangesReportChangedDays) {
  EXPECT_THAT(Upsert({"AL-1", "ERP", Jan(2), Jan(5), kPercent, 100}),
              IsEmpty());
  WorkingCalendar cal = NewYearCalendar();
  cal.absences = {{Jan(4), Jan(4), 8.0}};
  EXPECT_THAT(ledger_.SetCalendar(alice_, cal),
              ::pmo::testing::IsOkAndHolds(ElementsAre(Became(Jan(4)))));
  EXPECT_EQ(ledger_.Capacity(alice_, Jan(4)), 0);
  EXPECT_EQ(ledger_.Load(alice_, Jan(4)), 8);

  cal.holidays.push_back(Jan(4));
  EXPECT_THAT(ledger_.SetCalendar(alice_, cal),
              ::pmo::testing::IsOkAndHolds(ElementsAre(Resolved(Jan(4)))));
  EXPECT_EQ(ledger_.Load(alice_, Jan(4)), 0);

  // Shorter days: 100% now books 6 h on a 6 h day; still fits.
  cal.hours_per_day = 6;
  EXPECT_THAT(ledger_.SetCalendar(alice_, cal),
              ::pmo::testing::IsOkAndHolds(IsEmpty()));
  EXPECT_EQ(ledger_.Load(alice_, Jan(5)), 6);
}

// Employed until Wednesday Jan 10 but allocated 50% until Friday Jan 12.
TEST_F(LoadLedgerTest, EmploymentEnd) {
  WorkingCalendar cal = NewYearCalendar();
  cal.employed_to = Jan(10);
  ASSERT_OK_AND_ASSIGN(int bob, ledger_.AddResource(cal));
  EXPECT_EQ(bob, 1);
  ASSERT_OK_AND_ASSIGN(
      std::vector<OverAllocationChange> changes,
      ledger_.Upsert(bob, {"AL-1", "ERP", Jan(8), Jan(12), kPercent, 50}));
  EXPECT_THAT(changes, ElementsAre(Became(Jan(11)), Became(Jan(12))));
  // Alice is untouched.
  EXPECT_EQ(ledger_.Load(alice_, Jan(11)), 0);
}

TEST_F(LoadLedgerTest, DaysOutsideTheHorizonAreIgnored) {
  // Dec 20..Jan 3 at 9 h: only Jan 2 and 3 are in the horizon (Jan 1 is a
  // holiday).
  EXPECT_THAT(
      Upsert({"AL-1", "ERP", absl::CivilDay(2023, 12, 20), Jan(3), kHours, 9}),
      ElementsAre(Became(Jan(2)), Became(Jan(3))));
  EXPECT_THAT(ledger_.OverAllocations(alice_, absl::CivilDay(2023, 12, 1),
                                      absl::CivilDay(2024, 3, 1)),
              ElementsAre(Field(&OverAllocatedDay::day, Jan(2)),
                          Field(&OverAllocatedDay::day, Jan(3))));
  // Entirely after the horizon: kept, books nothing here.
  EXPECT_THAT(Upsert({"AL-2", "ERP", absl::CivilDay(2024, 2, 1),
                      absl::CivilDay(2024, 2, 9), kHours, 9}),
              IsEmpty());
  EXPECT_THAT(ledger_.allocations(alice_), SizeIs(2));
  EXPECT_TRUE(ledger_.InHorizon(Jan(31)));
  EXPECT_FALSE(ledger_.InHorizon(absl::CivilDay(2024, 2, 1)));
}

TEST_F(LoadLedgerTest, InvalidInputLeavesTheLedgerUnchanged) {
  EXPECT_THAT(
      ledger_.Upsert(alice_, {"AL-1", "ERP", Jan(5), Jan(2), kHours, 4}),
      StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ledger_.allocations(alice_), IsEmpty());
  WorkingCalendar bad;
  bad.hours_per_day = 30;
  EXPECT_THAT(ledger_.AddResource(bad),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ledger_.SetCalendar(alice_, bad),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(ledger_.resource_count(), 1);
  EXPECT_EQ(ledger_.calendar(alice_).hours_per_day, 8);
}

TEST(LoadLedgerDeathTest, UnknownResourceOrDayIsABug) {
  LoadLedger ledger(Jan(1), 31);
  EXPECT_DEATH(ledger.Remove(0, "AL-1"), "unknown resource");
  ASSERT_OK_AND_ASSIGN(int r, ledger.AddResource(WorkingCalendar{}));
  EXPECT_DEATH(ledger.Load(r, absl::CivilDay(2024, 2, 1)), "horizon");
}

// Random upserts, moves and removals on three resources; after every step
// the ledger must agree with FindOverAllocations over the same calendars and
// allocations, and the reported changes must be exactly the days whose
// state flipped. RecomputeAll at the end must not change any answer.
TEST(LoadLedgerPropertyTest, AgreesWithFindOverAllocations) {
  const absl::CivilDay start = Jan(1);
  constexpr int kDays = 120;
  const absl::CivilDay last = start + (kDays - 1);
  std::mt19937_64 rng(2024);
  LoadLedger ledger(start, kDays);
  ledger.ReserveResources(3);
  for (int r = 0; r < 3; ++r) {
    WorkingCalendar cal;
    cal.hours_per_day = 6 + r;
    cal.holidays = {start + static_cast<int>(rng() % kDays)};
    cal.absences = {{start + 20, start + 30, 2.0 + r}};
    if (r == 2) cal.employed_to = start + 90;
    ASSERT_OK(ledger.AddResource(cal).status());
  }
  const double kPercents[] = {10, 25, 40, 50, 60, 100};
  const double kHoursValues[] = {1, 2.5, 3, 4, 7.5};

  auto over_days = [&](int r) {
    std::set<absl::CivilDay> days;
    for (const OverAllocatedDay& d : FindOverAllocations(
             ledger.calendar(r), ledger.allocations(r), start, last)) {
      days.insert(d.day);
    }
    return days;
  };

  size_t reported = 0;      // changes reported over all steps
  size_t over_checked = 0;  // over-allocated days compared over all steps
  for (int step = 0; step < 400; ++step) {
    const int r = static_cast<int>(rng() % 3);
    const std::set<absl::CivilDay> before = over_days(r);
    const std::string id = "AL-" + std::to_string(rng() % 15);
    std::vector<OverAllocationChange> changes;
    if (rng() % 4 == 0) {
      changes = ledger.Remove(r, id);
    } else {
      // Periods may start before and end after the horizon.
      const absl::CivilDay from = start - 10 + static_cast<int>(rng() % 130);
      const bool percent = rng() % 2;
      ASSERT_OK_AND_ASSIGN(
          changes, ledger.Upsert(r, {id, "P" + std::to_string(rng() % 4), from,
                                     from + static_cast<int>(rng() % 40),
                                     percent ? kPercent : kHours,
                                     percent ? kPercents[rng() % 6]
                                             : kHoursValues[rng() % 5]}));
    }
    const std::set<absl::CivilDay> after = over_days(r);
    std::vector<OverAllocationChange> expected;
    for (absl::CivilDay d = start; d <= last; ++d) {
      if (before.count(d) != after.count(d)) {
        expected.push_back({d, after.count(d) > 0});
      }
    }
    ASSERT_EQ(changes, expected) << "step " << step;
    reported += changes.size();

    const std::vector<OverAllocatedDay> want = FindOverAllocations(
        ledger.calendar(r), ledger.allocations(r), start, last);
    const std::vector<OverAllocatedDay> got =
        ledger.OverAllocations(r, start, last);
    ASSERT_EQ(got.size(), want.size()) << "step " << step;
    over_checked += got.size();
    for (size_t i = 0; i < got.size(); ++i) {
      EXPECT_EQ(got[i].day, want[i].day);
      EXPECT_NEAR(got[i].load_hours, want[i].load_hours, 1e-9);
      EXPECT_EQ(got[i].capacity_hours, want[i].capacity_hours);
      EXPECT_EQ(got[i].shares, want[i].shares);
    }
  }

  // The random input is not vacuous: states flip both ways many times.
  EXPECT_GT(reported, 1000u);
  EXPECT_GT(over_checked, 5000u);

  std::vector<double> loads;
  for (int r = 0; r < 3; ++r) {
    for (absl::CivilDay d = start; d <= last; ++d) {
      loads.push_back(ledger.Load(r, d));
    }
  }
  ledger.RecomputeAll();
  size_t k = 0;
  for (int r = 0; r < 3; ++r) {
    for (absl::CivilDay d = start; d <= last; ++d) {
      EXPECT_NEAR(ledger.Load(r, d), loads[k++], 1e-9);
      double load = 0;
      for (const Allocation& a : ledger.allocations(r)) {
        load += LoadHours(ledger.calendar(r), a, d);
      }
      EXPECT_EQ(ledger.Load(r, d), load);  // same order of summation
      EXPECT_EQ(ledger.Capacity(r, d), CapacityHours(ledger.calendar(r), d));
    }
  }
}

}  // namespace
}  // namespace pmo::capacity
