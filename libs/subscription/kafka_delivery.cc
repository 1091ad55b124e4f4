#include "libs/subscription/kafka_delivery.h"

#include <librdkafka/rdkafkacpp.h>

#include "libs/cloudevents/cloud_events.h"

namespace pmo::subscription {

Delivery DeliveryFromMessage(RdKafka::Message& m) {
  cloudevents::Headers headers;
  if (RdKafka::Headers* h = m.headers()) {
    for (const RdKafka::Headers::Header& header : h->get_all()) {
      headers.push_back(
          {header.key(), std::string(static_cast<const char*>(header.value()),
                                     header.value_size())});
    }
  }
  const std::string payload(static_cast<const char*>(m.payload()), m.len());
  Delivery d;
  d.source = m.topic_name();
  d.partition = m.partition();
  d.offset = m.offset();
  absl::StatusOr<eventstore::RecordedEvent> event =
      cloudevents::FromHeaders(headers, payload);
  if (event.ok()) {
    d.event = *std::move(event);
  } else {
    d.undecodable_reason = std::string(event.status().message());
  }
  return d;
}

}  // namespace pmo::subscription
