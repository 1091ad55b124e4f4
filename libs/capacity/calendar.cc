#include "libs/capacity/calendar.h"

#include <algorithm>
#include <cstdint>
#include <span>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "libs/base/errors.h"
#include "libs/capacity/internal.h"

namespace pmo::capacity {
namespace {

// Written so that NaN fails both.
bool InClosedRange(double value, double low, double high) {
  return value >= low && value <= high;
}

int WeekdayIndex(absl::CivilDay day) {
  return static_cast<int>(absl::GetWeekday(day));  // Monday is 0
}

// out[i] = on if start + i is a working day, else off.
template <typename T>
void FillByWorkingDay(const WorkingCalendar& calendar, absl::CivilDay start,
                      std::span<T> out, T on, T off) {
  const int64_t size = static_cast<int64_t>(out.size());
  int weekday = WeekdayIndex(start);
  for (int64_t i = 0; i < std::min<int64_t>(size, 7); ++i) {
    out[i] = calendar.working_weekdays[weekday] ? on : off;
    weekday = weekday == 6 ? 0 : weekday + 1;
  }
  for (int64_t i = 7; i < size; ++i) out[i] = out[i - 7];  // weekly pattern
  for (absl::CivilDay holiday : calendar.holidays) {
    const int64_t i = holiday - start;
    if (i >= 0 && i < size) out[i] = off;
  }
}

}  // namespace

absl::Status ValidateCalendar(const WorkingCalendar& calendar) {
  FieldViolations violations;
  if (!InClosedRange(calendar.hours_per_day, 0, 24)) {
    violations.Add("hours_per_day", "must be between 0 and 24");
  }
  for (size_t i = 0; i < calendar.absences.size(); ++i) {
    const Absence& absence = calendar.absences[i];
    if (absence.to < absence.from) {
      violations.Add(absl::StrCat("absences[", i, "].to"),
                     "must not be before from");
    }
    if (!InClosedRange(absence.hours_per_day, 0, 24) ||
        absence.hours_per_day == 0) {
      violations.Add(absl::StrCat("absences[", i, "].hours_per_day"),
                     "must be more than 0 and at most 24");
    }
  }
  if (calendar.employed_from && calendar.employed_to &&
      *calendar.employed_to < *calendar.employed_from) {
    violations.Add("employed_to", "must not be before employed_from");
  }
  return violations.ToStatus();
}

bool IsWorkingDay(const WorkingCalendar& calendar, absl::CivilDay day) {
  uint8_t working = 0;
  FillWorkingDays(calendar, day, std::span<uint8_t>(&working, 1));
  return working != 0;
}

double CapacityHours(const WorkingCalendar& calendar, absl::CivilDay day) {
  double hours = 0;
  FillCapacityHours(calendar, day, std::span<double>(&hours, 1));
  return hours;
}

void FillWorkingDays(const WorkingCalendar& calendar, absl::CivilDay start,
                     std::span<uint8_t> out) {
  FillByWorkingDay<uint8_t>(calendar, start, out, 1, 0);
}

void FillCapacityHours(const WorkingCalendar& calendar, absl::CivilDay start,
                       std::span<double> out) {
  FillByWorkingDay<double>(calendar, start, out, calendar.hours_per_day, 0.0);
  internal::ApplyEmploymentAndAbsences(calendar, start, out);
}

namespace internal {

void ApplyEmploymentAndAbsences(const WorkingCalendar& calendar,
                                absl::CivilDay start,
                                std::span<double> capacity) {
  const int64_t size = static_cast<int64_t>(capacity.size());
  if (size == 0) return;
  if (calendar.employed_from) {
    const int64_t end =
        std::clamp<int64_t>(*calendar.employed_from - start, 0, size);
    std::fill(capacity.begin(), capacity.begin() + end, 0.0);
  }
  if (calendar.employed_to) {
    const int64_t begin =
        std::clamp<int64_t>(*calendar.employed_to - start + 1, 0, size);
    std::fill(capacity.begin() + begin, capacity.end(), 0.0);
  }
  // Subtracting absences one after another, clamping at 0 each time, equals
  // clamping their sum once, because every absence's hours are positive.
  for (const Absence& absence : calendar.absences) {
    const IndexRange r = Overlap(start, size, absence.from, absence.to);
    for (int64_t i = r.begin; i < r.end; ++i) {
      capacity[i] = std::max(0.0, capacity[i] - absence.hours_per_day);
    }
  }
}

}  // namespace internal
}  // namespace pmo::capacity
