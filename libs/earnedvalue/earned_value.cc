#include "libs/earnedvalue/earned_value.h"

#include <cmath>
#include <cstddef>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "libs/base/check.h"
#include "libs/base/errors.h"
#include "libs/base/status_macros.h"

namespace pmo::earnedvalue {
namespace {

// Portfolio sums stay below this, so AC + (BAC - EV) and the like cannot
// overflow int64 either.
constexpr int64_t kMaxPortfolioTotal = int64_t{1} << 60;

std::optional<double> Ratio(int64_t numerator, int64_t denominator) {
  if (denominator == 0) return std::nullopt;
  return static_cast<double>(numerator) / static_cast<double>(denominator);
}

// Half away from zero to a whole minor unit; nullopt above kMaxForecast (or
// for a non-finite value, which the callers' guards should already exclude).
std::optional<int64_t> RoundedForecast(double minor_units) {
  if (!(minor_units <= static_cast<double>(kMaxForecast))) return std::nullopt;
  return std::llround(minor_units);
}

Forecast ForecastFor(int64_t eac, int64_t bac, int64_t ev, int64_t ac) {
  Forecast forecast;
  forecast.eac = eac;
  forecast.etc = eac - ac;
  forecast.vac = bac - eac;
  forecast.tcpi = Ratio(bac - ev, forecast.etc);
  return forecast;
}

// Every measure from the four totals; shared by one project and a portfolio.
// Requires 0 <= each total <= kMaxPortfolioTotal.
EarnedValue FromTotals(int64_t bac, int64_t pv, int64_t ev, int64_t ac) {
  EarnedValue r;
  r.bac = bac;
  r.pv = pv;
  r.ev = ev;
  r.ac = ac;
  r.sv = ev - pv;
  r.cv = ev - ac;
  r.spi = Ratio(ev, pv);
  r.cpi = Ratio(ev, ac);
  r.tcpi_bac = Ratio(bac - ev, bac - ac);

  // BAC / CPI = BAC x AC / EV.
  if (ac > 0 && ev > 0) {
    std::optional<int64_t> eac =
        RoundedForecast(static_cast<double>(bac) * static_cast<double>(ac) /
                        static_cast<double>(ev));
    if (eac) r.forecast_cpi = ForecastFor(*eac, bac, ev, ac);
  }
  r.forecast_atypical = ForecastFor(ac + (bac - ev), bac, ev, ac);
  // AC + (BAC - EV) / (CPI x SPI) = AC + (BAC - EV) x AC x PV / EV^2. Only the
  // fraction is rounded; AC is added exactly.
  if (ac > 0 && pv > 0 && ev > 0) {
    const double dev = static_cast<double>(ev);
    std::optional<int64_t> rest = RoundedForecast(
        static_cast<double>(bac - ev) * static_cast<double>(ac) *
        static_cast<double>(pv) / (dev * dev));
    if (rest && *rest <= kMaxForecast - ac) {
      r.forecast_composite = ForecastFor(ac + *rest, bac, ev, ac);
    }
  }
  return r;
}

std::string Path(absl::string_view list, size_t index,
                 absl::string_view field) {
  return absl::StrCat(list, "[", index, "].", field);
}

// nullptr when `amount` is acceptable, else what is wrong with it.
const char* AmountProblem(int64_t amount) {
  if (amount < 0) return "must not be negative";
  if (amount > kMaxAmount) return "must be at most 2^53 minor units";
  return nullptr;
}

// Adds a valid amount to a running total without overflowing: once the total
// passes kMaxAmount it stops growing (each term is at most kMaxAmount).
void AddCapped(int64_t amount, int64_t& total) {
  if (AmountProblem(amount) == nullptr && total <= kMaxAmount) total += amount;
}

template <typename Record>
void CheckRecordedOn(const Record& record, absl::string_view list, size_t index,
                     FieldViolations& violations) {
  if (record.recorded_on && *record.recorded_on < record.date) {
    violations.Add(Path(list, index, "recorded_on"), "must not be before date");
  }
}

// Whether a cost or progress record was known by the end of `status_date`.
template <typename Record>
bool KnownAsOf(const Record& record, absl::CivilDay status_date) {
  return record.date <= status_date &&
         record.recorded_on.value_or(record.date) <= status_date;
}

// Whether `a` supersedes `b` as the latest progress report.
bool SameOrLater(const ProgressReport& a, const ProgressReport& b) {
  if (a.date != b.date) return a.date > b.date;
  return a.recorded_on.value_or(a.date) >= b.recorded_on.value_or(b.date);
}

}  // namespace

absl::Status ValidateProjectRecords(const ProjectRecords& project) {
  FieldViolations violations;
  const int64_t bac = project.budget_at_completion;
  if (const char* problem = AmountProblem(bac)) {
    violations.Add("budget_at_completion", problem);
  }

  int64_t planned_total = 0;
  for (size_t i = 0; i < project.planned_values.size(); ++i) {
    const int64_t amount = project.planned_values[i].amount;
    if (const char* problem = AmountProblem(amount)) {
      violations.Add(Path("planned_values", i, "amount"), problem);
    }
    AddCapped(amount, planned_total);
  }
  if (planned_total > kMaxAmount) {
    violations.Add("planned_values",
                   "amounts add up to more than 2^53 minor units");
  }

  int64_t cost_total = 0;
  for (size_t i = 0; i < project.actual_costs.size(); ++i) {
    const ActualCost& cost = project.actual_costs[i];
    if (const char* problem = AmountProblem(cost.amount)) {
      violations.Add(Path("actual_costs", i, "amount"), problem);
    }
    AddCapped(cost.amount, cost_total);
    CheckRecordedOn(cost, "actual_costs", i, violations);
  }
  if (cost_total > kMaxAmount) {
    violations.Add("actual_costs",
                   "amounts add up to more than 2^53 minor units");
  }

  for (size_t i = 0; i < project.progress.size(); ++i) {
    const ProgressReport& report = project.progress[i];
    if (report.percent_complete.has_value() ==
        report.earned_amount.has_value()) {
      violations.Add(
          absl::StrCat("progress[", i, "]"),
          "must set exactly one of percent_complete and earned_amount");
    }
    if (report.percent_complete) {
      const double percent = *report.percent_complete;
      if (!(percent >= 0.0 && percent <= 100.0)) {  // NaN fails too
        violations.Add(Path("progress", i, "percent_complete"),
                       "must be between 0 and 100");
      }
    }
    if (report.earned_amount) {
      const int64_t amount = *report.earned_amount;
      if (const char* problem = AmountProblem(amount)) {
        violations.Add(Path("progress", i, "earned_amount"), problem);
      } else if (AmountProblem(bac) == nullptr && amount > bac) {
        violations.Add(Path("progress", i, "earned_amount"),
                       "must not exceed budget_at_completion");
      }
    }
    CheckRecordedOn(report, "progress", i, violations);
  }
  return violations.ToStatus();
}

absl::StatusOr<EarnedValue> ComputeEarnedValue(const ProjectRecords& project,
                                               absl::CivilDay status_date) {
  RETURN_IF_ERROR(ValidateProjectRecords(project));
  const int64_t bac = project.budget_at_completion;

  int64_t pv = 0;
  for (const PlannedAmount& planned : project.planned_values) {
    if (planned.date <= status_date) pv += planned.amount;
  }
  int64_t ac = 0;
  for (const ActualCost& cost : project.actual_costs) {
    if (KnownAsOf(cost, status_date)) ac += cost.amount;
  }
  const ProgressReport* latest = nullptr;
  for (const ProgressReport& report : project.progress) {
    if (KnownAsOf(report, status_date) &&
        (latest == nullptr || SameOrLater(report, *latest))) {
      latest = &report;
    }
  }
  int64_t ev = 0;
  if (latest != nullptr && latest->earned_amount) {
    ev = *latest->earned_amount;
  } else if (latest != nullptr) {
    // percent <= 100, so the result is at most BAC.
    ev = std::llround(*latest->percent_complete * static_cast<double>(bac) /
                      100.0);
  }
  return FromTotals(bac, pv, ev, ac);
}

EarnedValue RollUpPortfolio(std::span<const EarnedValue> projects) {
  int64_t bac = 0, pv = 0, ev = 0, ac = 0;
  auto add = [](int64_t amount, int64_t& total) {
    PMO_CHECK(amount >= 0 && amount <= kMaxPortfolioTotal - total,
              "portfolio total outside 0..2^60 minor units");
    total += amount;
  };
  for (const EarnedValue& project : projects) {
    add(project.bac, bac);
    add(project.pv, pv);
    add(project.ev, ev);
    add(project.ac, ac);
  }
  return FromTotals(bac, pv, ev, ac);
}

}  // namespace pmo::earnedvalue
