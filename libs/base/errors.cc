#include "libs/base/errors.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace pmo {
namespace {

// Payloads are "<field>\t<description>" lines: the status travels inside the
// process only, so a trivial encoding is enough.
constexpr char kFieldViolationsPayload[] = "type.pmo.dev/pmo.field_violations";
constexpr char kRuleViolationPayload[] = "type.pmo.dev/pmo.rule_violation";

std::string Clean(absl::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c == '\t' || c == '\n') c = ' ';
  }
  return out;
}

}  // namespace

void FieldViolations::AddAll(const absl::Status& status,
                             absl::string_view prefix) {
  for (FieldViolation& v : FieldViolationsOf(status)) {
    Add(prefix.empty() ? std::move(v.field)
                       : absl::StrCat(prefix, ".", v.field),
        std::move(v.description));
  }
}

absl::Status FieldViolations::ToStatus() const {
  if (violations_.empty()) return absl::OkStatus();
  std::vector<FieldViolation> listed = violations_;
  if (unlisted_ > 0) {
    listed.push_back(
        {"", absl::StrCat("and ", unlisted_, " more violations not listed")});
  }
  std::vector<std::string> parts;
  std::string payload;
  for (const FieldViolation& v : listed) {
    parts.push_back(absl::StrCat(v.field, ": ", v.description));
    absl::StrAppend(&payload, Clean(v.field), "\t", Clean(v.description), "\n");
  }
  absl::Status status = absl::InvalidArgumentError(
      absl::StrCat("invalid request: ", absl::StrJoin(parts, "; ")));
  status.SetPayload(kFieldViolationsPayload, absl::Cord(payload));
  return status;
}

std::vector<FieldViolation> FieldViolationsOf(const absl::Status& status) {
  std::vector<FieldViolation> out;
  absl::optional<absl::Cord> payload =
      status.GetPayload(kFieldViolationsPayload);
  if (!payload) return out;
  for (absl::string_view line :
       absl::StrSplit(std::string(*payload), '\n', absl::SkipEmpty())) {
    std::pair<std::string, std::string> kv = absl::StrSplit(line, '\t');
    out.push_back({kv.first, kv.second});
  }
  return out;
}

absl::Status RuleViolationError(absl::string_view rule,
                                absl::string_view subject,
                                absl::string_view description) {
  absl::Status status = absl::FailedPreconditionError(description);
  status.SetPayload(
      kRuleViolationPayload,
      absl::Cord(absl::StrCat(Clean(rule), "\t", Clean(subject))));
  return status;
}

bool RuleViolationOf(const absl::Status& status, RuleViolation* out) {
  absl::optional<absl::Cord> payload = status.GetPayload(kRuleViolationPayload);
  if (!payload) return false;
  std::pair<std::string, std::string> kv =
      absl::StrSplit(std::string(*payload), '\t');
  *out = {kv.first, kv.second, std::string(status.message())};
  return true;
}

}  // namespace pmo
