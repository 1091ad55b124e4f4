#include "libs/subscription/kafka_log_reader.h"

#include <librdkafka/rdkafkacpp.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>

#include "absl/strings/str_cat.h"
#include "libs/kafka/kafka_config.h"
#include "libs/subscription/kafka_delivery.h"

namespace pmo::subscription {
namespace {

constexpr int kMetadataTimeoutMs = 10000;

}  // namespace

absl::StatusOr<std::unique_ptr<KafkaLogReader>> KafkaLogReader::Open(
    const Options& options) {
  // librdkafka's KafkaConsumer insists on a group.id even when partitions
  // are only assigned; a name of its own keeps it clear of every real
  // group, and nothing is ever committed under it.
  static std::atomic<int> readers{0};
  std::map<std::string, std::string> settings = {
      {"bootstrap.servers", options.bootstrap_servers},
      {"group.id",
       absl::StrCat("pmo-log-reader-", getpid(), "-", readers.fetch_add(1))},
      {"enable.auto.commit", "false"},
      {"enable.auto.offset.store", "false"},
      {"auto.offset.reset", "earliest"},
      {"enable.partition.eof", "false"},
      {"reconnect.backoff.max.ms", "1000"},
  };
  for (const auto& [k, v] : options.overrides) settings[k] = v;
  auto conf = kafka::MakeConf(settings);
  if (!conf.ok()) return conf.status();
  std::string error;
  std::unique_ptr<KafkaLogReader> out(new KafkaLogReader());
  out->consumer_.reset(RdKafka::KafkaConsumer::create(conf->get(), error));
  if (!out->consumer_)
    return absl::InvalidArgumentError(
        absl::StrCat("kafka log reader: ", error));

  RdKafka::Metadata* raw = nullptr;
  RdKafka::ErrorCode err =
      out->consumer_->metadata(true, nullptr, &raw, kMetadataTimeoutMs);
  std::unique_ptr<RdKafka::Metadata> metadata(raw);
  if (err != RdKafka::ERR_NO_ERROR) {
    return absl::UnavailableError(
        absl::StrCat("kafka log reader: metadata: ", RdKafka::err2str(err)));
  }
  for (const std::string& topic : options.topics) {
    const RdKafka::TopicMetadata* found = nullptr;
    for (const RdKafka::TopicMetadata* t : *metadata->topics()) {
      if (t->topic() == topic && t->err() == RdKafka::ERR_NO_ERROR) found = t;
    }
    if (found == nullptr || found->partitions()->empty()) {
      return absl::UnavailableError(absl::StrCat(
          "kafka log reader: topic ", topic, " is not known to the broker"));
    }
    std::vector<int32_t> ids;
    for (const RdKafka::PartitionMetadata* p : *found->partitions())
      ids.push_back(p->id());
    std::sort(ids.begin(), ids.end());
    for (int32_t id : ids) out->partitions_.push_back({topic, id});
  }
  std::vector<RdKafka::TopicPartition*> assignment;
  for (const Partition& p : out->partitions_) {
    assignment.push_back(RdKafka::TopicPartition::create(
        p.topic, p.partition, RdKafka::Topic::OFFSET_BEGINNING));
  }
  err = out->consumer_->assign(assignment);
  RdKafka::TopicPartition::destroy(assignment);
  if (err != RdKafka::ERR_NO_ERROR) {
    return absl::UnavailableError(
        absl::StrCat("kafka log reader: assign: ", RdKafka::err2str(err)));
  }
  return out;
}

KafkaLogReader::~KafkaLogReader() {
  if (consumer_) consumer_->close();
}

absl::StatusOr<std::vector<Delivery>> KafkaLogReader::Read(absl::Duration wait,
                                                           int max) {
  std::vector<Delivery> out;
  // As the live subscription does: the first message may be waited for,
  // what librdkafka has fetched behind it comes along without waiting.
  while (static_cast<int>(out.size()) < max) {
    const int wait_ms =
        out.empty() ? static_cast<int>(absl::ToInt64Milliseconds(wait)) : 0;
    std::unique_ptr<RdKafka::Message> m(consumer_->consume(wait_ms));
    if (m->err() == RdKafka::ERR__TIMED_OUT) break;
    if (m->err() != RdKafka::ERR_NO_ERROR) {
      // Transient broker trouble is retried by librdkafka; the caller
      // decides how long it waits for progress.
      if (m->err() == RdKafka::ERR__PARTITION_EOF) break;
      if (m->err() == RdKafka::ERR__TRANSPORT ||
          m->err() == RdKafka::ERR__ALL_BROKERS_DOWN)
        break;
      return absl::UnavailableError(
          absl::StrCat("kafka log reader: ", m->errstr()));
    }
    out.push_back(DeliveryFromMessage(*m));
  }
  return out;
}

}  // namespace pmo::subscription
