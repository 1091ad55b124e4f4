#include "libs/earnedvalue/earned_value.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/errors.h"
#include "libs/base/testing/status_matchers.h"
#include "libs/earnedvalue/health.h"

namespace pmo::earnedvalue {
namespace {

using ::pmo::testing::StatusIs;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

// Minor units of a whole-dollar amount, so the examples read in dollars.
constexpr int64_t Dollars(int64_t dollars) { return dollars * 100; }

ProgressReport Percent(absl::CivilDay date, double percent,
                       std::optional<absl::CivilDay> recorded_on = {}) {
  return {
      .date = date, .recorded_on = recorded_on, .percent_complete = percent};
}

ProgressReport Earned(absl::CivilDay date, int64_t amount) {
  return {.date = date, .earned_amount = amount};
}

// The worked example of most tests. Source: constructed for these tests (no
// published example is reproduced); every figure below is worked by hand from
// the formulas of the PMBOK Guide, 6th ed., 7.4 Control Costs, Table 7-1.
//
// A four-month project, BAC = $100,000, planned at $25,000 a month.
//
//   planned_values  Jan 31 25,000  Feb 28 25,000  Mar 31 25,000  Apr 30 25,000
//   actual_costs[0] Jan 31 20,000 labour
//   actual_costs[1] Feb 28 25,000 materials
//   actual_costs[2] Feb 28 10,000 subcontract, invoice recorded on Mar 5
//   actual_costs[3] Mar 20  7,000 labour
//   progress[0]     Jan 31 20 %
//   progress[1]     Feb 28 40 %
//   progress[2]     Feb 28 35 %, recorded on Mar 10 (a correction of [1])
//   progress[3]     Mar 31 65 %
//
// Status date Feb 28, as known then (the subcontract invoice and the
// correction are not yet recorded):
//   PV = 25,000 + 25,000 = 50,000
//   EV = 40 % x 100,000  = 40,000
//   AC = 20,000 + 25,000 = 45,000
//   SV = 40,000 - 50,000 = -10,000          CV = 40,000 - 45,000 = -5,000
//   SPI = 40,000 / 50,000 = 0.8             CPI = 40,000 / 45,000 = 8/9
//   TCPI(BAC) = (100,000 - 40,000) / (100,000 - 45,000) = 60/55 = 12/11
//   EAC(CPI)       = 100,000 / (8/9) = 112,500
//                    ETC = 112,500 - 45,000 = 67,500
//                    VAC = 100,000 - 112,500 = -12,500
//                    TCPI(EAC) = 60,000 / 67,500 = 8/9 (= CPI, as it must)
//   EAC(atypical)  = 45,000 + (100,000 - 40,000) = 105,000
//                    ETC = 60,000, VAC = -5,000, TCPI(EAC) = 60,000 / 60,000 =
//                    1
//   EAC(composite) = 45,000 + 60,000 / (8/9 x 0.8)
//                  = 45,000 + 60,000 x 45/32 = 45,000 + 84,375 = 129,375
//                    ETC = 84,375, VAC = -29,375,
//                    TCPI(EAC) = 60,000 / 84,375 = 32/45 (= CPI x SPI)
ProjectRecords WorkedExample() {
  ProjectRecords p;
  p.budget_at_completion = Dollars(100'000);
  p.planned_values = {{absl::CivilDay(2025, 1, 31), Dollars(25'000)},
                      {absl::CivilDay(2025, 2, 28), Dollars(25'000)},
                      {absl::CivilDay(2025, 3, 31), Dollars(25'000)},
                      {absl::CivilDay(2025, 4, 30), Dollars(25'000)}};
  p.actual_costs = {
      {absl::CivilDay(2025, 1, 31), {}, Dollars(20'000), "labour"},
      {absl::CivilDay(2025, 2, 28), {}, Dollars(25'000), "materials"},
      {absl::CivilDay(2025, 2, 28), absl::CivilDay(2025, 3, 5), Dollars(10'000),
       "subcontract"},
      {absl::CivilDay(2025, 3, 20), {}, Dollars(7'000), "labour"}};
  p.progress = {
      Percent(absl::CivilDay(2025, 1, 31), 20),
      Percent(absl::CivilDay(2025, 2, 28), 40),
      Percent(absl::CivilDay(2025, 2, 28), 35, absl::CivilDay(2025, 3, 10)),
      Percent(absl::CivilDay(2025, 3, 31), 65)};
  return p;
}

TEST(ComputeEarnedValue, WorkedExampleAllMeasures) {
  ASSERT_OK_AND_ASSIGN(
      EarnedValue ev,
      ComputeEarnedValue(WorkedExample(), absl::CivilDay(2025, 2, 28)));
  EXPECT_EQ(ev.bac, Dollars(100'000));
  EXPECT_EQ(ev.pv, Dollars(50'000));
  EXPECT_EQ(ev.ev, Dollars(40'000));
  EXPECT_EQ(ev.ac, Dollars(45'000));
  EXPECT_EQ(ev.sv, Dollars(-10'000));
  EXPECT_EQ(ev.cv, Dollars(-5'000));
  ASSERT_TRUE(ev.spi && ev.cpi && ev.tcpi_bac);
  EXPECT_DOUBLE_EQ(*ev.spi, 0.8);
  EXPECT_DOUBLE_EQ(*ev.cpi, 8.0 / 9.0);
  EXPECT_DOUBLE_EQ(*ev.tcpi_bac, 12.0 / 11.0);

  ASSERT_TRUE(ev.forecast_cpi.has_value());
  EXPECT_EQ(ev.forecast_cpi->eac, Dollars(112'500));
  EXPECT_EQ(ev.forecast_cpi->etc, Dollars(67'500));
  EXPECT_EQ(ev.forecast_cpi->vac, Dollars(-12'500));
  ASSERT_TRUE(ev.forecast_cpi->tcpi.has_value());
  EXPECT_DOUBLE_EQ(*ev.forecast_cpi->tcpi, 8.0 / 9.0);

  EXPECT_EQ(ev.forecast_atypical.eac, Dollars(105'000));
  EXPECT_EQ(ev.forecast_atypical.etc, Dollars(60'000));
  EXPECT_EQ(ev.forecast_atypical.vac, Dollars(-5'000));
  ASSERT_TRUE(ev.forecast_atypical.tcpi.has_value());
  EXPECT_DOUBLE_EQ(*ev.forecast_atypical.tcpi, 1.0);

  ASSERT_TRUE(ev.forecast_composite.has_value());
  EXPECT_EQ(ev.forecast_composite->eac, Dollars(129'375));
  EXPECT_EQ(ev.forecast_composite->etc, Dollars(84'375));
  EXPECT_EQ(ev.forecast_composite->vac, Dollars(-29'375));
  ASSERT_TRUE(ev.forecast_composite->tcpi.has_value());
  EXPECT_DOUBLE_EQ(*ev.forecast_composite->tcpi, 32.0 / 45.0);
}

// The same example a fortnight later. Source: constructed, by hand:
// status Mar 15: PV = 50,000 (the Mar 31 period has not ended);
//   AC = 45,000 + 10,000 (invoice recorded Mar 5) = 55,000, the Mar 20 cost
//   not yet incurred; EV = 35 % x 100,000 = 35,000 (the Mar 10 correction
//   supersedes the Feb 28 report with the same date).
//   CPI = 35/55 = 7/11, SPI = 35/50 = 0.7
//   EAC(CPI) = 100,000 x 55,000 / 35,000 = 157,142.857... -> 157,142.86
//   EAC(composite) = 55,000 + 65,000 x 55,000 x 50,000 / 35,000^2
//                  = 55,000 + 145,918.367... -> 200,918.37
TEST(ComputeEarnedValue, CountsOnlyRecordsKnownByTheStatusDate) {
  const ProjectRecords project = WorkedExample();

  ASSERT_OK_AND_ASSIGN(
      EarnedValue feb28,
      ComputeEarnedValue(project, absl::CivilDay(2025, 2, 28)));
  EXPECT_EQ(feb28.ac,
            Dollars(45'000));  // Feb 28 invoice recorded Mar 5: ignored
  EXPECT_EQ(feb28.ev, Dollars(40'000));  // correction recorded Mar 10: ignored

  ASSERT_OK_AND_ASSIGN(EarnedValue mar5,
                       ComputeEarnedValue(project, absl::CivilDay(2025, 3, 5)));
  EXPECT_EQ(mar5.ac, Dollars(55'000));
  EXPECT_EQ(mar5.ev, Dollars(40'000));

  ASSERT_OK_AND_ASSIGN(
      EarnedValue mar15,
      ComputeEarnedValue(project, absl::CivilDay(2025, 3, 15)));
  EXPECT_EQ(mar15.pv, Dollars(50'000));
  EXPECT_EQ(mar15.ac, Dollars(55'000));  // Mar 20 cost: after the status date
  EXPECT_EQ(mar15.ev, Dollars(35'000));
  EXPECT_DOUBLE_EQ(*mar15.cpi, 7.0 / 11.0);
  EXPECT_DOUBLE_EQ(*mar15.spi, 0.7);
  EXPECT_EQ(mar15.forecast_cpi->eac, 15'714'286);
  EXPECT_EQ(mar15.forecast_composite->eac, 20'091'837);

  ASSERT_OK_AND_ASSIGN(
      EarnedValue mar31,
      ComputeEarnedValue(project, absl::CivilDay(2025, 3, 31)));
  EXPECT_EQ(mar31.pv, Dollars(75'000));
  EXPECT_EQ(mar31.ac, Dollars(62'000));
  EXPECT_EQ(mar31.ev, Dollars(65'000));
}

TEST(ComputeEarnedValue, RecordOrderDoesNotMatter) {
  ProjectRecords reversed = WorkedExample();
  std::reverse(reversed.planned_values.begin(), reversed.planned_values.end());
  std::reverse(reversed.actual_costs.begin(), reversed.actual_costs.end());
  std::reverse(reversed.progress.begin(), reversed.progress.end());
  for (absl::CivilDay day :
       {absl::CivilDay(2025, 2, 28), absl::CivilDay(2025, 3, 15),
        absl::CivilDay(2025, 5, 1)}) {
    EXPECT_EQ(ComputeEarnedValue(reversed, day).value(),
              ComputeEarnedValue(WorkedExample(), day).value())
        << day;
  }
}

TEST(ComputeEarnedValue, EarnedAmountGivesEvDirectly) {
  ProjectRecords project = WorkedExample();
  project.progress = {Earned(absl::CivilDay(2025, 2, 28), Dollars(40'000))};
  ASSERT_OK_AND_ASSIGN(
      EarnedValue ev, ComputeEarnedValue(project, absl::CivilDay(2025, 2, 28)));
  EXPECT_EQ(ev.ev, Dollars(40'000));
  EXPECT_EQ(ev.forecast_cpi->eac, Dollars(112'500));
}

// Source: constructed. Rounding is half away from zero, once per figure:
//   EV  = 50 % x 3 cents = 1.5 -> 2;   EV = 12.5 % x 4 cents = 0.5 -> 1
//   EAC(CPI) = BAC x AC / EV = 3 x 1 / 2 = 1.5 -> 2, ETC = 2 - 1 = 1,
//   VAC = 3 - 2 = 1 (exact differences of the rounded EAC)
TEST(ComputeEarnedValue, RoundsHalfAwayFromZeroOnce) {
  const absl::CivilDay day(2025, 1, 31);
  ProjectRecords project;
  project.budget_at_completion = 3;
  project.progress = {Percent(day, 50)};
  project.actual_costs = {{day, {}, 1, "labour"}};
  ASSERT_OK_AND_ASSIGN(EarnedValue ev, ComputeEarnedValue(project, day));
  EXPECT_EQ(ev.ev, 2);
  EXPECT_EQ(ev.forecast_cpi->eac, 2);
  EXPECT_EQ(ev.forecast_cpi->etc, 1);
  EXPECT_EQ(ev.forecast_cpi->vac, 1);

  project.budget_at_completion = 4;
  project.progress = {Percent(day, 12.5)};
  ASSERT_OK_AND_ASSIGN(EarnedValue eighth, ComputeEarnedValue(project, day));
  EXPECT_EQ(eighth.ev, 1);
}

// Before anything is planned, spent or measured: PV = EV = AC = 0.
//   SPI = 0/0, CPI = 0/0: absent; EAC(CPI) and EAC(composite) need CPI (and
//   SPI): absent; EAC(atypical) = 0 + (BAC - 0) = BAC, ETC = BAC, VAC = 0,
//   its TCPI = BAC / BAC = 1; TCPI(BAC) = BAC / BAC = 1.
TEST(ComputeEarnedValue, NothingYetLeavesRatiosAbsent) {
  ASSERT_OK_AND_ASSIGN(
      EarnedValue ev,
      ComputeEarnedValue(WorkedExample(), absl::CivilDay(2024, 12, 31)));
  EXPECT_EQ(ev.pv, 0);
  EXPECT_EQ(ev.ev, 0);
  EXPECT_EQ(ev.ac, 0);
  EXPECT_FALSE(ev.spi.has_value());
  EXPECT_FALSE(ev.cpi.has_value());
  EXPECT_FALSE(ev.forecast_cpi.has_value());
  EXPECT_FALSE(ev.forecast_composite.has_value());
  EXPECT_EQ(ev.forecast_atypical, (Forecast{.eac = Dollars(100'000),
                                            .etc = Dollars(100'000),
                                            .vac = 0,
                                            .tcpi = 1.0}));
  EXPECT_EQ(ev.tcpi_bac, 1.0);
  EXPECT_EQ(AssessHealth(ev.spi, ev.cpi), Health::kGreen);
}

// Money spent and time passed but nothing earned: CPI = SPI = 0 (present),
// so BAC / CPI and (BAC - EV) / (CPI x SPI) divide by zero: absent.
TEST(ComputeEarnedValue, NothingEarnedLeavesRatioForecastsAbsent) {
  ProjectRecords project = WorkedExample();
  project.progress.clear();
  ASSERT_OK_AND_ASSIGN(
      EarnedValue ev, ComputeEarnedValue(project, absl::CivilDay(2025, 2, 28)));
  EXPECT_EQ(ev.cpi, 0.0);
  EXPECT_EQ(ev.spi, 0.0);
  EXPECT_FALSE(ev.forecast_cpi.has_value());
  EXPECT_FALSE(ev.forecast_composite.has_value());
  EXPECT_EQ(ev.forecast_atypical.eac, Dollars(145'000));  // 45,000 + 100,000
  EXPECT_EQ(AssessHealth(ev.spi, ev.cpi), Health::kRed);
}

// AC = BAC: TCPI(BAC) = (BAC - EV) / 0: absent. Work complete at EV = BAC:
// every EAC = AC, ETC = 0, so each TCPI(EAC) = 0 / 0: absent.
TEST(ComputeEarnedValue, SpentBudgetAndFinishedWorkLeaveTcpiAbsent) {
  const absl::CivilDay day(2025, 4, 30);
  ProjectRecords project;
  project.budget_at_completion = Dollars(1'000);
  project.planned_values = {{day, Dollars(1'000)}};
  project.actual_costs = {{day, {}, Dollars(1'000), "labour"}};
  project.progress = {Percent(day, 60)};
  ASSERT_OK_AND_ASSIGN(EarnedValue spent, ComputeEarnedValue(project, day));
  EXPECT_FALSE(spent.tcpi_bac.has_value());
  ASSERT_TRUE(spent.forecast_cpi.has_value());
  // EAC(CPI) = 1,000 x 1,000 / 600 = 1,666.666... -> 1,666.67
  EXPECT_EQ(spent.forecast_cpi->eac, 166'667);

  project.progress = {Percent(day, 100)};
  ASSERT_OK_AND_ASSIGN(EarnedValue done, ComputeEarnedValue(project, day));
  EXPECT_FALSE(done.tcpi_bac.has_value());
  for (const Forecast& f :
       {*done.forecast_cpi, done.forecast_atypical, *done.forecast_composite}) {
    EXPECT_EQ(f.eac, Dollars(1'000));
    EXPECT_EQ(f.etc, 0);
    EXPECT_FALSE(f.tcpi.has_value());
  }
}

// AC > BAC: TCPI(BAC) = (1,000 - 600) / (1,000 - 1,200) = -2 (BAC is gone).
TEST(ComputeEarnedValue, TcpiToBacIsNegativeOnceBacIsExceeded) {
  const absl::CivilDay day(2025, 4, 30);
  ProjectRecords project;
  project.budget_at_completion = Dollars(1'000);
  project.actual_costs = {{day, {}, Dollars(1'200), "labour"}};
  project.progress = {Percent(day, 60)};
  ASSERT_OK_AND_ASSIGN(EarnedValue ev, ComputeEarnedValue(project, day));
  EXPECT_DOUBLE_EQ(*ev.tcpi_bac, -2.0);
}

// EAC(CPI) = 2^53 x 2^53 / 1 = 2^106 minor units: past kMaxForecast, absent.
TEST(ComputeEarnedValue, AbsurdForecastIsAbsentNotOverflowed) {
  const absl::CivilDay day(2025, 4, 30);
  ProjectRecords project;
  project.budget_at_completion = kMaxAmount;
  project.planned_values = {{day, 1}};
  project.actual_costs = {{day, {}, kMaxAmount, "labour"}};
  project.progress = {Earned(day, 1)};
  ASSERT_OK_AND_ASSIGN(EarnedValue ev, ComputeEarnedValue(project, day));
  EXPECT_FALSE(ev.forecast_cpi.has_value());
  EXPECT_FALSE(ev.forecast_composite.has_value());
  EXPECT_EQ(ev.forecast_atypical.eac, 2 * kMaxAmount - 1);
}

std::vector<std::string> ViolatedFields(const absl::Status& status) {
  std::vector<std::string> fields;
  for (const FieldViolation& v : FieldViolationsOf(status))
    fields.push_back(v.field);
  return fields;
}

TEST(ValidateProjectRecords, NamesEveryBadField) {
  const absl::CivilDay day(2025, 1, 31);
  ProjectRecords project = WorkedExample();
  project.budget_at_completion = -1;
  project.planned_values[1].amount = -5;
  project.actual_costs[2].amount = -100;
  project.actual_costs[0].recorded_on = absl::CivilDay(2025, 1, 30);
  project.progress = {
      Percent(day, 101),
      Percent(day, -0.5),
      Percent(day, std::numeric_limits<double>::quiet_NaN()),
      ProgressReport{.date = day},
      ProgressReport{.date = day, .percent_complete = 10, .earned_amount = 10},
      Earned(day, -1)};
  absl::Status status = ValidateProjectRecords(project);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument,
                               HasSubstr("actual_costs[2].amount")));
  EXPECT_THAT(
      ViolatedFields(status),
      UnorderedElementsAre(
          "budget_at_completion", "planned_values[1].amount",
          "actual_costs[2].amount", "actual_costs[0].recorded_on",
          "progress[0].percent_complete", "progress[1].percent_complete",
          "progress[2].percent_complete", "progress[3]", "progress[4]",
          "progress[5].earned_amount"));
  EXPECT_THAT(ComputeEarnedValue(project, day),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(ValidateProjectRecords, RejectsEarnedAmountAboveBacAndHugeTotals) {
  const absl::CivilDay day(2025, 1, 31);
  ProjectRecords project;
  project.budget_at_completion = 100;
  project.progress = {Earned(day, 101)};
  project.planned_values = {{day, kMaxAmount}, {day, 1}};
  project.actual_costs = {{day, {}, kMaxAmount + 1, "labour"}};
  EXPECT_THAT(ViolatedFields(ValidateProjectRecords(project)),
              UnorderedElementsAre("progress[0].earned_amount",
                                   "planned_values", "actual_costs[0].amount"));
}

// A bad record dated after the status date still fails the computation: the
// input is wrong whatever date it is read at.
TEST(ComputeEarnedValue, ValidatesRecordsAfterTheStatusDate) {
  ProjectRecords project = WorkedExample();
  project.actual_costs[3].amount = -1;  // dated Mar 20
  EXPECT_THAT(ComputeEarnedValue(project, absl::CivilDay(2025, 1, 31)),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("actual_costs[3].amount")));
}

// Source: constructed, by hand.
//   A: BAC 1,000  PV 100  EV  50  AC 100  -> SPI 0.5, CPI 0.5
//   B: BAC 9,000  PV 900  EV 900  AC 900  -> SPI 1.0, CPI 1.0
//   Sums: BAC 10,000  PV 1,000  EV 950  AC 1,000
//   SPI = 950 / 1,000 = 0.95, CPI = 950 / 1,000 = 0.95 (GREEN), whereas the
//   mean of the ratios, 0.75, would call the portfolio RED because of its
//   smallest project.
//   EAC(atypical) = 1,000 + (10,000 - 950) = 10,050 = (100 + 950) + (900 +
//   8,100) EAC(CPI) = 10,000 x 1,000 / 950 = 10,526.32, not 2,000 + 9,000 =
//   11,000.
TEST(RollUpPortfolio, DerivesRatiosFromSums) {
  const absl::CivilDay day(2025, 6, 30);
  auto project = [&](int64_t bac, int64_t pv, int64_t ev, int64_t ac) {
    ProjectRecords p;
    p.budget_at_completion = Dollars(bac);
    p.planned_values = {{day, Dollars(pv)}};
    p.actual_costs = {{day, {}, Dollars(ac), "labour"}};
    p.progress = {Earned(day, Dollars(ev))};
    return ComputeEarnedValue(p, day).value();
  };
  const std::vector<EarnedValue> projects = {project(1'000, 100, 50, 100),
                                             project(9'000, 900, 900, 900)};
  const EarnedValue total = RollUpPortfolio(projects);
  EXPECT_EQ(total.bac, Dollars(10'000));
  EXPECT_EQ(total.pv, Dollars(1'000));
  EXPECT_EQ(total.ev, Dollars(950));
  EXPECT_EQ(total.ac, Dollars(1'000));
  EXPECT_EQ(total.sv, Dollars(-50));
  EXPECT_EQ(total.cv, Dollars(-50));
  EXPECT_DOUBLE_EQ(*total.spi, 0.95);
  EXPECT_DOUBLE_EQ(*total.cpi, 0.95);
  EXPECT_EQ(AssessHealth(total.spi, total.cpi), Health::kGreen);
  EXPECT_EQ(AssessHealth(0.75, 0.75), Health::kRed);
  EXPECT_EQ(total.forecast_atypical.eac, projects[0].forecast_atypical.eac +
                                             projects[1].forecast_atypical.eac);
  EXPECT_EQ(total.forecast_atypical.eac, Dollars(10'050));
  EXPECT_EQ(total.forecast_cpi->eac, 1'052'632);
}

TEST(RollUpPortfolio, EmptyPortfolioIsAllZeros) {
  const EarnedValue total = RollUpPortfolio({});
  EXPECT_EQ(total.bac, 0);
  EXPECT_EQ(total.pv, 0);
  EXPECT_FALSE(total.spi.has_value());
  EXPECT_FALSE(total.cpi.has_value());
  EXPECT_FALSE(total.tcpi_bac.has_value());
  EXPECT_FALSE(total.forecast_cpi.has_value());
  EXPECT_FALSE(total.forecast_atypical.tcpi.has_value());
}

// Published examples, answers known independently of this code.
// Source: "Project Control and Earned Value", CE Board Exam Generator,
// https://ceboardexamgenerator.com/subjects/mstc/construction/3project-control-and-earned-value
//   (1) BAC P5,000,000, EV P1,500,000, AC P1,800,000: EAC = BAC / CPI
//       = P6,000,000.
//   (2) EV P3M, AC P3.5M (CPI 0.857) and TCPI = (BAC - EV)/(BAC - AC)
//       given as 1.077, i.e. BAC P10M: 7 / 6.5 = 1.0769.
TEST(ComputeEarnedValue, PublishedExamples) {
  const absl::CivilDay day(2027, 3, 31);
  ProjectRecords first;
  first.budget_at_completion = 5'000'000;
  first.actual_costs.push_back(ActualCost{.date = day, .amount = 1'800'000});
  first.progress.push_back(
      ProgressReport{.date = day, .earned_amount = 1'500'000});
  ASSERT_OK_AND_ASSIGN(EarnedValue a, ComputeEarnedValue(first, day));
  ASSERT_TRUE(a.forecast_cpi.has_value());
  EXPECT_EQ(a.forecast_cpi->eac, 6'000'000);

  ProjectRecords second;
  second.budget_at_completion = 10'000'000;
  second.actual_costs.push_back(ActualCost{.date = day, .amount = 3'500'000});
  second.progress.push_back(
      ProgressReport{.date = day, .earned_amount = 3'000'000});
  ASSERT_OK_AND_ASSIGN(EarnedValue b, ComputeEarnedValue(second, day));
  EXPECT_NEAR(*b.cpi, 0.857, 0.0005);
  EXPECT_NEAR(*b.tcpi_bac, 1.077, 0.0005);
}

}  // namespace
}  // namespace pmo::earnedvalue
