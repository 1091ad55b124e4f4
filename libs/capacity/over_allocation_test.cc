#include "libs/capacity/over_allocation.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <ostream>
#include <random>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/errors.h"
#include "libs/base/testing/status_matchers.h"
#include "libs/capacity/calendar.h"

namespace pmo::capacity {

void PrintTo(const ProjectShare& s, std::ostream* os) {
  *os << s.project_id << " " << s.hours << " h";
}

void PrintTo(const OverAllocatedDay& d, std::ostream* os) {
  *os << "{" << d.day << ": capacity " << d.capacity_hours << ", load "
      << d.load_hours << ", excess " << d.excess_hours << ", shares";
  for (const ProjectShare& s : d.shares) {
    *os << " " << s.project_id << "=" << s.hours;
  }
  *os << "}";
}

namespace {

using ::pmo::testing::StatusIs;
using ::testing::DoubleNear;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

constexpr AllocationUnit kHours = AllocationUnit::kHoursPerDay;
constexpr AllocationUnit kPercent = AllocationUnit::kPercent;

// January 2024 starts on a Monday:
//   Mo Tu We Th Fr Sa Su
//    1  2  3  4  5  6  7
//    8  9 10 11 12 13 14
absl::CivilDay Jan(int day) { return absl::CivilDay(2024, 1, day); }

::testing::Matcher<ProjectShare> Share(const std::string& project,
                                       double hours) {
  return AllOf(Field(&ProjectShare::project_id, project),
               Field(&ProjectShare::hours, DoubleNear(hours, 1e-9)));
}

// An over-allocated day with its numbers to within 1e-9 h.
template <typename... Shares>
::testing::Matcher<OverAllocatedDay> Over(absl::CivilDay day, double capacity,
                                          double load, double excess,
                                          Shares... shares) {
  return AllOf(
      Field(&OverAllocatedDay::day, day),
      Field(&OverAllocatedDay::capacity_hours, DoubleNear(capacity, 1e-9)),
      Field(&OverAllocatedDay::load_hours, DoubleNear(load, 1e-9)),
      Field(&OverAllocatedDay::excess_hours, DoubleNear(excess, 1e-9)),
      Field(&OverAllocatedDay::shares, ElementsAre(shares...)));
}

TEST(LoadHoursTest, HoursAndPercent) {
  WorkingCalendar cal;  // 8 h
  const Allocation half{"AL-1", "ERP", Jan(2), Jan(12), kPercent, 50};
  const Allocation three_hours{"AL-2", "CRM", Jan(2), Jan(12), kHours, 3};
  EXPECT_EQ(LoadHours(cal, half, Jan(2)), 4);         // 50% of 8 h
  EXPECT_EQ(LoadHours(cal, three_hours, Jan(2)), 3);  // 3 h
  EXPECT_EQ(
      LoadHours(cal, {"AL-3", "ERP", Jan(2), Jan(2), kPercent, 40}, Jan(2)),
      3.2);  // 40 x 8 / 100

  WorkingCalendar short_days;
  short_days.hours_per_day = 7.5;
  EXPECT_EQ(LoadHours(short_days, half, Jan(2)), 3.75);      // 50% of 7.5 h
  EXPECT_EQ(LoadHours(short_days, three_hours, Jan(2)), 3);  // not scaled
}

TEST(LoadHoursTest, NothingOutsideWorkingDaysOfThePeriod) {
  WorkingCalendar cal;
  cal.holidays = {Jan(1)};
  const Allocation a{"AL-1", "ERP", Jan(1), Jan(12), kHours, 6};
  EXPECT_EQ(LoadHours(cal, a, Jan(1)), 0);   // holiday
  EXPECT_EQ(LoadHours(cal, a, Jan(6)), 0);   // Saturday
  EXPECT_EQ(LoadHours(cal, a, Jan(13)), 0);  // after the period
  EXPECT_EQ(LoadHours(cal, a, absl::CivilDay(2023, 12, 29)), 0);  // before
  EXPECT_EQ(LoadHours(cal, a, Jan(12)), 6);  // last day, inclusive
}

TEST(LoadHoursTest, NotReducedByAbsenceOrEndOfEmployment) {
  WorkingCalendar cal;
  cal.absences = {{Jan(3), Jan(3), 8.0}};
  cal.employed_to = Jan(10);
  const Allocation a{"AL-1", "ERP", Jan(2), Jan(12), kPercent, 50};
  EXPECT_EQ(CapacityHours(cal, Jan(3)), 0);
  EXPECT_EQ(LoadHours(cal, a, Jan(3)), 4);  // on leave, still booked
  EXPECT_EQ(CapacityHours(cal, Jan(11)), 0);
  EXPECT_EQ(LoadHours(cal, a, Jan(11)), 4);  // gone, still booked
}

// Three projects on one resource (8 h, Monday..Friday, Jan 1 a holiday, 4 h
// of leave on Wednesday Jan 3):
//   ERP 50%      Jan 1..12  -> 0.5 x 8 = 4   h on working days
//   CRM 40%      Jan 1..12  -> 0.4 x 8 = 3.2 h
//   WEB 3 h/day  Jan 8..12  -> 3         h
// Jan 1 (holiday):      nothing booked
// Jan 2, 4, 5:          4 + 3.2 = 7.2 <= 8                  not over
// Jan 3 (4 h leave):    capacity 8 - 4 = 4; 7.2 - 4 = 3.2   over by 3.2
// Jan 6, 7 (weekend):   nothing booked
// Jan 8..12:            4 + 3.2 + 3 = 10.2; 10.2 - 8 = 2.2  over by 2.2
TEST(FindOverAllocationsTest, ThreeProjectsOnOneResource) {
  WorkingCalendar cal;
  cal.holidays = {Jan(1)};
  cal.absences = {{Jan(3), Jan(3), 4.0}};
  // Deliberately not in project order: shares come out sorted.
  const std::vector<Allocation> allocations = {
      {"AL-3", "WEB", Jan(8), Jan(12), kHours, 3},
      {"AL-1", "ERP", Jan(1), Jan(12), kPercent, 50},
      {"AL-2", "CRM", Jan(1), Jan(12), kPercent, 40},
  };
  EXPECT_THAT(
      FindOverAllocations(cal, allocations, Jan(1), Jan(14)),
      ElementsAre(Over(Jan(3), 4, 7.2, 3.2, Share("CRM", 3.2), Share("ERP", 4)),
                  Over(Jan(8), 8, 10.2, 2.2, Share("CRM", 3.2), Share("ERP", 4),
                       Share("WEB", 3)),
                  Over(Jan(9), 8, 10.2, 2.2, Share("CRM", 3.2), Share("ERP", 4),
                       Share("WEB", 3)),
                  Over(Jan(10), 8, 10.2, 2.2, Share("CRM", 3.2),
                       Share("ERP", 4), Share("WEB", 3)),
                  Over(Jan(11), 8, 10.2, 2.2, Share("CRM", 3.2),
                       Share("ERP", 4), Share("WEB", 3)),
                  Over(Jan(12), 8, 10.2, 2.2, Share("CRM", 3.2),
                       Share("ERP", 4), Share("WEB", 3))));
}

TEST(FindOverAllocationsTest, QueryRangeLimitsTheDays) {
  WorkingCalendar cal;
  const std::vector<Allocation> allocations = {
      {"AL-1", "ERP", Jan(1), Jan(31), kHours, 9}};  // 1 h over every day
  const std::vector<OverAllocatedDay> days =
      FindOverAllocations(cal, allocations, Jan(10), Jan(12));
  ASSERT_EQ(days.size(), 3u);  // Wednesday..Friday
  EXPECT_EQ(days.front().day, Jan(10));
  EXPECT_EQ(days.back().day, Jan(12));
  EXPECT_THAT(FindOverAllocations(cal, allocations, Jan(12), Jan(10)),
              IsEmpty());  // to < from
  EXPECT_THAT(FindOverAllocations(cal, allocations, Jan(13), Jan(14)),
              IsEmpty());  // weekend
  EXPECT_THAT(FindOverAllocations(cal, {}, Jan(1), Jan(31)), IsEmpty());
}

// 60% + 40% of 8 h = 4.8 + 3.2 = 8 h: full, not over.
// Adding 0.1 h/day: 8.1 - 8 = 0.1 h over.
TEST(FindOverAllocationsTest, ExactlyFullIsNotOver) {
  WorkingCalendar cal;
  std::vector<Allocation> allocations = {
      {"AL-1", "ERP", Jan(2), Jan(2), kPercent, 60},
      {"AL-2", "CRM", Jan(2), Jan(2), kPercent, 40}};
  EXPECT_THAT(FindOverAllocations(cal, allocations, Jan(1), Jan(31)),
              IsEmpty());
  allocations.push_back({"AL-3", "WEB", Jan(2), Jan(2), kHours, 0.1});
  EXPECT_THAT(FindOverAllocations(cal, allocations, Jan(1), Jan(31)),
              ElementsAre(Over(Jan(2), 8, 8.1, 0.1, Share("CRM", 3.2),
                               Share("ERP", 4.8), Share("WEB", 0.1))));
}

// One project with two allocations on a day: one share, 5 + 4 = 9 h.
TEST(FindOverAllocationsTest, OneSharePerProject) {
  WorkingCalendar cal;
  const std::vector<Allocation> allocations = {
      {"AL-1", "ERP", Jan(2), Jan(2), kHours, 5},
      {"AL-2", "CRM", Jan(2), Jan(2), kHours, 0.5},
      {"AL-3", "ERP", Jan(2), Jan(2), kPercent, 50}};
  EXPECT_THAT(FindOverAllocations(cal, allocations, Jan(2), Jan(2)),
              ElementsAre(Over(Jan(2), 8, 9.5, 1.5, Share("CRM", 0.5),
                               Share("ERP", 9))));
}

// Employed until Wednesday Jan 10, allocated 50% (4 h) until Friday Jan 12:
// Thursday and Friday have capacity 0 and load 4, over by 4.
TEST(FindOverAllocationsTest, AllocationBeyondEmploymentEnd) {
  WorkingCalendar cal;
  cal.employed_to = Jan(10);
  const std::vector<Allocation> allocations = {
      {"AL-1", "ERP", Jan(8), Jan(12), kPercent, 50}};
  EXPECT_THAT(FindOverAllocations(cal, allocations, Jan(1), Jan(31)),
              ElementsAre(Over(Jan(11), 0, 4, 4, Share("ERP", 4)),
                          Over(Jan(12), 0, 4, 4, Share("ERP", 4))));
}

// A percentage of a 0-hour day books nothing and is no share.
TEST(FindOverAllocationsTest, ZeroHourDays) {
  WorkingCalendar cal;
  cal.hours_per_day = 0;
  const std::vector<Allocation> allocations = {
      {"AL-1", "ERP", Jan(2), Jan(2), kPercent, 50},
      {"AL-2", "CRM", Jan(2), Jan(2), kHours, 1}};
  EXPECT_THAT(FindOverAllocations(cal, allocations, Jan(2), Jan(2)),
              ElementsAre(Over(Jan(2), 0, 1, 1, Share("CRM", 1))));
}

// The same answer as asking CapacityHours and LoadHours day by day, summing
// in input order and per project in project order (so equal to the bit).
TEST(FindOverAllocationsTest, AgreesWithDayByDayArithmetic) {
  std::mt19937_64 rng(11);
  const double kPercents[] = {10, 20, 25, 33.3, 40, 50, 75, 100};
  const double kHoursValues[] = {0.5, 1, 2, 2.5, 3, 4, 6, 7.5};
  for (int round = 0; round < 30; ++round) {
    WorkingCalendar cal;
    cal.hours_per_day = 6 + static_cast<double>(rng() % 5);
    cal.holidays = {Jan(1) + static_cast<int>(rng() % 60)};
    cal.absences = {{Jan(10), Jan(10) + static_cast<int>(rng() % 10),
                     static_cast<double>(1 + rng() % 8)}};
    if (rng() % 2) cal.employed_to = Jan(1) + static_cast<int>(rng() % 90);
    std::vector<Allocation> allocations;
    for (int i = 0; i < 12; ++i) {
      const absl::CivilDay from = Jan(1) + static_cast<int>(rng() % 60);
      const bool percent = rng() % 2;
      allocations.push_back(
          {"AL-" + std::to_string(i), "P" + std::to_string(rng() % 4), from,
           from + static_cast<int>(rng() % 30), percent ? kPercent : kHours,
           percent ? kPercents[rng() % 8] : kHoursValues[rng() % 8]});
      ASSERT_OK(ValidateAllocation(allocations.back()));
    }

    std::vector<OverAllocatedDay> expected;
    for (absl::CivilDay d = Jan(1); d <= Jan(1) + 100; ++d) {
      double load = 0;
      std::map<std::string, double> per_project;
      for (const Allocation& a : allocations) load += LoadHours(cal, a, d);
      const double capacity = CapacityHours(cal, d);
      if (!(load > capacity + 1e-9)) continue;
      std::vector<const Allocation*> by_project;
      by_project.reserve(allocations.size());
      for (const Allocation& a : allocations) by_project.push_back(&a);
      std::stable_sort(by_project.begin(), by_project.end(),
                       [](const Allocation* a, const Allocation* b) {
                         return a->project_id < b->project_id;
                       });
      for (const Allocation* a : by_project) {
        const double hours = LoadHours(cal, *a, d);
        if (hours > 0) per_project[a->project_id] += hours;
      }
      OverAllocatedDay day{d, capacity, load, load - capacity, {}};
      for (const auto& [project, hours] : per_project) {
        day.shares.push_back({project, hours});
      }
      expected.push_back(day);
    }
    EXPECT_EQ(FindOverAllocations(cal, allocations, Jan(1), Jan(1) + 100),
              expected)
        << "round " << round;
  }
}

TEST(ValidateAllocationTest, AcceptsTheLimits) {
  EXPECT_OK(ValidateAllocation({"AL-1", "ERP", Jan(2), Jan(2), kPercent, 100}));
  EXPECT_OK(ValidateAllocation({"AL-1", "ERP", Jan(2), Jan(3), kHours, 24}));
  EXPECT_OK(ValidateAllocation({"AL-1", "ERP", Jan(2), Jan(3), kPercent, 0.5}));
}

std::vector<std::string> BadFields(const Allocation& a) {
  std::vector<std::string> fields;
  for (const FieldViolation& v : FieldViolationsOf(ValidateAllocation(a))) {
    fields.push_back(v.field);
  }
  return fields;
}

TEST(ValidateAllocationTest, NamesTheBadField) {
  EXPECT_THAT(ValidateAllocation({"AL-1", "ERP", Jan(3), Jan(2), kHours, 4}),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(BadFields({"AL-1", "ERP", Jan(3), Jan(2), kHours, 4}),
              ElementsAre("to"));
  EXPECT_THAT(BadFields({"AL-1", "ERP", Jan(2), Jan(3), kPercent, 0}),
              ElementsAre("amount"));
  EXPECT_THAT(BadFields({"AL-1", "ERP", Jan(2), Jan(3), kPercent, 100.5}),
              ElementsAre("amount"));
  EXPECT_THAT(BadFields({"AL-1", "ERP", Jan(2), Jan(3), kHours, 24.5}),
              ElementsAre("amount"));
  EXPECT_THAT(BadFields({"AL-1", "ERP", Jan(2), Jan(3), kHours, -2}),
              ElementsAre("amount"));
  EXPECT_THAT(BadFields({"AL-1", "ERP", Jan(2), Jan(3), kHours, std::nan("")}),
              ElementsAre("amount"));
  EXPECT_THAT(BadFields({"AL-1", "ERP", Jan(2), Jan(3),
                         static_cast<AllocationUnit>(7), 4}),
              ElementsAre("unit"));
  // 50 is a fine percentage but too many hours: the unit decides.
  EXPECT_THAT(BadFields({"AL-1", "ERP", Jan(2), Jan(3), kHours, 50}),
              ElementsAre("amount"));
}

TEST(ValidateAllocationTest, NamesEveryBadField) {
  EXPECT_THAT(
      BadFields({"", "", Jan(3), Jan(2), kPercent, 0}),
      UnorderedElementsAre("allocation_id", "project_id", "to", "amount"));
}

}  // namespace
}  // namespace pmo::capacity
