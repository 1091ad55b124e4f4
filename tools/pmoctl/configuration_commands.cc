// pmoctl's configuration management area (pmo.configuration.v1.
// ConfigurationService): configuration items with their versions, status
// and links; baselines that freeze the items' current versions; comparing
// two baselines; and status accounting, every item of a project with the
// baselines that hold each version.
//
// Once a baseline holds an item, a new version or status needs an approved
// change request naming it (`--change-request`); the server says so
// (exit 1, rule BASELINED_ITEM_NEEDS_APPROVED_CHANGE).

#include "absl/strings/str_join.h"
#include "pmo/configuration/v1/configuration_service.grpc.pb.h"
#include "tools/pmoctl/command.h"

namespace pmoctl {
namespace {

namespace cv1 = ::pmo::configuration::v1;
using Stub = cv1::ConfigurationService::Stub;

std::string TypeLabel(cv1::ItemType type) {
  return EnumLabel(cv1::ItemType_Name(type), "ITEM_TYPE_");
}

std::string ItemStatusLabel(cv1::ItemStatus status) {
  return EnumLabel(cv1::ItemStatus_Name(status), "ITEM_STATUS_");
}

// "Functional 1.0@v2, Product 1.1@v3": the baselines holding the item.
std::string Memberships(const cv1::ConfigurationItem& item) {
  std::vector<std::string> names;
  for (const auto& m : item.baselines()) {
    names.push_back(absl::StrCat(m.baseline_name(), "@v", m.version_number()));
  }
  return absl::StrJoin(names, ", ");
}

Table ItemsTable(
    const google::protobuf::RepeatedPtrField<cv1::ConfigurationItem>& items) {
  Table t({"ITEM_ID", "IDENTIFIER", "TYPE", "TITLE", "STATUS", "ITEM_VERSION",
           "OWNER", "BASELINES"});
  for (const auto& i : items) {
    t.Add({i.item_id(), i.identifier(), TypeLabel(i.type()), i.title(),
           ItemStatusLabel(i.status()),
           i.versions().empty()
               ? ""
               : std::to_string(i.versions().rbegin()->version_number()),
           i.owner(), Memberships(i)});
  }
  return t;
}

// One item in full: a row per version, then its links.
Table ItemTable(const cv1::ConfigurationItem& i) {
  Table t({"FIELD", "VALUE"});
  t.Add({"item", i.item_id()});
  t.Add({"project", i.project_id()});
  t.Add({"identifier", i.identifier()});
  t.Add({"type", TypeLabel(i.type())});
  t.Add({"title", i.title()});
  t.Add({"owner", i.owner()});
  t.Add({"status", ItemStatusLabel(i.status())});
  for (const auto& v : i.versions()) {
    std::string text = v.change_summary();
    if (!v.reason().empty()) text += " (" + v.reason() + ")";
    if (!v.change_request_id().empty())
      text += " under " + v.change_request_id();
    if (!v.content_reference().empty()) text += " at " + v.content_reference();
    t.Add({absl::StrCat("v", v.version_number()),
           absl::StrCat(text, "; ", v.author(), " ",
                        FormatTime(v.recorded_at()))});
  }
  for (const auto& l : i.links()) {
    t.Add({"link", EnumLabel(cv1::LinkKind_Name(l.kind()), "LINK_KIND_") + " " +
                       l.target_item_id()});
  }
  t.Add({"baselines", Memberships(i)});
  // The aggregate's version, for --expected-version.
  t.Add({"version", std::to_string(i.version())});
  return t;
}

template <typename Response>
Table ItemOf(const Response& r) {
  return ItemTable(r.item());
}

Table EntriesTable(const cv1::Baseline& b) {
  Table t({"BASELINE", "ITEM_ID", "IDENTIFIER", "ITEM_VERSION"});
  for (const auto& e : b.entries()) {
    t.Add({b.name(), e.item_id(), e.identifier(),
           std::to_string(e.version_number())});
  }
  return t;
}

Table BaselinesTable(
    const google::protobuf::RepeatedPtrField<cv1::Baseline>& baselines) {
  Table t({"BASELINE_ID", "PROJECT_ID", "NAME", "ITEMS", "CREATED_BY",
           "CREATED_AT"});
  for (const auto& b : baselines) {
    t.Add({b.baseline_id(), b.project_id(), b.name(),
           std::to_string(b.entries_size()), b.created_by(),
           FormatTime(b.created_at())});
  }
  return t;
}

template <typename Response>
Table BaselineOf(const Response& r) {
  return EntriesTable(r.baseline());
}

int RegisterItem(Session& s, const Invocation& in) {
  cv1::RegisterConfigurationItemRequest req;
  req.set_request_id(in.RequestId());
  req.set_project_id(in.Arg(0));
  req.set_type(in.EnumValue<cv1::ItemType>("--type", in.Str("type"),
                                           "ITEM_TYPE_", &cv1::ItemType_Parse));
  req.set_identifier(in.Str("identifier"));
  req.set_title(in.Str("title"));
  req.set_owner(in.Str("owner"));
  req.set_change_summary(in.Str("summary"));
  req.set_content_reference(in.Str("content-ref"));
  return CallAndPrint(
      s, in, &Stub::RegisterConfigurationItem, req, [](const auto& r) {
        google::protobuf::RepeatedPtrField<cv1::ConfigurationItem> one;
        *one.Add() = r.item();
        return ItemsTable(one);
      });
}

int GetItem(Session& s, const Invocation& in) {
  cv1::GetConfigurationItemRequest req;
  req.set_item_id(in.Arg(0));
  return CallAndPrint(s, in, &Stub::GetConfigurationItem, req,
                      ItemOf<cv1::GetConfigurationItemResponse>);
}

int ListItems(Session& s, const Invocation& in) {
  Stub stub(s.channel());
  cv1::ListConfigurationItemsResponse all;
  std::string token;
  do {
    cv1::ListConfigurationItemsRequest req;
    req.set_project_id(in.Str("project"));
    req.set_page_size(1000);
    req.set_page_token(token);
    cv1::ListConfigurationItemsResponse page;
    if (int rc = s.Call(&stub, &Stub::ListConfigurationItems, req, &page))
      return rc;
    for (auto& i : *page.mutable_items()) *all.add_items() = std::move(i);
    token = page.next_page_token();
  } while (!token.empty());
  s.Print(all, ItemsTable(all.items()));
  return kExitOk;
}

int RecordVersion(Session& s, const Invocation& in) {
  cv1::RecordItemVersionRequest req;
  req.set_request_id(in.RequestId());
  req.set_item_id(in.Arg(0));
  req.set_change_summary(in.Str("summary"));
  req.set_reason(in.Str("reason"));
  req.set_change_request_id(in.Str("change-request"));
  req.set_content_reference(in.Str("content-ref"));
  SetExpectedVersion(in, &req);
  return CallAndPrint(s, in, &Stub::RecordItemVersion, req,
                      ItemOf<cv1::RecordItemVersionResponse>);
}

int SetStatus(Session& s, const Invocation& in) {
  cv1::ChangeItemStatusRequest req;
  req.set_request_id(in.RequestId());
  req.set_item_id(in.Arg(0));
  req.set_status(in.EnumValue<cv1::ItemStatus>(
      "STATUS", in.Arg(1), "ITEM_STATUS_", &cv1::ItemStatus_Parse));
  req.set_reason(in.Str("reason"));
  req.set_change_request_id(in.Str("change-request"));
  SetExpectedVersion(in, &req);
  return CallAndPrint(s, in, &Stub::ChangeItemStatus, req,
                      ItemOf<cv1::ChangeItemStatusResponse>);
}

int Link(Session& s, const Invocation& in) {
  cv1::LinkConfigurationItemsRequest req;
  req.set_request_id(in.RequestId());
  req.set_item_id(in.Arg(0));
  req.mutable_link()->set_target_item_id(in.Str("to"));
  req.mutable_link()->set_kind(in.EnumValue<cv1::LinkKind>(
      "--kind", in.Str("kind"), "LINK_KIND_", &cv1::LinkKind_Parse));
  SetExpectedVersion(in, &req);
  return CallAndPrint(s, in, &Stub::LinkConfigurationItems, req,
                      ItemOf<cv1::LinkConfigurationItemsResponse>);
}

int CreateBaseline(Session& s, const Invocation& in) {
  cv1::EstablishBaselineRequest req;
  req.set_request_id(in.RequestId());
  req.set_project_id(in.Arg(0));
  req.set_name(in.Str("name"));
  req.set_description(in.Str("description"));
  for (const std::string& id : in.All("item")) req.add_item_ids(id);
  return CallAndPrint(s, in, &Stub::EstablishBaseline, req,
                      BaselineOf<cv1::EstablishBaselineResponse>);
}

int GetBaseline(Session& s, const Invocation& in) {
  cv1::GetBaselineRequest req;
  req.set_baseline_id(in.Arg(0));
  return CallAndPrint(s, in, &Stub::GetBaseline, req,
                      BaselineOf<cv1::GetBaselineResponse>);
}

int ListBaselines(Session& s, const Invocation& in) {
  cv1::ListBaselinesRequest req;
  req.set_project_id(in.Str("project"));
  return CallAndPrint(s, in, &Stub::ListBaselines, req,
                      [](const cv1::ListBaselinesResponse& r) {
                        return BaselinesTable(r.baselines());
                      });
}

int Compare(Session& s, const Invocation& in) {
  cv1::CompareBaselinesRequest req;
  req.set_from_baseline_id(in.Arg(0));
  req.set_to_baseline_id(in.Arg(1));
  const int rc = CallAndPrint(
      s, in, &Stub::CompareBaselines, req,
      [](const cv1::CompareBaselinesResponse& r) {
        const cv1::BaselineComparison& c = r.comparison();
        Table t(
            {"CHANGE", "ITEM_ID", "IDENTIFIER", "FROM_VERSION", "TO_VERSION"});
        for (const auto& e : c.added()) {
          t.Add({"added", e.item_id(), e.identifier(), "",
                 std::to_string(e.version_number())});
        }
        for (const auto& e : c.removed()) {
          t.Add({"removed", e.item_id(), e.identifier(),
                 std::to_string(e.version_number()), ""});
        }
        for (const auto& e : c.changed()) {
          t.Add({"changed", e.item_id(), e.identifier(),
                 std::to_string(e.from_version_number()),
                 std::to_string(e.to_version_number())});
        }
        t.Add({"unchanged", std::to_string(c.unchanged_count()) + " item(s)",
               "", "", ""});
        return t;
      });
  return rc;
}

int Accounting(Session& s, const Invocation& in) {
  cv1::GetStatusAccountingRequest req;
  req.set_project_id(in.Arg(0));
  return CallAndPrint(s, in, &Stub::GetStatusAccounting, req,
                      [](const cv1::GetStatusAccountingResponse& r) {
                        return ItemsTable(r.items());
                      });
}

}  // namespace

void AddConfigurationCommands(std::vector<Command>* out) {
  const Option change_request = {"change-request", "ID",
                                 "the approved change request allowing it "
                                 "(required once a baseline holds the item)"};
  out->push_back(
      {"items",
       "register",
       {"PROJECT_ID"},
       "Register a configuration item of a project, for change control.",
       {{"type", "TYPE",
         "REQUIREMENT, DESIGN, CODE_RELEASE, DOCUMENT, DELIVERABLE, ...", true},
        {"identifier", "TEXT", "the project's name for it, e.g. ERP-SCOPE",
         true},
        {"title", "TEXT", "what it is", true},
        {"owner", "NAME", "who looks after it", true},
        {"summary", "TEXT", "what version 1 is (default 'initial version')"},
        {"content-ref", "REF",
         "where version 1 lives: a tag, a document URI..."}},
       RegisterItem});
  out->push_back(
      {"items",
       "get",
       {"ITEM_ID"},
       "Show a configuration item: every version, its links and baselines.",
       {},
       GetItem});
  out->push_back({"items",
                  "list",
                  {},
                  "List a project's configuration items.",
                  {{"project", "ID", "the project", true}},
                  ListItems});
  out->push_back({"items",
                  "version",
                  {"ITEM_ID"},
                  "Record a new version of an item.",
                  {{"summary", "TEXT", "what changed", true},
                   {"reason", "TEXT", "why it changed", true},
                   change_request,
                   {"content-ref", "REF", "where the new version lives"},
                   ExpectedVersionOption()},
                  RecordVersion});
  out->push_back({"items",
                  "set-status",
                  {"ITEM_ID", "STATUS"},
                  "Move an item to RELEASED or OBSOLETE.",
                  {{"reason", "TEXT", "why", true},
                   change_request,
                   ExpectedVersionOption()},
                  SetStatus});
  out->push_back(
      {"items",
       "link",
       {"ITEM_ID"},
       "Link an item to another of the project.",
       {{"to", "ITEM_ID", "the target item", true},
        {"kind", "KIND", "DERIVED_FROM, PART_OF, DEPENDS_ON or VERIFIES", true},
        ExpectedVersionOption()},
       Link});
  out->push_back(
      {"baselines",
       "create",
       {"PROJECT_ID"},
       "Establish a baseline: freeze the items' current versions.",
       {{"name", "TEXT", "unique per project, e.g. 'Functional 1.0'", true},
        {"description", "TEXT", "what the baseline is for"},
        {"item", "ITEM_ID",
         "an item to freeze (default: every item not OBSOLETE)", false, true}},
       CreateBaseline});
  out->push_back({"baselines",
                  "get",
                  {"BASELINE_ID"},
                  "Show the item versions a baseline holds.",
                  {},
                  GetBaseline});
  out->push_back({"baselines",
                  "list",
                  {},
                  "List a project's baselines, oldest first.",
                  {{"project", "ID", "the project", true}},
                  ListBaselines});
  out->push_back(
      {"baselines",
       "compare",
       {"FROM_BASELINE_ID", "TO_BASELINE_ID"},
       "What was added, removed and changed from one baseline to another.",
       {},
       Compare});
  out->push_back({"baselines",
                  "accounting",
                  {"PROJECT_ID"},
                  "Status accounting: every item of a project and the "
                  "baselines holding it.",
                  {},
                  Accounting});
}

}  // namespace pmoctl
