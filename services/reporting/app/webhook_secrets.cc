#include "services/reporting/app/webhook_secrets.h"

#include "libs/base/content_hash.h"

namespace pmo::reporting {

std::string SecretFingerprint(const std::string& secret) {
  return Sha256Hex(secret).substr(0, 16);
}

}  // namespace pmo::reporting
