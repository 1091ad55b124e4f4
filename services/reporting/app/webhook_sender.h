#pragma once

// Posting to a stakeholder's webhook, as the use cases see it. The request
// is signed so the receiver can check it came from the PMO and was not
// replayed later:
//
//   X-PMO-Timestamp: <unix seconds>
//   X-PMO-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>
//   X-PMO-Delivery:  <delivery id>  (the same on every retry: dedupe on it)
//
// The secret is only ever an argument here: never logged, never in an
// error or an event. The HTTP sender is adapters/webhook_client.h.

#include <string>
#include <utility>
#include <vector>

#include "services/reporting/domain/webhook_delivery.h"

namespace pmo::reporting {

// "sha256=" + lower-case hex HMAC-SHA256 of `timestamp + "." + body`.
std::string WebhookSignature(const std::string& secret,
                             const std::string& timestamp,
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

}  // namespace pmo::reporting
