// pmoctl's quality area (pmo.configuration.v1.QualityService): quality
// standards and their clauses; audits of projects against them, with
// findings and corrective actions; each project's compliance and the
// corrective actions past their due date.
//
//   audits plan -> start -> add-finding... -> complete
//   finding: assign-action -> complete-action -> verify-action (not by the
//   action's owner) -> close-finding
//
// The server enforces the order (exit 1, rule AUDIT_WORKFLOW and friends).

#include "absl/strings/str_join.h"
#include "pmo/configuration/v1/quality_service.grpc.pb.h"
#include "tools/pmoctl/command.h"

namespace pmoctl {
namespace {

namespace cv1 = ::pmo::configuration::v1;
using Stub = cv1::QualityService::Stub;

std::string SeverityLabel(cv1::FindingSeverity severity) {
  return EnumLabel(cv1::FindingSeverity_Name(severity), "FINDING_SEVERITY_");
}

std::string ActionStatusLabel(cv1::CorrectiveActionStatus status) {
  return EnumLabel(cv1::CorrectiveActionStatus_Name(status),
                   "CORRECTIVE_ACTION_STATUS_");
}

Table StandardsTable(
    const google::protobuf::RepeatedPtrField<cv1::QualityStandard>& standards) {
  Table t({"STANDARD_ID", "CODE", "TITLE", "ISSUING_BODY", "CLAUSES"});
  for (const auto& q : standards) {
    std::vector<std::string> clauses;
    for (const auto& r : q.requirements()) clauses.push_back(r.clause());
    t.Add({q.standard_id(), q.code(), q.title(),
           q.issuing_body().empty() ? "(internal)" : q.issuing_body(),
           absl::StrJoin(clauses, ", ")});
  }
  return t;
}

template <typename Response>
Table StandardOf(const Response& r) {
  google::protobuf::RepeatedPtrField<cv1::QualityStandard> one;
  *one.Add() = r.standard();
  return StandardsTable(one);
}

Table AuditsTable(
    const google::protobuf::RepeatedPtrField<cv1::Audit>& audits) {
  Table t({"AUDIT_ID", "PROJECT_ID", "STANDARD_ID", "BODY", "LEAD", "PLANNED",
           "STATUS", "FINDINGS", "VERSION"});
  for (const auto& a : audits) {
    t.Add({a.audit_id(), a.project_id(), a.standard_id(),
           EnumLabel(cv1::AuditingBody_Name(a.body()), "AUDITING_BODY_"),
           a.lead_auditor(), FormatDate(a.planned_on()),
           EnumLabel(cv1::AuditStatus_Name(a.status()), "AUDIT_STATUS_"),
           std::to_string(a.findings_size()), std::to_string(a.version())});
  }
  return t;
}

// One audit in full: a row per finding and one per corrective action under it.
Table AuditTable(const cv1::Audit& a) {
  Table t({"AUDIT/FINDING/ACTION", "CLAUSE/OWNER", "SEVERITY/DUE", "STATUS",
           "DESCRIPTION"});
  std::string dates = "planned " + FormatDate(a.planned_on());
  if (a.started_on().year()) dates += ", started " + FormatDate(a.started_on());
  if (a.completed_on().year())
    dates += ", completed " + FormatDate(a.completed_on());
  t.Add({a.audit_id(), a.lead_auditor(),
         EnumLabel(cv1::AuditingBody_Name(a.body()), "AUDITING_BODY_"),
         EnumLabel(cv1::AuditStatus_Name(a.status()), "AUDIT_STATUS_"),
         absl::StrCat(dates, "; version ", a.version(),
                      a.summary().empty() ? "" : "; " + a.summary())});
  for (const auto& f : a.findings()) {
    t.Add({"  " + f.finding_id(), f.clause(), SeverityLabel(f.severity()),
           f.closed() ? "CLOSED" : "OPEN", f.description()});
    for (const auto& c : f.corrective_actions()) {
      std::string status = ActionStatusLabel(c.status());
      if (!c.verified_by().empty()) status += " by " + c.verified_by();
      t.Add({"    " + c.action_id(), c.owner(), FormatDate(c.due()), status,
             c.description()});
    }
  }
  return t;
}

template <typename Response>
Table AuditOf(const Response& r) {
  return AuditTable(r.audit());
}

Table ComplianceTable(
    const google::protobuf::RepeatedPtrField<cv1::ProjectCompliance>& rows) {
  Table t({"PROJECT_ID", "STANDARD_ID", "STATUS", "OPEN_FINDINGS",
           "OVERDUE_ACTIONS", "LAST_AUDIT_ID"});
  for (const auto& c : rows) {
    t.Add({c.project_id(), c.standard_id(),
           EnumLabel(cv1::ComplianceStatus_Name(c.status()),
                     "COMPLIANCE_STATUS_"),
           std::to_string(c.open_findings()),
           std::to_string(c.overdue_corrective_actions()), c.audit_id()});
  }
  return t;
}

// Dates are set only when given: an absent date stays absent.
template <typename Setter>
void SetDateIfGiven(const Invocation& in, const std::string& option,
                    Setter* field) {
  if (in.Has(option)) *field = in.Date(option);
}

int DefineStandard(Session& s, const Invocation& in) {
  cv1::DefineQualityStandardRequest req;
  req.set_request_id(in.RequestId());
  req.set_code(in.Str("code"));
  req.set_title(in.Str("title"));
  req.set_issuing_body(in.Str("issuing-body"));
  for (const std::string& r : in.All("requirement")) {
    const size_t eq = r.find('=');
    if (eq == std::string::npos) {
      in.Mistake(
          "--requirement must be CLAUSE=TEXT, e.g. '8.5.1=Control of "
          "production', not '" +
          r + "'");
      continue;
    }
    cv1::StandardRequirement* added = req.add_requirements();
    added->set_clause(r.substr(0, eq));
    added->set_text(r.substr(eq + 1));
  }
  return CallAndPrint(s, in, &Stub::DefineQualityStandard, req,
                      StandardOf<cv1::DefineQualityStandardResponse>);
}

int GetStandard(Session& s, const Invocation& in) {
  cv1::GetQualityStandardRequest req;
  req.set_standard_id(in.Arg(0));
  return CallAndPrint(s, in, &Stub::GetQualityStandard, req,
                      [](const cv1::GetQualityStandardResponse& r) {
                        Table t({"CLAUSE", "REQUIREMENT"});
                        for (const auto& q : r.standard().requirements()) {
                          t.Add({q.clause(), q.text()});
                        }
                        return t;
                      });
}

int ListStandards(Session& s, const Invocation& in) {
  return CallAndPrint(s, in, &Stub::ListQualityStandards,
                      cv1::ListQualityStandardsRequest(),
                      [](const cv1::ListQualityStandardsResponse& r) {
                        return StandardsTable(r.standards());
                      });
}

int PlanAudit(Session& s, const Invocation& in) {
  cv1::PlanAuditRequest req;
  req.set_request_id(in.RequestId());
  req.set_project_id(in.Arg(0));
  req.set_standard_id(in.Str("standard"));
  req.set_body(in.EnumValue<cv1::AuditingBody>(
      "--body", in.Str("body"), "AUDITING_BODY_", &cv1::AuditingBody_Parse));
  req.set_lead_auditor(in.Str("lead"));
  SetDateIfGiven(in, "on", req.mutable_planned_on());
  return CallAndPrint(s, in, &Stub::PlanAudit, req,
                      AuditOf<cv1::PlanAuditResponse>);
}

int GetAudit(Session& s, const Invocation& in) {
  cv1::GetAuditRequest req;
  req.set_audit_id(in.Arg(0));
  return CallAndPrint(s, in, &Stub::GetAudit, req,
                      AuditOf<cv1::GetAuditResponse>);
}

int ListAudits(Session& s, const Invocation& in) {
  Stub stub(s.channel());
  cv1::ListAuditsResponse all;
  std::string token;
  do {
    cv1::ListAuditsRequest req;
    req.set_project_id(in.Str("project"));
    req.set_standard_id(in.Str("standard"));
    req.set_page_size(1000);
    req.set_page_token(token);
    cv1::ListAuditsResponse page;
    if (int rc = s.Call(&stub, &Stub::ListAudits, req, &page)) return rc;
    for (auto& a : *page.mutable_audits()) *all.add_audits() = std::move(a);
    token = page.next_page_token();
  } while (!token.empty());
  s.Print(all, AuditsTable(all.audits()));
  return kExitOk;
}

int StartAudit(Session& s, const Invocation& in) {
  cv1::StartAuditRequest req;
  req.set_request_id(in.RequestId());
  req.set_audit_id(in.Arg(0));
  SetDateIfGiven(in, "on", req.mutable_started_on());
  SetExpectedVersion(in, &req);
  return CallAndPrint(s, in, &Stub::StartAudit, req,
                      AuditOf<cv1::StartAuditResponse>);
}

int AddFinding(Session& s, const Invocation& in) {
  cv1::RecordAuditFindingRequest req;
  req.set_request_id(in.RequestId());
  req.set_audit_id(in.Arg(0));
  req.set_clause(in.Str("clause"));
  req.set_severity(in.EnumValue<cv1::FindingSeverity>(
      "--severity", in.Str("severity"), "FINDING_SEVERITY_",
      &cv1::FindingSeverity_Parse));
  req.set_description(in.Str("description"));
  SetExpectedVersion(in, &req);
  return CallAndPrint(s, in, &Stub::RecordAuditFinding, req,
                      AuditOf<cv1::RecordAuditFindingResponse>);
}

int AssignAction(Session& s, const Invocation& in) {
  cv1::AssignCorrectiveActionRequest req;
  req.set_request_id(in.RequestId());
  req.set_audit_id(in.Arg(0));
  req.set_finding_id(in.Arg(1));
  req.set_description(in.Str("description"));
  req.set_owner(in.Str("owner"));
  SetDateIfGiven(in, "due", req.mutable_due());
  SetExpectedVersion(in, &req);
  return CallAndPrint(s, in, &Stub::AssignCorrectiveAction, req,
                      AuditOf<cv1::AssignCorrectiveActionResponse>);
}

int CompleteAction(Session& s, const Invocation& in) {
  cv1::CompleteCorrectiveActionRequest req;
  req.set_request_id(in.RequestId());
  req.set_audit_id(in.Arg(0));
  req.set_action_id(in.Arg(1));
  SetDateIfGiven(in, "on", req.mutable_completed_on());
  SetExpectedVersion(in, &req);
  return CallAndPrint(s, in, &Stub::CompleteCorrectiveAction, req,
                      AuditOf<cv1::CompleteCorrectiveActionResponse>);
}

int VerifyAction(Session& s, const Invocation& in) {
  cv1::VerifyCorrectiveActionRequest req;
  req.set_request_id(in.RequestId());
  req.set_audit_id(in.Arg(0));
  req.set_action_id(in.Arg(1));
  req.set_verified_by(in.Str("by"));
  SetDateIfGiven(in, "on", req.mutable_verified_on());
  SetExpectedVersion(in, &req);
  return CallAndPrint(s, in, &Stub::VerifyCorrectiveAction, req,
                      AuditOf<cv1::VerifyCorrectiveActionResponse>);
}

int CloseFinding(Session& s, const Invocation& in) {
  cv1::CloseAuditFindingRequest req;
  req.set_request_id(in.RequestId());
  req.set_audit_id(in.Arg(0));
  req.set_finding_id(in.Arg(1));
  SetExpectedVersion(in, &req);
  return CallAndPrint(s, in, &Stub::CloseAuditFinding, req,
                      AuditOf<cv1::CloseAuditFindingResponse>);
}

int CompleteAudit(Session& s, const Invocation& in) {
  cv1::CompleteAuditRequest req;
  req.set_request_id(in.RequestId());
  req.set_audit_id(in.Arg(0));
  SetDateIfGiven(in, "on", req.mutable_completed_on());
  req.set_summary(in.Str("summary"));
  SetExpectedVersion(in, &req);
  return CallAndPrint(s, in, &Stub::CompleteAudit, req,
                      AuditOf<cv1::CompleteAuditResponse>);
}

int GetCompliance(Session& s, const Invocation& in) {
  cv1::GetProjectComplianceRequest req;
  req.set_project_id(in.Arg(0));
  req.set_standard_id(in.Str("standard"));
  SetDateIfGiven(in, "as-of", req.mutable_as_of());
  return CallAndPrint(
      s, in, &Stub::GetProjectCompliance, req,
      [](const cv1::GetProjectComplianceResponse& r) {
        google::protobuf::RepeatedPtrField<cv1::ProjectCompliance> one;
        *one.Add() = r.compliance();
        return ComplianceTable(one);
      });
}

int ListCompliance(Session& s, const Invocation& in) {
  cv1::ListProjectComplianceRequest req;
  req.set_project_id(in.Str("project"));
  SetDateIfGiven(in, "as-of", req.mutable_as_of());
  return CallAndPrint(s, in, &Stub::ListProjectCompliance, req,
                      [](const cv1::ListProjectComplianceResponse& r) {
                        return ComplianceTable(r.compliance());
                      });
}

int Overdue(Session& s, const Invocation& in) {
  cv1::ListOverdueCorrectiveActionsRequest req;
  req.set_project_id(in.Str("project"));
  SetDateIfGiven(in, "as-of", req.mutable_as_of());
  return CallAndPrint(
      s, in, &Stub::ListOverdueCorrectiveActions, req,
      [](const cv1::ListOverdueCorrectiveActionsResponse& r) {
        Table t({"DAYS_OVERDUE", "DUE", "OWNER", "ACTION", "PROJECT_ID",
                 "AUDIT_ID", "CLAUSE", "SEVERITY", "ACTION_ID"});
        for (const auto& o : r.actions()) {
          t.Add({std::to_string(o.days_overdue()), FormatDate(o.action().due()),
                 o.action().owner(), o.action().description(), o.project_id(),
                 o.audit_id(), o.clause(), SeverityLabel(o.severity()),
                 o.action().action_id()});
        }
        return t;
      });
}

}  // namespace

void AddQualityCommands(std::vector<Command>* out) {
  const Option version = ExpectedVersionOption();
  out->push_back(
      {"standards",
       "define",
       {},
       "Define a quality standard (the PMO's own or an external body's).",
       {{"code", "CODE", "unique, e.g. 'ISO 9001:2015'", true},
        {"title", "TEXT", "its name", true},
        {"issuing-body", "NAME", "e.g. ISO (default: the PMO's own standard)"},
        {"requirement", "CLAUSE=TEXT",
         "a clause, e.g. '8.5.1=Control of production'", true, true}},
       DefineStandard});
  out->push_back({"standards",
                  "get",
                  {"STANDARD_ID"},
                  "Show a standard's clauses.",
                  {},
                  GetStandard});
  out->push_back({"standards",
                  "list",
                  {},
                  "List the quality standards.",
                  {},
                  ListStandards});
  out->push_back(
      {"audits",
       "plan",
       {"PROJECT_ID"},
       "Plan an audit of a project against a standard.",
       {{"standard", "ID", "the standard (pmoctl standards list)", true},
        {"body", "BODY", "INTERNAL_QA or EXTERNAL", true},
        {"lead", "NAME", "the lead auditor", true},
        {"on", "YYYY-MM-DD", "the planned day", true}},
       PlanAudit});
  out->push_back({"audits",
                  "get",
                  {"AUDIT_ID"},
                  "Show an audit with its findings and corrective actions.",
                  {},
                  GetAudit});
  out->push_back({"audits",
                  "list",
                  {},
                  "List audits.",
                  {{"project", "ID", "only this project's"},
                   {"standard", "ID", "only those against this standard"}},
                  ListAudits});
  out->push_back({"audits",
                  "start",
                  {"AUDIT_ID"},
                  "Start a PLANNED audit.",
                  {{"on", "YYYY-MM-DD", "the day it started", true}, version},
                  StartAudit});
  out->push_back(
      {"audits",
       "add-finding",
       {"AUDIT_ID"},
       "Record a finding against a clause (audit IN_PROGRESS).",
       {{"clause", "CLAUSE", "the standard's clause, e.g. 8.5.1", true},
        {"severity", "SEVERITY", "OBSERVATION, MINOR, MAJOR or CRITICAL", true},
        {"description", "TEXT", "what was found", true},
        version},
       AddFinding});
  out->push_back({"audits",
                  "assign-action",
                  {"AUDIT_ID", "FINDING_ID"},
                  "Assign a corrective action for a finding.",
                  {{"description", "TEXT", "what is to be done", true},
                   {"owner", "NAME", "who does it", true},
                   {"due", "YYYY-MM-DD", "by when", true},
                   version},
                  AssignAction});
  out->push_back({"audits",
                  "complete-action",
                  {"AUDIT_ID", "ACTION_ID"},
                  "Record that a corrective action is done.",
                  {{"on", "YYYY-MM-DD", "the day it was done", true}, version},
                  CompleteAction});
  out->push_back({"audits",
                  "verify-action",
                  {"AUDIT_ID", "ACTION_ID"},
                  "Verify a completed corrective action (not by its owner).",
                  {{"by", "NAME", "the verifier", true},
                   {"on", "YYYY-MM-DD", "the day it was verified", true},
                   version},
                  VerifyAction});
  out->push_back({"audits",
                  "close-finding",
                  {"AUDIT_ID", "FINDING_ID"},
                  "Close a finding whose corrective actions are verified.",
                  {version},
                  CloseFinding});
  out->push_back({"audits",
                  "complete",
                  {"AUDIT_ID"},
                  "Complete an audit IN_PROGRESS.",
                  {{"on", "YYYY-MM-DD", "the day it completed", true},
                   {"summary", "TEXT", "the auditors' conclusion", true},
                   version},
                  CompleteAudit});
  out->push_back({"compliance",
                  "get",
                  {"PROJECT_ID"},
                  "A project's compliance with one standard.",
                  {{"standard", "ID", "the standard", true},
                   {"as-of", "YYYY-MM-DD",
                    "the day overdue actions count on (default today)"}},
                  GetCompliance});
  out->push_back({"compliance",
                  "list",
                  {},
                  "Compliance of every project and standard with an audit.",
                  {{"project", "ID", "only this project"},
                   {"as-of", "YYYY-MM-DD",
                    "the day overdue actions count on (default today)"}},
                  ListCompliance});
  out->push_back(
      {"compliance",
       "overdue",
       {},
       "Open corrective actions past their due date, most overdue first.",
       {{"project", "ID", "only this project's"},
        {"as-of", "YYYY-MM-DD", "the day to count from (default today)"}},
       Overdue});
}

}  // namespace pmoctl
