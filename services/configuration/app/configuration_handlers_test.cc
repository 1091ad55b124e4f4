#include "services/configuration/app/configuration_handlers.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/errors.h"
#include "libs/base/page_token.h"
#include "libs/base/testing/status_matchers.h"
#include "libs/base/testing/temp_dir.h"
#include "libs/eventstore/sqlite_event_store.h"
#include "services/configuration/app/change_control_handlers.h"
#include "services/configuration/app/test_projects.h"

namespace pmo::configuration {
namespace {

using ::pmo::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

eventsourcing::CommandContext Ctx(std::string request_id) {
  eventsourcing::CommandContext c;
  c.request_id = std::move(request_id);
  c.metadata.actor = "alice";
  return c;
}

std::string RuleOf(const absl::Status& status) {
  RuleViolation rule;
  return RuleViolationOf(status, &rule) ? rule.rule : "";
}

class ConfigurationHandlersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(store_, eventstore::SqliteEventStore::Open(
                                     dir_.File("configuration.db")));
    projects_ = KnownTestProjects(dir_.File("projects.db"));
    items_ = std::make_unique<ConfigurationHandlers>(*store_, *projects_);
    changes_ = std::make_unique<ChangeControlHandlers>(*store_, *projects_);
  }

  std::string Register(const std::string& identifier,
                       const std::string& project = "erp",
                       v1::ItemType type = v1::ITEM_TYPE_REQUIREMENT) {
    v1::ConfigurationItemRegistered item;
    item.set_project_id(project);
    item.set_type(type);
    item.set_identifier(identifier);
    item.set_title(identifier + " title");
    item.set_owner("bob");
    auto registered =
        items_->RegisterItem(item, Ctx("register-" + project + identifier));
    EXPECT_OK(registered.status());
    return registered.ok() ? registered->state.state().item_id() : "";
  }

  absl::StatusOr<VersionedItem> NewVersion(
      const std::string& item_id, const std::string& request,
      const std::string& change_request_id = "") {
    v1::ItemVersion version;
    version.set_change_summary("clarified the acceptance criteria");
    version.set_reason("review finding 7");
    version.set_change_request_id(change_request_id);
    return items_->RecordItemVersion(item_id, version, Ctx(request));
  }

  absl::StatusOr<VersionedBaseline> Baseline(
      const std::string& name, const std::vector<std::string>& item_ids = {}) {
    v1::BaselineEstablished b;
    b.set_project_id("erp");
    b.set_name(name);
    return items_->EstablishBaseline(b, item_ids, Ctx("baseline-" + name));
  }

  // A change request of project erp on `item_ids`, taken to `last` by the
  // workflow's commands (up to APPROVED, IMPLEMENTED or CLOSED).
  std::string ChangeRequest(const std::vector<std::string>& item_ids,
                            v1::ChangeRequestStatus last) {
    v1::ChangeRequestSubmitted s;
    s.set_project_id("erp");
    s.set_title("Raise the invoice limit");
    s.set_reason("Finance asked");
    s.set_requester("carol");
    for (const std::string& id : item_ids) s.add_affected_item_ids(id);
    const std::string tag = std::to_string(++change_requests_);
    auto submitted = changes_->Submit(s, Ctx("submit" + tag));
    EXPECT_OK(submitted.status());
    std::string id = submitted->state.state().change_request_id();
    if (last == v1::CHANGE_REQUEST_STATUS_SUBMITTED) return id;
    v1::ChangeImpact impact;
    impact.set_scope(v1::IMPACT_LEVEL_LOW);
    impact.set_schedule(v1::IMPACT_LEVEL_NONE);
    impact.set_cost(v1::IMPACT_LEVEL_LOW);
    impact.set_risk(v1::IMPACT_LEVEL_LOW);
    EXPECT_OK(
        changes_->Assess(id, impact, "dave", Ctx("assess" + tag)).status());
    v1::BoardVote vote;
    vote.set_member("erin");
    vote.set_vote(v1::BOARD_DECISION_APPROVE);
    EXPECT_OK(changes_->CastVote(id, vote, Ctx("vote" + tag)).status());
    EXPECT_OK(changes_
                  ->Decide(id, v1::BOARD_DECISION_APPROVE, "chair", "",
                           Ctx("decide" + tag))
                  .status());
    if (last == v1::CHANGE_REQUEST_STATUS_APPROVED) return id;
    EXPECT_OK(changes_->RecordImplementation(id, "frank", "", Ctx("impl" + tag))
                  .status());
    if (last == v1::CHANGE_REQUEST_STATUS_IMPLEMENTED) return id;
    EXPECT_OK(changes_->Verify(id, "grace", "", Ctx("verify" + tag)).status());
    if (last == v1::CHANGE_REQUEST_STATUS_VERIFIED) return id;
    EXPECT_OK(changes_->Close(id, "done", Ctx("close" + tag)).status());
    return id;
  }

