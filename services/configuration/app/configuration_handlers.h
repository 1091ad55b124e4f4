#pragma once

// Commands and queries of configuration management: items, their versions
// and links, baselines, baseline comparison and status accounting.

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/base/clock.h"
#include "libs/eventsourcing/command_handling.h"
#include "libs/eventstore/event_store.h"
#include "services/configuration/app/known_projects.h"
#include "services/configuration/domain/baseline.h"
#include "services/configuration/domain/change_request.h"
#include "services/configuration/domain/configuration_item.h"

namespace pmo::configuration {

using VersionedItem = eventsourcing::Versioned<ConfigurationItemAggregate>;
using VersionedBaseline = eventsourcing::Versioned<BaselineAggregate>;
using VersionedChangeRequest = eventsourcing::Versioned<ChangeRequestAggregate>;

// The item as the API shows it: state plus stream version.
v1::ConfigurationItem ToProto(const VersionedItem& item);
v1::Baseline ToProto(const VersionedBaseline& baseline);

struct ItemPage {
  std::vector<VersionedItem> items;
  std::string next_page_token;  // empty on the last page
};

// Status accounting of one project: every item with its history and
// baseline memberships (by identifier), and its baselines oldest first.
struct StatusAccounting {
  std::vector<VersionedItem> items;
  std::vector<VersionedBaseline> baselines;
};

class ConfigurationHandlers {
 public:
  ConfigurationHandlers(eventstore::EventStore& store,
                        projectdirectory::KnownProjects& projects,
                        const Clock& clock = Clock::Real())
      : store_(store), projects_(projects), clock_(clock) {}

  // ALREADY_EXISTS when the identifier is taken in the project; NOT_FOUND
  // when the project is unknown (so are EstablishBaseline's).
  absl::StatusOr<VersionedItem> RegisterItem(
      v1::ConfigurationItemRegistered item,
      eventsourcing::CommandContext context);
  absl::StatusOr<VersionedItem> GetItem(const std::string& item_id);
  // Items of `project_id` in registration order; `page_size` 0 means 100.
  absl::StatusOr<ItemPage> ListItems(const std::string& project_id,
                                     int page_size,
                                     const std::string& page_token);
  // The author is the caller; the change request is the one `version`
  // cites (see ConfigurationItemAggregate::RecordVersion for the rule).
  absl::StatusOr<VersionedItem> RecordItemVersion(
      const std::string& item_id, v1::ItemVersion version,
      eventsourcing::CommandContext context);
  // A baselined item needs `change_request_id` (see
  // ConfigurationItemAggregate::ChangeStatus); empty cites none.
  absl::StatusOr<VersionedItem> ChangeItemStatus(
      const std::string& item_id, v1::ItemStatus status,
      const std::string& reason, const std::string& change_request_id,
      eventsourcing::CommandContext context);
  // The target must be an item of the same project.
  absl::StatusOr<VersionedItem> LinkItems(
      const std::string& item_id, const v1::ItemLink& link,
      eventsourcing::CommandContext context);

  // Freezes the current versions of `item_ids` (every item of the project
  // that is not OBSOLETE when empty), then notes the baseline on each item
  // so later versions need an approved change. Needs a request_id: it is
  // several appends, and a retry must finish the same baseline.
  absl::StatusOr<VersionedBaseline> EstablishBaseline(
      v1::BaselineEstablished baseline,
      const std::vector<std::string>& item_ids,
      eventsourcing::CommandContext context);
  absl::StatusOr<VersionedBaseline> GetBaseline(const std::string& baseline_id);
  absl::StatusOr<std::vector<VersionedBaseline>> ListBaselines(
      const std::string& project_id);
  absl::StatusOr<v1::BaselineComparison> CompareBaselines(
      const std::string& from_baseline_id, const std::string& to_baseline_id);
  absl::StatusOr<StatusAccounting> GetStatusAccounting(
      const std::string& project_id);

 private:
  absl::StatusOr<std::vector<VersionedItem>> ItemsOfProject(
      const std::string& project_id);
  // The cited change request (nullopt when `change_request_id` is empty);
  // INVALID_ARGUMENT naming change_request_id when it is unknown.
  absl::StatusOr<std::optional<VersionedChangeRequest>> LoadCitedChange(
      const std::string& change_request_id);
  absl::StatusOr<std::vector<v1::BaselineEntry>> EntriesFor(
      const std::string& project_id, const std::vector<std::string>& item_ids);

  eventstore::EventStore& store_;
  projectdirectory::KnownProjects& projects_;
  const Clock& clock_;
};

}  // namespace pmo::configuration
