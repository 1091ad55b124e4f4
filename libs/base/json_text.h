#pragma once

// JSON strings for text written by hand around them (log lines, reports,
// webhook bodies): the one JSON string writer of the code base, done by
// nlohmann-json's serializer.

#include <string>

#include "absl/strings/string_view.h"

namespace pmo {

// `text` as a JSON string literal, quotes included: '"', '\\' and control
// characters escaped (\n, \r, \t, \b, \f, other ones \u00XX), and '<' as
// \u003c so the JSON can sit in an HTML page's script block without closing
// it. Bytes that are not UTF-8 become U+FFFD, so the result is always valid
// JSON.
std::string JsonQuoted(absl::string_view text);

// Appends JsonQuoted(text) to `out`.
void AppendJsonQuoted(std::string& out, absl::string_view text);

}  // namespace pmo
