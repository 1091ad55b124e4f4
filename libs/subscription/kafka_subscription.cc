#include "libs/subscription/kafka_subscription.h"

#include <librdkafka/rdkafkacpp.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/kafka/kafka_config.h"
#include "libs/subscription/kafka_delivery.h"

namespace pmo::subscription {
namespace {

// How long the consumer blocks for a batch's first message.
constexpr int kFirstMessageWaitMs = 100;

void DeletePartitions(std::vector<RdKafka::TopicPartition*>& partitions) {
  RdKafka::TopicPartition::destroy(partitions);
}

}  // namespace

// On assignment, every partition starts where the handler's view says.
class KafkaSubscription::Rebalance : public RdKafka::RebalanceCb {
 public:
  explicit Rebalance(EventHandler& handler) : handler_(handler) {}

  void rebalance_cb(
      RdKafka::KafkaConsumer* consumer, RdKafka::ErrorCode err,
      std::vector<RdKafka::TopicPartition*>& partitions) override {
    if (err == RdKafka::ERR__ASSIGN_PARTITIONS) {
      SetStartOffsets(partitions);
      consumer->assign(partitions);
    } else {
      consumer->unassign();
    }
  }

  void SetStartOffsets(std::vector<RdKafka::TopicPartition*>& partitions) {
    for (RdKafka::TopicPartition* p : partitions) {
      absl::StatusOr<std::optional<int64_t>> next =
          handler_.ResumeOffset(p->topic(), p->partition());
      if (!next.ok()) {
        // Without the view's offset the only safe start is the beginning:
        // duplicates are dropped, gaps would not be.
        std::fprintf(stderr, "subscription: offset of %s/%d: %s\n",
                     p->topic().c_str(), p->partition(),
                     next.status().ToString().c_str());
      }
      p->set_offset(next.ok() && next->has_value()
                        ? **next
                        : RdKafka::Topic::OFFSET_BEGINNING);
    }
  }

 private:
  EventHandler& handler_;
};

KafkaSubscription::KafkaSubscription(Options options, EventHandler& handler)
    : options_(std::move(options)), handler_(handler) {}

absl::StatusOr<std::unique_ptr<KafkaSubscription>> KafkaSubscription::Create(
    Options options, EventHandler& handler) {
  std::unique_ptr<KafkaSubscription> out(
      new KafkaSubscription(std::move(options), handler));
  out->rebalance_ = std::make_unique<Rebalance>(handler);

  std::map<std::string, std::string> consumer_settings = {
      {"bootstrap.servers", out->options_.bootstrap_servers},
      {"group.id", out->options_.group_id},
      {"enable.auto.commit", "false"},
      {"enable.auto.offset.store", "false"},
      {"auto.offset.reset", "earliest"},
      {"enable.partition.eof", "false"},
      {"reconnect.backoff.max.ms", "1000"},
      {"topic.metadata.refresh.interval.ms", "5000"},
  };
  for (const auto& [k, v] : out->options_.overrides) consumer_settings[k] = v;
  auto conf = kafka::MakeConf(consumer_settings);
  if (!conf.ok()) return conf.status();
  std::string error;
  if ((*conf)->set("rebalance_cb", out->rebalance_.get(), error) !=
      RdKafka::Conf::CONF_OK) {
    return absl::InternalError(error);
  }
  out->consumer_.reset(RdKafka::KafkaConsumer::create(conf->get(), error));
  if (!out->consumer_) {
    return absl::InvalidArgumentError(absl::StrCat("kafka consumer: ", error));
  }

  auto producer_conf =
      kafka::MakeConf({{"bootstrap.servers", out->options_.bootstrap_servers},
                       {"enable.idempotence", "true"},
                       {"acks", "all"}});
  if (!producer_conf.ok()) return producer_conf.status();
  out->dead_letters_.reset(
      RdKafka::Producer::create(producer_conf->get(), error));
  if (!out->dead_letters_) {
    return absl::InvalidArgumentError(absl::StrCat("kafka producer: ", error));
  }
  RdKafka::ErrorCode err = out->consumer_->subscribe(out->options_.topics);
  if (err != RdKafka::ERR_NO_ERROR) {
    return absl::InvalidArgumentError(
        absl::StrCat("kafka subscribe: ", RdKafka::err2str(err)));
  }
  return out;
}

KafkaSubscription::~KafkaSubscription() {
  Stop();
  if (consumer_) consumer_->close();
}

void KafkaSubscription::Start() {
  thread_ = std::thread([this] { Run(); });
}

void KafkaSubscription::Stop() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
}