  testing::TempDir dir_;
  std::unique_ptr<eventstore::SqliteEventStore> store_;
  std::unique_ptr<projectdirectory::ProjectDirectory> projects_;
  std::unique_ptr<ConfigurationHandlers> items_;
  std::unique_ptr<ChangeControlHandlers> changes_;
  int change_requests_ = 0;
};

TEST_F(ConfigurationHandlersTest, AnItemIsRegisteredAsVersionOneWithItsAuthor) {
  const std::string id = Register("REQ-1");
  ASSERT_OK_AND_ASSIGN(VersionedItem item, items_->GetItem(id));
  EXPECT_EQ(item.version, 1);
  EXPECT_EQ(item.state.state().status(), v1::ITEM_STATUS_DRAFT);
  ASSERT_EQ(item.state.state().versions_size(), 1);
  EXPECT_EQ(item.state.state().versions(0).version_number(), 1);
  EXPECT_EQ(item.state.state().versions(0).change_summary(), "initial version");
  EXPECT_EQ(item.state.state().versions(0).author(), "alice");
  EXPECT_TRUE(item.state.state().versions(0).has_recorded_at());
}

TEST_F(ConfigurationHandlersTest, IdentifiersAreUniquePerProject) {
  Register("REQ-1", "erp");
  Register("REQ-1", "crm");  // another project may use it
  v1::ConfigurationItemRegistered again;
  again.set_project_id("erp");
  again.set_type(v1::ITEM_TYPE_DESIGN);
  again.set_identifier("REQ-1");
  again.set_title("t");
  again.set_owner("o");
  EXPECT_THAT(
      items_->RegisterItem(again, Ctx("dup")),
      StatusIs(absl::StatusCode::kAlreadyExists,
               HasSubstr("identifier 'REQ-1' is already used in project erp")));
}

TEST_F(ConfigurationHandlersTest,
       ItemsAndBaselinesOfAnUnknownProjectAreNotFoundAndAppendNothing) {
  const int64_t head = store_->HeadPosition();
  v1::ConfigurationItemRegistered item;
  item.set_project_id("ghost");
  item.set_type(v1::ITEM_TYPE_DESIGN);
  item.set_identifier("DES-1");
  item.set_title("t");
  item.set_owner("o");
  EXPECT_THAT(items_->RegisterItem(item, Ctx("ghost-item")),
              StatusIs(absl::StatusCode::kNotFound,
                       HasSubstr("project_id: no project ghost")));
  v1::BaselineEstablished baseline;
  baseline.set_project_id("ghost");
  baseline.set_name("B1");
  EXPECT_THAT(items_->EstablishBaseline(baseline, {}, Ctx("ghost-baseline")),
              StatusIs(absl::StatusCode::kNotFound,
                       HasSubstr("project_id: no project ghost")));
  EXPECT_EQ(store_->HeadPosition(), head);
}

