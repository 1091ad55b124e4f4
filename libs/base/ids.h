#pragma once

#include <string>

#include "absl/strings/string_view.h"

namespace pmo {

// A random (version 4) UUID in its canonical lower-case text form, used for
// aggregate ids and event ids.
std::string NewUuid();

// True when `text` is a canonical lower-case UUID.
bool IsUuid(absl::string_view text);

}  // namespace pmo
