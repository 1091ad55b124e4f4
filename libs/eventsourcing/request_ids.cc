#include "libs/eventsourcing/request_ids.h"

#include "absl/strings/str_cat.h"
#include "libs/base/content_hash.h"

namespace pmo::eventsourcing {

std::string DerivedRequestId(absl::string_view request_id,
                             absl::string_view purpose,
                             absl::string_view target) {
  // Length-prefixed parts: no two different triples hash the same input.
  const std::string input =
      absl::StrCat(request_id.size(), ":", request_id, purpose.size(), ":",
                   purpose, target.size(), ":", target);
  return absl::StrCat("~", Sha256Hex(input));
}

std::string CallerScopedRequestId(absl::string_view caller,
                                  absl::string_view command,
                                  absl::string_view request_id) {
  const std::string input =
      absl::StrCat(caller.size(), ":", caller, command.size(), ":", command,
                   request_id.size(), ":", request_id);
  return absl::StrCat("@", Sha256Hex(input));
}

}  // namespace pmo::eventsourcing