TEST_F(ConfigurationHandlersTest, BadRegistrationNamesEveryField) {
  v1::ConfigurationItemRegistered bad;
  bad.set_project_id("erp");
  auto result = items_->RegisterItem(bad, Ctx("bad"));
  ASSERT_THAT(result, StatusIs(absl::StatusCode::kInvalidArgument));
  std::vector<std::string> fields;
  for (const FieldViolation& v : FieldViolationsOf(result.status()))
    fields.push_back(v.field);
  EXPECT_THAT(fields, ElementsAre("type", "identifier", "title", "owner"));
}

TEST_F(ConfigurationHandlersTest,
       VersionsRecordWhatChangedAndWhyAndRetriesAppendNothing) {
  const std::string id = Register("REQ-1");
  ASSERT_OK_AND_ASSIGN(VersionedItem v2, NewVersion(id, "v2"));
  EXPECT_EQ(v2.state.current_version_number(), 2);
  EXPECT_EQ(v2.state.state().versions(1).reason(), "review finding 7");
  ASSERT_OK_AND_ASSIGN(VersionedItem retried, NewVersion(id, "v2"));
  EXPECT_EQ(retried.version, v2.version);
  EXPECT_EQ(retried.state.current_version_number(), 2);
  // A stale expected version is a conflict.
  v1::ItemVersion version;
  version.set_change_summary("x");
  eventsourcing::CommandContext stale = Ctx("v3");
  stale.expected_version = 1;
  EXPECT_THAT(items_->RecordItemVersion(id, version, stale),
              StatusIs(absl::StatusCode::kAborted));
  version.clear_change_summary();
  EXPECT_THAT(items_->RecordItemVersion(id, version, Ctx("v3b")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("change_summary")));
}

