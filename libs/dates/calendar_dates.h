#pragma once

// google.type.Date (the contracts' calendar date) <-> absl::CivilDay, with
// one rule for what a real date is, shared by every service.

#include <optional>

#include "absl/time/civil_time.h"
#include "google/type/date.pb.h"

namespace pmo::dates {

// An unset google.type.Date is all zero.
bool IsSet(const google::type::Date& date);
// The day, when `date` is a real calendar day of years 1-9999 (not
// 31 April, not 29 February 2027); else nullopt.
std::optional<absl::CivilDay> ToCivilDay(const google::type::Date& date);
inline bool IsRealDate(const google::type::Date& date) {
  return ToCivilDay(date).has_value();
}
// For dates already checked: no validation.
absl::CivilDay Day(const google::type::Date& date);
google::type::Date ToDate(absl::CivilDay day);

}  // namespace pmo::dates
