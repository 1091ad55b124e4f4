// pmoctl's change control area: registering the configuration items a
// change request names (pmo.configuration.v1.ConfigurationService), and
// submitting, listing and showing change requests
// (pmo.configuration.v1.ChangeControlService). Assessment, board votes and
// the later steps are not here yet.

#include "pmo/configuration/v1/change_control_service.grpc.pb.h"
#include "pmo/configuration/v1/configuration_service.grpc.pb.h"
#include "tools/pmoctl/command.h"

namespace pmoctl {
namespace {

namespace cv1 = ::pmo::configuration::v1;
using Stub = cv1::ChangeControlService::Stub;

Table ChangeRequestsTable(const google::protobuf::RepeatedPtrField<cv1::ChangeRequest>& crs) {
  Table t({"CHANGE_REQUEST_ID", "PROJECT_ID", "TITLE", "STATUS", "REQUESTER", "VERSION"});
  for (const auto& c : crs) {
    t.Add({c.change_request_id(), c.project_id(), c.title(),
           EnumLabel(cv1::ChangeRequestStatus_Name(c.status()), "CHANGE_REQUEST_STATUS_"),
           c.requester(), std::to_string(c.version())});
  }
  return t;
}

Table ChangeRequestTable(const cv1::ChangeRequest& c) {
  google::protobuf::RepeatedPtrField<cv1::ChangeRequest> one;
  *one.Add() = c;
  return ChangeRequestsTable(one);
}

int Submit(Session& s, const Invocation& in) {
  cv1::SubmitChangeRequestRequest req;
  req.set_request_id(in.RequestId());
  req.set_project_id(in.Arg(0));
  req.set_title(in.Str("title"));
  req.set_reason(in.Str("reason"));
  req.set_requester(in.Str("requester"));
  for (const std::string& id : in.All("item")) req.add_affected_item_ids(id);
  if (!in.ok()) return in.UsageError();
  auto stub = cv1::ChangeControlService::NewStub(s.channel());
  cv1::SubmitChangeRequestResponse resp;
  if (int rc = s.Call(stub.get(), &Stub::SubmitChangeRequest, req, &resp)) return rc;
  s.Print(resp, ChangeRequestTable(resp.change_request()));
  return kExitOk;
}

int Get(Session& s, const Invocation& in) {
  cv1::GetChangeRequestRequest req;
  req.set_change_request_id(in.Arg(0));
  auto stub = cv1::ChangeControlService::NewStub(s.channel());
  cv1::GetChangeRequestResponse resp;
  if (int rc = s.Call(stub.get(), &Stub::GetChangeRequest, req, &resp)) return rc;
  s.Print(resp, ChangeRequestTable(resp.change_request()));
  return kExitOk;
}

int List(Session& s, const Invocation& in) {
  cv1::ListChangeRequestsRequest req;
  req.set_project_id(in.Str("project"));
  req.set_status(in.EnumValue<cv1::ChangeRequestStatus>(
      "--status", in.Str("status"), "CHANGE_REQUEST_STATUS_", &cv1::ChangeRequestStatus_Parse));
  if (!in.ok()) return in.UsageError();
  auto stub = cv1::ChangeControlService::NewStub(s.channel());
  cv1::ListChangeRequestsResponse resp;
  if (int rc = s.Call(stub.get(), &Stub::ListChangeRequests, req, &resp)) return rc;
  s.Print(resp, ChangeRequestsTable(resp.change_requests()));
  return kExitOk;
}

int RegisterItem(Session& s, const Invocation& in) {
  cv1::RegisterConfigurationItemRequest req;
  req.set_request_id(in.RequestId());
  req.set_project_id(in.Arg(0));
  req.set_type(in.EnumValue<cv1::ItemType>("--type", in.Str("type"), "ITEM_TYPE_",
                                           &cv1::ItemType_Parse));
  req.set_identifier(in.Str("identifier"));
  req.set_title(in.Str("title"));
  req.set_owner(in.Str("owner"));
  if (!in.ok()) return in.UsageError();
  auto stub = cv1::ConfigurationService::NewStub(s.channel());
  cv1::RegisterConfigurationItemResponse resp;
  if (int rc = s.Call(stub.get(), &cv1::ConfigurationService::Stub::RegisterConfigurationItem,
                      req, &resp)) {
    return rc;
  }
  const cv1::ConfigurationItem& item = resp.item();
  Table t({"ITEM_ID", "PROJECT_ID", "TYPE", "TITLE"});
  t.Add({item.item_id(), item.project_id(), EnumLabel(cv1::ItemType_Name(item.type()), "ITEM_TYPE_"),
         item.title()});
  s.Print(resp, t);
  return kExitOk;
}

}  // namespace

void AddChangeControlCommands(std::vector<Command>* out) {
  out->push_back({"changes", "submit", {"PROJECT_ID"}, "Submit a change request to a project.",
                  {{"title", "TEXT", "what is to change", true},
                   {"reason", "TEXT", "why", true},
                   {"requester", "NAME", "who asks for it", true},
                   {"item", "ITEM_ID", "an affected configuration item (pmoctl items register)",
                    true, true}},
                  Submit});
  out->push_back({"items", "register", {"PROJECT_ID"},
                  "Register a configuration item of a project, for change control.",
                  {{"type", "TYPE", "REQUIREMENT, DESIGN, CODE_RELEASE, DOCUMENT, DELIVERABLE, ...",
                    true},
                   {"identifier", "TEXT", "the project's name for it, e.g. ERP-SCOPE", true},
                   {"title", "TEXT", "what it is", true},
                   {"owner", "NAME", "who looks after it", true}},
                  RegisterItem});
  out->push_back({"changes", "get", {"CHANGE_REQUEST_ID"}, "Show a change request.", {}, Get});
  out->push_back({"changes", "list", {}, "List change requests.",
                  {{"project", "ID", "only this project's"},
                   {"status", "STATUS", "only those in STATUS, e.g. SUBMITTED or APPROVED"}},
                  List});
}

}  // namespace pmoctl
