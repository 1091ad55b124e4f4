#include "tests/support/stored_projects.h"

#include "libs/base/status_macros.h"
#include "pmo/projects/v1/events.pb.h"
#include "tests/support/stored_events.h"

namespace pmo::testing {

absl::StatusOr<StoredProjects> ReadStoredProjects(
    const std::string& store_path) {
  ASSIGN_OR_RETURN(StoredEvents stored, ReadStoredEvents(store_path));
  StoredProjects out;
  out.event_count = static_cast<int64_t>(stored.events.size());
  out.versions = stored.Versions();
  for (const StoredEvent& e : stored.events) {
    if (e.event_type != "pmo.projects.v1.ProjectCreated") continue;
    ::pmo::projects::v1::ProjectCreated created;
    if (!created.ParseFromString(e.payload)) {
      return absl::DataLossError("a ProjectCreated payload does not parse");
    }
    out.streams_by_code.emplace(created.code(), e.stream_id);
  }
  return out;
}

}  // namespace pmo::testing
