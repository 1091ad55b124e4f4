#pragma once

// gmock doubles of the webhook ports, for what the real adapters cannot be
// made to show on demand: a secrets store that is down for one tick, a
// receiver answering a chosen status, and the exact requests a retry sends.
// MockWebhookSecrets answers from a real store unless a test says otherwise.

#include <optional>
#include <string>

#include "gmock/gmock.h"
#include "services/reporting/app/webhook_secrets.h"
#include "services/reporting/app/webhook_sender.h"

namespace pmo::reporting::testing {

class MockWebhookSender : public WebhookSender {
 public:
  MOCK_METHOD(AttemptOutcome, Post, (const WebhookRequest& request),
              (override));
};

class MockWebhookSecrets : public WebhookSecrets {
 public:
  MOCK_METHOD(absl::Status, Put,
              (const std::string& stakeholder_id, const std::string& secret),
              (override));
  MOCK_METHOD((absl::StatusOr<std::optional<std::string>>), Get,
              (const std::string& stakeholder_id), (override));

  // Every call not told otherwise goes to `real`.
  void DelegateTo(WebhookSecrets& real) {
    ON_CALL(*this, Put)
        .WillByDefault(
            [&real](const std::string& id, const std::string& secret) {
              return real.Put(id, secret);
            });
    ON_CALL(*this, Get).WillByDefault([&real](const std::string& id) {
      return real.Get(id);
    });
  }
};

}  // namespace pmo::reporting::testing
