#include "services/projects/app/library_methodologies.h"

#include <cstdio>

#include "libs/base/status_macros.h"
#include "libs/eventsourcing/event_codec.h"
#include "libs/eventsourcing/request_ids.h"
#include "pmo/configuration/v1/events.pb.h"

namespace pmo::projects {
namespace {

namespace cv1 = ::pmo::configuration::v1;

constexpr char kPublished[] =
    "pmo.configuration.v1.MethodologyVersionPublished";
constexpr char kWithdrawn[] =
    "pmo.configuration.v1.MethodologyVersionWithdrawn";

// The library's phases, as the projects context records them (a phase's
// description stays in the library).
google::protobuf::RepeatedPtrField<v1::Phase> ToPhases(
    const google::protobuf::RepeatedPtrField<cv1::MethodologyPhase>& phases) {
  google::protobuf::RepeatedPtrField<v1::Phase> out;
  for (const cv1::MethodologyPhase& p : phases) {
    v1::Phase* phase = out.Add();
    phase->set_name(p.name());
    phase->mutable_gate()->set_name(p.gate().name());
    *phase->mutable_gate()->mutable_deliverables() = p.gate().deliverables();
    *phase->mutable_gate()->mutable_criteria() = p.gate().criteria();
  }
  return out;
}

}  // namespace

absl::Status LibraryMethodologies::Take(const eventstore::RecordedEvent& e) {
  if (e.event_type == kPublished) return Adopt(e);
  if (e.event_type == kWithdrawn) return Withdraw(e);
  return absl::OkStatus();
}

namespace {

// The context of a command this feed runs for library event `e`.
eventsourcing::CommandContext ContextOf(const eventstore::RecordedEvent& e,
                                        absl::string_view step,
                                        const std::string& methodology_id) {
  eventsourcing::CommandContext context;
  context.request_id =
      eventsourcing::DerivedRequestId(e.event_id, step, methodology_id);
  context.occurred_at = e.occurred_at;
  context.metadata.actor = "service:configuration";
  context.metadata.causation_id = e.event_id;
  context.metadata.correlation_id = e.metadata.correlation_id;
  context.metadata.traceparent = e.metadata.traceparent;
  return context;
}

}  // namespace

absl::Status LibraryMethodologies::Withdraw(
    const eventstore::RecordedEvent& e) {
  ASSIGN_OR_RETURN(std::unique_ptr<google::protobuf::Message> decoded,
                   eventsourcing::DecodeEvent(e.event_type, e.payload));
  const auto* withdrawn =
      dynamic_cast<const cv1::MethodologyVersionWithdrawn*>(decoded.get());
  if (withdrawn == nullptr) return absl::OkStatus();
  absl::Status recorded = handlers_.WithdrawMethodology(
      withdrawn->methodology_id(), withdrawn->reason(),
      ContextOf(e, "methodology-withdrawn", withdrawn->methodology_id()));
  // A version this service never adopted (see Adopt) has nothing to withdraw.
  if (recorded.code() == absl::StatusCode::kNotFound) {
    std::fprintf(stderr,
                 "projects: methodology %s withdrawn but never adopted here\n",
                 withdrawn->methodology_id().c_str());
    return absl::OkStatus();
  }
  return recorded;
}

absl::Status LibraryMethodologies::Adopt(const eventstore::RecordedEvent& e) {
  ASSIGN_OR_RETURN(std::unique_ptr<google::protobuf::Message> decoded,
                   eventsourcing::DecodeEvent(e.event_type, e.payload));
  const auto* published =
      dynamic_cast<const cv1::MethodologyVersionPublished*>(decoded.get());
  if (published == nullptr) return absl::OkStatus();
  eventsourcing::CommandContext context =
      ContextOf(e, "methodology-published", published->methodology_id());
  absl::StatusOr<std::string> registered = handlers_.RegisterMethodology(
      published->methodology_id(), published->name(), published->version(),
      ToPhases(published->phases()), context);
  if (registered.ok()) return absl::OkStatus();
  // A version this service cannot take (the name and version registered here
  // before the library owned methodologies, or a definition its checks
  // refuse) would stop the feed for good if retried: note it and go on.
  if (registered.status().code() == absl::StatusCode::kAlreadyExists ||
      registered.status().code() == absl::StatusCode::kInvalidArgument) {
    std::fprintf(stderr, "projects: methodology %s not adopted: %s\n",
                 published->methodology_id().c_str(),
                 registered.status().ToString().c_str());
    return absl::OkStatus();
  }
  return registered.status();
}

}  // namespace pmo::projects
