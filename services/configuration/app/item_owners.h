#pragma once

// Which projects own an item of the configuration service, from the
// service's own records: what the gRPC services' auth::ItemScopes answer
// (api/item_scopes.h), so a manager of the item's project may act on it.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/eventstore/event_store.h"

namespace pmo::configuration {

enum class ItemKind {
  kConfigurationItem,
  kBaseline,
  kChangeRequest,
  kDocument,
  kAudit
};

class ItemOwners {
 public:
  explicit ItemOwners(eventstore::EventStore& store) : store_(store) {}

  // The item's projects: the project of a configuration item, baseline,
  // change request or audit; every project any version of a document
  // applies to (none: a PMO-wide document); every project a tool is
  // assigned to. NOT_FOUND naming the item when it does not exist.
  absl::StatusOr<std::vector<std::string>> ProjectsOf(
      ItemKind kind, const std::string& id) const;

 private:
  eventstore::EventStore& store_;
};

}  // namespace pmo::configuration
