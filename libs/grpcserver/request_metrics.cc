#include "libs/grpcserver/request_metrics.h"

#include "absl/strings/str_cat.h"

namespace pmo::grpcserver {

void RequestMetrics::Record(const std::string& method, const std::string& code,
                            absl::Duration latency) {
  const double seconds = absl::ToDoubleSeconds(latency);
  std::lock_guard lock(mu_);
  ++handled_[{method, code}];
  Latency& l = latency_[{method, code}];
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++l.buckets[i];
  }
  ++l.count;
  l.sum_seconds += seconds;
}

int64_t RequestMetrics::Count(const std::string& method,
                              const std::string& code) const {
  std::lock_guard lock(mu_);
  auto it = handled_.find({method, code});
  return it == handled_.end() ? 0 : it->second;
}

std::string RequestMetrics::RenderPrometheus() const {
  std::lock_guard lock(mu_);
  std::string out =
      "# HELP pmo_grpc_server_handled_total RPCs completed, by method and "
      "code.\n"
      "# TYPE pmo_grpc_server_handled_total counter\n";
  for (const auto& [key, n] : handled_) {
    absl::StrAppend(&out, "pmo_grpc_server_handled_total{grpc_method=\"",
                    key.first, "\",grpc_code=\"", key.second, "\"} ", n, "\n");
  }
  absl::StrAppend(&out,
                  "# HELP pmo_grpc_server_handling_seconds RPC latency, by "
                  "method and code.\n"
                  "# TYPE pmo_grpc_server_handling_seconds histogram\n");
  for (const auto& [key, l] : latency_) {
    const std::string label = absl::StrCat("grpc_method=\"", key.first,
                                           "\",grpc_code=\"", key.second, "\"");
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      absl::StrAppend(&out, "pmo_grpc_server_handling_seconds_bucket{", label,
                      ",le=\"", kBuckets[i], "\"} ", l.buckets[i], "\n");
    }
    absl::StrAppend(&out, "pmo_grpc_server_handling_seconds_bucket{", label,
                    ",le=\"+Inf\"} ", l.count, "\n",
                    "pmo_grpc_server_handling_seconds_sum{", label, "} ",
                    l.sum_seconds, "\n",
                    "pmo_grpc_server_handling_seconds_count{", label, "} ",
                    l.count, "\n");
  }
  return out;
}

}  // namespace pmo::grpcserver
