#include "services/configuration/domain/field_checks.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"

namespace pmo::configuration {

namespace {

bool IsRestrictedNameFirst(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c));
}
bool IsRestrictedNameChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
         absl::string_view("!#$&-^_.+").find(c) != absl::string_view::npos;
}
// RFC 6838 restricted-name: 1-127 characters, a letter or digit first.
bool IsRestrictedName(absl::string_view s) {
  if (s.empty() || s.size() > 127 || !IsRestrictedNameFirst(s[0])) return false;
  for (char c : s) {
    if (!IsRestrictedNameChar(c)) return false;
  }
  return true;
}
bool IsParameterValue(absl::string_view s) {
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') {
    for (char c : s.substr(1, s.size() - 2)) {
      if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') return false;
    }
    return true;
  }
  return IsRestrictedName(s);
}

}  // namespace

void CheckMediaType(FieldViolations& v, const std::string& field,
                    const std::string& value) {
  constexpr char kRule[] =
      "must be a media type 'type/subtype' (RFC 6838 characters, optional '; "
      "name=value' "
      "parameters), at most 127 characters";
  if (value.empty() || value.size() > 127) {
    v.Add(field, kRule);
    return;
  }
  std::vector<absl::string_view> parts = absl::StrSplit(value, ';');
  const absl::string_view essence = parts[0];
  const size_t slash = essence.find('/');
  bool ok = slash != absl::string_view::npos &&
            IsRestrictedName(essence.substr(0, slash)) &&
            IsRestrictedName(essence.substr(slash + 1));
  for (size_t i = 1; ok && i < parts.size(); ++i) {
    absl::string_view param = parts[i];
    while (!param.empty() && param.front() == ' ') param.remove_prefix(1);
    const size_t eq = param.find('=');
    ok = eq != absl::string_view::npos &&
         IsRestrictedName(param.substr(0, eq)) &&
         IsParameterValue(param.substr(eq + 1));
  }
  if (!ok) v.Add(field, kRule);
}

}  // namespace pmo::configuration
