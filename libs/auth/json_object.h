#pragma once

// JSON objects (JOSE headers, claim sets, JWKs) read with nlohmann-json.
// Only the forward declaration of nlohmann::json is included here; the
// library itself is included by the .cc files that read members.

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace pmo::auth {

// Parses `json` into `object`. It must be one JSON object (RFC 8259: UTF-8,
// no trailing text, numbers within the range of a double) with no member
// named twice in any object of it: RFC 7515 (4) lets a JOSE parser either
// refuse duplicates or take the last one, and refusing leaves no doubt about
// which "alg" or "sub" was meant. INVALID_ARGUMENT "<what> is not a JSON
// object" otherwise (the text itself is never quoted: it may be a secret).
// Never throws.
absl::Status ParseJsonObject(absl::string_view json, absl::string_view what,
                             nlohmann::json& object);

// The string member `name` of `object`, if present and a string.
std::optional<std::string> StringMember(const nlohmann::json& object,
                                        absl::string_view name);

}  // namespace pmo::auth
