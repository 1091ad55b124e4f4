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
  void Add(std::string field, std::string description) {
    violations_.push_back({std::move(field), std::move(description)});
  }
  bool empty() const { return violations_.empty(); }
  const std::vector<FieldViolation>& violations() const { return violations_; }
  // OK when empty; else INVALID_ARGUMENT naming every bad field.
  absl::Status ToStatus() const;

 private:
  std::vector<FieldViolation> violations_;
};

// The field violations an INVALID_ARGUMENT status carries (empty if none).
std::vector<FieldViolation> FieldViolationsOf(const absl::Status& status);

// FAILED_PRECONDITION for a broken business rule. `rule` is a stable name
// (e.g. "PROJECT_LIFECYCLE"), `subject` what it concerns (e.g. the project).
absl::Status RuleViolationError(absl::string_view rule, absl::string_view subject,
                                absl::string_view description);

struct RuleViolation {
  std::string rule;
  std::string subject;
  std::string description;
};
// The rule a FAILED_PRECONDITION status names, if it is a RuleViolationError.
bool RuleViolationOf(const absl::Status& status, RuleViolation* out);

}  // namespace pmo
