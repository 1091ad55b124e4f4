#pragma once

#include <string>

#include "absl/status/status.h"

namespace pmo {

// Creates `path` and its parents if missing; FAILED_PRECONDITION naming the
// folder when that is not possible.
absl::Status EnsureDirectory(const std::string& path);

}  // namespace pmo