TEST_F(ConfigurationHandlersTest, ItemLifecycleAndLinks) {
  const std::string req = Register("REQ-1");
  const std::string design = Register("DES-1", "erp", v1::ITEM_TYPE_DESIGN);
  const std::string other = Register("DES-9", "crm", v1::ITEM_TYPE_DESIGN);
  v1::ItemLink link;
  link.set_target_item_id(req);
  link.set_kind(v1::LINK_KIND_DERIVED_FROM);
  ASSERT_OK_AND_ASSIGN(VersionedItem linked,
                       items_->LinkItems(design, link, Ctx("link")));
  ASSERT_EQ(linked.state.state().links_size(), 1);
  ASSERT_OK_AND_ASSIGN(VersionedItem twice,
                       items_->LinkItems(design, link, Ctx("link2")));
  EXPECT_EQ(twice.version, linked.version);
  EXPECT_THAT(items_->LinkItems(other, link, Ctx("cross")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("link.target_item_id")));

  ASSERT_OK(items_
                ->ChangeItemStatus(req, v1::ITEM_STATUS_RELEASED, "approved",
                                   "", Ctx("rel"))
                .status());
  auto back =
      items_->ChangeItemStatus(req, v1::ITEM_STATUS_DRAFT, "", "", Ctx("back"));
  ASSERT_THAT(back, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(RuleOf(back.status()), "ITEM_LIFECYCLE");
  ASSERT_OK(items_
                ->ChangeItemStatus(req, v1::ITEM_STATUS_OBSOLETE, "dropped", "",
                                   Ctx("obs"))
                .status());
  auto versioned = NewVersion(req, "after-obsolete");
  EXPECT_EQ(RuleOf(versioned.status()), "ITEM_LIFECYCLE");
}

TEST_F(ConfigurationHandlersTest,
       ABaselinedItemChangesOnlyThroughAnApprovedChangeRequest) {
  const std::string req1 = Register("REQ-1");
  const std::string req2 = Register("REQ-2");
  ASSERT_OK(Baseline("Functional 1.0").status());

  // Direct change: refused, naming the rule and the baseline.
  auto direct = NewVersion(req1, "direct");
  ASSERT_THAT(direct, StatusIs(absl::StatusCode::kFailedPrecondition,
                               HasSubstr("Functional 1.0")));
  EXPECT_EQ(RuleOf(direct.status()), "BASELINED_ITEM_NEEDS_APPROVED_CHANGE");

  // A change request not yet approved, or one that does not list the item,
  // does not allow it either.
  const std::string submitted =
      ChangeRequest({req1}, v1::CHANGE_REQUEST_STATUS_SUBMITTED);
  EXPECT_EQ(RuleOf(NewVersion(req1, "not-approved", submitted).status()),
            "BASELINED_ITEM_NEEDS_APPROVED_CHANGE");
  const std::string for_req2 =
      ChangeRequest({req2}, v1::CHANGE_REQUEST_STATUS_APPROVED);
  EXPECT_THAT(NewVersion(req1, "other-item", for_req2),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("does not list")));
  EXPECT_THAT(
      NewVersion(req1, "unknown", "00000000-0000-4000-8000-000000000000"),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("change_request_id")));

  // Approved (and still while implemented): allowed, and recorded.
  const std::string approved =
      ChangeRequest({req1}, v1::CHANGE_REQUEST_STATUS_APPROVED);
  ASSERT_OK_AND_ASSIGN(VersionedItem changed,
                       NewVersion(req1, "approved", approved));
  EXPECT_EQ(changed.state.current_version_number(), 2);
  EXPECT_EQ(changed.state.state().versions(1).change_request_id(), approved);
  ASSERT_OK(
      changes_
          ->RecordImplementation(approved, "frank", "", Ctx("impl-approved"))
          .status());
  EXPECT_OK(NewVersion(req1, "while-implemented", approved).status());

  // Verified or closed: no longer.
  ASSERT_OK(
      changes_->Verify(approved, "grace", "", Ctx("verify-approved")).status());
  EXPECT_EQ(RuleOf(NewVersion(req1, "after-verify", approved).status()),
            "BASELINED_ITEM_NEEDS_APPROVED_CHANGE");
  const std::string closed =
      ChangeRequest({req1}, v1::CHANGE_REQUEST_STATUS_CLOSED);
  EXPECT_THAT(
      NewVersion(req1, "closed", closed),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("CLOSED")));
}

TEST_F(ConfigurationHandlersTest,
       ABaselinedItemChangesStatusOnlyThroughAnApprovedChangeRequest) {
  const std::string req1 = Register("REQ-1");
  // Not baselined yet: no change request needed.
  ASSERT_OK(items_
                ->ChangeItemStatus(req1, v1::ITEM_STATUS_RELEASED, "signed off",
                                   "", Ctx("rel"))
                .status());
  ASSERT_OK(Baseline("Functional 1.0").status());
  auto direct = items_->ChangeItemStatus(req1, v1::ITEM_STATUS_OBSOLETE,
                                         "dropped", "", Ctx("direct"));
  ASSERT_THAT(direct, StatusIs(absl::StatusCode::kFailedPrecondition,
                               HasSubstr("Functional 1.0")));
  EXPECT_EQ(RuleOf(direct.status()), "BASELINED_ITEM_NEEDS_APPROVED_CHANGE");
  const std::string submitted =
      ChangeRequest({req1}, v1::CHANGE_REQUEST_STATUS_SUBMITTED);
  EXPECT_EQ(
      RuleOf(items_
                 ->ChangeItemStatus(req1, v1::ITEM_STATUS_OBSOLETE, "dropped",
                                    submitted, Ctx("not-approved"))
                 .status()),
      "BASELINED_ITEM_NEEDS_APPROVED_CHANGE");
  EXPECT_THAT(items_->ChangeItemStatus(
                  req1, v1::ITEM_STATUS_OBSOLETE, "dropped",
                  "00000000-0000-4000-8000-000000000000", Ctx("unknown")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("change_request_id")));
  const std::string approved =
      ChangeRequest({req1}, v1::CHANGE_REQUEST_STATUS_APPROVED);
  ASSERT_OK_AND_ASSIGN(
      VersionedItem obsolete,
      items_->ChangeItemStatus(req1, v1::ITEM_STATUS_OBSOLETE, "dropped",
                               approved, Ctx("approved")));
  EXPECT_EQ(obsolete.state.state().status(), v1::ITEM_STATUS_OBSOLETE);
  // The event records the authorising change request.
  ASSERT_OK_AND_ASSIGN(auto events, store_->ReadStream(req1, 1, INT64_MAX));
  ASSERT_OK_AND_ASSIGN(auto last,
                       eventsourcing::DecodeEvent(events.back().event_type,
                                                  events.back().payload));
  const auto* changed =
      dynamic_cast<const v1::ConfigurationItemStatusChanged*>(last.get());
  ASSERT_NE(changed, nullptr);
  EXPECT_EQ(changed->change_request_id(), approved);
}

