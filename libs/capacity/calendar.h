#pragma once

// A resource's working calendar and the hours it can work on a day.
//
//   WorkingCalendar cal;  // Monday..Friday, 8 h
//   cal.holidays = {absl::CivilDay(2024, 12, 25)};
//   cal.absences = {{absl::CivilDay(2024, 12, 23),
//                    absl::CivilDay(2024, 12, 24), 4.0}};  // half days off
//   RETURN_IF_ERROR(ValidateCalendar(cal));
//   CapacityHours(cal, absl::CivilDay(2024, 12, 23));  // 8 - 4 = 4
//   CapacityHours(cal, absl::CivilDay(2024, 12, 25));  // holiday: 0
//
// Two notions of a day, kept apart on purpose:
//   working day  = a working weekday that is no public holiday. Allocations
//                  book hours on working days only (see over_allocation.h).
//   capacity     = on a working day inside the employment period,
//                  hours_per_day minus the hours of every absence covering the
//                  day (absences add up), never below 0; otherwise 0.
// Absences and the employment period reduce capacity but do not make a day
// non-working, so leave or a leaving date that collides with an allocation
// shows up as over-allocation.
//
// Every function here expects a calendar ValidateCalendar accepts; for any
// other the numbers are unspecified (but nothing is read out of bounds).

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"

namespace pmo::capacity {

// Leave, training, part-time days off...: `hours_per_day` hours off on every
// working day from `from` to `to` (both inclusive). Hours at or above the
// day's hours take the whole day.
struct Absence {
  absl::CivilDay from;
  absl::CivilDay to;
  double hours_per_day = 0;  // in (0, 24]
};

struct WorkingCalendar {
  // Monday..Sunday (index 0 is Monday, as absl::Weekday counts).
  std::array<bool, 7> working_weekdays = {true, true,  true, true,
                                          true, false, false};
  double hours_per_day = 8.0;            // hours on a working day, in [0, 24]
  std::vector<absl::CivilDay> holidays;  // public holidays: no work, no booking
  std::vector<Absence> absences;         // may overlap; their hours add up
  // Inclusive; unset means unbounded. Outside: capacity 0.
  std::optional<absl::CivilDay> employed_from;
  std::optional<absl::CivilDay> employed_to;
};

// OK, or INVALID_ARGUMENT with a pmo::FieldViolations entry per bad field:
//   "hours_per_day"               not in [0, 24] (or NaN)
//   "absences[i].to"              before absences[i].from
//   "absences[i].hours_per_day"   not in (0, 24] (or NaN)
//   "employed_to"                 before employed_from
// Holidays outside working days, duplicate holidays and overlapping absences
// are allowed.
absl::Status ValidateCalendar(const WorkingCalendar& calendar);

// Whether `day` is a working weekday that is no holiday: the days allocations
// book hours on. Employment and absences do not matter here.
bool IsWorkingDay(const WorkingCalendar& calendar, absl::CivilDay day);

// The hours the resource can work on `day`: 0 on non-working days, holidays
// and outside employment; else hours_per_day minus the absences' hours
// covering the day, not below 0. O(holidays + absences).
double CapacityHours(const WorkingCalendar& calendar, absl::CivilDay day);

// The same two answers for each day of a range at once, in
// O(days + holidays + absences): out[i] answers the day `start + i`.
// LoadLedger and FindOverAllocations are built on these.
void FillWorkingDays(const WorkingCalendar& calendar, absl::CivilDay start,
                     std::span<uint8_t> out);  // 1 = working day
void FillCapacityHours(const WorkingCalendar& calendar, absl::CivilDay start,
                       std::span<double> out);

}  // namespace pmo::capacity
