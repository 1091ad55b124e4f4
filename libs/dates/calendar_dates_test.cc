// google.type.Date <-> absl::CivilDay: what counts as a real calendar day
// (month ends, leap years, the 1-9999 range) and the round trip.

#include "libs/dates/calendar_dates.h"

#include <gtest/gtest.h>

namespace pmo::dates {
namespace {

google::type::Date D(int year, int month, int day) {
  google::type::Date d;
  d.set_year(year);
  d.set_month(month);
  d.set_day(day);
  return d;
}

TEST(CalendarDatesTest, IsSetIsFalseOnlyForTheAllZeroDate) {
  EXPECT_FALSE(IsSet(google::type::Date()));
  EXPECT_FALSE(IsSet(D(0, 0, 0)));
  EXPECT_TRUE(IsSet(D(2026, 1, 5)));
  // Partly set dates are set (and not real): the caller sent something.
  EXPECT_TRUE(IsSet(D(2026, 0, 0)));
  EXPECT_TRUE(IsSet(D(0, 3, 0)));
  EXPECT_TRUE(IsSet(D(0, 0, 14)));
}

TEST(CalendarDatesTest, AnOrdinaryDayConverts) {
  std::optional<absl::CivilDay> day = ToCivilDay(D(2026, 3, 14));
  ASSERT_TRUE(day.has_value());
  EXPECT_EQ(*day, absl::CivilDay(2026, 3, 14));
  EXPECT_TRUE(IsRealDate(D(2026, 3, 14)));
}

TEST(CalendarDatesTest, MonthEnds) {
  const int last_day[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  for (int month = 1; month <= 12; ++month) {
    const int last = last_day[month - 1];
    EXPECT_TRUE(IsRealDate(D(2027, month, last)))
        << "2027-" << month << "-" << last;
    EXPECT_FALSE(IsRealDate(D(2027, month, last + 1)))
        << "2027-" << month << "-" << last + 1;
  }
  EXPECT_FALSE(IsRealDate(D(2026, 4, 31)));
  EXPECT_FALSE(IsRealDate(D(2026, 1, 32)));
}

TEST(CalendarDatesTest, LeapYears) {
  EXPECT_TRUE(IsRealDate(D(2024, 2, 29)));   // divisible by 4
  EXPECT_FALSE(IsRealDate(D(2027, 2, 29)));  // not
  EXPECT_FALSE(IsRealDate(D(1900, 2, 29)));  // century, not by 400
  EXPECT_TRUE(IsRealDate(D(2000, 2, 29)));   // by 400
  EXPECT_FALSE(IsRealDate(D(2024, 2, 30)));
}

TEST(CalendarDatesTest, OutOfRangeFieldsAreNotReal) {
  EXPECT_FALSE(IsRealDate(google::type::Date()));  // unset
  EXPECT_FALSE(IsRealDate(D(2026, 0, 10)));
  EXPECT_FALSE(IsRealDate(D(2026, 13, 10)));
  EXPECT_FALSE(IsRealDate(D(2026, 1, 0)));
  EXPECT_FALSE(IsRealDate(D(2026, -1, 10)));
  EXPECT_FALSE(IsRealDate(D(2026, 1, -1)));
  // google.type.Date allows a year-less or day-less date; a plan date
  // needs all three.
  EXPECT_FALSE(IsRealDate(D(0, 12, 25)));
  EXPECT_FALSE(IsRealDate(D(2026, 12, 0)));
  // A day far past any month end does not wrap into a later month.
  EXPECT_FALSE(IsRealDate(D(2026, 1, 2147483647)));
}

TEST(CalendarDatesTest, YearsOneToNineThousandNineHundredNinetyNine) {
  EXPECT_TRUE(IsRealDate(D(1, 1, 1)));
  EXPECT_TRUE(IsRealDate(D(9999, 12, 31)));
  EXPECT_FALSE(IsRealDate(D(0, 1, 1)));
  EXPECT_FALSE(IsRealDate(D(10000, 1, 1)));
  EXPECT_FALSE(IsRealDate(D(-44, 3, 15)));
}

TEST(CalendarDatesTest, DayDoesNoValidation) {
  EXPECT_EQ(Day(D(2026, 3, 14)), absl::CivilDay(2026, 3, 14));
  // For checked dates only: an unchecked 31 April normalises to 1 May.
  EXPECT_EQ(Day(D(2026, 4, 31)), absl::CivilDay(2026, 5, 1));
}

TEST(CalendarDatesTest, ToDateRoundTrips) {
  for (const absl::CivilDay day :
       {absl::CivilDay(2024, 2, 29), absl::CivilDay(2026, 12, 31),
        absl::CivilDay(1, 1, 1), absl::CivilDay(9999, 12, 31)}) {
    const google::type::Date date = ToDate(day);
    EXPECT_EQ(ToCivilDay(date), day) << day;
    EXPECT_EQ(Day(date), day) << day;
  }
  const google::type::Date date = ToDate(absl::CivilDay(2026, 1, 5));
  EXPECT_EQ(date.year(), 2026);
  EXPECT_EQ(date.month(), 1);
  EXPECT_EQ(date.day(), 5);
}

TEST(CalendarDatesTest,
     CivilDayArithmeticOverConvertedDatesCrossesMonthAndYearEnds) {
  // What callers do with the converted day: spans and offsets in days.
  EXPECT_EQ(ToDate(Day(D(2024, 2, 28)) + 1).day(), 29);
  EXPECT_EQ(ToDate(Day(D(2027, 2, 28)) + 1).month(), 3);
  const google::type::Date new_year = ToDate(Day(D(2026, 12, 31)) + 1);
  EXPECT_EQ(new_year.year(), 2027);
  EXPECT_EQ(new_year.month(), 1);
  EXPECT_EQ(new_year.day(), 1);
  EXPECT_EQ(Day(D(2025, 1, 1)) - Day(D(2024, 1, 1)), 366);  // a leap year long
}

}  // namespace
}  // namespace pmo::dates
