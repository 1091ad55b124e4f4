#include "services/resources/app/project_directory.h"

#include "absl/strings/str_cat.h"
#include "libs/base/errors.h"
#include "libs/base/status_macros.h"
#include "libs/eventsourcing/event_codec.h"
#include "libs/subscription/sqlite_offsets.h"
#include "pmo/projects/v1/events.pb.h"

namespace pmo::resources {
namespace {
namespace pv1 = ::pmo::projects::v1;
}  // namespace

absl::StatusOr<std::unique_ptr<ProjectDirectory>> ProjectDirectory::Open(const std::string& path) {
  ASSIGN_OR_RETURN(std::unique_ptr<sqlite::Database> writer, sqlite::Database::Open(path));
  // A status change carries the whole new status, so the latest version
  // wins and order between versions does not matter.
  RETURN_IF_ERROR(writer->Execute(
      "CREATE TABLE IF NOT EXISTS known_projects (project_id TEXT PRIMARY KEY, code TEXT NOT "
      "NULL, status INTEGER NOT NULL, status_version INTEGER NOT NULL, priority INTEGER NOT "
      "NULL DEFAULT 3) WITHOUT ROWID"));
  RETURN_IF_ERROR(subscription::CreateOffsetsTable(*writer));
  ASSIGN_OR_RETURN(std::unique_ptr<sqlite::Database> reader, sqlite::Database::Open(path));
  return std::unique_ptr<ProjectDirectory>(
      new ProjectDirectory(std::move(writer), std::move(reader)));
}

absl::StatusOr<std::optional<int64_t>> ProjectDirectory::ResumeOffset(const std::string& source,
                                                                      int32_t partition) {
  std::lock_guard lock(read_mu_);
  return subscription::LoadOffset(*reader_, source, partition);
}

absl::Status ProjectDirectory::Handle(const std::vector<subscription::Delivery>& batch) {
  std::lock_guard lock(write_mu_);
  return sqlite::InTransaction(*writer_, [&]() -> absl::Status {
    for (const subscription::Delivery& d : batch) {
      if (d.undecodable_reason.empty() && d.event.stream_type == "project") {
        RETURN_IF_ERROR(Apply(d.event));
      }
    }
    return subscription::SaveOffsets(*writer_, batch);
  });
}

absl::Status ProjectDirectory::Apply(const eventstore::RecordedEvent& e) {
  absl::StatusOr<std::unique_ptr<google::protobuf::Message>> decoded =
      eventsourcing::DecodeEvent(e.event_type, e.payload);
  if (!decoded.ok()) return absl::OkStatus();  // event types this view does not need
  if (const auto* created = dynamic_cast<const pv1::ProjectCreated*>(decoded->get())) {
    ASSIGN_OR_RETURN(sqlite::Statement insert,
                     writer_->Prepare("INSERT INTO known_projects VALUES (?, ?, ?, ?, ?) ON "
                                      "CONFLICT (project_id) DO UPDATE SET code = excluded.code, "
                                      "priority = excluded.priority"));
    insert.Bind(1, e.stream_id).Bind(2, created->code())
        .Bind(3, static_cast<int64_t>(created->status())).Bind(4, e.stream_version)
        .Bind(5, static_cast<int64_t>(created->priority() == 0 ? 3 : created->priority()));
    return insert.Run();
  }
  if (const auto* changed = dynamic_cast<const pv1::ProjectStatusChanged*>(decoded->get())) {
    ASSIGN_OR_RETURN(sqlite::Statement upsert,
                     writer_->Prepare("INSERT INTO known_projects VALUES (?, '', ?, ?, 3) ON "
                                      "CONFLICT (project_id) DO UPDATE SET status = "
                                      "excluded.status, status_version = excluded.status_version "
                                      "WHERE excluded.status_version > status_version"));
    upsert.Bind(1, e.stream_id).Bind(2, static_cast<int64_t>(changed->status()))
        .Bind(3, e.stream_version);
    return upsert.Run();
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<KnownProject>> ProjectDirectory::Find(const std::string& project_id) {
  std::lock_guard lock(read_mu_);
  ASSIGN_OR_RETURN(sqlite::Statement stmt,
                   reader_->Prepare("SELECT code, status, priority FROM known_projects WHERE "
                                    "project_id = ?"));
  stmt.Bind(1, project_id);
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return std::nullopt;
  return KnownProject{project_id, stmt.ColumnText(0),
                      static_cast<pv1::ProjectStatus>(stmt.ColumnInt(1)),
                      static_cast<int>(stmt.ColumnInt(2))};
}

absl::Status ProjectDirectory::CheckOpenForAllocation(const std::string& project_id) {
  ASSIGN_OR_RETURN(std::optional<KnownProject> project, Find(project_id));
  if (!project) {
    return RuleViolationError("UNKNOWN_PROJECT", absl::StrCat("projects/", project_id),
                              absl::StrCat("project ", project_id,
                                           " is not known to the resource pool (yet)"));
  }
  if (project->status == pv1::PROJECT_STATUS_CLOSED ||
      project->status == pv1::PROJECT_STATUS_CANCELLED) {
    return RuleViolationError("PROJECT_ENDED", absl::StrCat("projects/", project_id),
                              absl::StrCat("project ", project->code, " is ",
                                           pv1::ProjectStatus_Name(project->status),
                                           ": nothing can be allocated to it"));
  }
  return absl::OkStatus();
}

}  // namespace pmo::resources
