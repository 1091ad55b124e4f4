#pragma once

// The checks of free-text request fields, one wording for every context:
//
//   blank (required)      "is required"
//   too long              "must be at most N characters" (N bytes of UTF-8)
//   control character     "must be one line without control characters"
//                         "must not hold control characters other than tab
//                          and line breaks"                 (multi-line text)
//
// A line (a name, title, code, label, person: what reaches a report header,
// a file name, an HTTP header or a log line) holds no control character; a
// multi-line text (a description, reason, note, comment) may hold tab, CR
// and LF, and nothing else: a line break in a header value would end the
// header and start another.

#include <string>

#include "absl/strings/string_view.h"
#include "libs/base/errors.h"

namespace pmo {

enum class TextKind { kLine, kMultiline };

// True when `text` holds a control character: C0 (U+0000-U+001F), DEL,
// C1 (U+0080-U+009F) or the Unicode line and paragraph separators (U+2028,
// U+2029). With `multiline`, tab, LF and CR are let through.
bool HasControlCharacter(absl::string_view text, bool multiline = false);

// Required text: not blank (whitespace only counts as blank), at most `max`
// bytes, no control character for its kind. Adds one violation naming
// `field`, the first that applies.
void CheckText(FieldViolations& v, absl::string_view field,
               absl::string_view value, size_t max,
               TextKind kind = TextKind::kLine);
// The same for text that may be empty.
void CheckOptionalText(FieldViolations& v, absl::string_view field,
                       absl::string_view value, size_t max,
                       TextKind kind = TextKind::kLine);

}  // namespace pmo
