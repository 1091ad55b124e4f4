#pragma once

// CloudEvents 1.0, Kafka protocol binding, binary content mode: the event
// message is the Kafka value, the envelope travels in headers.
//
//   ce_specversion  1.0
//   ce_id           event id (UUID)
//   ce_source       /pmo/<context>
//   ce_type         full protobuf name, e.g. pmo.projects.v1.ProjectCreated
//   ce_time         occurred-at (business time), RFC 3339 UTC
//   ce_subject      aggregate id (also the Kafka key)
//   content-type    application/protobuf
//   extensions      ce_pmostreamtype, ce_pmostreamversion, ce_pmoposition,
//                   ce_pmorecordedtime, ce_pmoactor, ce_pmocorrelationid,
//                   ce_pmocausationid
//   traceparent     W3C trace context of the command that caused it

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "libs/eventstore/recorded_event.h"

namespace pmo::cloudevents {

using Headers = std::vector<std::pair<std::string, std::string>>;

// The topic of a bounded context: pmo.<context>.events.v1.
std::string EventsTopic(absl::string_view context);

Headers ToHeaders(const eventstore::RecordedEvent& event,
                  absl::string_view context);

// Rebuilds the envelope from headers and value. INVALID_ARGUMENT naming the
// header when one is missing or malformed; the position is the store
// position the producer recorded.
absl::StatusOr<eventstore::RecordedEvent> FromHeaders(const Headers& headers,
                                                      std::string payload);

}  // namespace pmo::cloudevents
