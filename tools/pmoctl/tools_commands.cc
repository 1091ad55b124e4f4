// pmoctl's project tools area (pmo.configuration.v1.ToolsService): the
// catalogue of tools the PMO runs for projects, their licences, which
// project uses how many seats, and the flags a PMO watches: a tool used
// beyond its licences (over-used) and a licence about to expire.

#include "absl/strings/str_join.h"
#include "pmo/configuration/v1/tools_service.grpc.pb.h"
#include "tools/pmoctl/command.h"

namespace pmoctl {
namespace {

namespace cv1 = ::pmo::configuration::v1;
using Stub = cv1::ToolsService::Stub;

Table ToolsTable(const google::protobuf::RepeatedPtrField<cv1::Tool>& tools) {
  Table t({"TOOL_ID", "NAME", "VENDOR", "LICENCE", "LICENCES", "SEATS_IN_USE",
           "EXPIRES", "FLAGS", "PROJECTS"});
  for (const auto& tool : tools) {
    std::vector<std::string> flags, projects;
    if (tool.over_used()) flags.push_back("over-used");
    if (tool.licence_expiring()) flags.push_back("expiring");
    if (tool.retired()) flags.push_back("retired");
    for (const auto& a : tool.assignments()) {
      projects.push_back(absl::StrCat(a.project_id(), ":", a.seats()));
    }
    t.Add({tool.tool_id(), tool.name(), tool.vendor(),
           EnumLabel(cv1::LicenceModel_Name(tool.licence_model()),
                     "LICENCE_MODEL_"),
           std::to_string(tool.licence_count()),
           std::to_string(tool.seats_in_use()),
           FormatDate(tool.licence_expiry()), absl::StrJoin(flags, ","),
           absl::StrJoin(projects, " ")});
  }
  return t;
}

template <typename Response>
Table ToolOf(const Response& r) {
  google::protobuf::RepeatedPtrField<cv1::Tool> one;
  *one.Add() = r.tool();
  return ToolsTable(one);
}

// --as-of and --warning-days: the day and horizon of the expiry flag.
void ReadFlagsQuery(const Invocation& in, cv1::ToolFlagsQuery* query) {
  if (in.Has("as-of")) *query->mutable_as_of() = in.Date("as-of");
  if (in.Has("warning-days")) {
    query->set_expiry_warning_days(
        static_cast<int32_t>(in.Int("warning-days")));
  }
}

int Catalogue(Session& s, const Invocation& in) {
  cv1::CatalogueToolRequest req;
  req.set_request_id(in.RequestId());
  req.set_name(in.Str("name"));
  req.set_vendor(in.Str("vendor"));
  req.set_licence_model(in.EnumValue<cv1::LicenceModel>(
      "--licence-model", in.Str("licence-model"), "LICENCE_MODEL_",
      &cv1::LicenceModel_Parse));
  req.set_licence_count(static_cast<int32_t>(in.Int("licences")));
  if (in.Has("expires")) *req.mutable_licence_expiry() = in.Date("expires");
  return CallAndPrint(s, in, &Stub::CatalogueTool, req,
                      ToolOf<cv1::CatalogueToolResponse>);
}

int Get(Session& s, const Invocation& in) {
  cv1::GetToolRequest req;
  req.set_tool_id(in.Arg(0));
  ReadFlagsQuery(in, req.mutable_flags());
  return CallAndPrint(s, in, &Stub::GetTool, req, ToolOf<cv1::GetToolResponse>);
}

int List(Session& s, const Invocation& in) {
  Stub stub(s.channel());
  cv1::ListToolsResponse all;
  std::string token;
  do {
    cv1::ListToolsRequest req;
    ReadFlagsQuery(in, req.mutable_flags());
    req.set_project_id(in.Str("project"));
    req.set_flagged_only(in.Has("flagged"));
    req.set_include_retired(in.Has("include-retired"));
    req.set_page_size(1000);
    req.set_page_token(token);
    if (!in.ok()) return in.UsageError();
    cv1::ListToolsResponse page;
    if (int rc = s.Call(&stub, &Stub::ListTools, req, &page)) return rc;
    for (auto& t : *page.mutable_tools()) *all.add_tools() = std::move(t);
    token = page.next_page_token();
  } while (!token.empty());
  s.Print(all, ToolsTable(all.tools()));
  return kExitOk;
}

int Licence(Session& s, const Invocation& in) {
  cv1::ChangeToolLicenceRequest req;
  req.set_request_id(in.RequestId());
  req.set_tool_id(in.Arg(0));
  req.set_licence_count(static_cast<int32_t>(in.Int("licences")));
  if (in.Has("expires")) *req.mutable_licence_expiry() = in.Date("expires");
  SetExpectedVersion(in, &req);
  return CallAndPrint(s, in, &Stub::ChangeToolLicence, req,
                      ToolOf<cv1::ChangeToolLicenceResponse>);
}

int Assign(Session& s, const Invocation& in) {
  cv1::AssignToolToProjectRequest req;
  req.set_request_id(in.RequestId());
  req.set_tool_id(in.Arg(0));
  req.set_project_id(in.Str("project"));
  req.set_seats(static_cast<int32_t>(in.Int("seats")));
  SetExpectedVersion(in, &req);
  return CallAndPrint(s, in, &Stub::AssignToolToProject, req,
                      ToolOf<cv1::AssignToolToProjectResponse>);
}

int Release(Session& s, const Invocation& in) {
  cv1::ReleaseToolFromProjectRequest req;
  req.set_request_id(in.RequestId());
  req.set_tool_id(in.Arg(0));
  req.set_project_id(in.Str("project"));
  SetExpectedVersion(in, &req);
  return CallAndPrint(s, in, &Stub::ReleaseToolFromProject, req,
                      ToolOf<cv1::ReleaseToolFromProjectResponse>);
}

int Retire(Session& s, const Invocation& in) {
  cv1::RetireToolRequest req;
  req.set_request_id(in.RequestId());
  req.set_tool_id(in.Arg(0));
  req.set_reason(in.Str("reason"));
  SetExpectedVersion(in, &req);
  return CallAndPrint(s, in, &Stub::RetireTool, req,
                      ToolOf<cv1::RetireToolResponse>);
}

}  // namespace

void AddToolCommands(std::vector<Command>* out) {
  const Option as_of = {"as-of", "YYYY-MM-DD",
                        "the day the expiry flag is judged on (default today)"};
  const Option warning = {"warning-days", "N",
                          "flag licences expiring within N days"};
  out->push_back({"tools",
                  "catalogue",
                  {},
                  "Put a tool into the PMO's catalogue.",
                  {{"name", "TEXT", "the tool, e.g. Jira", true},
                   {"vendor", "TEXT", "who supplies it", true},
                   {"licence-model", "MODEL",
                    "PER_USER, CONCURRENT, SITE or OPEN_SOURCE", true},
                   {"licences", "N", "licences held (seats)"},
                   {"expires", "YYYY-MM-DD", "when the licence ends"}},
                  Catalogue});
  out->push_back({"tools",
                  "get",
                  {"TOOL_ID"},
                  "Show a tool, its seats per project and its flags.",
                  {as_of, warning},
                  Get});
  out->push_back(
      {"tools",
       "list",
       {},
       "List the catalogue with over-use and expiry flags.",
       {{"project", "ID", "only tools this project uses"},
        {"flagged", "", "only over-used tools and expiring licences"},
        {"include-retired", "", "retired tools too"},
        as_of,
        warning},
       List});
  out->push_back({"tools",
                  "licence",
                  {"TOOL_ID"},
                  "Change a tool's licences.",
                  {{"licences", "N", "licences held from now on", true},
                   {"expires", "YYYY-MM-DD", "when the licence ends"},
                   ExpectedVersionOption()},
                  Licence});
  out->push_back({"tools",
                  "assign",
                  {"TOOL_ID"},
                  "Give a project seats of a tool.",
                  {{"project", "ID", "the project", true},
                   {"seats", "N", "how many seats it uses", true},
                   ExpectedVersionOption()},
                  Assign});
  out->push_back(
      {"tools",
       "release",
       {"TOOL_ID"},
       "Take a tool's seats back from a project.",
       {{"project", "ID", "the project", true}, ExpectedVersionOption()},
       Release});
  out->push_back({"tools",
                  "retire",
                  {"TOOL_ID"},
                  "Retire a tool from the catalogue.",
                  {{"reason", "TEXT", "why", true}, ExpectedVersionOption()},
                  Retire});
}

}  // namespace pmoctl
