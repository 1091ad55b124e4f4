#include "libs/base/text_checks.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace pmo {

bool HasControlCharacter(absl::string_view text, bool multiline) {
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20) {
      if (multiline && (c == '\t' || c == '\n' || c == '\r')) continue;
      return true;
    }
    if (c == 0x7f) return true;
    // C1 controls U+0080..U+009F are 0xC2 0x80..0x9F in UTF-8.
    if (c == 0xc2 && i + 1 < text.size()) {
      const auto next = static_cast<unsigned char>(text[i + 1]);
      if (next >= 0x80 && next <= 0x9f) return true;
    }
    // U+2028 and U+2029 are 0xE2 0x80 0xA8 and 0xE2 0x80 0xA9.
    if (c == 0xe2 && i + 2 < text.size() &&
        static_cast<unsigned char>(text[i + 1]) == 0x80) {
      const auto last = static_cast<unsigned char>(text[i + 2]);
      if (last == 0xa8 || last == 0xa9) return true;
    }
  }
  return false;
}

void CheckOptionalText(FieldViolations& v, absl::string_view field,
                       absl::string_view value, size_t max, TextKind kind) {
  if (value.size() > max) {
    v.Add(std::string(field),
          absl::StrCat("must be at most ", max, " characters"));
  } else if (HasControlCharacter(value, kind == TextKind::kMultiline)) {
    v.Add(std::string(field),
          kind == TextKind::kMultiline
              ? "must not hold control characters other than tab and line "
                "breaks"
              : "must be one line without control characters");
  }
}

void CheckText(FieldViolations& v, absl::string_view field,
               absl::string_view value, size_t max, TextKind kind) {
  if (absl::StripAsciiWhitespace(value).empty()) {
    v.Add(std::string(field), "is required");
    return;
  }
  CheckOptionalText(v, field, value, max, kind);
}

}  // namespace pmo
