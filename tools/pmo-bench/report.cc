#include "tools/pmo-bench/report.h"

#include <google/protobuf/util/json_util.h>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "libs/base/check.h"

namespace pmo::bench {
namespace {

v1::LatencySummary Summarise(const LatencyHistogram& h) {
  // Recorded in nanoseconds, reported in microseconds.
  auto us = [](int64_t ns) { return static_cast<double>(ns) / 1000.0; };
  v1::LatencySummary s;
  s.set_p50_us(us(h.ValueAtPercentile(50)));
  s.set_p90_us(us(h.ValueAtPercentile(90)));
  s.set_p99_us(us(h.ValueAtPercentile(99)));
  s.set_p999_us(us(h.ValueAtPercentile(99.9)));
  s.set_max_us(us(h.max()));
  s.set_mean_us(h.mean() / 1000.0);
  return s;
}

template <typename Map>
void CopyErrors(const OperationStats& stats, Map* out) {
  for (const auto& [code, count] : stats.errors) {
    (*out)[absl::StatusCodeToString(static_cast<absl::StatusCode>(code))] +=
        count;
  }
}

std::string Errors(const google::protobuf::Map<std::string, int64_t>& errors) {
  std::string text;
  for (const auto& [code, count] : errors) {
    absl::StrAppend(&text, text.empty() ? "" : ", ", code, " ", count);
  }
  return text.empty() ? "-" : text;
}

}  // namespace

v1::BenchReport MakeReport(const RunDescription& run,
                           const LoadResult& result) {
  const double seconds = absl::ToDoubleSeconds(result.elapsed);
  auto per_second = [seconds](int64_t n) {
    return seconds > 0 ? n / seconds : 0.0;
  };
  v1::BenchReport report;
  report.set_workload(run.workload);
  report.set_run_tag(run.run_tag);
  report.set_concurrency(run.concurrency);
  report.set_target_rate(run.target_rate);
  report.set_elapsed_seconds(seconds);
  report.set_requests(result.total.requests());
  report.set_successes(result.total.successes);
  report.set_missed(result.missed);
  report.set_throughput_per_second(per_second(result.total.successes));
  *report.mutable_latency() = Summarise(result.total.latency);
  CopyErrors(result.total, report.mutable_errors_by_code());
  for (const auto& [name, stats] : result.operations) {
    v1::OperationReport& op = *report.add_operations();
    op.set_name(name);
    op.set_requests(stats.requests());
    op.set_successes(stats.successes);
    op.set_throughput_per_second(per_second(stats.successes));
    *op.mutable_latency() = Summarise(stats.latency);
    CopyErrors(stats, op.mutable_errors_by_code());
  }
  return report;
}

std::string ReportJson(const v1::BenchReport& report) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  std::string json;
  const auto status =
      google::protobuf::util::MessageToJsonString(report, &json, options);
  PMO_CHECK(status.ok(), "a BenchReport always prints as JSON");
  return json;
}

std::string ReportTable(const v1::BenchReport& report) {
  std::string out = absl::StrFormat(
      "workload %s  concurrency %d  rate %s  elapsed %.2f s  run tag %s\n"
      "requests %d  successes %d  errors %d  missed %d  throughput %.1f /s\n\n",
      report.workload(), report.concurrency(),
      report.target_rate() > 0 ? absl::StrFormat("%.0f/s", report.target_rate())
                               : std::string("closed loop"),
      report.elapsed_seconds(), report.run_tag(), report.requests(),
      report.successes(), report.requests() - report.successes(),
      report.missed(), report.throughput_per_second());
  absl::StrAppendFormat(&out, "%-20s %9s %10s %10s %10s %10s %10s %10s  %s\n",
                        "operation", "requests", "per s", "p50 us", "p90 us",
                        "p99 us", "p99.9 us", "max us", "errors");
  auto row = [&out](const std::string& name, int64_t requests, double rate,
                    const v1::LatencySummary& l, const std::string& errors) {
    absl::StrAppendFormat(
        &out, "%-20s %9d %10.1f %10.0f %10.0f %10.0f %10.0f %10.0f  %s\n", name,
        requests, rate, l.p50_us(), l.p90_us(), l.p99_us(), l.p999_us(),
        l.max_us(), errors);
  };
  for (const v1::OperationReport& op : report.operations()) {
    row(op.name(), op.requests(), op.throughput_per_second(), op.latency(),
        Errors(op.errors_by_code()));
  }
  if (report.operations_size() > 1) {
    row("all", report.requests(), report.throughput_per_second(),
        report.latency(), Errors(report.errors_by_code()));
  }
  return out;
}

}  // namespace pmo::bench
