#include "tests/support/stored_projects.h"

#include "libs/base/status_macros.h"
#include "libs/sqlite/sqlite.h"
#include "pmo/projects/v1/events.pb.h"

namespace pmo::testing {

absl::StatusOr<StoredProjects> ReadStoredProjects(const std::string& store_path) {
  ASSIGN_OR_RETURN(std::unique_ptr<sqlite::Database> db, sqlite::Database::Open(store_path));
  StoredProjects out;
  ASSIGN_OR_RETURN(sqlite::Statement rows,
                   db->Prepare("SELECT stream_id, stream_version, event_type, payload "
                               "FROM events ORDER BY position"));
  while (true) {
    ASSIGN_OR_RETURN(bool row, rows.Step());
    if (!row) break;
    ++out.event_count;
    const std::string stream = rows.ColumnText(0);
    int64_t& version = out.versions[stream];
    version = std::max(version, rows.ColumnInt(1));
    if (rows.ColumnText(2) != "pmo.projects.v1.ProjectCreated") continue;
    ::pmo::projects::v1::ProjectCreated created;
    if (!created.ParseFromString(rows.ColumnBlob(3))) {
      return absl::DataLossError("a ProjectCreated payload does not parse");
    }
    out.streams_by_code.emplace(created.code(), stream);
  }
  return out;
}

}  // namespace pmo::testing
