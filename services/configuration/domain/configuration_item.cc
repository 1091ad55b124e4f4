#include "services/configuration/domain/configuration_item.h"

#include "absl/strings/str_cat.h"
#include "libs/base/errors.h"
#include "libs/base/proto_time.h"
#include "libs/base/status_macros.h"
#include "services/configuration/domain/field_checks.h"

namespace pmo::configuration {
namespace {

std::string Subject(const v1::ConfigurationItem& item) {
  return absl::StrCat("configuration_items/", item.item_id());
}

// A change request allows changes to its items between the board's approval
// and verification: once verified, what was verified is what the baseline
// gets, so a later edit would go unverified.
bool AllowsChanges(v1::ChangeRequestStatus status) {
  return status == v1::CHANGE_REQUEST_STATUS_APPROVED ||
         status == v1::CHANGE_REQUEST_STATUS_IMPLEMENTED;
}

bool LegalStatusChange(v1::ItemStatus from, v1::ItemStatus to) {
  return (from == v1::ITEM_STATUS_DRAFT &&
          (to == v1::ITEM_STATUS_RELEASED || to == v1::ITEM_STATUS_OBSOLETE)) ||
         (from == v1::ITEM_STATUS_RELEASED && to == v1::ITEM_STATUS_OBSOLETE);
}

void CheckVersionText(FieldViolations& v, const v1::ItemVersion& version) {
  CheckText(v, "change_summary", version.change_summary(), 2000,
            TextKind::kMultiline);
  CheckOptionalText(v, "reason", version.reason(), 2000, TextKind::kMultiline);
  CheckOptionalText(v, "content_reference", version.content_reference(), 1000);
}

}  // namespace

absl::Status ValidateRegistration(const v1::ConfigurationItemRegistered& item) {
  FieldViolations v;
  CheckText(v, "project_id", item.project_id(), 64);
  if (item.type() == v1::ITEM_TYPE_UNSPECIFIED ||
      !v1::ItemType_IsValid(item.type())) {
    v.Add("type", "must be a configuration item type");
  }
  CheckText(v, "identifier", item.identifier(), 100);
  CheckText(v, "title", item.title(), 200);
  CheckText(v, "owner", item.owner(), 128);
  CheckVersionText(v, item.first_version());
  return v.ToStatus();
}

void ConfigurationItemAggregate::Apply(const google::protobuf::Message& event,
                                       absl::Time occurred_at) {
  if (const auto* r =
          dynamic_cast<const v1::ConfigurationItemRegistered*>(&event)) {
    state_.set_item_id(r->item_id());
    state_.set_project_id(r->project_id());
    state_.set_type(r->type());
    state_.set_identifier(r->identifier());
    state_.set_title(r->title());
    state_.set_owner(r->owner());
    state_.set_status(v1::ITEM_STATUS_DRAFT);
    v1::ItemVersion* first = state_.add_versions();
    *first = r->first_version();
    *first->mutable_recorded_at() = ToTimestamp(occurred_at);
  } else if (const auto* n =
                 dynamic_cast<const v1::ConfigurationItemVersioned*>(&event)) {
    v1::ItemVersion* next = state_.add_versions();
    *next = n->item_version();
    *next->mutable_recorded_at() = ToTimestamp(occurred_at);
  } else if (const auto* s =
                 dynamic_cast<const v1::ConfigurationItemStatusChanged*>(
                     &event)) {
    state_.set_status(s->status());
  } else if (const auto* o =
                 dynamic_cast<const v1::ConfigurationItemOwnerChanged*>(
                     &event)) {
    state_.set_owner(o->owner());
  } else if (const auto* l =
                 dynamic_cast<const v1::ConfigurationItemLinked*>(&event)) {
    *state_.add_links() = l->link();
  } else if (const auto* u =
                 dynamic_cast<const v1::ConfigurationItemUnlinked*>(&event)) {
    auto* links = state_.mutable_links();
    for (int i = 0; i < links->size(); ++i) {
      if (links->Get(i).target_item_id() == u->link().target_item_id() &&
          links->Get(i).kind() == u->link().kind()) {
        links->DeleteSubrange(i, 1);
        break;
      }
    }
  } else if (const auto* b =
                 dynamic_cast<const v1::ConfigurationItemBaselined*>(&event)) {
    *state_.add_baselines() = b->membership();
  }
}

absl::Status ConfigurationItemAggregate::CheckExists() const {
  if (!exists()) return absl::NotFoundError("configuration item not found");
  return absl::OkStatus();
}

absl::StatusOr<eventsourcing::Decision> ConfigurationItemAggregate::Register(
    v1::ConfigurationItemRegistered item) const {
  if (exists()) return absl::AlreadyExistsError("configuration item exists");
  if (item.first_version().change_summary().empty()) {
    item.mutable_first_version()->set_change_summary("initial version");
  }
  item.mutable_first_version()->set_version_number(1);
  RETURN_IF_ERROR(ValidateRegistration(item));
  eventsourcing::Decision decision;
  decision.unique_values.push_back(
      {kIdentifierScope,
       absl::StrCat(item.project_id(), "\n", item.identifier())});
  decision.events.push_back(
      std::make_unique<v1::ConfigurationItemRegistered>(std::move(item)));
  return decision;
}

absl::Status ConfigurationItemAggregate::CheckAuthorised(
    const v1::ChangeRequest* cited_change, const std::string& what) const {
  if (cited_change == nullptr && baselined()) {
    return RuleViolationError(
        "BASELINED_ITEM_NEEDS_APPROVED_CHANGE", Subject(state_),
        absl::StrCat("item ", state_.identifier(), " is in baseline '",
                     state_.baselines().rbegin()->baseline_name(), "': ", what,
                     " must cite an approved change request listing it"));
  }
  if (cited_change == nullptr) return absl::OkStatus();
  // A cited change must really authorise this item, baselined or not: the
  // history is evidence for audits.
  bool lists_item = false;
  for (const std::string& id : cited_change->affected_item_ids()) {
    lists_item = lists_item || id == state_.item_id();
  }
  if (cited_change->project_id() != state_.project_id() || !lists_item) {
    return RuleViolationError(
        "BASELINED_ITEM_NEEDS_APPROVED_CHANGE", Subject(state_),
        absl::StrCat("change request ", cited_change->change_request_id(),
                     " does not list item ", state_.identifier()));
  }
  if (!AllowsChanges(cited_change->status())) {
    return RuleViolationError(
        "BASELINED_ITEM_NEEDS_APPROVED_CHANGE", Subject(state_),
        absl::StrCat(
            "change request ", cited_change->change_request_id(), " is ",
            v1::ChangeRequestStatus_Name(cited_change->status()),
            "; only an APPROVED (or IMPLEMENTED) change allows changes"));
  }
  return absl::OkStatus();
}

absl::StatusOr<eventsourcing::Decision>
ConfigurationItemAggregate::RecordVersion(
    v1::ItemVersion version, const v1::ChangeRequest* cited_change) const {
  RETURN_IF_ERROR(CheckExists());
  FieldViolations v;
  CheckVersionText(v, version);
  RETURN_IF_ERROR(v.ToStatus());
  if (state_.status() == v1::ITEM_STATUS_OBSOLETE) {
    return RuleViolationError(
        "ITEM_LIFECYCLE", Subject(state_),
        "an OBSOLETE configuration item gets no new versions");
  }
  RETURN_IF_ERROR(CheckAuthorised(cited_change, "a new version"));
  if (cited_change != nullptr) {
    version.set_change_request_id(cited_change->change_request_id());
  }
  version.set_version_number(current_version_number() + 1);
  version.clear_recorded_at();
  auto versioned = std::make_unique<v1::ConfigurationItemVersioned>();
  versioned->set_item_id(state_.item_id());
  *versioned->mutable_item_version() = std::move(version);
  eventsourcing::Decision decision;
  decision.events.push_back(std::move(versioned));
  return decision;
}

absl::StatusOr<eventsourcing::Decision>
ConfigurationItemAggregate::ChangeStatus(
    v1::ItemStatus to, const std::string& reason,
    const v1::ChangeRequest* cited_change) const {
  RETURN_IF_ERROR(CheckExists());
  FieldViolations v;
  if (to == v1::ITEM_STATUS_UNSPECIFIED || !v1::ItemStatus_IsValid(to)) {
    v.Add("status", "must be DRAFT, RELEASED or OBSOLETE");
  }
  CheckOptionalText(v, "reason", reason, 1000, TextKind::kMultiline);
  RETURN_IF_ERROR(v.ToStatus());
  eventsourcing::Decision decision;
  if (to == state_.status()) return decision;
  if (!LegalStatusChange(state_.status(), to)) {
    return RuleViolationError(
        "ITEM_LIFECYCLE", Subject(state_),
        absl::StrCat("a ", v1::ItemStatus_Name(state_.status()),
                     " item cannot become ", v1::ItemStatus_Name(to)));
  }
  RETURN_IF_ERROR(CheckAuthorised(cited_change, "a change of status"));
  auto changed = std::make_unique<v1::ConfigurationItemStatusChanged>();
  changed->set_item_id(state_.item_id());
  changed->set_previous_status(state_.status());
  changed->set_status(to);
  changed->set_reason(reason);
  if (cited_change != nullptr)
    changed->set_change_request_id(cited_change->change_request_id());
  decision.events.push_back(std::move(changed));
  return decision;
}

absl::StatusOr<eventsourcing::Decision> ConfigurationItemAggregate::Link(
    const v1::ItemLink& link) const {
  RETURN_IF_ERROR(CheckExists());
  FieldViolations v;
  if (link.kind() == v1::LINK_KIND_UNSPECIFIED ||
      !v1::LinkKind_IsValid(link.kind())) {
    v.Add("link.kind", "must be a link kind");
  }
  if (link.target_item_id() == state_.item_id()) {
    v.Add("link.target_item_id", "an item cannot link to itself");
  }
  RETURN_IF_ERROR(v.ToStatus());
  eventsourcing::Decision decision;
  for (const v1::ItemLink& existing : state_.links()) {
    if (existing.target_item_id() == link.target_item_id() &&
        existing.kind() == link.kind()) {
      return decision;
    }
  }
  auto linked = std::make_unique<v1::ConfigurationItemLinked>();
  linked->set_item_id(state_.item_id());
  *linked->mutable_link() = link;
  decision.events.push_back(std::move(linked));
  return decision;
}

absl::StatusOr<eventsourcing::Decision>
ConfigurationItemAggregate::NoteBaselined(
    const v1::BaselineMembership& membership) const {
  RETURN_IF_ERROR(CheckExists());
  eventsourcing::Decision decision;
  for (const v1::BaselineMembership& m : state_.baselines()) {
    if (m.baseline_id() == membership.baseline_id()) return decision;
  }
  auto baselined = std::make_unique<v1::ConfigurationItemBaselined>();
  baselined->set_item_id(state_.item_id());
  *baselined->mutable_membership() = membership;
  decision.events.push_back(std::move(baselined));
  return decision;
}

}  // namespace pmo::configuration
