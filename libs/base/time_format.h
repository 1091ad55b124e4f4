#pragma once

#include <cstdint>
#include <string>

#include "absl/time/time.h"

namespace pmo {

// Times are kept as microseconds since the Unix epoch in storage and
// envelopes: exact, ordered, and the same in SQLite and PostgreSQL.
int64_t ToUnixMicrosUtc(absl::Time t);
absl::Time FromUnixMicrosUtc(int64_t micros);

// RFC 3339 in UTC with microseconds, e.g. "2026-11-25T22:23:08.123456Z" (the
// form CloudEvents' ce_time takes).
std::string FormatRfc3339(absl::Time t);

}  // namespace pmo
