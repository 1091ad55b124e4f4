#pragma once

// Per-method request counts and latency histograms by status code, rendered
// in the Prometheus text exposition format (prometheus-cpp is not in
// Debian 12).

#include <array>
#include <map>
#include <mutex>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/time/time.h"

namespace pmo::grpcserver {

class RequestMetrics {
 public:
  // Latency bucket upper bounds, in seconds.
  static constexpr std::array<double, 10> kBuckets = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 2.5};

  void Record(const std::string& method, const std::string& code,
              absl::Duration latency);
  // Requests seen for method and code.
  int64_t Count(const std::string& method, const std::string& code) const;
  std::string RenderPrometheus() const;

 private:
  struct Latency {
    std::array<int64_t, kBuckets.size()> buckets{};
    int64_t count = 0;
    double sum_seconds = 0;
  };
  mutable std::mutex mu_;
  std::map<std::pair<std::string, std::string>, int64_t> handled_
      ABSL_GUARDED_BY(mu_);
  std::map<std::pair<std::string, std::string>, Latency> latency_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace pmo::grpcserver
