#pragma once

// Domain errors that carry structure the gRPC adapter turns into
// google.rpc details, without the domain knowing about gRPC:
//
//   INVALID_ARGUMENT + field violations  -> google.rpc.BadRequest
//   FAILED_PRECONDITION + broken rule     -> google.rpc.PreconditionFailure
//
//   FieldViolations v;
//   if (name.empty()) v.Add("name", "must not be empty");
//   RETURN_IF_ERROR(v.ToStatus());

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace pmo {

struct FieldViolation {
  std::string field;        // request field path, e.g. "planned_end"
  std::string description;  // what is wrong, for the caller
};

class FieldViolations {
 public:
  // Lists every violation. With `max_listed`, lists that many and counts the
  // rest ("and N more violations not listed"): a huge bad input must not
  // make a huge status, whose message travels in gRPC trailers of a few KiB.
  FieldViolations() = default;
  explicit FieldViolations(int max_listed) : max_listed_(max_listed) {}

  void Add(std::string field, std::string description) {
    if (static_cast<int>(violations_.size()) < max_listed_) {
      violations_.push_back({std::move(field), std::move(description)});
    } else {
      ++unlisted_;
    }
  }
  // Adds the violations `status` carries (from a nested check), their
  // fields under `prefix` ("prefix.field") when it is not empty.
  void AddAll(const absl::Status& status, absl::string_view prefix = "");
  bool empty() const { return violations_.empty(); }
  const std::vector<FieldViolation>& violations() const { return violations_; }
  // OK when empty; else INVALID_ARGUMENT naming every bad field.
  absl::Status ToStatus() const;

 private:
  std::vector<FieldViolation> violations_;
  int max_listed_ = std::numeric_limits<int>::max();
  int64_t unlisted_ = 0;
};

// The field violations an INVALID_ARGUMENT status carries (empty if none).
std::vector<FieldViolation> FieldViolationsOf(const absl::Status& status);

// FAILED_PRECONDITION for a broken business rule. `rule` is a stable name
// (e.g. "PROJECT_LIFECYCLE"), `subject` what it concerns (e.g. the project).
absl::Status RuleViolationError(absl::string_view rule,
                                absl::string_view subject,
                                absl::string_view description);

struct RuleViolation {
  std::string rule;
  std::string subject;
  std::string description;
};
// The rule a FAILED_PRECONDITION status names, if it is a RuleViolationError.
bool RuleViolationOf(const absl::Status& status, RuleViolation* out);

}  // namespace pmo
