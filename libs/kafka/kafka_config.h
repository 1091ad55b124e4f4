#pragma once

// librdkafka configuration from a property map, with the property named in
// the error when librdkafka refuses one.

#include <librdkafka/rdkafkacpp.h>

#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace pmo::kafka {

using Properties = std::map<std::string, std::string>;

absl::StatusOr<std::unique_ptr<RdKafka::Conf>> MakeConf(
    const Properties& properties);

}  // namespace pmo::kafka
