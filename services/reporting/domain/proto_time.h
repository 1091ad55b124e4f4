#pragma once

// google.protobuf.Timestamp <-> absl::Time, at the store's precision
// (microseconds).

#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"

namespace pmo::reporting {

inline google::protobuf::Timestamp ToTimestamp(absl::Time t) {
  const int64_t micros = absl::ToUnixMicros(t);
  google::protobuf::Timestamp out;
  int64_t seconds = micros / 1'000'000;
  int64_t rest = micros % 1'000'000;
  if (rest < 0) {
    rest += 1'000'000;
    --seconds;
  }
  out.set_seconds(seconds);
  out.set_nanos(static_cast<int32_t>(rest * 1000));
  return out;
}

inline absl::Time FromTimestamp(const google::protobuf::Timestamp& t) {
  return absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos());
}

}  // namespace pmo::reporting
