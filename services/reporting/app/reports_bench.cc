// reporting_bench: the earned value report of a large portfolio built and
// rendered, beside a baseline measured in the same run:
//
//   BM_EarnedValueReport/F   BuildEarnedValue over kProjects projects and
//                            kPeriods S-curve snapshots, then the render in
//                            format F (0 JSON, 1 CSV, 2 HTML)
//   BM_OverviewBytesBaseline the same kPeriods overviews as the projection's
//                            wire messages, serialized and parsed: what
//                            fetching the data costs at least, before any
//                            report is made of it
//
// ./build/bin/reporting_bench   (times per report)

#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "libs/benchmarking/interleaved_main.h"
#include "pmo/projection/v1/portfolio_service.pb.h"
#include "services/reporting/adapters/projection_views.h"
#include "services/reporting/app/report_builders.h"
#include "services/reporting/app/report_renderers.h"

namespace pmo::reporting {
namespace {

constexpr int kProjects = 1'000;
constexpr int kPeriods = 12;

namespace jv1 = ::pmo::projection::v1;

jv1::GetPortfolioOverviewResponse Overview(int period) {
  jv1::GetPortfolioOverviewResponse r;
  for (int i = 0; i < kProjects; ++i) {
    jv1::ProjectOverview* p = r.add_projects();
    p->set_project_id(
        absl::StrCat("00000000-0000-4000-8000-", 100000000000 + i));
    p->set_code(absl::StrCat("P", i));
    p->set_name(absl::StrCat("Project <", i, "> & co"));
    p->set_manager("alice");
    p->set_programme_code(absl::StrCat("PRG", i % 20));
    p->set_portfolio_code("CORP");
    p->mutable_earned_value()->set_budget_at_completion_minor(1'000'000 + i);
    p->mutable_earned_value()->set_planned_value_minor(10'000 * period + i);
    p->mutable_earned_value()->set_earned_value_minor(9'000 * period + i);
    p->mutable_earned_value()->set_actual_cost_minor(9'500 * period + i);
    p->mutable_earned_value()->set_schedule_performance_index(0.9);
    p->mutable_earned_value()->set_cost_performance_index(0.95);
    p->set_health(pmo::projects::v1::HEALTH_AMBER);
    p->set_open_risks(i % 7);
  }
  return r;
}

PortfolioSnapshot Snapshot(const jv1::GetPortfolioOverviewResponse& r,
                           int period) {
  PortfolioSnapshot s;
  s.status_date = absl::CivilDay(2027, 1, 31) + int64_t{30} * period;
  for (const jv1::ProjectOverview& p : r.projects())
    s.projects.push_back(ProjectFiguresOf(p));
  return s;
}

void BM_EarnedValueReport(benchmark::State& state) {
  std::vector<PortfolioSnapshot> curve;
  curve.reserve(kPeriods);
  for (int i = 0; i < kPeriods; ++i) curve.push_back(Snapshot(Overview(i), i));
  size_t bytes = 0;
  for (auto _ : state) {
    ReportDocument d = BuildEarnedValue(curve.back(), curve, "Enterprise");
    std::string out = state.range(0) == 0   ? RenderJson(d)
                      : state.range(0) == 1 ? RenderCsv(d)
                                            : RenderHtml(d);
    bytes = out.size();
    benchmark::DoNotOptimize(out);
  }
  state.counters["report_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_EarnedValueReport)
    ->Arg(0)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond);

void BM_OverviewBytesBaseline(benchmark::State& state) {
  std::vector<jv1::GetPortfolioOverviewResponse> overviews;
  overviews.reserve(kPeriods);
  for (int i = 0; i < kPeriods; ++i) overviews.push_back(Overview(i));
  for (auto _ : state) {
    for (const auto& o : overviews) {
      std::string wire = o.SerializeAsString();
      jv1::GetPortfolioOverviewResponse parsed;
      parsed.ParseFromString(wire);
      benchmark::DoNotOptimize(parsed);
    }
  }
}
BENCHMARK(BM_OverviewBytesBaseline)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace pmo::reporting

int main(int argc, char** argv) {
  return pmo::benchmarking::RunInterleaved(
      argc, argv, {{"portfolio", "1000 projects, 12 S-curve periods"}});
}
