#include "services/reporting/app/webhook_sender.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace pmo::reporting {

std::string WebhookSignature(const std::string& secret,
                             const std::string& timestamp,
                             const std::string& body) {
  const std::string message = absl::StrCat(timestamp, ".", body);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(),
       mac, &length);
  std::string out = "sha256=";
  for (unsigned int i = 0; i < length; ++i)
    absl::StrAppendFormat(&out, "%02x", mac[i]);
  return out;
}

}  // namespace pmo::reporting
