#include "services/configuration/domain/field_checks.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace pmo::configuration {

void CheckRequiredText(FieldViolations& v, const std::string& field, const std::string& value,
                       size_t max) {
  if (absl::StripAsciiWhitespace(value).empty() || value.size() > max) {
    v.Add(field, absl::StrCat("must be 1-", max, " characters"));
  }
}

void CheckOptionalText(FieldViolations& v, const std::string& field, const std::string& value,
                       size_t max) {
  if (value.size() > max) v.Add(field, absl::StrCat("must be at most ", max, " characters"));
}

}  // namespace pmo::configuration
