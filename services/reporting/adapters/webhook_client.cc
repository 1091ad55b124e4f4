#include "services/reporting/adapters/webhook_client.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
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

// Opens a connection only to an address the policy checked: whatever
// libcurl resolved or was told, nothing else is reached.
curl_socket_t OpenCheckedSocket(void* checked, curlsocktype purpose,
                                curl_sockaddr* address) {
  if (purpose != CURLSOCKTYPE_IPCXN) return CURL_SOCKET_BAD;
  char text[INET6_ADDRSTRLEN] = {};
  if (address->family == AF_INET) {
    inet_ntop(AF_INET,
              &reinterpret_cast<const sockaddr_in*>(&address->addr)->sin_addr,
              text, sizeof text);
  } else if (address->family == AF_INET6) {
    inet_ntop(AF_INET6,
              &reinterpret_cast<const sockaddr_in6*>(&address->addr)->sin6_addr,
              text, sizeof text);
  } else {
    return CURL_SOCKET_BAD;
  }
  const auto* allowed = static_cast<const std::vector<std::string>*>(checked);
  if (std::find(allowed->begin(), allowed->end(), std::string(text)) ==
      allowed->end()) {
    return CURL_SOCKET_BAD;
  }
  return socket(address->family, address->socktype, address->protocol);
}

}  // namespace

AttemptOutcome HttpWebhookSender::Post(const WebhookRequest& request) {
  if (!absl::StartsWith(request.url, "http://") &&
      !absl::StartsWith(request.url, "https://")) {
    return {0, "not an http:// or https:// URL"};
  }
  // Resolved once, every address checked, and the connection pinned to
  // them below.
  absl::StatusOr<WebhookTarget> target = policy_.Resolve(request.url);
  if (!target.ok()) {
    return {0, absl::StrCat(
                   target.status().code() == absl::StatusCode::kInvalidArgument
                       ? "refused by the webhook target policy: the URL "
                       : "",
                   target.status().message())};
  }
  static std::once_flag curl_ready;
  std::call_once(curl_ready, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  std::unique_ptr<CURL, CurlFree> curl(curl_easy_init());
  if (curl == nullptr) return {0, "no HTTP client"};
  curl_slist* raw = nullptr;
  raw = curl_slist_append(
      raw, absl::StrCat("Content-Type: ", request.content_type).c_str());
  // No "100 continue" round trip: the body goes with the headers.
  raw = curl_slist_append(raw, "Expect:");
  for (const auto& [name, value] : request.headers) {
    raw = curl_slist_append(raw, absl::StrCat(name, ": ", value).c_str());
  }
  std::unique_ptr<curl_slist, CurlFree> headers(raw);
  std::unique_ptr<curl_slist, CurlFree> pinned;
  if (!target->url.host_is_address) {
    std::string entry =
        absl::StrCat(target->url.host, ":", target->url.port, ":");
    for (size_t i = 0; i < target->addresses.size(); ++i) {
      const std::string& a = target->addresses[i];
      absl::StrAppend(
          &entry, i ? "," : "",
          a.find(':') != std::string::npos ? absl::StrCat("[", a, "]") : a);
    }
    pinned.reset(curl_slist_append(nullptr, entry.c_str()));
  }
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR,
                   policy_.allow_http() ? "http,https" : "https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  // No proxy, whatever the environment says: the checked address is the
  // one connected to.
  curl_easy_setopt(c, CURLOPT_PROXY, "");
  if (pinned) curl_easy_setopt(c, CURLOPT_RESOLVE, pinned.get());
  curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, &OpenCheckedSocket);
  curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, &target->addresses);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS,
                   static_cast<long>(absl::ToInt64Milliseconds(timeout_)));
  curl_easy_setopt(c, CURLOPT_USERAGENT, "pmo-reporting");
  if (!ca_file_.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, ca_file_.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_POST, 1L);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.body.data());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
                   static_cast<curl_off_t>(request.body.size()));
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &Discard);
  const CURLcode code = curl_easy_perform(c);
  if (code != CURLE_OK) return {0, curl_easy_strerror(code)};
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  if (status >= 200 && status < 300) return {static_cast<int>(status), ""};
  return {static_cast<int>(status), absl::StrCat("HTTP ", status)};
}

}  // namespace pmo::reporting
