#pragma once

// Item-scoped rights for the configuration service's gRPC services (see
// auth::ItemScopes): a request keyed by an item id (item_id, baseline_id,
// change_request_id, document_id, audit_id, tool_id...) names the item's
// projects as the service's records say, so their manager may act on it.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "google/protobuf/message.h"
#include "libs/auth/access_policy.h"
#include "services/configuration/app/item_owners.h"

namespace pmo::configuration {

// One key field of a request and the kind of item it names.
struct ItemKey {
  const char* field;
  ItemKind kind;
};

// The scope of `request` through the first-level string fields of `keys`
// it has and sets (every project of every item named); nullopt when it
// has none of them. NOT_FOUND naming the item when one does not exist.
absl::StatusOr<std::optional<auth::ItemScope>> ScopeByKeys(
    const ItemOwners& owners, const google::protobuf::Message& request,
    const std::vector<ItemKey>& keys);

}  // namespace pmo::configuration