bool KafkaSubscription::DeadLetter(const Delivery& d, const std::string& key,
                                   const std::string& payload) {
  RdKafka::Headers* headers = RdKafka::Headers::create();
  headers->add("pmo_dlq_reason", d.undecodable_reason);
  headers->add("pmo_dlq_source",
               absl::StrCat(d.source, "/", d.partition, "@", d.offset));
  RdKafka::ErrorCode err = dead_letters_->produce(
      options_.dead_letter_topic, RdKafka::Topic::PARTITION_UA,
      RdKafka::Producer::RK_MSG_COPY, const_cast<char*>(payload.data()),
      payload.size(), key.data(), key.size(), 0, headers, nullptr);
  if (err != RdKafka::ERR_NO_ERROR) {
    delete headers;
    return false;
  }
  // The offset moves past this message only once the dead letter is safe.
  return dead_letters_->flush(30000) == RdKafka::ERR_NO_ERROR;
}

void KafkaSubscription::Rewind() {
  std::vector<RdKafka::TopicPartition*> assigned;
  if (consumer_->assignment(assigned) != RdKafka::ERR_NO_ERROR) return;
  rebalance_->SetStartOffsets(assigned);
  consumer_->assign(assigned);
  DeletePartitions(assigned);
}

std::vector<KafkaSubscription::PartitionLag> KafkaSubscription::Lags() const {
  std::lock_guard lock(lags_mu_);
  return lags_;
}

void KafkaSubscription::RefreshLags() {
  std::vector<RdKafka::TopicPartition*> assigned;
  if (consumer_->assignment(assigned) != RdKafka::ERR_NO_ERROR) return;
  consumer_->position(assigned);
  std::vector<PartitionLag> lags;
  for (const RdKafka::TopicPartition* p : assigned) {
    int64_t low = 0;
    int64_t high = 0;
    // Nothing fetched yet from this partition: its lag is not known.
    if (p->offset() < 0 ||
        consumer_->get_watermark_offsets(p->topic(), p->partition(), &low,
                                         &high) != RdKafka::ERR_NO_ERROR ||
        high < 0) {
      continue;
    }
    lags.push_back(
        {p->topic(), p->partition(), std::max<int64_t>(high - p->offset(), 0)});
  }
  DeletePartitions(assigned);
  std::lock_guard lock(lags_mu_);
  lags_ = std::move(lags);
}

void KafkaSubscription::Run() {
  absl::Time lags_due = absl::Now();
  while (!stopping_) {
    if (absl::Now() >= lags_due) {
      RefreshLags();
      lags_due = absl::Now() + absl::Seconds(1);
    }
    // A batch is handed over as soon as its first message is there, with
    // whatever librdkafka has already fetched behind it (up to max_batch):
    // no fixed window, so an event waits only for the apply before it.
    // The wait for the first message only bounds how soon Stop() is seen.
    std::vector<Delivery> batch;
    bool failed = false;
    while (static_cast<int>(batch.size()) < options_.max_batch && !failed) {
      const int wait_ms = batch.empty() ? kFirstMessageWaitMs : 0;
      std::unique_ptr<RdKafka::Message> m(consumer_->consume(wait_ms));
      if (m->err() == RdKafka::ERR__TIMED_OUT) break;
      if (m->err() != RdKafka::ERR_NO_ERROR) {
        if (m->err() != RdKafka::ERR__PARTITION_EOF) {
          std::fprintf(stderr, "subscription: %s\n", m->errstr().c_str());
        }
        break;  // hand over what is here; the outer loop asks again
      }
      Delivery d = DeliveryFromMessage(*m);
      if (!d.undecodable_reason.empty()) {
        const std::string key = m->key() ? *m->key() : std::string();
        const std::string payload(static_cast<const char*>(m->payload()),
                                  m->len());
        if (!DeadLetter(d, key, payload)) {
          std::fprintf(stderr,
                       "subscription: dead letter not written; retrying\n");
          failed = true;
          break;
        }
        dead_lettered_.fetch_add(1);
      }
      batch.push_back(std::move(d));
    }
    if (failed) {
      Rewind();
      absl::SleepFor(absl::Milliseconds(500));
      continue;
    }
    if (batch.empty()) continue;
    if (absl::Status s = handler_.Handle(batch); !s.ok()) {
      std::fprintf(stderr, "subscription: handler failed: %s\n",
                   s.ToString().c_str());
      Rewind();  // deliver again from what the view holds
      absl::SleepFor(absl::Milliseconds(200));
      continue;
    }
    handled_.fetch_add(static_cast<int64_t>(batch.size()));
  }
}

KafkaSubscription::Options ServiceConsumerOptions(
    const std::string& service, const std::string& bootstrap_servers,
    const std::string& group_id, std::vector<std::string> topics) {
  KafkaSubscription::Options options;
  options.bootstrap_servers = bootstrap_servers;
  options.group_id = group_id;
  if (options.group_id.empty()) {
    char host[256] = {};
    gethostname(host, sizeof host - 1);
    options.group_id = absl::StrCat("pmo-", service, "-", host);
  }
  options.topics = std::move(topics);
  options.dead_letter_topic = absl::StrCat("pmo.", service, ".deadletter.v1");
  return options;
}

}  // namespace pmo::subscription
