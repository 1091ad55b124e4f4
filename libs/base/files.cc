#include "libs/base/files.h"

#include <filesystem>

#include "absl/strings/str_cat.h"

namespace pmo {

absl::Status EnsureDirectory(const std::string& path) {
  std::error_code error;
  std::filesystem::create_directories(path, error);
  if (error) {
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot create data directory ", path, ": ", error.message()));
  }
  return absl::OkStatus();
}

}  // namespace pmo
