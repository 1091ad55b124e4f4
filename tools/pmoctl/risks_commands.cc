// pmoctl's risk register area: risks and their assessment, responses and
// lifecycle, combined cross-project risks, the PMO's escalation queue, the
// issue log, overdue reviews and actions, matrices and the contingency
// reserve (pmo.risks.v1.RisksService).

#include "absl/strings/str_split.h"
#include "google/protobuf/util/time_util.h"
#include "pmo/risks/v1/events.pb.h"
#include "pmo/risks/v1/risks_service.grpc.pb.h"
#include "tools/pmoctl/command.h"

namespace pmoctl {
namespace {

namespace kv1 = ::pmo::risks::v1;
using Stub = kv1::RisksService::Stub;

kv1::RiskLevel Level(const Invocation& in, const std::string& fallback) {
  return in.EnumValue<kv1::RiskLevel>(
      "--level", in.Has("level") ? in.Str("level") : fallback, "RISK_LEVEL_",
      &kv1::RiskLevel_Parse);
}

std::string RatingText(const kv1::Rating& r) {
  if (r.score() == 0) return "";
  return absl::StrCat(r.rating(), " (", r.score(), ")");
}

// The rating that counts: residual where assessed, else inherent.
const kv1::Rating& CurrentRating(const kv1::Risk& r) {
  return r.residual_rating().score() > 0 ? r.residual_rating()
                                         : r.inherent_rating();
}

Table RisksTable(const google::protobuf::RepeatedPtrField<kv1::Risk>& risks) {
  Table t({"RISK_ID", "LEVEL", "KIND", "TITLE", "STATUS", "RATING", "EV_MINOR",
           "OWNER"});
  for (const auto& r : risks) {
    t.Add({r.risk_id(),
           EnumLabel(kv1::RiskLevel_Name(r.level()), "RISK_LEVEL_"),
           EnumLabel(kv1::RiskKind_Name(r.kind()), "RISK_KIND_"), r.title(),
           EnumLabel(kv1::RiskStatus_Name(r.status()), "RISK_STATUS_"),
           RatingText(CurrentRating(r)),
           std::to_string(CurrentRating(r).expected_value_minor()), r.owner()});
  }
  return t;
}

Table RiskTable(const kv1::Risk& risk) {
  google::protobuf::RepeatedPtrField<kv1::Risk> one;
  *one.Add() = risk;
  return RisksTable(one);
}

// The handlers that answer with the changed risk share this shape.
template <typename Request, typename Response>
int CallAndPrintRisk(Session& s, const Invocation& in,
                     grpc::Status (Stub::*method)(grpc::ClientContext*,
                                                  const Request&, Response*),
                     const Request& req) {
  if (!in.ok()) return in.UsageError();
  auto stub = kv1::RisksService::NewStub(s.channel());
  Response resp;
  if (int rc = s.Call(stub.get(), method, req, &resp)) return rc;
  s.Print(resp, RiskTable(resp.risk()));
  return kExitOk;
}

int Identify(Session& s, const Invocation& in) {
  kv1::IdentifyRiskRequest req;
  req.set_request_id(in.RequestId());
  req.set_level(Level(in, "project"));
  req.set_scope_id(in.Str("scope"));
  req.set_kind(in.EnumValue<kv1::RiskKind>(
      "--kind", in.Has("kind") ? in.Str("kind") : "threat", "RISK_KIND_",
      &kv1::RiskKind_Parse));
  req.set_title(in.Str("title"));
  req.set_cause(in.Str("cause"));
  req.set_event(in.Str("event"));
  req.set_effect(in.Str("effect"));
  req.set_category(in.Str("category"));
  req.set_owner(in.Str("owner"));
  if (in.Has("proximity")) *req.mutable_proximity() = in.Date("proximity");
  if (in.Has("next-review"))
    *req.mutable_next_review() = in.Date("next-review");
  for (const std::string& t : in.All("trigger")) req.add_triggers(t);
  return CallAndPrintRisk(s, in, &Stub::IdentifyRisk, req);
}

int Get(Session& s, const Invocation& in) {
  kv1::GetRiskRequest req;
  req.set_risk_id(in.Arg(0));
  return CallAndPrintRisk(s, in, &Stub::GetRisk, req);
}

int History(Session& s, const Invocation& in) {
  // Each entry carries its event in an Any. Printing it as JSON needs the
  // event types in the descriptor pool, and the linker keeps events.pb.o
  // (whose static initialiser registers them) only when it is referenced.
  (void)kv1::RiskIdentified::descriptor();
  kv1::GetRiskHistoryRequest req;
  req.set_risk_id(in.Arg(0));
  auto stub = kv1::RisksService::NewStub(s.channel());
  kv1::GetRiskHistoryResponse resp;
  if (int rc = s.Call(stub.get(), &Stub::GetRiskHistory, req, &resp)) return rc;
  Table t({"VERSION", "EVENT", "OCCURRED_AT", "ACTOR"});
  for (const auto& e : resp.entries()) {
    t.Add({std::to_string(e.version()),
           EnumLabel(e.event_type(), "pmo.risks.v1."),
           google::protobuf::util::TimeUtil::ToString(e.occurred_at()),
           e.actor()});
  }
  s.Print(resp, t);
  return kExitOk;
}

int Assess(Session& s, const Invocation& in) {
  kv1::AssessRiskRequest req;
  req.set_request_id(in.RequestId());
  req.set_risk_id(in.Arg(0));
  req.set_residual(in.Has("residual"));
  kv1::Assessment* a = req.mutable_assessment();
  a->set_probability(static_cast<int32_t>(in.Int("probability")));
  a->mutable_impact()->set_cost(static_cast<int32_t>(in.Int("cost-impact")));
  a->mutable_impact()->set_schedule(
      static_cast<int32_t>(in.Int("schedule-impact")));
  a->mutable_impact()->set_quality(
      static_cast<int32_t>(in.Int("quality-impact")));
  a->set_cost_impact_minor(in.Int("money-minor"));
  if (in.Has("next-review"))
    *req.mutable_next_review() = in.Date("next-review");
  SetExpectedVersion(in, &req);
  return CallAndPrintRisk(s, in, &Stub::AssessRisk, req);
}

int Respond(Session& s, const Invocation& in) {
  kv1::PlanResponseRequest req;
  req.set_request_id(in.RequestId());
  req.set_risk_id(in.Arg(0));
  req.set_strategy(in.EnumValue<kv1::ResponseStrategy>(
      "--strategy", in.Str("strategy"), "RESPONSE_STRATEGY_",
      &kv1::ResponseStrategy_Parse));
  for (const std::string& text : in.All("action")) {
    // OWNER,YYYY-MM-DD,DESCRIPTION: the description may hold commas.
    std::vector<std::string> parts =
        absl::StrSplit(text, absl::MaxSplits(',', 2));
    if (parts.size() != 3) {
      in.Mistake("--action must be OWNER,YYYY-MM-DD,DESCRIPTION, not '" + text +
                 "'");
      continue;
    }
    kv1::ResponseAction* action = req.add_actions();
    action->set_owner(parts[0]);
    *action->mutable_due() = in.ParseDate("--action", parts[1]);
    action->set_description(parts[2]);
  }
  SetExpectedVersion(in, &req);
  return CallAndPrintRisk(s, in, &Stub::PlanResponse, req);
}

int ChangeStatus(Session& s, const Invocation& in) {
  kv1::ChangeRiskStatusRequest req;
  req.set_request_id(in.RequestId());
  req.set_risk_id(in.Arg(0));
  req.set_status(in.EnumValue<kv1::RiskStatus>(
      "STATUS", in.Arg(1), "RISK_STATUS_", &kv1::RiskStatus_Parse));
  req.set_reason(in.Str("reason"));
  SetExpectedVersion(in, &req);
  if (!in.ok()) return in.UsageError();
  auto stub = kv1::RisksService::NewStub(s.channel());
  kv1::ChangeRiskStatusResponse resp;
  if (int rc = s.Call(stub.get(), &Stub::ChangeRiskStatus, req, &resp))
    return rc;
  s.Print(resp, RiskTable(resp.risk()));
  if (!s.json() && !resp.issue().issue_id().empty()) {
    s.out() << "# issue opened: " << resp.issue().issue_id() << "\n";
  }
  return kExitOk;
}

int List(Session& s, const Invocation& in) {
  kv1::ListRisksRequest req;
  req.set_scope_id(in.Str("scope"));
  req.set_page_size(1000);
  auto stub = kv1::RisksService::NewStub(s.channel());
  kv1::ListRisksResponse resp;
  if (int rc = s.Call(stub.get(), &Stub::ListRisks, req, &resp)) return rc;
  s.Print(resp, RisksTable(resp.risks()));
  return kExitOk;
}

Table CombinedTable(const kv1::CombinedRisk& c) {
  Table t({"COMBINED_RISK_ID", "TITLE", "MEMBERS", "P(ANY)", "EV_MINOR",
           "WORST_CASE_MINOR", "MAX_RATING"});
  t.Add({c.combined_risk_id(), c.title(),
         std::to_string(c.member_risk_ids_size()),
         FormatDouble(c.exposure().probability_any(), 3),
         std::to_string(c.exposure().expected_value_minor()),
         std::to_string(c.exposure().worst_case_minor()),
         c.exposure().max_rating()});
  return t;
}

template <typename Response>
Table CombinedOf(const Response& r) {
  return CombinedTable(r.combined_risk());
}

int Combine(Session& s, const Invocation& in) {
  kv1::CombineRisksRequest req;
  req.set_request_id(in.RequestId());
  req.set_level(Level(in, "portfolio"));
  req.set_scope_id(in.Str("scope"));
  req.set_title(in.Str("title"));
  req.set_category(in.Str("category"));
  req.set_owner(in.Str("owner"));
  for (const std::string& id : in.All("member")) req.add_member_risk_ids(id);
  return CallAndPrint(s, in, &Stub::CombineRisks, req,
                      CombinedOf<kv1::CombineRisksResponse>);
}

int GetCombined(Session& s, const Invocation& in) {
  kv1::GetCombinedRiskRequest req;
  req.set_combined_risk_id(in.Arg(0));
  return CallAndPrint(s, in, &Stub::GetCombinedRisk, req,
                      CombinedOf<kv1::GetCombinedRiskResponse>);
}

int CompleteAction(Session& s, const Invocation& in) {
  kv1::CompleteResponseActionRequest req;
  req.set_request_id(in.RequestId());
  req.set_risk_id(in.Arg(0));
  req.set_action_id(in.Arg(1));
  return CallAndPrintRisk(s, in, &Stub::CompleteResponseAction, req);
}

int AcceptEscalation(Session& s, const Invocation& in) {
  kv1::AcceptEscalationRequest req;
  req.set_request_id(in.RequestId());
  req.set_risk_id(in.Arg(0));
  req.set_owner(in.Str("owner"));
  req.set_reason(in.Str("reason"));
  req.set_portfolio_id(in.Str("portfolio"));
  return CallAndPrint(s, in, &Stub::AcceptEscalation, req,
                      [](const kv1::AcceptEscalationResponse& r) {
                        // The project's risk, then the portfolio's that takes
                        // it over.
                        google::protobuf::RepeatedPtrField<kv1::Risk> both;
                        *both.Add() = r.risk();
                        if (!r.portfolio_risk().risk_id().empty())
                          *both.Add() = r.portfolio_risk();
                        return RisksTable(both);
                      });
}

int ReturnEscalation(Session& s, const Invocation& in) {
  kv1::ReturnEscalationRequest req;
  req.set_request_id(in.RequestId());
  req.set_risk_id(in.Arg(0));
  req.set_reason(in.Str("reason"));
  return CallAndPrintRisk(s, in, &Stub::ReturnEscalation, req);
}

int Escalate(Session& s, const Invocation& in) {
  kv1::EscalateRiskRequest req;
  req.set_request_id(in.RequestId());
  req.set_risk_id(in.Arg(0));
  req.set_reason(in.Str("reason"));
  SetExpectedVersion(in, &req);
  return CallAndPrintRisk(s, in, &Stub::EscalateRisk, req);
}

int Escalations(Session& s, const Invocation& in) {
  kv1::ListEscalationsRequest req;
  req.set_portfolio_id(in.Str("portfolio"));
  req.set_status(in.EnumValue<kv1::EscalationStatus>(
      "--status", in.Str("status"), "ESCALATION_STATUS_",
      &kv1::EscalationStatus_Parse));
  req.set_page_size(1000);
  if (!in.ok()) return in.UsageError();
  auto stub = kv1::RisksService::NewStub(s.channel());
  kv1::ListEscalationsResponse resp;
  if (int rc = s.Call(stub.get(), &Stub::ListEscalations, req, &resp))
    return rc;
  Table t(
      {"RISK_ID", "TITLE", "SCORE", "ESCALATION", "AUTOMATIC", "BY", "REASON"});
  for (const auto& r : resp.risks()) {
    const kv1::Escalation& e = r.escalation();
    t.Add({r.risk_id(), r.title(), std::to_string(e.score()),
           EnumLabel(kv1::EscalationStatus_Name(e.status()),
                     "ESCALATION_STATUS_"),
           e.automatic() ? "yes" : "no", e.escalated_by(), e.reason()});
  }
  s.Print(resp, t);
  return kExitOk;
}

Table IssuesTable(
    const google::protobuf::RepeatedPtrField<kv1::Issue>& issues) {
  Table t({"ISSUE_ID", "TITLE", "PRIORITY", "STATUS", "OWNER", "RAISED_ON",
           "RISK_ID"});
  for (const auto& i : issues) {
    t.Add({i.issue_id(), i.title(),
           EnumLabel(kv1::IssuePriority_Name(i.priority()), "ISSUE_PRIORITY_"),
           EnumLabel(kv1::IssueStatus_Name(i.status()), "ISSUE_STATUS_"),
           i.owner(), FormatDate(i.raised_on()), i.risk_id()});
  }
  return t;
}

template <typename Response>
Table IssueOf(const Response& r) {
  google::protobuf::RepeatedPtrField<kv1::Issue> one;
  *one.Add() = r.issue();
  return IssuesTable(one);
}

int RaiseIssue(Session& s, const Invocation& in) {
  kv1::RaiseIssueRequest req;
  req.set_request_id(in.RequestId());
  req.set_level(Level(in, "project"));
  req.set_scope_id(in.Str("scope"));
  req.set_title(in.Str("title"));
  req.set_description(in.Str("description"));
  req.set_priority(in.EnumValue<kv1::IssuePriority>(
      "--priority", in.Str("priority"), "ISSUE_PRIORITY_",
      &kv1::IssuePriority_Parse));
  req.set_owner(in.Str("owner"));
  if (in.Has("raised-on")) *req.mutable_raised_on() = in.Date("raised-on");
  return CallAndPrint(s, in, &Stub::RaiseIssue, req,
                      IssueOf<kv1::RaiseIssueResponse>);
}

int GetIssue(Session& s, const Invocation& in) {
  kv1::GetIssueRequest req;
  req.set_issue_id(in.Arg(0));
  return CallAndPrint(s, in, &Stub::GetIssue, req,
                      IssueOf<kv1::GetIssueResponse>);
}

int ReassignIssue(Session& s, const Invocation& in) {
  kv1::ReassignIssueRequest req;
  req.set_request_id(in.RequestId());
  req.set_issue_id(in.Arg(0));
  req.set_priority(in.EnumValue<kv1::IssuePriority>(
      "--priority", in.Str("priority"), "ISSUE_PRIORITY_",
      &kv1::IssuePriority_Parse));
  req.set_owner(in.Str("owner"));
  SetExpectedVersion(in, &req);
  return CallAndPrint(s, in, &Stub::ReassignIssue, req,
                      IssueOf<kv1::ReassignIssueResponse>);
}

int ResolveIssue(Session& s, const Invocation& in) {
  kv1::ResolveIssueRequest req;
  req.set_request_id(in.RequestId());
  req.set_issue_id(in.Arg(0));
  req.set_resolution(in.Str("resolution"));
  if (in.Has("resolved-on"))
    *req.mutable_resolved_on() = in.Date("resolved-on");
  SetExpectedVersion(in, &req);
  return CallAndPrint(s, in, &Stub::ResolveIssue, req,
                      IssueOf<kv1::ResolveIssueResponse>);
}

int ListIssues(Session& s, const Invocation& in) {
  kv1::ListIssuesRequest req;
  req.set_scope_id(in.Str("scope"));
  req.set_include_resolved(in.Has("all"));
  req.set_page_size(1000);
  auto stub = kv1::RisksService::NewStub(s.channel());
  kv1::ListIssuesResponse resp;
  if (int rc = s.Call(stub.get(), &Stub::ListIssues, req, &resp)) return rc;
  s.Print(resp, IssuesTable(resp.issues()));
  return kExitOk;
}

int Overdue(Session& s, const Invocation& in) {
  kv1::ListOverdueRequest req;
  req.set_scope_id(in.Str("scope"));
  if (in.Has("as-of")) *req.mutable_as_of() = in.Date("as-of");
  if (!in.ok()) return in.UsageError();
  auto stub = kv1::RisksService::NewStub(s.channel());
  kv1::ListOverdueResponse resp;
  if (int rc = s.Call(stub.get(), &Stub::ListOverdue, req, &resp)) return rc;
  Table t({"WHAT", "RISK_ID", "TITLE", "OWNER", "DUE", "DAYS_OVERDUE"});
  for (const auto& r : resp.reviews()) {
    t.Add({"review", r.risk_id(), r.title(), r.owner(),
           FormatDate(r.next_review()), std::to_string(r.days_overdue())});
  }
  for (const auto& a : resp.actions()) {
    t.Add({"action", a.risk_id(), a.action().description(), a.action().owner(),
           FormatDate(a.action().due()), std::to_string(a.days_overdue())});
  }
  s.Print(resp, t);
  return kExitOk;
}

int Matrix(Session& s, const Invocation& in) {
  kv1::GetRiskMatrixRequest req;
  req.set_portfolio_id(in.Str("portfolio"));
  req.set_version(in.Str("version"));
  auto stub = kv1::RisksService::NewStub(s.channel());
  kv1::GetRiskMatrixResponse resp;
  if (int rc = s.Call(stub.get(), &Stub::GetRiskMatrix, req, &resp)) return rc;
  const kv1::RiskMatrix& m = resp.matrix();
  Table t({"SETTING", "VALUE"});
  t.Add({"version", m.version()});
  t.Add(
      {"size", absl::StrCat(m.probability_levels(), " x ", m.impact_levels())});
  for (int i = 0; i < m.probability_of_level_size(); ++i) {
    t.Add({absl::StrCat("probability of level ", i + 1),
           FormatDouble(m.probability_of_level(i))});
  }
  for (const auto& b : m.bands()) {
    t.Add({absl::StrCat("band ", b.rating()),
           absl::StrCat(b.min_score(), "..", b.max_score())});
  }
  t.Add({"escalation min score", std::to_string(m.escalation_min_score())});
  s.Print(resp, t);
  return kExitOk;
}

int Contingency(Session& s, const Invocation& in) {
  kv1::GetContingencyReserveRequest req;
  req.set_level(Level(in, "project"));
  req.set_scope_id(in.Str("scope"));
  if (in.Has("from")) *req.mutable_from() = in.Date("from");
  if (in.Has("to")) *req.mutable_to() = in.Date("to");
  if (!in.ok()) return in.UsageError();
  auto stub = kv1::RisksService::NewStub(s.channel());
  kv1::GetContingencyReserveResponse resp;
  if (int rc = s.Call(stub.get(), &Stub::GetContingencyReserve, req, &resp))
    return rc;
  Table t({"DATE", "RESERVE_MINOR", "OPPORTUNITY_EV_MINOR", "OPEN_RISKS"});
  for (const auto& p : resp.points()) {
    t.Add({FormatDate(p.date()),
           std::to_string(p.threat_expected_value_minor()),
           std::to_string(p.opportunity_expected_value_minor()),
           std::to_string(p.open_risks())});
  }
  s.Print(resp, t);
  return kExitOk;
}

}  // namespace

void AddRiskCommands(std::vector<Command>* out) {
  const Option version = {"expected-version", "N",
                          "fail with a conflict unless at version N"};
  const Option level = {"level", "LEVEL", "PROJECT, PROGRAMME or PORTFOLIO"};
  out->push_back(
      {"risks",
       "identify",
       {},
       "Record a threat or opportunity in the register.",
       {{"scope", "ID", "the project, programme or portfolio id", true},
        {"level", "LEVEL", "PROJECT (default), PROGRAMME or PORTFOLIO"},
        {"kind", "KIND", "THREAT (default) or OPPORTUNITY"},
        {"title", "TEXT", "short title", true},
        {"category", "TEXT", "from the risk breakdown, e.g. External/Suppliers",
         true},
        {"owner", "WHO", "who looks after it", true},
        {"cause", "TEXT", "the cause"},
        {"event", "TEXT", "what may happen"},
        {"effect", "TEXT", "what it would do"},
        {"proximity", "YYYY-MM-DD", "when it could happen"},
        {"next-review", "YYYY-MM-DD", "next review date"},
        {"trigger", "TEXT", "an early warning sign", false, true}},
       Identify});
  out->push_back({"risks", "get", {"RISK_ID"}, "Show one risk.", {}, Get});
  out->push_back({"risks",
                  "history",
                  {"RISK_ID"},
                  "Every change of a risk, when and by whom.",
                  {},
                  History});
  out->push_back(
      {"risks",
       "assess",
       {"RISK_ID"},
       "Rate a risk on its portfolio's matrix (inherent, or --residual).",
       {{"probability", "LEVEL", "1..the matrix's probability levels", true},
        {"cost-impact", "LEVEL", "0..the matrix's impact levels"},
        {"schedule-impact", "LEVEL", "0..the matrix's impact levels"},
        {"quality-impact", "LEVEL", "0..the matrix's impact levels"},
        {"money-minor", "AMOUNT", "money at stake if it happens, minor units"},
        {"residual", "", "the assessment after the planned response"},
        {"next-review", "YYYY-MM-DD", "next review date"},
        version},
       Assess});
  out->push_back(
      {"risks",
       "respond",
       {"RISK_ID"},
       "Plan the response to a risk.",
       {{"strategy", "STRATEGY",
         "AVOID TRANSFER MITIGATE ACCEPT (threats), EXPLOIT SHARE ENHANCE "
         "ACCEPT "
         "(opportunities)",
         true},
        {"action", "OWNER,YYYY-MM-DD,TEXT", "a response action", false, true},
        version},
       Respond});
  out->push_back(
      {"risks",
       "status",
       {"RISK_ID", "STATUS"},
       "Move a risk along its lifecycle (RESPONDING CLOSED OCCURRED ...).",
       {{"reason", "TEXT", "why", true}, version},
       ChangeStatus});
  out->push_back({"risks",
                  "list",
                  {},
                  "Risks of one scope (or all), highest score first.",
                  {{"scope", "ID", "project, programme or portfolio id"}},
                  List});
  out->push_back(
      {"risks",
       "combine",
       {},
       "Combine several projects' risks into one programme or portfolio risk.",
       {{"scope", "ID", "the programme or portfolio id", true},
        {"level", "LEVEL", "PORTFOLIO (default) or PROGRAMME"},
        {"title", "TEXT", "short title", true},
        {"category", "TEXT", "risk category", true},
        {"owner", "WHO", "who looks after it", true},
        {"member", "RISK_ID", "a member risk (at least two)", true, true}},
       Combine});
  out->push_back(
      {"risks",
       "escalate",
       {"RISK_ID"},
       "Put a risk in the PMO's escalation queue.",
       {{"reason", "TEXT", "why the PMO should take it", true}, version},
       Escalate});
  out->push_back(
      {"risks",
       "escalations",
       {},
       "The PMO's escalation queue.",
       {{"portfolio", "PORTFOLIO_ID", "one portfolio's queue (default: all)"},
        {"status", "STATUS", "PENDING (default), ACCEPTED or RETURNED"}},
       Escalations});
  out->push_back(
      {"risks",
       "overdue",
       {},
       "Overdue risk reviews and response actions.",
       {{"scope", "ID", "one scope (default: all)"},
        {"as-of", "YYYY-MM-DD", "the day to judge by (default: today)"}},
       Overdue});
  out->push_back(
      {"risks",
       "matrix",
       {},
       "A portfolio's probability x impact matrix (default: the 5x5 default).",
       {{"portfolio", "PORTFOLIO_ID", "the portfolio"},
        {"version", "VERSION", "an earlier version (default: current)"}},
       Matrix});
  out->push_back(
      {"risks",
       "contingency",
       {},
       "A scope's contingency reserve by day: open threats' expected value.",
       {{"scope", "ID", "project, programme or portfolio id", true},
        level,
        {"from", "YYYY-MM-DD", "first day (default: the first risk event)"},
        {"to", "YYYY-MM-DD", "last day (default: today)"}},
       Contingency});
  out->push_back(
      {"issues",
       "raise",
       {},
       "Open an issue in the issue log.",
       {{"scope", "ID", "project, programme or portfolio id", true},
        {"level", "LEVEL", "PROJECT (default), PROGRAMME or PORTFOLIO"},
        {"title", "TEXT", "short title", true},
        {"priority", "PRIORITY", "LOW MEDIUM HIGH CRITICAL", true},
        {"owner", "WHO", "who deals with it", true},
        {"description", "TEXT", "what happened"},
        {"raised-on", "YYYY-MM-DD", "default: today"}},
       RaiseIssue});
  out->push_back({"issues",
                  "list",
                  {},
                  "The issue log: open first, highest priority first.",
                  {{"scope", "ID", "one scope (default: all)"},
                   {"all", "", "include resolved issues"}},
                  ListIssues});
  out->push_back(
      {"issues", "get", {"ISSUE_ID"}, "Show one issue.", {}, GetIssue});
  out->push_back({"issues",
                  "reassign",
                  {"ISSUE_ID"},
                  "Change an issue's priority or owner.",
                  {{"priority", "PRIORITY", "LOW MEDIUM HIGH CRITICAL"},
                   {"owner", "WHO", "who deals with it now"},
                   version},
                  ReassignIssue});
  out->push_back({"issues",
                  "resolve",
                  {"ISSUE_ID"},
                  "Resolve an issue.",
                  {{"resolution", "TEXT", "how it was resolved", true},
                   {"resolved-on", "YYYY-MM-DD", "default: today"},
                   version},
                  ResolveIssue});
  out->push_back({"risks",
                  "complete-action",
                  {"RISK_ID", "ACTION_ID"},
                  "Mark a planned response action done.",
                  {},
                  CompleteAction});
  out->push_back({"risks",
                  "combined",
                  {"COMBINED_RISK_ID"},
                  "Show a combined risk and its exposure.",
                  {},
                  GetCombined});
  out->push_back(
      {"risks",
       "accept-escalation",
       {"RISK_ID"},
       "The PMO takes an escalated risk over at portfolio level.",
       {{"owner", "WHO", "who owns it at portfolio level", true},
        {"reason", "TEXT", "why", true},
        {"portfolio", "PORTFOLIO_ID", "the portfolio taking it over"}},
       AcceptEscalation});
  out->push_back({"risks",
                  "return-escalation",
                  {"RISK_ID"},
                  "Hand an escalated risk back to its project.",
                  {{"reason", "TEXT", "why", true}},
                  ReturnEscalation});
}

}  // namespace pmoctl
