#include "services/reporting/app/webhook_client.h"

#include <curl/curl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <memory>
#include <mutex>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace pmo::reporting {
namespace {

// The answer's body is not wanted: count it away.
size_t Discard(char*, size_t size, size_t count, void*) { return size * count; }

struct CurlFree {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

}  // namespace

std::string WebhookSignature(const std::string& secret, const std::string& timestamp,
                             const std::string& body) {
  const std::string message = absl::StrCat(timestamp, ".", body);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &length);
  std::string out = "sha256=";
  for (unsigned int i = 0; i < length; ++i) absl::StrAppendFormat(&out, "%02x", mac[i]);
  return out;
}

AttemptOutcome HttpWebhookSender::Post(const WebhookRequest& request) {
  if (!absl::StartsWith(request.url, "http://") && !absl::StartsWith(request.url, "https://")) {
    return {0, "not an http:// or https:// URL"};
  }
  static std::once_flag curl_ready;
  std::call_once(curl_ready, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  std::unique_ptr<CURL, CurlFree> curl(curl_easy_init());
  if (curl == nullptr) return {0, "no HTTP client"};
  curl_slist* raw = nullptr;
  raw = curl_slist_append(raw, absl::StrCat("Content-Type: ", request.content_type).c_str());
  // No "100 continue" round trip: the body goes with the headers.
  raw = curl_slist_append(raw, "Expect:");
  for (const auto& [name, value] : request.headers) {
    raw = curl_slist_append(raw, absl::StrCat(name, ": ", value).c_str());
  }
  std::unique_ptr<curl_slist, CurlFree> headers(raw);
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(absl::ToInt64Milliseconds(timeout_)));
  curl_easy_setopt(c, CURLOPT_USERAGENT, "pmo-reporting");
  if (!ca_file_.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, ca_file_.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_POST, 1L);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.body.data());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &Discard);
  const CURLcode code = curl_easy_perform(c);
  if (code != CURLE_OK) return {0, curl_easy_strerror(code)};
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  if (status >= 200 && status < 300) return {static_cast<int>(status), ""};
  return {static_cast<int>(status), absl::StrCat("HTTP ", status)};
}

}  // namespace pmo::reporting
