#include "libs/eventstore/event_store.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "libs/base/errors.h"

namespace pmo::eventstore {
namespace {
constexpr char kCurrentVersionPayload[] = "type.pmo.dev/pmo.current_version";
}  // namespace

absl::Status VersionConflictError(absl::string_view stream_id,
                                  int64_t current_version,
                                  int64_t expected_version) {
  absl::Status status = absl::AbortedError(
      absl::StrCat("stream ", stream_id, " is at version ", current_version,
                   ", expected version ", expected_version));
  status.SetPayload(kCurrentVersionPayload,
                    absl::Cord(absl::StrCat(current_version)));
  return status;
}

absl::Status ValidateAppendRequest(const AppendRequest& r) {
  if (r.stream_id.empty())
    return absl::InvalidArgumentError("stream_id is empty");
  if (r.stream_type.empty()) {
    return absl::InvalidArgumentError("stream_type is empty");
  }
  if (r.events.empty())
    return absl::InvalidArgumentError("no events to append");
  if (r.expected_version && *r.expected_version < 0) {
    return absl::InvalidArgumentError("expected_version is negative");
  }
  for (const NewEvent& e : r.events) {
    if (e.event_id.empty() || e.event_type.empty()) {
      return absl::InvalidArgumentError("event without event_id or event_type");
    }
  }
  return absl::OkStatus();
}

std::optional<int64_t> CurrentVersionOf(const absl::Status& status) {
  absl::optional<absl::Cord> payload =
      status.GetPayload(kCurrentVersionPayload);
  int64_t version = 0;
  if (!payload || !absl::SimpleAtoi(std::string(*payload), &version)) {
    return std::nullopt;
  }
  return version;
}

absl::Status CheckSameCommand(const AppendResult& earlier,
                              absl::string_view fingerprint) {
  if (earlier.request_fingerprint.empty() || fingerprint.empty() ||
      earlier.request_fingerprint == fingerprint) {
    return absl::OkStatus();
  }
  FieldViolations v;
  v.Add("request_id",
        "was already used for a different request; send a new request_id for a "
        "new change");
  return v.ToStatus();
}

}  // namespace pmo::eventstore
