#include "libs/eventsourcing/request_ids.h"

#include <openssl/evp.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace pmo::eventsourcing {

std::string DerivedRequestId(absl::string_view request_id, absl::string_view purpose,
                             absl::string_view target) {
  // Length-prefixed parts: no two different triples hash the same input.
  const std::string input = absl::StrCat(request_id.size(), ":", request_id, purpose.size(), ":",
                                         purpose, target.size(), ":", target);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(input.data(), input.size(), digest, &length, EVP_sha256(), nullptr);
  return absl::StrCat(
      "~", absl::BytesToHexString(absl::string_view(reinterpret_cast<char*>(digest), length)));
}

}  // namespace pmo::eventsourcing
