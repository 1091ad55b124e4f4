#pragma once

// Commands and queries of the PMO's catalogue of project tools. The flags
// (over-use, licence expiring or expired) are computed for a day at query
// time: they change with the calendar, not with events.

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "libs/base/clock.h"
#include "libs/eventsourcing/command_handling.h"
#include "libs/eventstore/event_store.h"
#include "services/configuration/app/known_projects.h"
#include "services/configuration/domain/tool.h"

namespace pmo::configuration {

using VersionedTool = eventsourcing::Versioned<ToolAggregate>;

// The warning window when the caller names none.
inline constexpr int kDefaultExpiryWarningDays = 30;
inline constexpr int kMaxExpiryWarningDays = 3650;

// The day the flags are computed for and the warning window.
struct ToolFlagsQuery {
  std::optional<absl::CivilDay> as_of;  // nullopt: today (UTC)
  int expiry_warning_days = kDefaultExpiryWarningDays;
};

struct ToolListQuery {
  ToolFlagsQuery flags;
  std::string project_id;     // set: only tools assigned to it
  bool flagged_only = false;  // only over-used or expiring/expired ones
  bool include_retired = false;
};

class ToolHandlers {
 public:
  ToolHandlers(eventstore::EventStore& store,
               projectdirectory::KnownProjects& projects,
               const Clock& clock = Clock::Real())
      : store_(store), projects_(projects), clock_(clock) {}

  // The tool id is made here. ALREADY_EXISTS when the name is taken. Every
  // command answers with the flags as of today and the default window.
  absl::StatusOr<v1::Tool> Catalogue(v1::ToolCatalogued tool,
                                     eventsourcing::CommandContext context);
  absl::StatusOr<v1::Tool> Get(const std::string& tool_id,
                               const ToolFlagsQuery& flags);
  // In catalogue order.
  absl::StatusOr<std::vector<v1::Tool>> List(const ToolListQuery& query);
  absl::StatusOr<v1::Tool> ChangeLicence(
      const std::string& tool_id, int32_t licence_count,
      const google::type::Date& licence_expiry,
      eventsourcing::CommandContext context);
  // NOT_FOUND when the project is unknown.
  absl::StatusOr<v1::Tool> Assign(const std::string& tool_id,
                                  const std::string& project_id, int32_t seats,
                                  eventsourcing::CommandContext context);
  absl::StatusOr<v1::Tool> Release(const std::string& tool_id,
                                   const std::string& project_id,
                                   eventsourcing::CommandContext context);
  absl::StatusOr<v1::Tool> Retire(const std::string& tool_id,
                                  const std::string& reason,
                                  eventsourcing::CommandContext context);

 private:
  using ToolCommand = std::function<absl::StatusOr<eventsourcing::Decision>(
      const VersionedTool&)>;
  absl::StatusOr<v1::Tool> Run(const std::string& tool_id,
                               eventsourcing::CommandContext context,
                               const ToolCommand& decide);
  // The tool's state with its stream version and the flags of `flags`.
  v1::Tool Flagged(const VersionedTool& tool,
                   const ToolFlagsQuery& flags) const;

  eventstore::EventStore& store_;
  projectdirectory::KnownProjects& projects_;
  const Clock& clock_;
};

}  // namespace pmo::configuration
