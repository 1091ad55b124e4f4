#pragma once

// Earned value management (ANSI/EIA-748; formulas as in the PMBOK Guide,
// 6th ed., 7.4 Control Costs, Table 7-1) as plain functions over plain
// structs: no storage, no clock, no I/O.
//
//   ProjectRecords project{.budget_at_completion = 10'000'000,  // $100,000.00
//                          .planned_values = {...}, ...};
//   ASSIGN_OR_RETURN(EarnedValue ev,
//                    ComputeEarnedValue(project, absl::CivilDay(2025, 3, 31)));
//   if (ev.cpi && *ev.cpi < 0.9) ...
//   EarnedValue portfolio = RollUpPortfolio(per_project_results);
//
// Money is int64 minor units (cents for a 2-decimal currency); ratios are
// double. Rounding happens in exactly two places, each once, half away from
// zero to a whole minor unit:
//   - EV from a percent complete: round(percent / 100 x BAC);
//   - the ratio part of an EAC (BAC / CPI; (BAC - EV) / (CPI x SPI), to which
//     AC is then added exactly), computed in double from the integer BAC, PV,
//     EV and AC, never from an already rounded ratio.
// Everything else is exact integer arithmetic, so the identities
// ETC = EAC - AC, VAC = BAC - EAC, SV = EV - PV and CV = EV - AC hold
// exactly on the returned numbers.
//
// "As of" a status date: a result for status date D uses only what had
// happened and had been recorded by the end of D. A cost or progress record
// counts when its `date` <= D and its `recorded_on` <= D (an unset
// `recorded_on` means "recorded on `date`"), so re-running an old status date
// after late invoices or corrected progress arrive reproduces what was
// reported then. Planned values carry no `recorded_on`: the plan given is the
// baseline in force.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"

namespace pmo::earnedvalue {

// Every amount, and every project's total of planned and of actual amounts,
// must be at most this many minor units (2^53, about 90 trillion in a
// 2-decimal currency): sums then cannot overflow and each amount converts to
// double exactly.
inline constexpr int64_t kMaxAmount = int64_t{1} << 53;

// The largest EAC reported (2^62 minor units). A ratio-based EAC can be
// absurdly large when EV is tiny beside AC; above this it is left absent
// rather than overflowing int64 in ETC or VAC.
inline constexpr int64_t kMaxForecast = int64_t{1} << 62;

// One period of the time-phased plan (the performance measurement baseline):
// `amount` is the value of the work planned to be done in the period ending
// on `date`. PV at a status date is the sum of the amounts dated on or before
// it, a step function that rises at each period end (no interpolation within
// a period). The amounts normally add up to BAC; this is not enforced.
struct PlannedAmount {
  absl::CivilDay date;
  int64_t amount = 0;  // minor units, >= 0
};

// One actual cost booked against the project.
struct ActualCost {
  absl::CivilDay date;  // when the cost was incurred
  // When the cost became known (an invoice arriving late); unset means
  // `date`. Must not be before `date`.
  std::optional<absl::CivilDay> recorded_on;
  int64_t amount = 0;    // minor units, >= 0
  std::string category;  // e.g. "labour"; carried for breakdowns, not used here
};

// A measurement of the work done by `date`, given as exactly one of a percent
// complete (EV = percent / 100 x BAC) or an earned value amount.
struct ProgressReport {
  absl::CivilDay date;  // the day the work done was measured
  // When the measurement was entered; unset means `date`. A later-recorded
  // report with the same `date` corrects an earlier one. Must not be before
  // `date`.
  std::optional<absl::CivilDay> recorded_on;
  std::optional<double> percent_complete;  // 0..100
  std::optional<int64_t> earned_amount;    // minor units, 0..BAC
};

// Everything EVM needs about one project. Records need not be sorted.
struct ProjectRecords {
  int64_t budget_at_completion = 0;  // BAC, minor units, >= 0
  std::vector<PlannedAmount> planned_values;
  std::vector<ActualCost> actual_costs;
  std::vector<ProgressReport> progress;
};

// A forecast of the final cost under one EAC method, with what follows from
// it. ETC and VAC are exact differences of the rounded EAC.
struct Forecast {
  int64_t eac = 0;  // estimate at completion, minor units
  int64_t etc = 0;  // estimate to complete = EAC - AC
  int64_t vac = 0;  // variance at completion = BAC - EAC (negative: overrun)
  // To-complete performance index against this EAC: (BAC - EV) / (EAC - AC),
  // the CPI the remaining work needs for the project to finish at this EAC.
  // Absent when EAC = AC (nothing left to spend).
  std::optional<double> tcpi;

