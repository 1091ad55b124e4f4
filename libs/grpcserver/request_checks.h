#pragma once

// Field checks every gRPC adapter shares; each adds a violation naming the
// request field, so one INVALID_ARGUMENT lists every bad field at once.

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "google/protobuf/message.h"
#include "google/type/date.pb.h"
#include "libs/base/errors.h"

namespace pmo::grpcserver {

// The longest id any request may carry.
inline constexpr size_t kMaxIdBytes = 128;

// Every top-level id field of a request (id, *_id, and repeated *_ids):
// at most kMaxIdBytes, no control characters. INVALID_ARGUMENT naming
// each bad field; the method guard checks it for every call, so a handler
// never sees (nor logs, nor looks up) a megabyte-long id.
absl::Status CheckIdFields(const google::protobuf::Message& request);

// 1-128 characters, not in the '~' space the services derive ids in.
void CheckRequestId(FieldViolations& v, const std::string& request_id);
// An aggregate id: a canonical UUID.
void CheckUuid(FieldViolations& v, const std::string& field,
               const std::string& id);
// The same check on its own (an item scope's lookup): INVALID_ARGUMENT
// naming `field` unless `id` is a UUID.
absl::Status CheckUuid(const std::string& field, const std::string& id);
// Set expected versions start at 1.
void CheckExpectedVersion(FieldViolations& v, bool present, int64_t version);
// A required date (absent: "is required"; not a calendar day: named).
void ReadDate(FieldViolations& v, const std::string& field, bool present,
              const google::type::Date& date, absl::CivilDay* out);
// An optional date: absent leaves `out` alone.
void ReadOptionalDate(FieldViolations& v, const std::string& field,
                      bool present, const google::type::Date& date,
                      std::optional<absl::CivilDay>* out);

// The checks every command on an existing aggregate shares: its request id,
// the aggregate's id (a UUID, named `id_field`) and its expected version.
template <typename Request>
void CheckCommandOn(FieldViolations& v, const Request& request,
                    const std::string& id_field, const std::string& id) {
  CheckRequestId(v, request.request_id());
  CheckUuid(v, id_field, id);
  CheckExpectedVersion(v, request.has_expected_version(),
                       request.expected_version());
}

template <typename Request>
std::optional<int64_t> ExpectedVersionOf(const Request& request) {
  if (!request.has_expected_version()) return std::nullopt;
  return request.expected_version();
}

}  // namespace pmo::grpcserver
