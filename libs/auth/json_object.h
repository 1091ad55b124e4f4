#pragma once

// JSON objects (JOSE headers, claim sets, JWKs) read through protobuf's
// JSON parser into a google.protobuf.Struct: no JSON library of our own.

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/struct.pb.h"

namespace pmo::auth {

// The object in `json`; INVALID_ARGUMENT "<what> is not a JSON object"
// otherwise (the text itself is never quoted: it may be a secret).
absl::StatusOr<google::protobuf::Struct> ParseJsonObject(absl::string_view json,
                                                          absl::string_view what);

// The string member `name`, if present and a string.
std::optional<std::string> StringMember(const google::protobuf::Struct& object,
                                        absl::string_view name);

}  // namespace pmo::auth
