#include "tests/support/kafka_broker.h"

#include <librdkafka/rdkafkacpp.h>

#include <cstdlib>
#include <fstream>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"

namespace pmo::testing {

absl::StatusOr<std::unique_ptr<KafkaBroker>> KafkaBroker::Start(
    const std::string& workdir) {
  std::unique_ptr<KafkaBroker> broker(new KafkaBroker(workdir));
  if (absl::Status s = broker->Run("start"); !s.ok()) return s;
  std::ifstream in(workdir + "/bootstrap");
  std::getline(in, broker->bootstrap_);
  if (broker->bootstrap_.empty()) {
    return absl::InternalError("broker.sh wrote no bootstrap address");
  }
  return broker;
}

KafkaBroker::~KafkaBroker() {
  if (running_) (void)Stop();
}

absl::Status KafkaBroker::Run(const std::string& verb) {
  const std::string command =
      absl::StrCat("bash " PMO_SOURCE_DIR "/scripts/kafka/broker.sh ", verb,
                   " '", workdir_, "' >&2");
  if (std::system(command.c_str()) != 0) {
    return absl::UnavailableError(absl::StrCat("broker.sh ", verb, " failed"));
  }
  running_ = verb == "start";
  return absl::OkStatus();
}

absl::Status KafkaBroker::Stop() { return Run("stop"); }
absl::Status KafkaBroker::Restart() { return Run("start"); }

std::vector<KafkaRecord> ReadTopic(const std::string& bootstrap,
                                   const std::string& topic, size_t min_count,
                                   absl::Duration timeout) {
  std::vector<KafkaRecord> out;
  std::string error;
  std::unique_ptr<RdKafka::Conf> conf(
      RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  conf->set("bootstrap.servers", bootstrap, error);
  conf->set("group.id", "pmo-test-reader", error);
  conf->set("enable.auto.commit", "false", error);
  std::unique_ptr<RdKafka::KafkaConsumer> consumer(
      RdKafka::KafkaConsumer::create(conf.get(), error));
  if (!consumer) return out;
  const absl::Time deadline = absl::Now() + timeout;

  // assign() to every partition from the beginning: no group join to wait for.
  std::vector<RdKafka::TopicPartition*> partitions;
  while (partitions.empty() && absl::Now() < deadline) {
    std::unique_ptr<RdKafka::Topic> t(
        RdKafka::Topic::create(consumer.get(), topic, nullptr, error));
    RdKafka::Metadata* raw = nullptr;
    if (consumer->metadata(false, t.get(), &raw, 5000) ==
        RdKafka::ERR_NO_ERROR) {
      std::unique_ptr<RdKafka::Metadata> metadata(raw);
      for (const auto* tm : *metadata->topics()) {
        if (tm->err() != RdKafka::ERR_NO_ERROR) continue;
        for (const auto* pm : *tm->partitions()) {
          partitions.push_back(RdKafka::TopicPartition::create(
              topic, pm->id(), RdKafka::Topic::OFFSET_BEGINNING));
        }
      }
    }
    if (partitions.empty()) absl::SleepFor(absl::Milliseconds(200));
  }
  consumer->assign(partitions);
  RdKafka::TopicPartition::destroy(partitions);

  absl::Time quiet_until = absl::InfiniteFuture();
  while (absl::Now() < deadline && absl::Now() < quiet_until) {
    std::unique_ptr<RdKafka::Message> m(consumer->consume(100));
    if (m->err() != RdKafka::ERR_NO_ERROR) continue;
    KafkaRecord r;
    r.partition = m->partition();
    r.offset = m->offset();
    if (m->key()) r.key = *m->key();
    r.value.assign(static_cast<const char*>(m->payload()), m->len());
    if (RdKafka::Headers* h = m->headers()) {
      for (const auto& header : h->get_all()) {
        r.headers[header.key()] = std::string(
            static_cast<const char*>(header.value()), header.value_size());
      }
    }
    out.push_back(std::move(r));
    // Once enough arrived, keep reading a little to catch extras (duplicates).
    if (out.size() >= min_count && quiet_until == absl::InfiniteFuture()) {
      quiet_until = absl::Now() + absl::Seconds(2);
    }
  }
  consumer->close();
  return out;
}

namespace {

// Remembers the first failed delivery: flush() alone does not say whether
// the broker took the records.
class DeliveryErrors : public RdKafka::DeliveryReportCb {
 public:
  void dr_cb(RdKafka::Message& m) override {
    if (m.err() != RdKafka::ERR_NO_ERROR && first_error.empty())
      first_error = m.errstr();
  }
  std::string first_error;
};

}  // namespace

absl::Status ProduceRecords(const std::string& bootstrap,
                            const std::string& topic,
                            const std::vector<KafkaRecord>& records) {
  std::string error;
  DeliveryErrors delivery;
  std::unique_ptr<RdKafka::Conf> conf(
      RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  conf->set("bootstrap.servers", bootstrap, error);
  // One in-flight request keeps the records in the order given.
  conf->set("enable.idempotence", "true", error);
  conf->set("dr_cb", &delivery, error);
  std::unique_ptr<RdKafka::Producer> producer(
      RdKafka::Producer::create(conf.get(), error));
  if (!producer) return absl::InternalError("producer: " + error);
  for (const KafkaRecord& r : records) {
    RdKafka::Headers* headers = RdKafka::Headers::create();
    for (const auto& [key, value] : r.headers)
      headers->add(key, value.data(), value.size());
    RdKafka::ErrorCode code = producer->produce(
        topic, RdKafka::Topic::PARTITION_UA, RdKafka::Producer::RK_MSG_COPY,
        const_cast<char*>(r.value.data()), r.value.size(), r.key.data(),
        r.key.size(), 0, headers, nullptr);
    if (code != RdKafka::ERR_NO_ERROR) {
      delete headers;  // produce() takes them only on success
      return absl::InternalError("produce: " + RdKafka::err2str(code));
    }
  }
  if (producer->flush(60'000) != RdKafka::ERR_NO_ERROR ||
      producer->outq_len() > 0) {
    return absl::DeadlineExceededError("records not acknowledged within 60 s");
  }
  if (!delivery.first_error.empty())
    return absl::UnavailableError(delivery.first_error);
  return absl::OkStatus();
}

}  // namespace pmo::testing
