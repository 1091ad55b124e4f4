#pragma once

#include <string>

#include "absl/strings/string_view.h"

namespace pmo {

// Lower-case hex SHA-256 of `bytes` (64 characters): the content hash that
// names a stored document body, and the base of derived request ids.
std::string Sha256Hex(absl::string_view bytes);

}  // namespace pmo
