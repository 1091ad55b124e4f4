#pragma once

// The webhook sender over HTTP (libcurl): the adapter behind
// app/webhook_sender.h, which says how a request is signed. The secret is
// only ever an argument here: never logged, never in an error or an event.

#include <string>

#include "absl/time/time.h"
#include "services/reporting/app/webhook_sender.h"
#include "services/reporting/app/webhook_target_policy.h"

namespace pmo::reporting {

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
  explicit HttpWebhookSender(absl::Duration timeout = absl::Seconds(10),
                             std::string ca_file = "",
                             WebhookTargetPolicy policy = WebhookTargetPolicy())
      : timeout_(timeout),
        ca_file_(std::move(ca_file)),
        policy_(std::move(policy)) {}
  AttemptOutcome Post(const WebhookRequest& request) override;

 private:
  absl::Duration timeout_;
  std::string ca_file_;
  WebhookTargetPolicy policy_;
};

}  // namespace pmo::reporting
