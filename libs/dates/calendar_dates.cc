#include "libs/dates/calendar_dates.h"

namespace pmo::dates {

bool IsSet(const google::type::Date& d) {
  return d.year() != 0 || d.month() != 0 || d.day() != 0;
}

std::optional<absl::CivilDay> ToCivilDay(const google::type::Date& d) {
  if (d.year() < 1 || d.year() > 9999 || d.month() < 1 || d.month() > 12 ||
      d.day() < 1) {
    return std::nullopt;
  }
  const absl::CivilDay day(d.year(), d.month(), d.day());
  // CivilDay normalises 31 April to 1 May: a changed day means not real.
  if (day.month() != d.month() || day.day() != d.day()) return std::nullopt;
  return day;
}

absl::CivilDay Day(const google::type::Date& d) {
  return absl::CivilDay(d.year(), d.month(), d.day());
}

google::type::Date ToDate(absl::CivilDay day) {
  google::type::Date d;
  d.set_year(static_cast<int>(day.year()));
  d.set_month(day.month());
  d.set_day(day.day());
  return d;
}

}  // namespace pmo::dates
