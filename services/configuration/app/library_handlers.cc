#include "services/configuration/app/library_handlers.h"

#include "absl/strings/str_cat.h"
#include "libs/base/ids.h"
#include "services/configuration/app/business_time.h"

namespace pmo::configuration {

v1::MethodologyVersion ToProto(const VersionedMethodology& methodology) {
  v1::MethodologyVersion out = methodology.state.state();
  out.set_stream_version(methodology.version);
  return out;
}

absl::StatusOr<VersionedMethodology> LibraryHandlers::PublishMethodology(
    v1::MethodologyVersionPublished methodology,
    eventsourcing::CommandContext context) {
  StampBusinessTime(context, clock_);
  const std::string id = NewUuid();
  methodology.set_methodology_id(id);
  methodology.set_published_by(context.metadata.actor);
  absl::StatusOr<VersionedMethodology> published =
      eventsourcing::ExecuteCommand<MethodologyAggregate>(
          store_, id, context,
          [&](const VersionedMethodology& m) {
            return m.state.Publish(methodology);
          },
          eventsourcing::StreamIdentity::kNew);
  if (published.status().code() == absl::StatusCode::kAlreadyExists) {
    return absl::AlreadyExistsError(
        absl::StrCat("methodology '", methodology.name(), "' version '",
                     methodology.version(), "' is already published"));
  }
  return published;
}

absl::StatusOr<VersionedMethodology> LibraryHandlers::GetMethodology(
    const std::string& methodology_id) {
  ASSIGN_OR_RETURN(VersionedMethodology m,
                   eventsourcing::LoadAggregate<MethodologyAggregate>(
                       store_, methodology_id));
  if (!m.state.exists()) {
    return absl::NotFoundError(
        absl::StrCat("methodology version ", methodology_id, " not found"));
  }
  return m;
}

absl::StatusOr<std::vector<VersionedMethodology>>
LibraryHandlers::ListMethodologies(const std::string& name) {
  ASSIGN_OR_RETURN(std::vector<VersionedMethodology> all,
                   eventsourcing::LoadAllOfType<MethodologyAggregate>(store_));
  std::vector<VersionedMethodology> out;
  for (VersionedMethodology& m : all) {
    if (name.empty() || m.state.state().name() == name)
      out.push_back(std::move(m));
  }
  return out;
}

absl::StatusOr<VersionedMethodology> LibraryHandlers::WithdrawMethodology(
    const std::string& methodology_id, const std::string& reason,
    eventsourcing::CommandContext context) {
  StampBusinessTime(context, clock_);
  return eventsourcing::ExecuteCommand<MethodologyAggregate>(
      store_, methodology_id, context,
      [&](const VersionedMethodology& m) { return m.state.Withdraw(reason); });
}

}  // namespace pmo::configuration
