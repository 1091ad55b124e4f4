#pragma once

// A real single-node Kafka broker for a test, run by scripts/kafka/broker.sh
// (KRaft, 127.0.0.1, free ports kept across a stop and start), and a reader
// that takes everything a topic holds.

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace pmo::testing {

class KafkaBroker {
 public:
  // Starts a broker whose data lives in `workdir`.
  static absl::StatusOr<std::unique_ptr<KafkaBroker>> Start(
      const std::string& workdir);
  ~KafkaBroker();  // stops it

  const std::string& bootstrap() const { return bootstrap_; }
  absl::Status Stop();
  // Starts it again on the same address with the same data.
  absl::Status Restart();

 private:
  explicit KafkaBroker(std::string workdir) : workdir_(std::move(workdir)) {}
  absl::Status Run(const std::string& verb);
  std::string workdir_;
  std::string bootstrap_;
  bool running_ = false;
};

struct KafkaRecord {
  int32_t partition = 0;
  int64_t offset = 0;
  std::string key;
  std::string value;
  std::map<std::string, std::string> headers;
};

// Reads `topic` from the beginning of every partition until at least
// `min_count` records arrived (then drains briefly) or the timeout passes.
std::vector<KafkaRecord> ReadTopic(const std::string& bootstrap,
                                   const std::string& topic, size_t min_count,
                                   absl::Duration timeout);

// Writes `records` (key, value, headers; partition and offset are ignored)
// to `topic` in order and waits until the broker acknowledged every one.
// For tests that hand a consumer messages no service would publish.
absl::Status ProduceRecords(const std::string& bootstrap,
                            const std::string& topic,
                            const std::vector<KafkaRecord>& records);

}  // namespace pmo::testing
