#include "services/configuration/app/item_owners.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "libs/base/status_macros.h"
#include "libs/eventsourcing/command_handling.h"
#include "services/configuration/domain/audit.h"
#include "services/configuration/domain/baseline.h"
#include "services/configuration/domain/change_request.h"
#include "services/configuration/domain/configuration_item.h"
#include "services/configuration/domain/document.h"

namespace pmo::configuration {
namespace {

absl::Status Missing(const char* what, const std::string& id) {
  return absl::NotFoundError(absl::StrCat(what, " ", id, " not found"));
}

void AddOnce(std::vector<std::string>& ids, const std::string& id) {
  if (!id.empty() && std::find(ids.begin(), ids.end(), id) == ids.end())
    ids.push_back(id);
}

}  // namespace

absl::StatusOr<std::vector<std::string>> ItemOwners::ProjectsOf(
    ItemKind kind, const std::string& id) const {
  std::vector<std::string> out;
  switch (kind) {
    case ItemKind::kConfigurationItem: {
      ASSIGN_OR_RETURN(
          auto item,
          eventsourcing::LoadAggregate<ConfigurationItemAggregate>(store_, id));
      if (!item.state.exists()) return Missing("configuration item", id);
      AddOnce(out, item.state.state().project_id());
      break;
    }
    case ItemKind::kBaseline: {
      ASSIGN_OR_RETURN(
          auto baseline,
          eventsourcing::LoadAggregate<BaselineAggregate>(store_, id));
      if (!baseline.state.exists()) return Missing("baseline", id);
      AddOnce(out, baseline.state.state().project_id());
      break;
    }
    case ItemKind::kChangeRequest: {
      ASSIGN_OR_RETURN(
          auto change,
          eventsourcing::LoadAggregate<ChangeRequestAggregate>(store_, id));
      if (!change.state.exists()) return Missing("change request", id);
      AddOnce(out, change.state.state().project_id());
      break;
    }
    case ItemKind::kDocument: {
      ASSIGN_OR_RETURN(
          auto document,
          eventsourcing::LoadAggregate<DocumentAggregate>(store_, id));
      if (!document.state.exists()) return Missing("document", id);
      for (const v1::DocumentVersion& version :
           document.state.state().versions()) {
        for (const std::string& project : version.project_ids())
          AddOnce(out, project);
      }
      break;
    }
    case ItemKind::kAudit: {
      ASSIGN_OR_RETURN(
          auto audit, eventsourcing::LoadAggregate<AuditAggregate>(store_, id));
      if (!audit.state.exists()) return Missing("audit", id);
      AddOnce(out, audit.state.state().project_id());
      break;
    }
  }
  return out;
}

}  // namespace pmo::configuration