TEST_F(ConfigurationHandlersTest, BaselinesAreFrozenNamedUniquelyAndCompared) {
  const std::string req1 = Register("REQ-1");
  const std::string req2 = Register("REQ-2");
  const std::string req3 = Register("REQ-3");
  ASSERT_OK_AND_ASSIGN(VersionedBaseline established,
                       Baseline("Functional 1.0", {req1, req2}));
  ASSERT_OK_AND_ASSIGN(
      VersionedBaseline functional,
      items_->GetBaseline(established.state.state().baseline_id()));
  EXPECT_EQ(functional.state.state().entries_size(), 2);
  EXPECT_EQ(functional.state.state().created_by(), "alice");
  // A retry answers with the same baseline.
  ASSERT_OK_AND_ASSIGN(VersionedBaseline retried,
                       Baseline("Functional 1.0", {req1, req2}));
  EXPECT_EQ(retried.state.state().baseline_id(),
            functional.state.state().baseline_id());
  v1::BaselineEstablished same_name;
  same_name.set_project_id("erp");
  same_name.set_name("Functional 1.0");
  EXPECT_THAT(
      items_->EstablishBaseline(same_name, {}, Ctx("again")),
      StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("Functional 1.0")));

  const std::string cr =
      ChangeRequest({req2}, v1::CHANGE_REQUEST_STATUS_APPROVED);
  ASSERT_OK(NewVersion(req2, "req2-v2", cr).status());
  const std::string retire =
      ChangeRequest({req1}, v1::CHANGE_REQUEST_STATUS_APPROVED);
  ASSERT_OK(items_
                ->ChangeItemStatus(req1, v1::ITEM_STATUS_OBSOLETE, "merged",
                                   retire, Ctx("obs"))
                .status());
  // Every item that is not obsolete: REQ-2 (v2) and REQ-3.
  ASSERT_OK_AND_ASSIGN(VersionedBaseline product, Baseline("Product 1.0"));
  // The first baseline did not move.
  ASSERT_OK_AND_ASSIGN(
      VersionedBaseline frozen,
      items_->GetBaseline(functional.state.state().baseline_id()));
  EXPECT_EQ(frozen.state.state().SerializeAsString(),
            functional.state.state().SerializeAsString());

  ASSERT_OK_AND_ASSIGN(
      v1::BaselineComparison diff,
      items_->CompareBaselines(functional.state.state().baseline_id(),
                               product.state.state().baseline_id()));
  ASSERT_EQ(diff.added_size(), 1);
  EXPECT_EQ(diff.added(0).item_id(), req3);
  ASSERT_EQ(diff.removed_size(), 1);
  EXPECT_EQ(diff.removed(0).item_id(), req1);
  ASSERT_EQ(diff.changed_size(), 1);
  EXPECT_EQ(diff.changed(0).identifier(), "REQ-2");
  EXPECT_EQ(diff.changed(0).from_version_number(), 1);
  EXPECT_EQ(diff.changed(0).to_version_number(), 2);
  EXPECT_THAT(items_->CompareBaselines(functional.state.state().baseline_id(),
                                       "00000000-0000-4000-8000-000000000000"),
              StatusIs(absl::StatusCode::kNotFound));
  // An obsolete item cannot be named into a baseline.
  EXPECT_THAT(
      Baseline("With obsolete", {req1}),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("item_ids[0]")));
}

