#include "libs/cloudevents/cloud_events.h"

#include "absl/container/flat_hash_map.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "libs/base/status_macros.h"
#include "libs/base/time_format.h"

namespace pmo::cloudevents {
namespace {

absl::StatusOr<std::string> Required(
    const absl::flat_hash_map<std::string, std::string>& h,
    const std::string& name) {
  auto it = h.find(name);
  if (it == h.end() || it->second.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("header ", name, " is missing"));
  }
  return it->second;
}

absl::StatusOr<int64_t> RequiredInt(
    const absl::flat_hash_map<std::string, std::string>& h,
    const std::string& name) {
  ASSIGN_OR_RETURN(std::string text, Required(h, name));
  int64_t value = 0;
  if (!absl::SimpleAtoi(text, &value) || value < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("header ", name, " is not a positive integer"));
  }
  return value;
}

absl::StatusOr<absl::Time> RequiredTime(
    const absl::flat_hash_map<std::string, std::string>& h,
    const std::string& name) {
  ASSIGN_OR_RETURN(std::string text, Required(h, name));
  absl::Time t;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, text, &t, &error)) {
    return absl::InvalidArgumentError(
        absl::StrCat("header ", name, " is not RFC 3339: ", error));
  }
  return t;
}

std::string Optional(const absl::flat_hash_map<std::string, std::string>& h,
                     const std::string& name) {
  auto it = h.find(name);
  return it == h.end() ? std::string() : it->second;
}

}  // namespace

std::string EventsTopic(absl::string_view context) {
  return absl::StrCat("pmo.", context, ".events.v1");
}

Headers ToHeaders(const eventstore::RecordedEvent& e,
                  absl::string_view context) {
  Headers h = {
      {"ce_specversion", "1.0"},
      {"ce_id", e.event_id},
      {"ce_source", absl::StrCat("/pmo/", context)},
      {"ce_type", e.event_type},
      {"ce_time", FormatRfc3339(e.occurred_at)},
      {"ce_subject", e.stream_id},
      {"content-type", "application/protobuf"},
      {"ce_pmostreamtype", e.stream_type},
      {"ce_pmostreamversion", absl::StrCat(e.stream_version)},
      {"ce_pmoposition", absl::StrCat(e.position)},
      {"ce_pmorecordedtime", FormatRfc3339(e.recorded_at)},
      {"ce_pmoactor", e.metadata.actor},
      {"ce_pmocorrelationid", e.metadata.correlation_id},
      {"ce_pmocausationid", e.metadata.causation_id},
  };
  if (!e.metadata.traceparent.empty()) {
    h.push_back({"traceparent", e.metadata.traceparent});
  }
  return h;
}

absl::StatusOr<eventstore::RecordedEvent> FromHeaders(const Headers& headers,
                                                      std::string payload) {
  absl::flat_hash_map<std::string, std::string> h(headers.begin(),
                                                  headers.end());
  ASSIGN_OR_RETURN(std::string spec, Required(h, "ce_specversion"));
  if (spec != "1.0") {
    return absl::InvalidArgumentError(
        absl::StrCat("header ce_specversion is ", spec, ", expected 1.0"));
  }
  if (std::string type = Optional(h, "content-type");
      type != "application/protobuf") {
    return absl::InvalidArgumentError(absl::StrCat(
        "header content-type is '", type, "', expected application/protobuf"));
  }
  eventstore::RecordedEvent e;
  ASSIGN_OR_RETURN(e.event_id, Required(h, "ce_id"));
  ASSIGN_OR_RETURN(e.event_type, Required(h, "ce_type"));
  ASSIGN_OR_RETURN(e.stream_id, Required(h, "ce_subject"));
  ASSIGN_OR_RETURN(e.stream_type, Required(h, "ce_pmostreamtype"));
  ASSIGN_OR_RETURN(e.stream_version, RequiredInt(h, "ce_pmostreamversion"));
  ASSIGN_OR_RETURN(e.position, RequiredInt(h, "ce_pmoposition"));
  ASSIGN_OR_RETURN(e.occurred_at, RequiredTime(h, "ce_time"));
  ASSIGN_OR_RETURN(e.recorded_at, RequiredTime(h, "ce_pmorecordedtime"));
  e.metadata.actor = Optional(h, "ce_pmoactor");
  e.metadata.correlation_id = Optional(h, "ce_pmocorrelationid");
  e.metadata.causation_id = Optional(h, "ce_pmocausationid");
  e.metadata.traceparent = Optional(h, "traceparent");
  e.payload = std::move(payload);
  return e;
}

}  // namespace pmo::cloudevents