  friend bool operator==(const Forecast&, const Forecast&) = default;
};

// The earned value measures of a project (or a portfolio) at a status date.
// A ratio or forecast whose denominator is zero is absent (std::nullopt),
// never NaN or infinity; each field says when.
struct EarnedValue {
  int64_t bac = 0;  // budget at completion
  int64_t pv = 0;   // planned value
  int64_t ev = 0;   // earned value
  int64_t ac = 0;   // actual cost
  int64_t sv = 0;   // schedule variance = EV - PV
  int64_t cv = 0;   // cost variance = EV - AC

  std::optional<double> spi;  // EV / PV; absent when PV = 0
  std::optional<double> cpi;  // EV / AC; absent when AC = 0

  // TCPI to BAC: (BAC - EV) / (BAC - AC), the CPI the remaining work needs to
  // finish within BAC. Absent when AC = BAC. Negative when AC already exceeds
  // BAC (BAC can no longer be met; see the forecasts' `tcpi`).
  std::optional<double> tcpi_bac;

  // EAC = BAC / CPI: the cost efficiency so far continues. Absent when CPI is
  // absent or zero (AC = 0 or EV = 0), or when EAC would exceed kMaxForecast.
  std::optional<Forecast> forecast_cpi;
  // EAC = AC + (BAC - EV): the variance so far was atypical and the rest goes
  // to plan. Always present.
  Forecast forecast_atypical;
  // EAC = AC + (BAC - EV) / (CPI x SPI): both cost and schedule performance
  // weigh on the rest. Absent when CPI or SPI is absent or zero (AC = 0,
  // PV = 0 or EV = 0), or when EAC would exceed kMaxForecast.
  std::optional<Forecast> forecast_composite;

  friend bool operator==(const EarnedValue&, const EarnedValue&) = default;
};

// OK, or INVALID_ARGUMENT listing every bad field (pmo::FieldViolations) by
// path, e.g. "actual_costs[2].amount":
//   - budget_at_completion, any amount or earned_amount negative or above
//     kMaxAmount; earned_amount above BAC;
//   - percent_complete outside 0..100 (or NaN);
//   - a progress report with neither or both of percent_complete and
//     earned_amount;
//   - recorded_on before date;
//   - the planned or the actual amounts adding up to more than kMaxAmount.
absl::Status ValidateProjectRecords(const ProjectRecords& project);

// The measures of `project` as of the end of `status_date` (see the file
// comment for which records count):
//   PV = sum of planned amounts dated <= status_date;
//   AC = sum of actual costs counted as of status_date;
//   EV = the latest progress report counted as of status_date (latest by
//        date, then by recorded_on, then the later in `progress`); 0 if none.
// Validates the whole of `project` first, records after `status_date`
// included: errors as ValidateProjectRecords.
absl::StatusOr<EarnedValue> ComputeEarnedValue(const ProjectRecords& project,
                                               absl::CivilDay status_date);

// A portfolio's measures from its projects' results (normally all at the same
// status date): BAC, PV, EV and AC are summed and every other measure is
// derived from those sums exactly as for one project. SPI and CPI are thus
// ratios of sums, not means of ratios: SPI = sum EV / sum PV is the mean of
// the projects' SPIs weighted by PV (CPI: weighted by AC), so a small project
// far off plan moves them by its share of the money only, and the
// portfolio's SV and CV keep the same sign as SPI - 1 and CPI - 1. Forecasts
// use the portfolio's indices too, so forecast_cpi->eac is in general not the
// sum of the projects' forecast_cpi->eac (forecast_atypical.eac is). An empty
// portfolio gives all zeros and absent ratios. Crashes (a broken precondition)
// if a project's BAC, PV, EV or AC is negative or a sum exceeds 2^60 minor
// units (over 128 projects at kMaxAmount).
EarnedValue RollUpPortfolio(std::span<const EarnedValue> projects);

}  // namespace pmo::earnedvalue
