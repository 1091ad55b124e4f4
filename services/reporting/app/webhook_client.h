#pragma once

// Posting to a stakeholder's webhook. The request is signed so the
// receiver can check it came from the PMO and was not replayed later:
//
//   X-PMO-Timestamp: <unix seconds>
//   X-PMO-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>
//   X-PMO-Delivery:  <delivery id>  (the same on every retry: dedupe on it)
//
// The secret is only ever an argument here: never logged, never in an
// error or an event.

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "services/reporting/app/webhook_target_policy.h"
#include "services/reporting/domain/webhook_delivery.h"

namespace pmo::reporting {

// "sha256=" + lower-case hex HMAC-SHA256 of `timestamp + "." + body`.
std::string WebhookSignature(const std::string& secret, const std::string& timestamp,
                             const std::string& body);

struct WebhookRequest {
  std::string url;  // http(s)://host[:port]/path
  std::string content_type;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

class WebhookSender {
 public:
  virtual ~WebhookSender() = default;
  virtual AttemptOutcome Post(const WebhookRequest& request) = 0;
};

// HTTP/1.1 POST with libcurl, https:// (http:// only where the policy
// allows it); the system's CA certificates verify the receiver; no
// redirect is followed and no proxy is used; `timeout` bounds the whole
// exchange. Before each POST the URL's host is resolved once and every
// address checked against `policy` (webhook_target_policy.h); libcurl is
// given those addresses (CURLOPT_RESOLVE) and may open a connection to
// them only, so a name that resolves elsewhere a moment later is not
// followed there. A refused target is a failed attempt that sends nothing.
class HttpWebhookSender final : public WebhookSender {
 public:
  // `ca_file`: PEM certificates to trust instead of the system's (empty:
  // the system's).
  explicit HttpWebhookSender(absl::Duration timeout = absl::Seconds(10), std::string ca_file = "",
                             WebhookTargetPolicy policy = WebhookTargetPolicy())
      : timeout_(timeout), ca_file_(std::move(ca_file)), policy_(std::move(policy)) {}
  AttemptOutcome Post(const WebhookRequest& request) override;

 private:
  absl::Duration timeout_;
  std::string ca_file_;
  WebhookTargetPolicy policy_;
};

}  // namespace pmo::reporting
