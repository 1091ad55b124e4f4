#pragma once

// The WebhookDelivery aggregate: one report or announcement to be POSTed
// to one stakeholder's webhook, and every attempt. Its stream id is the
// delivery id (derived from the inbox item, so queueing twice is a no-op).
//
//   Queued --attempt fails--> Waiting (next_attempt_at = now + backoff) --+
//     |                          ^                                        |
//     |                          +------------- attempt fails ------------+
//     +-- attempt succeeds --> Delivered       max attempts failed --> GaveUp
//
// Back-off doubles from `base` per failed attempt, capped at `max_delay`.

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/eventsourcing/decision.h"
#include "pmo/reporting/v1/events.pb.h"

namespace pmo::reporting {

struct RetryPolicy {
  absl::Duration base = absl::Seconds(2);
  absl::Duration max_delay = absl::Hours(1);
  int max_attempts = 8;
};

// The wait after failed attempt `attempt` (1-based): base x 2^(attempt-1),
// at most max_delay.
absl::Duration BackoffAfter(const RetryPolicy& policy, int attempt);

// What an attempt gave: the HTTP status (0: no answer) and a short reason.
struct AttemptOutcome {
  int http_status = 0;
  std::string error;
  bool delivered() const { return http_status >= 200 && http_status < 300; }
};

class WebhookDeliveryAggregate {
 public:
  static constexpr char kStreamType[] = "webhook_delivery";

  void Apply(const google::protobuf::Message& event, absl::Time occurred_at);

  absl::StatusOr<eventsourcing::Decision> Queue(
      v1::WebhookDeliveryQueued queued) const;
  absl::StatusOr<eventsourcing::Decision> RecordAttempt(
      const AttemptOutcome& outcome, absl::Time now,
      const RetryPolicy& policy) const;

  bool exists() const { return !queued_.delivery_id().empty(); }
  // Neither delivered nor given up.
  bool pending() const { return exists() && !delivered_ && !gave_up_; }
  bool delivered() const { return delivered_; }
  bool gave_up() const { return gave_up_; }
  int attempts() const { return attempts_; }
  // When the next attempt may run (the queueing time before the first).
  absl::Time next_attempt_at() const { return next_attempt_at_; }
  const v1::WebhookDeliveryQueued& queued() const { return queued_; }

 private:
  v1::WebhookDeliveryQueued queued_;
  int attempts_ = 0;
  bool delivered_ = false;
  bool gave_up_ = false;
  absl::Time next_attempt_at_ = absl::InfinitePast();
};

}  // namespace pmo::reporting
