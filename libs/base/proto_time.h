#pragma once

// absl::Time and absl::Duration <-> google.protobuf.Timestamp and
// google.protobuf.Duration, at the event store's precision (microseconds,
// rounded toward the past as ToUnixMicrosUtc does): a time written to an
// event or an answer reads back equal to the stored one. The one place these
// conversions are made.

#include "absl/time/time.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/timestamp.pb.h"

namespace pmo {

google::protobuf::Timestamp ToTimestamp(absl::Time t);
absl::Time FromTimestamp(const google::protobuf::Timestamp& t);

google::protobuf::Duration ToDurationProto(absl::Duration d);
absl::Duration FromDurationProto(const google::protobuf::Duration& d);

}  // namespace pmo
