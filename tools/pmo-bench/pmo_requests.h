#pragma once

// Valid PMO requests and unique names for them. Every request a workload
// sends passes the services' validation, so an error in a report is the
// deployment's, not the load generator's.

#include <cstdint>
#include <string>

#include "absl/time/civil_time.h"
#include "google/type/date.pb.h"
#include "pmo/projects/v1/projects_service.pb.h"

namespace pmo::bench {

google::type::Date DateOf(absl::CivilDay day);

// Request ids and project codes unique to one worker of one run:
//   request_id  "pmo-bench-<tag>-w<worker>-<n>"
//   code        "<tag>-<worker>-<n>"   (project codes:
//   ^[A-Z0-9][A-Z0-9_-]{1,31}$)
// The run tag keeps runs against the same data apart (a code is claimed
// once per store).
class RequestNames {
 public:
  RequestNames(const std::string& run_tag, int worker);
  std::string NextRequestId();
  std::string NextProjectCode();

 private:
  std::string request_prefix_;
  std::string code_prefix_;
  int64_t requests_ = 0;
  int64_t codes_ = 0;
};

// A run tag for project codes: 1..12 of [A-Z0-9].
bool IsValidRunTag(const std::string& tag);
// A fresh tag from the clock (milliseconds in base 36), unique per run.
std::string NewRunTag();

// The projects every workload creates: planned for 2027 (4 January to
// 17 December), managed by "pmo.bench.manager".
projects::v1::CreateProjectRequest NewProjectRequest(
    const std::string& request_id, const std::string& code);

// The weeks a project of NewProjectRequest runs: bookings, costs and
// reports fall on the Monday of week 0..47.
absl::CivilDay ProjectWeek(int week);

}  // namespace pmo::bench
