#include "libs/base/time_format.h"

namespace pmo {

int64_t ToUnixMicrosUtc(absl::Time t) { return absl::ToUnixMicros(t); }

absl::Time FromUnixMicrosUtc(int64_t micros) {
  return absl::FromUnixMicros(micros);
}

std::string FormatRfc3339(absl::Time t) {
  return absl::FormatTime("%Y-%m-%d%ET%H:%M:%E6SZ", t, absl::UTCTimeZone());
}

}  // namespace pmo
