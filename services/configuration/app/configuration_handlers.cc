#include "services/configuration/app/configuration_handlers.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "libs/base/errors.h"
#include "libs/base/ids.h"
#include "libs/eventsourcing/request_ids.h"
#include "services/configuration/app/business_time.h"
#include "services/configuration/app/pagination.h"
#include "services/configuration/domain/baseline_comparison.h"

namespace pmo::configuration {

v1::ConfigurationItem ToProto(const VersionedItem& item) {
  v1::ConfigurationItem out = item.state.state();
  out.set_version(item.version);
  return out;
}

v1::Baseline ToProto(const VersionedBaseline& baseline) {
  v1::Baseline out = baseline.state.state();
  out.set_version(baseline.version);
  return out;
}

absl::StatusOr<VersionedItem> ConfigurationHandlers::RegisterItem(
    v1::ConfigurationItemRegistered item,
    eventsourcing::CommandContext context) {
  RETURN_IF_ERROR(
      CheckKnownProject(projects_, "project_id", item.project_id()));
  StampBusinessTime(context, clock_);
  const std::string id = NewUuid();
  item.set_item_id(id);
  item.mutable_first_version()->set_author(context.metadata.actor);
  absl::StatusOr<VersionedItem> registered =
      eventsourcing::ExecuteCommand<ConfigurationItemAggregate>(
          store_, id, context,
          [&](const VersionedItem& i) { return i.state.Register(item); },
          eventsourcing::StreamIdentity::kNew);
  if (registered.status().code() == absl::StatusCode::kAlreadyExists) {
    // The store names the claim; the caller wants the identifier.
    return absl::AlreadyExistsError(
        absl::StrCat("identifier '", item.identifier(),
                     "' is already used in project ", item.project_id()));
  }
  return registered;
}

absl::StatusOr<VersionedItem> ConfigurationHandlers::GetItem(
    const std::string& item_id) {
  ASSIGN_OR_RETURN(VersionedItem item,
                   eventsourcing::LoadAggregate<ConfigurationItemAggregate>(
                       store_, item_id));
  if (!item.state.exists()) {
    return absl::NotFoundError(
        absl::StrCat("configuration item ", item_id, " not found"));
  }
  return item;
}

absl::StatusOr<std::vector<VersionedItem>>
ConfigurationHandlers::ItemsOfProject(const std::string& project_id) {
  ASSIGN_OR_RETURN(
      std::vector<VersionedItem> all,
      eventsourcing::LoadAllOfType<ConfigurationItemAggregate>(store_));
  std::vector<VersionedItem> out;
  for (VersionedItem& item : all) {
    if (item.state.state().project_id() == project_id)
      out.push_back(std::move(item));
  }
  return out;
}

absl::StatusOr<ItemPage> ConfigurationHandlers::ListItems(
    const std::string& project_id, int page_size,
    const std::string& page_token) {
  FieldViolations v;
  if (project_id.empty()) v.Add("project_id", "is required");
  const PageRequest request =
      ReadPageRequest(v, page_size, page_token, "items");
  RETURN_IF_ERROR(v.ToStatus());
  ASSIGN_OR_RETURN(std::vector<VersionedItem> items,
                   ItemsOfProject(project_id));
  Page<VersionedItem> page = PageAt(std::move(items), request, "items");
  return ItemPage{std::move(page.items), std::move(page.next_page_token)};
}

absl::StatusOr<std::optional<VersionedChangeRequest>>
ConfigurationHandlers::LoadCitedChange(const std::string& change_request_id) {
  if (change_request_id.empty()) return std::nullopt;
  ASSIGN_OR_RETURN(VersionedChangeRequest cited,
                   eventsourcing::LoadAggregate<ChangeRequestAggregate>(
                       store_, change_request_id));
  if (!cited.state.exists()) {
    FieldViolations v;
    v.Add("change_request_id", "is not a change request of the register");
    return v.ToStatus();
  }
  return cited;
}

absl::StatusOr<VersionedItem> ConfigurationHandlers::RecordItemVersion(
    const std::string& item_id, v1::ItemVersion version,
    eventsourcing::CommandContext context) {
  StampBusinessTime(context, clock_);
  version.set_author(context.metadata.actor);
  // The change request is read before the item's append: a request closed
  // in between still authorised the change when it was asked for.
  ASSIGN_OR_RETURN(std::optional<VersionedChangeRequest> cited,
                   LoadCitedChange(version.change_request_id()));
  return eventsourcing::ExecuteCommand<ConfigurationItemAggregate>(
      store_, item_id, context, [&](const VersionedItem& i) {
        return i.state.RecordVersion(version,
                                     cited ? &cited->state.state() : nullptr);
      });
}

absl::StatusOr<VersionedItem> ConfigurationHandlers::ChangeItemStatus(
    const std::string& item_id, v1::ItemStatus status,
    const std::string& reason, const std::string& change_request_id,
    eventsourcing::CommandContext context) {
  StampBusinessTime(context, clock_);
  ASSIGN_OR_RETURN(std::optional<VersionedChangeRequest> cited,
                   LoadCitedChange(change_request_id));
  return eventsourcing::ExecuteCommand<ConfigurationItemAggregate>(
      store_, item_id, context, [&](const VersionedItem& i) {
        return i.state.ChangeStatus(status, reason,
                                    cited ? &cited->state.state() : nullptr);
      });
}

absl::StatusOr<VersionedItem> ConfigurationHandlers::LinkItems(
    const std::string& item_id, const v1::ItemLink& link,
    eventsourcing::CommandContext context) {
  StampBusinessTime(context, clock_);
  ASSIGN_OR_RETURN(VersionedItem target,
                   eventsourcing::LoadAggregate<ConfigurationItemAggregate>(
                       store_, link.target_item_id()));
  return eventsourcing::ExecuteCommand<ConfigurationItemAggregate>(
      store_, item_id, context,
      [&](const VersionedItem& i) -> absl::StatusOr<eventsourcing::Decision> {
        if (i.state.exists() &&
            (!target.state.exists() || target.state.state().project_id() !=
                                           i.state.state().project_id())) {
          FieldViolations v;
          v.Add("link.target_item_id",
                "is not a configuration item of the same project");
          return v.ToStatus();
        }
        return i.state.Link(link);
      });
}

absl::StatusOr<std::vector<v1::BaselineEntry>>
ConfigurationHandlers::EntriesFor(const std::string& project_id,
                                  const std::vector<std::string>& item_ids) {
  std::vector<v1::BaselineEntry> entries;
  auto entry_of = [](const VersionedItem& item) {
    v1::BaselineEntry e;
    e.set_item_id(item.state.state().item_id());
    e.set_identifier(item.state.state().identifier());
    e.set_version_number(item.state.current_version_number());
    return e;
  };
  if (item_ids.empty()) {
    ASSIGN_OR_RETURN(std::vector<VersionedItem> items,
                     ItemsOfProject(project_id));
    for (const VersionedItem& item : items) {
      if (item.state.state().status() != v1::ITEM_STATUS_OBSOLETE) {
        entries.push_back(entry_of(item));
      }
    }
    return entries;
  }
  FieldViolations v(50);
  for (size_t i = 0; i < item_ids.size(); ++i) {
    const std::string field = absl::StrCat("item_ids[", i, "]");
    if (!IsUuid(item_ids[i])) {
      v.Add(field, "must be a configuration item id");
      continue;
    }
    ASSIGN_OR_RETURN(VersionedItem item,
                     eventsourcing::LoadAggregate<ConfigurationItemAggregate>(
                         store_, item_ids[i]));
    if (!item.state.exists() || item.state.state().project_id() != project_id) {
      v.Add(field, absl::StrCat("is not a configuration item of project ",
                                project_id));
    } else if (item.state.state().status() == v1::ITEM_STATUS_OBSOLETE) {
      v.Add(field, absl::StrCat("item ", item.state.state().identifier(),
                                " is OBSOLETE and cannot enter a baseline"));
    } else {
      entries.push_back(entry_of(item));
    }
  }
  RETURN_IF_ERROR(v.ToStatus());
  return entries;
}

absl::StatusOr<VersionedBaseline> ConfigurationHandlers::EstablishBaseline(
    v1::BaselineEstablished baseline, const std::vector<std::string>& item_ids,
    eventsourcing::CommandContext context) {
  if (context.request_id.empty()) {
    FieldViolations v;
    v.Add("request_id",
          "is required: establishing a baseline is several appends");
    return v.ToStatus();
  }
  StampBusinessTime(context, clock_);
  // A retry answers with the first baseline (and completes its notes).
  ASSIGN_OR_RETURN(std::optional<eventstore::AppendResult> earlier,
                   eventsourcing::FindEarlierRequest(store_, context));
  const std::string id = earlier ? earlier->stream_id : NewUuid();
  if (!earlier) {
    RETURN_IF_ERROR(
        CheckKnownProject(projects_, "project_id", baseline.project_id()));
    ASSIGN_OR_RETURN(std::vector<v1::BaselineEntry> entries,
                     EntriesFor(baseline.project_id(), item_ids));
    for (v1::BaselineEntry& e : entries) *baseline.add_entries() = std::move(e);
  }
  baseline.set_baseline_id(id);
  baseline.set_created_by(context.metadata.actor);
  absl::StatusOr<VersionedBaseline> established =
      eventsourcing::ExecuteCommand<BaselineAggregate>(
          store_, id, context,
          [&](const VersionedBaseline& b) {
            return b.state.Establish(baseline);
          },
          eventsourcing::StreamIdentity::kNew);
  if (established.status().code() == absl::StatusCode::kAlreadyExists) {
    return absl::AlreadyExistsError(absl::StrCat("baseline '", baseline.name(),
                                                 "' already exists in project ",
                                                 baseline.project_id()));
  }
  RETURN_IF_ERROR(established.status());
  v1::BaselineMembership membership;
  membership.set_baseline_id(id);
  membership.set_baseline_name(established->state.state().name());
  for (const v1::BaselineEntry& entry : established->state.state().entries()) {
    eventsourcing::CommandContext note = context;
    note.request_id = eventsourcing::DerivedRequestId(
        context.request_id, "baselined", entry.item_id());
    note.expected_version = std::nullopt;
    note.metadata.causation_id = context.request_id;
    membership.set_version_number(entry.version_number());
    ASSIGN_OR_RETURN(
        VersionedItem noted,
        eventsourcing::ExecuteCommand<ConfigurationItemAggregate>(
            store_, entry.item_id(), note, [&](const VersionedItem& i) {
              return i.state.NoteBaselined(membership);
            }));
    (void)noted;
  }
  return established;
}

absl::StatusOr<VersionedBaseline> ConfigurationHandlers::GetBaseline(
    const std::string& baseline_id) {
  ASSIGN_OR_RETURN(
      VersionedBaseline b,
      eventsourcing::LoadAggregate<BaselineAggregate>(store_, baseline_id));
  if (!b.state.exists()) {
    return absl::NotFoundError(
        absl::StrCat("baseline ", baseline_id, " not found"));
  }
  return b;
}

absl::StatusOr<std::vector<VersionedBaseline>>
ConfigurationHandlers::ListBaselines(const std::string& project_id) {
  if (project_id.empty()) {
    FieldViolations v;
    v.Add("project_id", "is required");
    return v.ToStatus();
  }
  ASSIGN_OR_RETURN(std::vector<VersionedBaseline> all,
                   eventsourcing::LoadAllOfType<BaselineAggregate>(store_));
  std::vector<VersionedBaseline> out;
  for (VersionedBaseline& b : all) {
    if (b.state.state().project_id() == project_id) out.push_back(std::move(b));
  }
  return out;
}

absl::StatusOr<v1::BaselineComparison> ConfigurationHandlers::CompareBaselines(
    const std::string& from_baseline_id, const std::string& to_baseline_id) {
  ASSIGN_OR_RETURN(VersionedBaseline from, GetBaseline(from_baseline_id));
  ASSIGN_OR_RETURN(VersionedBaseline to, GetBaseline(to_baseline_id));
  return configuration::CompareBaselines(from.state.state(), to.state.state());
}

absl::StatusOr<StatusAccounting> ConfigurationHandlers::GetStatusAccounting(
    const std::string& project_id) {
  StatusAccounting out;
  ASSIGN_OR_RETURN(out.baselines, ListBaselines(project_id));
  ASSIGN_OR_RETURN(out.items, ItemsOfProject(project_id));
  std::sort(out.items.begin(), out.items.end(),
            [](const VersionedItem& a, const VersionedItem& b) {
              return a.state.state().identifier() <
                     b.state.state().identifier();
            });
  return out;
}

}  // namespace pmo::configuration
