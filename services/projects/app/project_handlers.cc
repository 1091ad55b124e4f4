#include "services/projects/app/project_handlers.h"

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "libs/base/errors.h"
#include "libs/base/ids.h"

namespace pmo::projects {
namespace {

constexpr int kDefaultPageSize = 100;
constexpr int kMaxPageSize = 1000;
constexpr char kTokenPrefix[] = "projects-after:";

absl::StatusOr<int64_t> DecodePageToken(const std::string& token) {
  if (token.empty()) return 0;
  std::string text;
  int64_t position = 0;
  if (!absl::WebSafeBase64Unescape(token, &text) ||
      !absl::StartsWith(text, kTokenPrefix) ||
      !absl::SimpleAtoi(text.substr(sizeof(kTokenPrefix) - 1), &position) ||
      position < 0) {
    FieldViolations v;
    v.Add("page_token", "is not a token this service issued");
    return v.ToStatus();
  }
  return position;
}

}  // namespace

absl::StatusOr<VersionedProject> ProjectHandlers::CreateProject(
    const ProjectCharter& charter, eventsourcing::CommandContext context) {
  RETURN_IF_ERROR(ValidateCharter(charter));
  if (context.occurred_at == absl::Time()) context.occurred_at = clock_.Now();
  // A creation never races an existing stream: the id is new.
  context.expected_version = std::nullopt;
  const std::string project_id = NewUuid();
  return eventsourcing::ExecuteCommand<Project>(
      store_, project_id, context,
      [&](const VersionedProject& p) { return p.state.Create(project_id, charter); },
      eventsourcing::StreamIdentity::kNew);
}

absl::StatusOr<VersionedProject> ProjectHandlers::ChangeProjectStatus(
    const std::string& project_id, ProjectStatus status,
    const std::string& reason, eventsourcing::CommandContext context) {
  if (context.occurred_at == absl::Time()) context.occurred_at = clock_.Now();
  return eventsourcing::ExecuteCommand<Project>(
      store_, project_id, context,
      [&](const VersionedProject& p) -> absl::StatusOr<eventsourcing::Decision> {
        if (!p.state.exists()) {
          return absl::NotFoundError(absl::StrCat("project ", project_id, " not found"));
        }
        return p.state.ChangeStatus(status, reason);
      });
}

absl::StatusOr<VersionedProject> ProjectHandlers::GetProject(
    const std::string& project_id) {
  ASSIGN_OR_RETURN(VersionedProject project,
                   eventsourcing::LoadAggregate<Project>(store_, project_id));
  if (!project.state.exists()) {
    return absl::NotFoundError(absl::StrCat("project ", project_id, " not found"));
  }
  return project;
}

absl::StatusOr<ProjectPage> ProjectHandlers::ListProjects(
    int page_size, const std::string& page_token) {
  if (page_size < 0 || page_size > kMaxPageSize) {
    FieldViolations v;
    v.Add("page_size", absl::StrCat("must be between 0 and ", kMaxPageSize));
    return v.ToStatus();
  }
  if (page_size == 0) page_size = kDefaultPageSize;
  ASSIGN_OR_RETURN(int64_t after, DecodePageToken(page_token));
  // One more than asked for tells whether another page follows.
  ASSIGN_OR_RETURN(std::vector<eventstore::StreamStart> starts,
                   store_.ListStreams(Project::kStreamType, after, page_size + 1));
  ProjectPage page;
  const bool more = static_cast<int>(starts.size()) > page_size;
  if (more) starts.resize(page_size);
  for (const eventstore::StreamStart& start : starts) {
    ASSIGN_OR_RETURN(VersionedProject project,
                     eventsourcing::LoadAggregate<Project>(store_, start.stream_id));
    page.projects.push_back(std::move(project));
  }
  if (more) {
    page.next_page_token = absl::WebSafeBase64Escape(
        absl::StrCat(kTokenPrefix, starts.back().position));
  }
  return page;
}

}  // namespace pmo::projects
