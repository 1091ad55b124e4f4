#include "libs/capacity/calendar.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/errors.h"
#include "libs/base/testing/status_matchers.h"

namespace pmo::capacity {
namespace {

using ::pmo::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::UnorderedElementsAre;

// January 2024 starts on a Monday:
//   Mo Tu We Th Fr Sa Su
//    1  2  3  4  5  6  7
//    8  9 10 11 12 13 14
absl::CivilDay Jan(int day) { return absl::CivilDay(2024, 1, day); }

double SumCapacity(const WorkingCalendar& cal, absl::CivilDay from,
                   absl::CivilDay to) {
  double sum = 0;
  for (absl::CivilDay d = from; d <= to; ++d) sum += CapacityHours(cal, d);
  return sum;
}

TEST(CapacityHoursTest, WeekendsAndHolidaysHaveNoCapacity) {
  WorkingCalendar cal;                       // Monday..Friday, 8 h
  cal.holidays = {Jan(1)};                   // New Year's Day, a Monday
  EXPECT_EQ(CapacityHours(cal, Jan(1)), 0);  // holiday
  EXPECT_EQ(CapacityHours(cal, Jan(2)), 8);  // Tuesday
  EXPECT_EQ(CapacityHours(cal, Jan(5)), 8);  // Friday
  EXPECT_EQ(CapacityHours(cal, Jan(6)), 0);  // Saturday
  EXPECT_EQ(CapacityHours(cal, Jan(7)), 0);  // Sunday
  // Week of Jan 1: Tue..Fri = 4 days x 8 h = 32 h.
  EXPECT_EQ(SumCapacity(cal, Jan(1), Jan(7)), 32);
  EXPECT_FALSE(IsWorkingDay(cal, Jan(1)));
  EXPECT_TRUE(IsWorkingDay(cal, Jan(2)));
  EXPECT_FALSE(IsWorkingDay(cal, Jan(6)));
}

TEST(CapacityHoursTest, OtherWorkingWeekAndHours) {
  WorkingCalendar cal;
  // Monday..Thursday and Sunday, 7.5 h.
  cal.working_weekdays = {true, true, true, true, false, false, true};
  cal.hours_per_day = 7.5;
  EXPECT_EQ(CapacityHours(cal, Jan(4)), 7.5);  // Thursday
  EXPECT_EQ(CapacityHours(cal, Jan(5)), 0);    // Friday
  EXPECT_EQ(CapacityHours(cal, Jan(6)), 0);    // Saturday
  EXPECT_EQ(CapacityHours(cal, Jan(7)), 7.5);  // Sunday
  // Jan 1..7: five working days x 7.5 h = 37.5 h.
  EXPECT_EQ(SumCapacity(cal, Jan(1), Jan(7)), 37.5);
}

TEST(CapacityHoursTest, PartialAbsenceLeavesTheRestOfTheDay) {
  WorkingCalendar cal;
  cal.absences = {{Jan(3), Jan(4), 4.0}};  // Wednesday and Thursday afternoons
  EXPECT_EQ(CapacityHours(cal, Jan(2)), 8);
  EXPECT_EQ(CapacityHours(cal, Jan(3)), 4);  // 8 - 4
  EXPECT_EQ(CapacityHours(cal, Jan(4)), 4);  // 8 - 4
  EXPECT_EQ(CapacityHours(cal, Jan(5)), 8);
  // Week: 8 + 8 + 4 + 4 + 8 = 32 h.
  EXPECT_EQ(SumCapacity(cal, Jan(1), Jan(7)), 32);
  // An absence does not make a day non-working: allocations still book it.
  EXPECT_TRUE(IsWorkingDay(cal, Jan(3)));
}

TEST(CapacityHoursTest, AbsencesNeverTakeCapacityBelowZero) {
  WorkingCalendar cal;
  cal.absences = {{Jan(5), Jan(8), 10.0}};   // Friday..Monday, over a weekend
  EXPECT_EQ(CapacityHours(cal, Jan(5)), 0);  // max(0, 8 - 10)
  EXPECT_EQ(CapacityHours(cal, Jan(6)), 0);  // Saturday stays 0
  EXPECT_EQ(CapacityHours(cal, Jan(8)), 0);
  EXPECT_EQ(CapacityHours(cal, Jan(9)), 8);
}

TEST(CapacityHoursTest, OverlappingAbsencesAddUp) {
  WorkingCalendar cal;
  cal.absences = {{Jan(2), Jan(5), 3.0},     // 3 h off Tuesday..Friday
                  {Jan(4), Jan(4), 3.0},     // and 3 h more on Thursday
                  {Jan(5), Jan(5), 6.0}};    // and 6 h more on Friday
  EXPECT_EQ(CapacityHours(cal, Jan(2)), 5);  // 8 - 3
  EXPECT_EQ(CapacityHours(cal, Jan(4)), 2);  // 8 - 3 - 3
  EXPECT_EQ(CapacityHours(cal, Jan(5)), 0);  // max(0, 8 - 3 - 6)
}

TEST(CapacityHoursTest, NoCapacityOutsideEmployment) {
  WorkingCalendar cal;
  cal.employed_from = Jan(3);  // starts on a Wednesday
  cal.employed_to = Jan(10);   // leaves after Wednesday of the next week
  EXPECT_EQ(CapacityHours(cal, Jan(2)), 0);
  EXPECT_EQ(CapacityHours(cal, Jan(3)), 8);
  EXPECT_EQ(CapacityHours(cal, Jan(10)), 8);
  EXPECT_EQ(CapacityHours(cal, Jan(11)), 0);
  // Employed working days: Jan 3, 4, 5, 8, 9, 10 = 6 x 8 h = 48 h.
  EXPECT_EQ(SumCapacity(cal, Jan(1), Jan(31)), 48);
  // Still a working day: an allocation there is over-allocation.
  EXPECT_TRUE(IsWorkingDay(cal, Jan(11)));
}

TEST(CapacityHoursTest, OnlyAnEndOfEmployment) {
  WorkingCalendar cal;
  cal.employed_to = Jan(10);
  EXPECT_EQ(CapacityHours(cal, absl::CivilDay(2020, 1, 1)), 8);  // Wednesday
  EXPECT_EQ(CapacityHours(cal, Jan(11)), 0);
}

TEST(CapacityHoursTest, FillingARangeAgreesWithDayByDay) {
  std::mt19937_64 rng(7);
  for (int round = 0; round < 50; ++round) {
    WorkingCalendar cal;
    for (bool& w : cal.working_weekdays) w = rng() % 3 != 0;
    cal.hours_per_day = static_cast<double>(rng() % 20) / 2;  // 0..9.5
    const absl::CivilDay start = Jan(1) + static_cast<int>(rng() % 30);
    for (int i = 0; i < 5; ++i) {
      cal.holidays.push_back(start + static_cast<int>(rng() % 120) - 10);
    }
    for (int i = 0; i < 4; ++i) {
      const absl::CivilDay from = start + static_cast<int>(rng() % 120) - 10;
      cal.absences.push_back({from, from + static_cast<int>(rng() % 15),
                              1.0 + static_cast<double>(rng() % 8)});
    }
    if (rng() % 2) cal.employed_from = start + static_cast<int>(rng() % 40);
    if (rng() % 2) cal.employed_to = start + 50 + static_cast<int>(rng() % 60);
    ASSERT_OK(ValidateCalendar(cal));

    std::vector<double> capacity(100);
    std::vector<uint8_t> working(100);
    FillCapacityHours(cal, start, capacity);
    FillWorkingDays(cal, start, working);
    for (int i = 0; i < 100; ++i) {
      EXPECT_EQ(capacity[i], CapacityHours(cal, start + i));
      EXPECT_EQ(working[i] != 0, IsWorkingDay(cal, start + i));
    }
  }
}

TEST(ValidateCalendarTest, AcceptsTheDefaultAndEdgeHours) {
  EXPECT_OK(ValidateCalendar(WorkingCalendar{}));
  WorkingCalendar cal;
  cal.hours_per_day = 0;
  cal.absences = {{Jan(2), Jan(2), 24.0}};
  cal.employed_from = cal.employed_to = Jan(2);
  EXPECT_OK(ValidateCalendar(cal));
  cal.hours_per_day = 24;
  EXPECT_OK(ValidateCalendar(cal));
}

TEST(ValidateCalendarTest, NamesEveryBadField) {
  WorkingCalendar cal;
  cal.hours_per_day = 25;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  cal.absences = {{Jan(2), Jan(3), 4.0},   // fine
                  {Jan(5), Jan(4), 8.0},   // to before from
                  {Jan(8), Jan(8), 0.0},   // no hours
                  {Jan(9), Jan(9), nan}};  // not a number
  cal.employed_from = Jan(10);
  cal.employed_to = Jan(9);
  const absl::Status status = ValidateCalendar(cal);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(FieldViolationsOf(status),
              UnorderedElementsAre(
                  Field(&FieldViolation::field, "hours_per_day"),
                  Field(&FieldViolation::field, "absences[1].to"),
                  Field(&FieldViolation::field, "absences[2].hours_per_day"),
                  Field(&FieldViolation::field, "absences[3].hours_per_day"),
                  Field(&FieldViolation::field, "employed_to")));
}

TEST(ValidateCalendarTest, RejectsNegativeAndNanHours) {
  WorkingCalendar cal;
  cal.hours_per_day = -1;
  EXPECT_THAT(FieldViolationsOf(ValidateCalendar(cal)),
              ElementsAre(Field(&FieldViolation::field, "hours_per_day")));
  cal.hours_per_day = std::nan("");
  EXPECT_THAT(FieldViolationsOf(ValidateCalendar(cal)),
              ElementsAre(Field(&FieldViolation::field, "hours_per_day")));
  cal.hours_per_day = 8;
  cal.absences = {{Jan(2), Jan(2), 24.5}};
  EXPECT_THAT(
      FieldViolationsOf(ValidateCalendar(cal)),
      ElementsAre(Field(&FieldViolation::field, "absences[0].hours_per_day")));
}

}  // namespace
}  // namespace pmo::capacity
