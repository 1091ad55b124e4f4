#include "libs/base/proto_time.h"

#include <google/protobuf/util/time_util.h>

#include "libs/base/time_format.h"

namespace pmo {

using google::protobuf::util::TimeUtil;

google::protobuf::Timestamp ToTimestamp(absl::Time t) {
  // Whole seconds round down, so nanos stay in [0, 1e9) before 1970 too.
  return TimeUtil::MicrosecondsToTimestamp(ToUnixMicrosUtc(t));
}

absl::Time FromTimestamp(const google::protobuf::Timestamp& t) {
  return absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos());
}

google::protobuf::Duration ToDurationProto(absl::Duration d) {
  return TimeUtil::MicrosecondsToDuration(absl::ToInt64Microseconds(d));
}

absl::Duration FromDurationProto(const google::protobuf::Duration& d) {
  return absl::Seconds(d.seconds()) + absl::Nanoseconds(d.nanos());
}

}  // namespace pmo
