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

// A principal name (a token subject): 1-128 characters, no control
// characters or line breaks.
void CheckPrincipalName(FieldViolations& v, const std::string& field, const std::string& value);

// A media type as RFC 6838 names it: "type/subtype" of restricted-name
// characters (a letter or digit first, then letters, digits and
// !#$&-^_.+), optionally followed by "; name=value" parameters (value a
// token or a quoted string of printable ASCII), at most 127 characters in
// all; no control characters (a CR/LF would split a response header).
void CheckMediaType(FieldViolations& v, const std::string& field, const std::string& value);

}  // namespace pmo::configuration
