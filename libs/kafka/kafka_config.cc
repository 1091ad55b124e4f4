#include "libs/kafka/kafka_config.h"

#include "absl/strings/str_cat.h"

namespace pmo::kafka {

absl::StatusOr<std::unique_ptr<RdKafka::Conf>> MakeConf(
    const Properties& properties) {
  std::unique_ptr<RdKafka::Conf> conf(
      RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  std::string error;
  for (const auto& [key, value] : properties) {
    if (conf->set(key, value, error) != RdKafka::Conf::CONF_OK) {
      return absl::InvalidArgumentError(
          absl::StrCat("kafka property ", key, ": ", error));
    }
  }
  return conf;
}

}  // namespace pmo::kafka