TEST_F(ConfigurationHandlersTest,
       StatusAccountingShowsHistoryAndWhichBaselineHoldsWhichVersion) {
  const std::string req1 = Register("REQ-1");
  const std::string des1 = Register("DES-1", "erp", v1::ITEM_TYPE_DESIGN);
  Register("OTHER-1", "crm");
  ASSERT_OK_AND_ASSIGN(VersionedBaseline first, Baseline("Functional 1.0"));
  const std::string cr =
      ChangeRequest({req1}, v1::CHANGE_REQUEST_STATUS_APPROVED);
  ASSERT_OK(NewVersion(req1, "req1-v2", cr).status());
  ASSERT_OK_AND_ASSIGN(VersionedBaseline second, Baseline("Functional 1.1"));

  ASSERT_OK_AND_ASSIGN(StatusAccounting accounting,
                       items_->GetStatusAccounting("erp"));
  ASSERT_EQ(accounting.baselines.size(), 2u);
  EXPECT_EQ(accounting.baselines[0].state.state().name(), "Functional 1.0");
  ASSERT_EQ(accounting.items.size(), 2u);  // by identifier, crm's left out
  const v1::ConfigurationItem& design = accounting.items[0].state.state();
  const v1::ConfigurationItem& requirement = accounting.items[1].state.state();
  EXPECT_EQ(design.identifier(), "DES-1");
  EXPECT_EQ(requirement.identifier(), "REQ-1");
  ASSERT_EQ(requirement.versions_size(), 2);
  EXPECT_EQ(requirement.versions(1).change_request_id(), cr);
  ASSERT_EQ(requirement.baselines_size(), 2);
  EXPECT_EQ(requirement.baselines(0).baseline_name(), "Functional 1.0");
  EXPECT_EQ(requirement.baselines(0).version_number(), 1);
  EXPECT_EQ(requirement.baselines(1).baseline_name(), "Functional 1.1");
  EXPECT_EQ(requirement.baselines(1).version_number(), 2);
  ASSERT_EQ(design.baselines_size(), 2);
  EXPECT_EQ(design.baselines(1).version_number(), 1);
  (void)des1;
  (void)first;
  (void)second;
}

TEST_F(ConfigurationHandlersTest, ListingIsPaginated) {
  for (int i = 0; i < 5; ++i) Register("REQ-" + std::to_string(i));
  ASSERT_OK_AND_ASSIGN(ItemPage first, items_->ListItems("erp", 2, ""));
  EXPECT_EQ(first.items.size(), 2u);
  ASSERT_OK_AND_ASSIGN(ItemPage second,
                       items_->ListItems("erp", 2, first.next_page_token));
  EXPECT_EQ(second.items.size(), 2u);
  EXPECT_NE(second.items[0].state.state().identifier(),
            first.items[0].state.state().identifier());
  ASSERT_OK_AND_ASSIGN(ItemPage last,
                       items_->ListItems("erp", 2, second.next_page_token));
  EXPECT_EQ(last.items.size(), 1u);
  EXPECT_EQ(last.items[0].state.state().identifier(), "REQ-4");
  EXPECT_EQ(last.next_page_token, "");
  // A bare offset or another list's token is not a token of this list.
  for (const std::string& forged : {std::string("4"), PageToken("tools", 2)}) {
    EXPECT_THAT(
        items_->ListItems("erp", 2, forged),
        StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("page_token")));
  }
}

}  // namespace
}  // namespace pmo::configuration
