#include "services/configuration/app/tool_handlers.h"

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "libs/base/errors.h"
#include "libs/base/ids.h"
#include "services/configuration/app/business_time.h"

namespace pmo::configuration {

v1::Tool ToolHandlers::Flagged(const VersionedTool& tool,
                               const ToolFlagsQuery& flags) const {
  const absl::CivilDay day =
      flags.as_of.value_or(absl::ToCivilDay(clock_.Now(), absl::UTCTimeZone()));
  v1::Tool out =
      ToolFlagsOn(tool.state.state(), day, flags.expiry_warning_days);
  out.set_version(tool.version);
  return out;
}

absl::StatusOr<v1::Tool> ToolHandlers::Run(
    const std::string& tool_id, eventsourcing::CommandContext context,
    const ToolCommand& decide) {
  StampBusinessTime(context, clock_);
  ASSIGN_OR_RETURN(VersionedTool tool,
                   eventsourcing::ExecuteCommand<ToolAggregate>(
                       store_, tool_id, context, decide));
  return Flagged(tool, {});
}

absl::StatusOr<v1::Tool> ToolHandlers::Catalogue(
    v1::ToolCatalogued tool, eventsourcing::CommandContext context) {
  StampBusinessTime(context, clock_);
  const std::string id = NewUuid();
  tool.set_tool_id(id);
  const std::string name = tool.name();
  absl::StatusOr<VersionedTool> catalogued =
      eventsourcing::ExecuteCommand<ToolAggregate>(
          store_, id, context,
          [&](const VersionedTool& t) { return t.state.Catalogue(tool); },
          eventsourcing::StreamIdentity::kNew);
  if (catalogued.status().code() == absl::StatusCode::kAlreadyExists) {
    return absl::AlreadyExistsError(
        absl::StrCat("a tool named '", name, "' is already in the catalogue"));
  }
  if (!catalogued.ok()) return catalogued.status();
  return Flagged(*catalogued, {});
}

absl::StatusOr<v1::Tool> ToolHandlers::Get(const std::string& tool_id,
                                           const ToolFlagsQuery& flags) {
  ASSIGN_OR_RETURN(
      VersionedTool tool,
      eventsourcing::LoadAggregate<ToolAggregate>(store_, tool_id));
  if (!tool.state.exists())
    return absl::NotFoundError(absl::StrCat("tool ", tool_id, " not found"));
  return Flagged(tool, flags);
}

absl::StatusOr<std::vector<v1::Tool>> ToolHandlers::List(
    const ToolListQuery& query) {
  ASSIGN_OR_RETURN(std::vector<VersionedTool> all,
                   eventsourcing::LoadAllOfType<ToolAggregate>(store_));
  std::vector<v1::Tool> out;
  for (const VersionedTool& t : all) {
    if (t.state.state().retired() && !query.include_retired) continue;
    v1::Tool tool = Flagged(t, query.flags);
    if (query.flagged_only && !tool.over_used() && !tool.licence_expiring())
      continue;
    if (!query.project_id.empty()) {
      bool assigned = false;
      for (const v1::ToolAssignment& a : tool.assignments()) {
        assigned = assigned || a.project_id() == query.project_id;
      }
      if (!assigned) continue;
    }
    out.push_back(std::move(tool));
  }
  return out;
}

absl::StatusOr<v1::Tool> ToolHandlers::ChangeLicence(
    const std::string& tool_id, int32_t licence_count,
    const google::type::Date& licence_expiry,
    eventsourcing::CommandContext context) {
  return Run(tool_id, std::move(context), [&](const VersionedTool& t) {
    return t.state.ChangeLicence(licence_count, licence_expiry);
  });
}

absl::StatusOr<v1::Tool> ToolHandlers::Assign(
    const std::string& tool_id, const std::string& project_id, int32_t seats,
    eventsourcing::CommandContext context) {
  RETURN_IF_ERROR(CheckKnownProject(projects_, "project_id", project_id));
  return Run(tool_id, std::move(context), [&](const VersionedTool& t) {
    return t.state.Assign(project_id, seats);
  });
}

absl::StatusOr<v1::Tool> ToolHandlers::Release(
    const std::string& tool_id, const std::string& project_id,
    eventsourcing::CommandContext context) {
  return Run(tool_id, std::move(context), [&](const VersionedTool& t) {
    return t.state.Release(project_id);
  });
}

absl::StatusOr<v1::Tool> ToolHandlers::Retire(
    const std::string& tool_id, const std::string& reason,
    eventsourcing::CommandContext context) {
  return Run(tool_id, std::move(context),
             [&](const VersionedTool& t) { return t.state.Retire(reason); });
}

}  // namespace pmo::configuration
