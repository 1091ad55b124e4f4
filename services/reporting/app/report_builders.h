#pragma once

// The report types as plain functions from the consolidated views (plain
// structs) to a ReportDocument: no I/O, no clock. Each is unit-tested
// against hand-worked figures (report_builders_test.cc).

#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "services/reporting/app/consolidated_views.h"
#include "services/reporting/app/report_document.h"

namespace pmo::reporting {

// "Enterprise", "Portfolio CORP", "Programme ERP-PRG", "Project ERP": the
// code taken from the snapshot when a project of the scope is in it, else
// the id.
std::string ScopeLabel(const ViewScope& scope,
                       const PortfolioSnapshot& snapshot);

// Every project's status, health, next milestone and open items; the
// programme and portfolio roll-ups; a bar of projects per health.
ReportDocument BuildPortfolioStatus(const PortfolioSnapshot& snapshot,
                                    const std::string& scope);

// Per project PV, EV, AC, SV, CV, SPI, CPI at the status date, the scope's
// total (ratios of sums), and the S-curve: the scope's PV, EV and AC at
// each period end of `curve` (snapshots ascending by status date; the last
// one is normally `at`).
ReportDocument BuildEarnedValue(const PortfolioSnapshot& at,
                                const std::vector<PortfolioSnapshot>& curve,
                                const std::string& scope);

// The month ends before `status_date` and the date itself, oldest first:
// `periods` points in all (the S-curve's x axis).
std::vector<absl::CivilDay> SCurvePeriodEnds(absl::CivilDay status_date,
                                             int periods);

// Open change requests per project, and the total.
ReportDocument BuildChangeControl(const PortfolioSnapshot& snapshot,
                                  const std::string& scope);

// Each project's compliance with the quality standards and open findings;
// projects per compliance status.
ReportDocument BuildCompliance(const PortfolioSnapshot& snapshot,
                               const std::string& scope);

// Utilisation (booked / capacity) per resource and week; over-allocated
// resource-weeks (booked above capacity) listed; average utilisation bars.
ReportDocument BuildResourceUtilisation(const ResourceLoad& load,
                                        const std::string& scope);

// The heat map (open threats counted by probability and impact), the top
// `top_n` exposures, and the exposure trend.
ReportDocument BuildRiskReport(const RiskRegister& risks,
                               const std::string& scope, int top_n = 10);

// Every inter-project dependency, those at risk first; per project, how
// many it depends on and how many depend on it.
ReportDocument BuildDependencies(const DependencyGraph& graph,
                                 const std::string& scope);

}  // namespace pmo::reporting
