#include "services/reporting/domain/webhook_delivery.h"

#include <algorithm>

#include "libs/base/proto_time.h"

namespace pmo::reporting {

absl::Duration BackoffAfter(const RetryPolicy& policy, int attempt) {
  absl::Duration d = policy.base;
  for (int i = 1; i < attempt && d < policy.max_delay; ++i) d *= 2;
  return std::min(d, policy.max_delay);
}

void WebhookDeliveryAggregate::Apply(const google::protobuf::Message& event,
                                     absl::Time at) {
  if (const auto* q = dynamic_cast<const v1::WebhookDeliveryQueued*>(&event)) {
    queued_ = *q;
    next_attempt_at_ = at;
  } else if (const auto* a =
                 dynamic_cast<const v1::WebhookDeliveryAttempted*>(&event)) {
    attempts_ = a->attempt();
    delivered_ = a->delivered();
    if (a->has_next_attempt_at()) {
      next_attempt_at_ = FromTimestamp(a->next_attempt_at());
    } else if (!delivered_) {
      gave_up_ = true;
    }
  }
}

absl::StatusOr<eventsourcing::Decision> WebhookDeliveryAggregate::Queue(
    v1::WebhookDeliveryQueued queued) const {
  eventsourcing::Decision decision;
  if (exists()) return decision;  // queued before: once is enough
  decision.events.push_back(
      std::make_unique<v1::WebhookDeliveryQueued>(std::move(queued)));
  return decision;
}

absl::StatusOr<eventsourcing::Decision> WebhookDeliveryAggregate::RecordAttempt(
    const AttemptOutcome& outcome, absl::Time now,
    const RetryPolicy& policy) const {
  if (!exists()) return absl::NotFoundError("webhook delivery not found");
  eventsourcing::Decision decision;
  if (!pending()) return decision;
  auto attempted = std::make_unique<v1::WebhookDeliveryAttempted>();
  attempted->set_delivery_id(queued_.delivery_id());
  attempted->set_stakeholder_id(queued_.stakeholder_id());
  attempted->set_inbox_item_id(queued_.inbox_item_id());
  attempted->set_attempt(attempts_ + 1);
  attempted->set_http_status(outcome.http_status);
  attempted->set_delivered(outcome.delivered());
  if (!outcome.delivered()) {
    attempted->set_error(outcome.error.substr(0, 200));
    if (attempts_ + 1 < policy.max_attempts) {
      *attempted->mutable_next_attempt_at() =
          ToTimestamp(now + BackoffAfter(policy, attempts_ + 1));
    }
  }
  decision.events.push_back(std::move(attempted));
  return decision;
}

}  // namespace pmo::reporting
