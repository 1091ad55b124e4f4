// pmoctl's change control area: a change request's whole workflow
// (pmo.configuration.v1.ChangeControlService), one command a step:
//
//   submit -> assess -> vote... -> decide -> implement -> verify -> close
//
// The server enforces the order (FAILED_PRECONDITION, exit 1, naming rule
// CHANGE_REQUEST_WORKFLOW); pmoctl only names the steps. `change-board`
// sets up a portfolio's change control board (members, chair, quorum,
// majority rule) and shows it.

#include "absl/strings/str_join.h"
#include "pmo/configuration/v1/change_control_service.grpc.pb.h"
#include "tools/pmoctl/command.h"

namespace pmoctl {
namespace {

namespace cv1 = ::pmo::configuration::v1;
using Stub = cv1::ChangeControlService::Stub;

std::string StatusLabel(cv1::ChangeRequestStatus status) {
  return EnumLabel(cv1::ChangeRequestStatus_Name(status),
                   "CHANGE_REQUEST_STATUS_");
}

std::string DecisionLabel(cv1::BoardDecision decision) {
  return EnumLabel(cv1::BoardDecision_Name(decision), "BOARD_DECISION_");
}

std::string ImpactLabel(cv1::ImpactLevel level) {
  return EnumLabel(cv1::ImpactLevel_Name(level), "IMPACT_LEVEL_");
}

Table ChangeRequestsTable(
    const google::protobuf::RepeatedPtrField<cv1::ChangeRequest>& crs) {
  Table t({"CHANGE_REQUEST_ID", "PROJECT_ID", "TITLE", "STATUS", "REQUESTER",
           "VERSION"});
  for (const auto& c : crs) {
    t.Add({c.change_request_id(), c.project_id(), c.title(),
           StatusLabel(c.status()), c.requester(),
           std::to_string(c.version())});
  }
  return t;
}

// One request in full: a FIELD / VALUE table, so every step's record shows.
Table ChangeRequestTable(const cv1::ChangeRequest& c) {
  Table t({"FIELD", "VALUE"});
  t.Add({"change request", c.change_request_id()});
  t.Add({"project", c.project_id()});
  t.Add({"title", c.title()});
  t.Add({"status", StatusLabel(c.status())});
  t.Add({"requester", c.requester()});
  t.Add({"reason", c.reason()});
  t.Add({"items", absl::StrJoin(c.affected_item_ids(), ", ")});
  if (!c.assessed_by().empty()) {
    const cv1::ChangeImpact& i = c.impact();
    t.Add({"assessed by", c.assessed_by()});
    t.Add({"impact scope",
           ImpactLabel(i.scope()) +
               (i.scope_notes().empty() ? "" : ": " + i.scope_notes())});
    t.Add({"impact schedule", absl::StrCat(ImpactLabel(i.schedule()), " (",
                                           i.schedule_days(), " days)")});
    t.Add({"impact cost", absl::StrCat(ImpactLabel(i.cost()), " (",
                                       i.cost_minor(), " minor)")});
    t.Add({"impact risk",
           ImpactLabel(i.risk()) +
               (i.risk_notes().empty() ? "" : ": " + i.risk_notes())});
  }
  for (const auto& v : c.votes()) {
    t.Add({"vote", v.member() + ": " + DecisionLabel(v.vote()) +
                       (v.comment().empty() ? "" : " (" + v.comment() + ")")});
  }
  if (c.decision() != cv1::BOARD_DECISION_UNSPECIFIED) {
    t.Add({"decision", DecisionLabel(c.decision()) + " by " + c.decided_by()});
    t.Add({"rationale", c.decision_rationale()});
  }
  if (!c.implemented_by().empty()) {
    t.Add({"implemented by", c.implemented_by()});
    t.Add({"implementation notes", c.implementation_notes()});
  }
  if (!c.verified_by().empty()) {
    t.Add({"verified by", c.verified_by()});
    t.Add({"verification notes", c.verification_notes()});
  }
  if (!c.closure_reason().empty())
    t.Add({"closure reason", c.closure_reason()});
  t.Add({"version", std::to_string(c.version())});
  return t;
}

// Every step answers with the request as it now stands.
template <typename Response>
Table StepTable(const Response& r) {
  return ChangeRequestTable(r.change_request());
}

cv1::BoardDecision Decision(const Invocation& in, const std::string& option) {
  return in.EnumValue<cv1::BoardDecision>("--" + option, in.Str(option),
                                          "BOARD_DECISION_",
                                          &cv1::BoardDecision_Parse);
}

cv1::ImpactLevel Impact(const Invocation& in, const std::string& option) {
  return in.EnumValue<cv1::ImpactLevel>(
      "--" + option, in.Str(option), "IMPACT_LEVEL_", &cv1::ImpactLevel_Parse);
}

int Submit(Session& s, const Invocation& in) {
  cv1::SubmitChangeRequestRequest req;
  req.set_request_id(in.RequestId());
  req.set_project_id(in.Arg(0));
  req.set_title(in.Str("title"));
  req.set_reason(in.Str("reason"));
  req.set_requester(in.Str("requester"));
  for (const std::string& id : in.All("item")) req.add_affected_item_ids(id);
  return CallAndPrint(s, in, &Stub::SubmitChangeRequest, req,
                      StepTable<cv1::SubmitChangeRequestResponse>);
}

int Get(Session& s, const Invocation& in) {
  cv1::GetChangeRequestRequest req;
  req.set_change_request_id(in.Arg(0));
  return CallAndPrint(s, in, &Stub::GetChangeRequest, req,
                      StepTable<cv1::GetChangeRequestResponse>);
}

int List(Session& s, const Invocation& in) {
  cv1::ListChangeRequestsRequest req;
  req.set_project_id(in.Str("project"));
  req.set_status(in.EnumValue<cv1::ChangeRequestStatus>(
      "--status", in.Str("status"), "CHANGE_REQUEST_STATUS_",
      &cv1::ChangeRequestStatus_Parse));
  return CallAndPrint(s, in, &Stub::ListChangeRequests, req,
                      [](const cv1::ListChangeRequestsResponse& r) {
                        return ChangeRequestsTable(r.change_requests());
                      });
}

int Assess(Session& s, const Invocation& in) {
  cv1::AssessChangeRequestRequest req;
  req.set_request_id(in.RequestId());
  req.set_change_request_id(in.Arg(0));
  req.set_assessed_by(in.Str("by"));
  cv1::ChangeImpact* impact = req.mutable_impact();
  impact->set_scope(Impact(in, "scope"));
  impact->set_scope_notes(in.Str("scope-notes"));
  impact->set_schedule(Impact(in, "schedule"));
  impact->set_schedule_days(static_cast<int32_t>(in.Int("schedule-days")));
  impact->set_cost(Impact(in, "cost"));
  impact->set_cost_minor(in.Int("cost-minor"));
  impact->set_risk(Impact(in, "risk"));
  impact->set_risk_notes(in.Str("risk-notes"));
  SetExpectedVersion(in, &req);
  return CallAndPrint(s, in, &Stub::AssessChangeRequest, req,
                      StepTable<cv1::AssessChangeRequestResponse>);
}

int Vote(Session& s, const Invocation& in) {
  cv1::CastBoardVoteRequest req;
  req.set_request_id(in.RequestId());
  req.set_change_request_id(in.Arg(0));
  req.mutable_vote()->set_member(in.Str("member"));
  req.mutable_vote()->set_vote(Decision(in, "vote"));
  req.mutable_vote()->set_comment(in.Str("comment"));
  SetExpectedVersion(in, &req);
  return CallAndPrint(s, in, &Stub::CastBoardVote, req,
                      StepTable<cv1::CastBoardVoteResponse>);
}

int Decide(Session& s, const Invocation& in) {
  cv1::DecideChangeRequestRequest req;
  req.set_request_id(in.RequestId());
  req.set_change_request_id(in.Arg(0));
  req.set_decision(Decision(in, "decision"));
  req.set_decided_by(in.Str("by"));
  req.set_rationale(in.Str("rationale"));
  SetExpectedVersion(in, &req);
  return CallAndPrint(s, in, &Stub::DecideChangeRequest, req,
                      StepTable<cv1::DecideChangeRequestResponse>);
}

int Implement(Session& s, const Invocation& in) {
  cv1::RecordImplementationRequest req;
  req.set_request_id(in.RequestId());
  req.set_change_request_id(in.Arg(0));
  req.set_implemented_by(in.Str("by"));
  req.set_notes(in.Str("notes"));
  SetExpectedVersion(in, &req);
  return CallAndPrint(s, in, &Stub::RecordImplementation, req,
                      StepTable<cv1::RecordImplementationResponse>);
}

int Verify(Session& s, const Invocation& in) {
  cv1::VerifyChangeRequestRequest req;
  req.set_request_id(in.RequestId());
  req.set_change_request_id(in.Arg(0));
  req.set_verified_by(in.Str("by"));
  req.set_notes(in.Str("notes"));
  SetExpectedVersion(in, &req);
  return CallAndPrint(s, in, &Stub::VerifyChangeRequest, req,
                      StepTable<cv1::VerifyChangeRequestResponse>);
}

int Close(Session& s, const Invocation& in) {
  cv1::CloseChangeRequestRequest req;
  req.set_request_id(in.RequestId());
  req.set_change_request_id(in.Arg(0));
  req.set_reason(in.Str("reason"));
  SetExpectedVersion(in, &req);
  return CallAndPrint(s, in, &Stub::CloseChangeRequest, req,
                      StepTable<cv1::CloseChangeRequestResponse>);
}

Table BoardTable(const cv1::ChangeBoard& b) {
  Table t({"FIELD", "VALUE"});
  t.Add({"portfolio", b.portfolio_id()});
  t.Add({"members", absl::StrJoin(b.members(), ", ")});
  t.Add({"chair", b.chair()});
  t.Add({"quorum", std::to_string(b.quorum())});
  t.Add({"majority",
         EnumLabel(cv1::BoardMajority_Name(b.majority()), "BOARD_MAJORITY_")});
  t.Add({"configured by", b.configured_by()});
  t.Add({"version", std::to_string(b.version())});
  return t;
}

int ConfigureBoard(Session& s, const Invocation& in) {
  cv1::ConfigureChangeBoardRequest req;
  req.set_request_id(in.RequestId());
  req.set_portfolio_id(in.Arg(0));
  for (const std::string& member : in.All("member")) req.add_members(member);
  req.set_chair(in.Str("chair"));
  req.set_quorum(static_cast<int32_t>(in.Int("quorum")));
  req.set_majority(in.EnumValue<cv1::BoardMajority>(
      "--majority", in.Str("majority"), "BOARD_MAJORITY_",
      &cv1::BoardMajority_Parse));
  SetExpectedVersion(in, &req);
  return CallAndPrint(s, in, &Stub::ConfigureChangeBoard, req,
                      [](const cv1::ConfigureChangeBoardResponse& r) {
                        return BoardTable(r.board());
                      });
}

int GetBoard(Session& s, const Invocation& in) {
  cv1::GetChangeBoardRequest req;
  req.set_portfolio_id(in.Arg(0));
  return CallAndPrint(s, in, &Stub::GetChangeBoard, req,
                      [](const cv1::GetChangeBoardResponse& r) {
                        return BoardTable(r.board());
                      });
}

}  // namespace

void AddChangeControlCommands(std::vector<Command>* out) {
  const std::string levels = "NONE, LOW, MEDIUM or HIGH";
  out->push_back(
      {"changes",
       "submit",
       {"PROJECT_ID"},
       "Submit a change request to a project.",
       {{"title", "TEXT", "what is to change", true},
        {"reason", "TEXT", "why", true},
        {"requester", "NAME", "who asks for it", true},
        {"item", "ITEM_ID",
         "an affected configuration item (pmoctl items register)", true, true}},
       Submit});
  out->push_back({"changes",
                  "get",
                  {"CHANGE_REQUEST_ID"},
                  "Show a change request: impact, votes and every step so far.",
                  {},
                  Get});
  out->push_back({"changes",
                  "list",
                  {},
                  "List change requests.",
                  {{"project", "ID", "only this project's"},
                   {"status", "STATUS",
                    "only those in STATUS, e.g. SUBMITTED or APPROVED"}},
                  List});
  out->push_back(
      {"changes",
       "assess",
       {"CHANGE_REQUEST_ID"},
       "Record the impact on scope, schedule, cost and risk (SUBMITTED or "
       "DEFERRED "
       "-> ASSESSED).",
       {{"by", "NAME", "who assessed it", true},
        {"scope", "LEVEL", levels, true},
        {"scope-notes", "TEXT", "what the scope impact is"},
        {"schedule", "LEVEL", levels, true},
        {"schedule-days", "N",
         "calendar days the schedule moves (negative: earlier)"},
        {"cost", "LEVEL", levels, true},
        {"cost-minor", "N", "extra cost in minor units (negative: a saving)"},
        {"risk", "LEVEL", levels, true},
        {"risk-notes", "TEXT", "what the risk impact is"},
        ExpectedVersionOption()},
       Assess});
  out->push_back({"changes",
                  "vote",
                  {"CHANGE_REQUEST_ID"},
                  "Cast one board member's vote on an ASSESSED request.",
                  {{"member", "NAME", "the board member", true},
                   {"vote", "VOTE", "APPROVE, REJECT or DEFER", true},
                   {"comment", "TEXT", "why"},
                   ExpectedVersionOption()},
                  Vote});
  out->push_back({"changes",
                  "decide",
                  {"CHANGE_REQUEST_ID"},
                  "Record the board's decision (with a change control board: "
                  "its chair, once "
                  "its quorum has voted; approval needs its majority).",
                  {{"decision", "DECISION", "APPROVE, REJECT or DEFER", true},
                   {"by", "NAME", "who chaired the decision", true},
                   {"rationale", "TEXT", "why", true},
                   ExpectedVersionOption()},
                  Decide});
  out->push_back({"changes",
                  "implement",
                  {"CHANGE_REQUEST_ID"},
                  "Record that an APPROVED change is implemented.",
                  {{"by", "NAME", "who implemented it", true},
                   {"notes", "TEXT", "what was done"},
                   ExpectedVersionOption()},
                  Implement});
  out->push_back({"changes",
                  "verify",
                  {"CHANGE_REQUEST_ID"},
                  "Record that an IMPLEMENTED change was verified.",
                  {{"by", "NAME", "who verified it", true},
                   {"notes", "TEXT", "how"},
                   ExpectedVersionOption()},
                  Verify});
  out->push_back(
      {"changes",
       "close",
       {"CHANGE_REQUEST_ID"},
       "Close a VERIFIED, REJECTED or DEFERRED change request.",
       {{"reason", "TEXT", "why it is closed", true}, ExpectedVersionOption()},
       Close});
  out->push_back(
      {"change-board",
       "configure",
       {"PORTFOLIO_ID"},
       "Set up or change a portfolio's change control board: only its members "
       "vote "
       "on the change requests of its projects, only its chair decides.",
       {{"member", "NAME", "a member's principal name (token subject)", true,
         true},
        {"chair", "NAME", "the member who records decisions", true},
        {"quorum", "N", "how many members must have voted before a decision",
         true},
        {"majority", "RULE", "SIMPLE, TWO_THIRDS or UNANIMOUS", true},
        ExpectedVersionOption()},
       ConfigureBoard});
  out->push_back({"change-board",
                  "get",
                  {"PORTFOLIO_ID"},
                  "Show a portfolio's change control board.",
                  {},
                  GetBoard});
}

}  // namespace pmoctl
