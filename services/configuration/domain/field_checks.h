#pragma once

// The field checks particular to the configuration service's requests;
// free text is checked with libs/base/text_checks.h, in every context's
// wording.

#include <string>

#include "libs/base/errors.h"
#include "libs/base/text_checks.h"

namespace pmo::configuration {

// A media type as RFC 6838 names it: "type/subtype" of restricted-name
// characters (a letter or digit first, then letters, digits and
// !#$&-^_.+), optionally followed by "; name=value" parameters (value a
// token or a quoted string of printable ASCII), at most 127 characters in
// all; no control characters (a CR/LF would split a response header).
void CheckMediaType(FieldViolations& v, const std::string& field,
                    const std::string& value);

}  // namespace pmo::configuration
