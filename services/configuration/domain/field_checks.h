#pragma once

// The field checks every configuration aggregate shares, so one wording
// ("must be 1-200 characters") serves every request field.

#include <string>

#include "libs/base/errors.h"

namespace pmo::configuration {

// Required text: not blank and at most `max` bytes.
void CheckRequiredText(FieldViolations& v, const std::string& field, const std::string& value,
                       size_t max);
// Optional text: at most `max` bytes.
void CheckOptionalText(FieldViolations& v, const std::string& field, const std::string& value,
                       size_t max);

}  // namespace pmo::configuration
