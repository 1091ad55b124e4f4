// libFuzzer target: CloudEvents header parsing (libs/cloudevents), the first
// code every Kafka message from outside meets in a consumer.
//
// An input becomes a list of headers (names mostly from the binding, values
// mostly plausible, both mutated) and a payload. Besides the sanitizers the
// oracle is the round trip a consumer relies on when it republishes or
// dead-letters: whatever FromHeaders accepts, ToHeaders writes in a form
// FromHeaders accepts again, and a second round trip changes nothing.

#include <fuzzer/FuzzedDataProvider.h>

#include <cstdio>
#include <cstdlib>

#include "libs/cloudevents/cloud_events.h"

namespace {

constexpr const char* kNames[] = {
    "ce_specversion",
    "ce_id",
    "ce_source",
    "ce_type",
    "ce_time",
    "ce_subject",
    "content-type",
    "ce_pmostreamtype",
    "ce_pmostreamversion",
    "ce_pmoposition",
    "ce_pmorecordedtime",
    "ce_pmoactor",
    "ce_pmocorrelationid",
    "ce_pmocausationid",
    "traceparent",
};

// A value the header's reader accepts, so inputs get past the first check.
std::string PlausibleValue(const std::string& name) {
  if (name == "ce_specversion") return "1.0";
  if (name == "content-type") return "application/protobuf";
  if (name == "ce_time" || name == "ce_pmorecordedtime")
    return "2027-01-04T09:30:00.123456Z";
  if (name == "ce_pmostreamversion" || name == "ce_pmoposition") return "7";
  if (name == "ce_source") return "/pmo/projects";
  if (name == "ce_type") return "pmo.projects.v1.ProjectCreated";
  if (name == "traceparent")
    return "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  return "0f8fad5b-d9cb-469f-a165-70867728950e";
}

bool SameEnvelope(const pmo::eventstore::RecordedEvent& a,
                  const pmo::eventstore::RecordedEvent& b) {
  return a.event_id == b.event_id && a.stream_id == b.stream_id &&
         a.stream_type == b.stream_type &&
         a.stream_version == b.stream_version && a.position == b.position &&
         a.occurred_at == b.occurred_at && a.recorded_at == b.recorded_at &&
         a.metadata.actor == b.metadata.actor &&
         a.metadata.causation_id == b.metadata.causation_id &&
         a.metadata.correlation_id == b.metadata.correlation_id &&
         a.metadata.traceparent == b.metadata.traceparent &&
         a.event_type == b.event_type && a.payload == b.payload;
}

[[noreturn]] void Fail(const char* what, const absl::Status& s) {
  std::fprintf(stderr, "cloudevents round trip: %s: %s\n", what,
               s.ToString().c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  pmo::cloudevents::Headers headers;
  const int count = in.ConsumeIntegralInRange<int>(0, 20);
  for (int i = 0; i < count; ++i) {
    std::string name = in.ConsumeBool()
                           ? kNames[in.ConsumeIntegralInRange<size_t>(
                                 0, std::size(kNames) - 1)]
                           : in.ConsumeRandomLengthString(32);
    std::string value = in.ConsumeBool() ? PlausibleValue(name)
                                         : in.ConsumeRandomLengthString(80);
    headers.emplace_back(std::move(name), std::move(value));
  }
  std::string payload = in.ConsumeRemainingBytesAsString();

  auto first = pmo::cloudevents::FromHeaders(headers, payload);
  if (!first.ok()) {
    if (first.status().code() != absl::StatusCode::kInvalidArgument) {
      Fail("a malformed header is not INVALID_ARGUMENT", first.status());
    }
    return 0;
  }
  auto second = pmo::cloudevents::FromHeaders(
      pmo::cloudevents::ToHeaders(*first, "projects"), first->payload);
  if (!second.ok())
    Fail("headers written from an accepted event do not parse",
         second.status());
  auto third = pmo::cloudevents::FromHeaders(
      pmo::cloudevents::ToHeaders(*second, "projects"), second->payload);
  if (!third.ok()) Fail("second round trip", third.status());
  if (!SameEnvelope(*second, *third)) {
    Fail("a second round trip changed the envelope", absl::OkStatus());
  }
  return 0;
}
