#pragma once

// Checks of the free-text fields the reporting service stores and later
// writes where a control character would do harm: HTTP headers (a webhook's
// X-PMO-Report-Title), URLs, log lines, rendered files. A line break in a
// header value would end the header and start another (header injection).

#include <string>

#include "absl/strings/string_view.h"

namespace pmo::reporting {

// True when `text` holds a control character: C0 (U+0000-U+001F), DEL,
// C1 (U+0080-U+009F) or the Unicode line and paragraph separators
// (U+2028, U+2029). With `line_breaks_allowed` (a message body), tab, LF
// and CR are let through.
inline bool HasControlCharacter(absl::string_view text, bool line_breaks_allowed = false) {
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20) {
      if (line_breaks_allowed && (c == '\t' || c == '\n' || c == '\r')) continue;
      return true;
    }
    if (c == 0x7f) return true;
    if (c == 0xc2 && i + 1 < text.size()) {
      const auto next = static_cast<unsigned char>(text[i + 1]);
      if (next >= 0x80 && next <= 0x9f) return true;
    }
    if (c == 0xe2 && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x80) {
      const auto last = static_cast<unsigned char>(text[i + 2]);
      if (last == 0xa8 || last == 0xa9) return true;
    }
  }
  return false;
}

}  // namespace pmo::reporting
