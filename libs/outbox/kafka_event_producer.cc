#include "libs/outbox/kafka_event_producer.h"

#include <cstdio>
#include <cstdlib>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/base/status_macros.h"
#include "libs/cloudevents/cloud_events.h"
#include "libs/kafka/kafka_config.h"

namespace pmo::outbox {

// Delivery reports carry (batch generation << 32 | index in the batch) as
// the message opaque, so a late report of an abandoned batch is told apart
// from one of the current batch.
class KafkaEventProducer::DeliveryReports : public RdKafka::DeliveryReportCb {
 public:
  enum Outcome : char { kPending, kDelivered, kFailed };
  std::vector<Outcome> outcomes;
  size_t pending = 0;
  uint64_t generation = 0;

  // librdkafka hands a message's opaque pointer back in its delivery
  // report; it carries a number (batch generation, index), never an
  // address, so the integer-to-pointer cast is the point.
  void* Opaque(size_t index) const {
    // NOLINTNEXTLINE(performance-no-int-to-ptr)
    return reinterpret_cast<void*>((generation << 32) | index);
  }

  void dr_cb(RdKafka::Message& message) override {
    const uint64_t tag = reinterpret_cast<uint64_t>(message.msg_opaque());
    const size_t index = tag & 0xffffffffu;
    if ((tag >> 32) != generation || index >= outcomes.size()) return;
    if (outcomes[index] == kPending) --pending;
    if (message.err() == RdKafka::ERR_NO_ERROR) {
      outcomes[index] = kDelivered;
    } else {
      outcomes[index] = kFailed;
      std::fprintf(stderr, "relay: delivery failed: %s\n",
                   message.errstr().c_str());
    }
  }
};

absl::StatusOr<std::unique_ptr<KafkaEventProducer>> KafkaEventProducer::Create(
    const std::string& bootstrap_servers, const std::string& context,
    const std::map<std::string, std::string>& overrides) {
  std::unique_ptr<KafkaEventProducer> out(new KafkaEventProducer());
  out->context_ = context;
  out->topic_ = cloudevents::EventsTopic(context);
  out->reports_ = std::make_unique<DeliveryReports>();

  std::map<std::string, std::string> settings = {
      {"bootstrap.servers", bootstrap_servers},
      {"enable.idempotence", "true"},
      {"acks", "all"},
      {"compression.type", "none"},
      {"linger.ms", "5"},
      // A broker that is down is waited for: librdkafka keeps retrying for
      // this long before a message fails (then the relay resends it).
      {"message.timeout.ms", "300000"},
      {"reconnect.backoff.max.ms", "1000"},
      {"client.id", absl::StrCat("pmo-", context, "-relay")},
  };
  for (const auto& [k, v] : overrides) settings[k] = v;

  ASSIGN_OR_RETURN(std::unique_ptr<RdKafka::Conf> conf,
                   kafka::MakeConf(settings));
  std::string error;
  if (conf->set("dr_cb", out->reports_.get(), error) !=
      RdKafka::Conf::CONF_OK) {
    return absl::InternalError(error);
  }
  out->producer_.reset(RdKafka::Producer::create(conf.get(), error));
  if (!out->producer_) {
    return absl::InvalidArgumentError(absl::StrCat("kafka producer: ", error));
  }
  return out;
}

KafkaEventProducer::~KafkaEventProducer() {
  if (producer_) {
    // Undelivered events stay behind the checkpoint and are sent again by
    // the next relay; nothing here needs to wait for them.
    producer_->purge(RdKafka::Producer::PURGE_QUEUE |
                     RdKafka::Producer::PURGE_INFLIGHT);
    producer_->flush(1000);
  }
}

size_t KafkaEventProducer::Produce(
    const std::vector<eventstore::RecordedEvent>& events, absl::Time deadline) {
  ++reports_->generation;
  reports_->outcomes.assign(events.size(), DeliveryReports::kPending);
  reports_->pending = events.size();
  size_t enqueued = 0;
  for (size_t i = 0; i < events.size(); ++i) {
    const eventstore::RecordedEvent& e = events[i];
    RdKafka::Headers* headers = RdKafka::Headers::create();
    for (const auto& [name, value] : cloudevents::ToHeaders(e, context_)) {
      headers->add(name, value);
    }
    while (true) {
      RdKafka::ErrorCode err = producer_->produce(
          topic_, RdKafka::Topic::PARTITION_UA, RdKafka::Producer::RK_MSG_COPY,
          const_cast<char*>(e.payload.data()), e.payload.size(),
          e.stream_id.data(), e.stream_id.size(), 0, headers,
          reports_->Opaque(i));
      if (err == RdKafka::ERR_NO_ERROR)
        break;  // headers now owned by librdkafka
      if (err == RdKafka::ERR__QUEUE_FULL && absl::Now() < deadline) {
        producer_->poll(50);
        continue;
      }
      delete headers;
      std::fprintf(stderr, "relay: produce failed: %s\n",
                   RdKafka::err2str(err).c_str());
      goto wait_for_reports;  // later events must not overtake this one
    }
    ++enqueued;
  }
wait_for_reports:
  // Events never enqueued count as failed.
  for (size_t i = enqueued; i < events.size(); ++i) {
    reports_->outcomes[i] = DeliveryReports::kFailed;
  }
  reports_->pending -= events.size() - enqueued;
  while (reports_->pending > 0 && absl::Now() < deadline) {
    producer_->poll(static_cast<int>(std::min<int64_t>(
        100, absl::ToInt64Milliseconds(deadline - absl::Now()) + 1)));
  }
  std::string fatal;
  if (producer_->fatal_error(fatal) != RdKafka::ERR_NO_ERROR) {
    // The idempotent producer cannot go on (e.g. a fenced epoch). Events
    // after the checkpoint are safe in the store: stop the process so it
    // restarts with a new producer rather than stall silently.
    std::fprintf(stderr, "relay: fatal Kafka producer error: %s\n",
                 fatal.c_str());
    std::abort();
  }
  size_t delivered = 0;
  while (delivered < events.size() &&
         reports_->outcomes[delivered] == DeliveryReports::kDelivered) {
    ++delivered;
  }
  if (delivered < events.size() && reports_->pending > 0) {
    // The rest is still in flight; it will be sent again from the
    // checkpoint, so drop what librdkafka still holds to keep order simple.
    producer_->purge(RdKafka::Producer::PURGE_QUEUE);
    producer_->poll(0);
  }
  reports_->outcomes.clear();
  return delivered;
}

}  // namespace pmo::outbox
