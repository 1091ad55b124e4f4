#include "tools/pmo-bench/pmo_requests.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace pmo::bench {

google::type::Date DateOf(absl::CivilDay day) {
  google::type::Date date;
  date.set_year(static_cast<int32_t>(day.year()));
  date.set_month(day.month());
  date.set_day(day.day());
  return date;
}

RequestNames::RequestNames(const std::string& run_tag, int worker)
    : request_prefix_(absl::StrCat("pmo-bench-", run_tag, "-w", worker, "-")),
      code_prefix_(absl::StrCat(run_tag, "-", worker, "-")) {}

std::string RequestNames::NextRequestId() {
  return absl::StrCat(request_prefix_, requests_++);
}

std::string RequestNames::NextProjectCode() {
  return absl::StrCat(code_prefix_, codes_++);
}

bool IsValidRunTag(const std::string& tag) {
  if (tag.empty() || tag.size() > 12) return false;
  for (char c : tag) {
    if (!absl::ascii_isdigit(c) && !absl::ascii_isupper(c)) return false;
  }
  return true;
}

std::string NewRunTag() {
  static constexpr char kDigits[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  int64_t n = absl::ToUnixMillis(absl::Now());
  std::string tag;
  while (n > 0) {
    tag.insert(tag.begin(), kDigits[n % 36]);
    n /= 36;
  }
  return tag;
}

projects::v1::CreateProjectRequest NewProjectRequest(
    const std::string& request_id, const std::string& code) {
  projects::v1::CreateProjectRequest r;
  r.set_request_id(request_id);
  r.set_code(code);
  r.set_name(absl::StrCat("Benchmark project ", code));
  r.set_manager("pmo.bench.manager");
  r.set_sponsor("pmo.bench.sponsor");
  r.add_objectives("Measure the platform");
  *r.mutable_planned_start() = DateOf(absl::CivilDay(2027, 1, 4));
  *r.mutable_planned_end() = DateOf(absl::CivilDay(2027, 12, 17));
  return r;
}

absl::CivilDay ProjectWeek(int week) {
  return absl::CivilDay(2027, 1, 4) + 7 * int64_t{week % 48};
}

}  // namespace pmo::bench
