#pragma once

// Ids the service derives instead of drawing at random, so that repeating
// a step (a retried request, a tick after a crash) names the same record
// and the aggregate can see it was done. UUID-shaped (version 5 style, from
// a SHA-256), so derived ids pass the same checks as random ones.

#include <string>

#include "absl/strings/str_cat.h"
#include "libs/base/content_hash.h"

namespace pmo::reporting {

// The id for `parts`, e.g. DerivedId("inbox-item", plan_id, distribution_id).
template <typename... Parts>
std::string DerivedId(const Parts&... parts) {
  std::string key;
  ((absl::StrAppend(&key, parts, "\n")), ...);
  const std::string h = Sha256Hex(key);
  return absl::StrCat(h.substr(0, 8), "-", h.substr(8, 4), "-5",
                      h.substr(13, 3), "-8", h.substr(17, 3), "-",
                      h.substr(20, 12));
}

}  // namespace pmo::reporting
