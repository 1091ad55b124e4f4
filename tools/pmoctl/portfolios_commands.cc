// pmoctl's portfolio structure area: portfolios and their strategic
// objectives, programmes, and ranking projects against the objectives
// (pmo.projects.v1.PortfoliosService); and the projection's consolidated
// views beside the overview: resource load, the risk register and its
// exposure trend, the dependency graph, configuration across projects
// (change requests, baselines, tool licences, audit findings) and rebuild
// (pmo.projection.v1.ConsolidatedViewsService), and the view's digest
// (pmo.projection.v1.PortfolioService).

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "pmo/projection/v1/portfolio_service.grpc.pb.h"
#include "pmo/projection/v1/views_service.grpc.pb.h"
#include "pmo/projects/v1/portfolios_service.grpc.pb.h"
#include "tools/pmoctl/command.h"

namespace pmoctl {
namespace {

namespace pv1 = ::pmo::projects::v1;
using Stub = pv1::PortfoliosService::Stub;

Table PortfolioTable(const pv1::Portfolio& p) {
  Table t({"PORTFOLIO_ID", "CODE", "NAME", "OBJECTIVES", "VERSION"});
  t.Add({p.portfolio_id(), p.code(), p.name(),
         std::to_string(p.objectives_size()), std::to_string(p.version())});
  return t;
}

int CreatePortfolio(Session& s, const Invocation& in) {
  pv1::CreatePortfolioRequest req;
  req.set_request_id(in.RequestId());
  req.set_code(in.Str("code"));
  req.set_name(in.Str("name"));
  auto stub = pv1::PortfoliosService::NewStub(s.channel());
  pv1::CreatePortfolioResponse resp;
  if (int rc = s.Call(stub.get(), &Stub::CreatePortfolio, req, &resp))
    return rc;
  s.Print(resp, PortfolioTable(resp.portfolio()));
  return kExitOk;
}

int DefineObjective(Session& s, const Invocation& in) {
  pv1::DefineStrategicObjectiveRequest req;
  req.set_request_id(in.RequestId());
  req.set_portfolio_id(in.Arg(0));
  req.set_name(in.Str("name"));
  req.set_weight(static_cast<int32_t>(in.Int("weight")));
  if (!in.ok()) return in.UsageError();
  auto stub = pv1::PortfoliosService::NewStub(s.channel());
  pv1::DefineStrategicObjectiveResponse resp;
  if (int rc = s.Call(stub.get(), &Stub::DefineStrategicObjective, req, &resp))
    return rc;
  Table t({"OBJECTIVE_ID", "NAME", "WEIGHT"});
  for (const auto& o : resp.portfolio().objectives()) {
    t.Add({o.objective_id(), o.name(), std::to_string(o.weight())});
  }
  s.Print(resp, t);
  return kExitOk;
}

int ScoreProject(Session& s, const Invocation& in) {
  pv1::ScoreProjectRequest req;
  req.set_request_id(in.RequestId());
  req.set_project_id(in.Arg(0));
  req.set_portfolio_id(in.Str("portfolio"));
  req.set_objective_id(in.Str("objective"));
  req.set_score(static_cast<int32_t>(in.Int("score")));
  if (!in.ok()) return in.UsageError();
  auto stub = pv1::PortfoliosService::NewStub(s.channel());
  pv1::ScoreProjectResponse resp;
  if (int rc = s.Call(stub.get(), &Stub::ScoreProject, req, &resp)) return rc;
  Table t({"PROJECT_ID", "OBJECTIVE_ID", "SCORE"});
  t.Add({req.project_id(), req.objective_id(), std::to_string(req.score())});
  s.Print(resp, t);
  return kExitOk;
}

int RankPortfolio(Session& s, const Invocation& in) {
  pv1::RankPortfolioRequest req;
  req.set_portfolio_id(in.Arg(0));
  auto stub = pv1::PortfoliosService::NewStub(s.channel());
  pv1::RankPortfolioResponse resp;
  if (int rc = s.Call(stub.get(), &Stub::RankPortfolio, req, &resp)) return rc;
  Table t({"RANK", "CODE", "NAME", "PRIORITY", "WEIGHTED_SCORE", "PROJECT_ID"});
  for (const auto& p : resp.projects()) {
    t.Add({std::to_string(p.rank()), p.code(), p.name(),
           std::to_string(p.priority()), FormatDouble(p.weighted_score()),
           p.project_id()});
  }
  s.Print(resp, t);
  return kExitOk;
}

int CreateProgramme(Session& s, const Invocation& in) {
  pv1::CreateProgrammeRequest req;
  req.set_request_id(in.RequestId());
  req.set_code(in.Str("code"));
  req.set_name(in.Str("name"));
  req.set_portfolio_id(in.Str("portfolio"));
  auto stub = pv1::PortfoliosService::NewStub(s.channel());
  pv1::CreateProgrammeResponse resp;
  if (int rc = s.Call(stub.get(), &Stub::CreateProgramme, req, &resp))
    return rc;
  const pv1::Programme& p = resp.programme();
  Table t({"PROGRAMME_ID", "CODE", "NAME", "PORTFOLIO_ID"});
  t.Add({p.programme_id(), p.code(), p.name(), p.portfolio_id()});
  s.Print(resp, t);
  return kExitOk;
}

int AssignProject(Session& s, const Invocation& in) {
  pv1::AssignProjectToProgrammeRequest req;
  req.set_request_id(in.RequestId());
  req.set_project_id(in.Arg(0));
  req.set_programme_id(in.Arg(1));
  auto stub = pv1::PortfoliosService::NewStub(s.channel());
  pv1::AssignProjectToProgrammeResponse resp;
  if (int rc = s.Call(stub.get(), &Stub::AssignProjectToProgramme, req, &resp))
    return rc;
  Table t({"PROJECT_ID", "PROGRAMME_ID"});
  t.Add({resp.project_id(), resp.programme_id()});
  s.Print(resp, t);
  return kExitOk;
}

namespace jv1 = ::pmo::projection::v1;
using Views = jv1::ConsolidatedViewsService::Stub;

std::string Hours(double h) { return FormatDouble(h, 1); }

std::string Shares(
    const google::protobuf::RepeatedPtrField<jv1::ProjectLoadShare>& shares) {
  std::vector<std::string> parts;
  for (const auto& share : shares) {
    parts.push_back(absl::StrCat(share.project_code().empty()
                                     ? share.project_id()
                                     : share.project_code(),
                                 " ", Hours(share.hours())));
  }
  return absl::StrJoin(parts, ", ");
}

int ShowResourceLoad(Session& s, const Invocation& in) {
  jv1::GetResourceLoadRequest req;
  if (in.Has("as-of")) *req.mutable_as_of() = in.Date("as-of");
  if (in.Has("from")) *req.mutable_first_week() = in.Date("from");
  req.set_weeks(static_cast<int32_t>(in.Int("weeks")));
  req.set_resource_id(in.Str("resource"));
  req.set_project_id(in.Str("project"));
  req.set_page_size(1000);
  if (!in.ok()) return in.UsageError();
  auto stub = jv1::ConsolidatedViewsService::NewStub(s.channel());
  jv1::GetResourceLoadResponse resp;
  if (int rc = s.Call(stub.get(), &Views::GetResourceLoad, req, &resp))
    return rc;
  Table t({"RESOURCE", "WEEK", "CAPACITY_H", "LOAD_H", "SHARES"});
  for (const auto& r : resp.resources()) {
    for (const auto& w : r.weeks()) {
      t.Add({r.name(), FormatDate(w.week_start()), Hours(w.capacity_hours()),
             Hours(w.load_hours()), Shares(w.shares())});
    }
  }
  s.Print(resp, t);
  if (!s.json()) {
    for (const auto& r : resp.resources()) {
      for (const auto& d : r.over_allocations()) {
        s.out() << "# over-allocated " << r.name() << " " << FormatDate(d.day())
                << ": " << Hours(d.load_hours()) << " h of "
                << Hours(d.capacity_hours()) << " (" << Shares(d.shares())
                << ")\n";
      }
    }
  }
  return kExitOk;
}

int ShowRiskRegister(Session& s, const Invocation& in) {
  jv1::ListRiskRegisterRequest req;
  if (in.Has("as-of")) *req.mutable_as_of() = in.Date("as-of");
  req.set_project_id(in.Str("project"));
  req.set_portfolio_id(in.Str("portfolio"));
  req.set_kind(in.EnumValue<jv1::RegisterEntryKind>(
      "--kind", in.Str("kind"), "REGISTER_ENTRY_KIND_",
      &jv1::RegisterEntryKind_Parse));
  req.set_include_closed(in.Has("all"));
  req.set_page_size(1000);
  if (!in.ok()) return in.UsageError();
  auto stub = jv1::ConsolidatedViewsService::NewStub(s.channel());
  jv1::ListRiskRegisterResponse all;
  std::string token;
  do {
    req.set_page_token(token);
    jv1::ListRiskRegisterResponse page;
    if (int rc = s.Call(stub.get(), &Views::ListRiskRegister, req, &page))
      return rc;
    token = page.next_page_token();
    if (all.entries_size() == 0) {
      all = page;
    } else {
      for (auto& e : *page.mutable_entries()) *all.add_entries() = std::move(e);
    }
  } while (!token.empty());
  all.clear_next_page_token();
  Table t({"KIND", "SCOPE", "TITLE", "STATUS", "RATING", "EXPECTED", "OVERDUE",
           "ID"});
  for (const auto& e : all.entries()) {
    const bool issue = e.kind() == jv1::REGISTER_ENTRY_KIND_ISSUE;
    t.Add(
        {EnumLabel(jv1::RegisterEntryKind_Name(e.kind()),
                   "REGISTER_ENTRY_KIND_"),
         e.project_code().empty() ? e.scope_id() : e.project_code(), e.title(),
         issue ? EnumLabel(::pmo::risks::v1::IssueStatus_Name(e.issue_status()),
                           "ISSUE_STATUS_")
               : EnumLabel(::pmo::risks::v1::RiskStatus_Name(e.risk_status()),
                           "RISK_STATUS_"),
         e.rating(),
         issue ? ""
               : FormatDouble(static_cast<double>(e.expected_value_minor()) /
                              100),
         e.overdue() ? "yes" : "", e.id()});
  }
  s.Print(all, t);
  if (!s.json()) {
    s.out() << "# status date " << FormatDate(all.status_date())
            << ": exposure "
            << FormatDouble(static_cast<double>(all.risk_exposure_minor()) /
                            100)
            << ", opportunities "
            << FormatDouble(static_cast<double>(all.opportunity_value_minor()) /
                            100)
            << "\n";
    for (const auto& c : all.combined_risks()) {
      s.out() << "# combined " << c.title() << " (" << c.member_risk_ids_size()
              << " risks): expected "
              << FormatDouble(
                     static_cast<double>(c.exposure().expected_value_minor()) /
                     100)
              << "\n";
    }
  }
  return kExitOk;
}

int ShowDependencies(Session& s, const Invocation& in) {
  jv1::GetDependencyGraphRequest req;
  if (in.Has("as-of")) *req.mutable_as_of() = in.Date("as-of");
  req.set_project_id(in.Str("project"));
  if (!in.ok()) return in.UsageError();
  auto stub = jv1::ConsolidatedViewsService::NewStub(s.channel());
  jv1::GetDependencyGraphResponse resp;
  if (int rc = s.Call(stub.get(), &Views::GetDependencyGraph, req, &resp))
    return rc;
  Table t({"PREDECESSOR", "TASK", "SUCCESSOR", "TASK", "TYPE", "LAG"});
  for (const auto& d : resp.dependencies()) {
    t.Add({d.predecessor_project_code(), d.predecessor_task_id(),
           d.successor_project_code(), d.successor_task_id(),
           EnumLabel(::pmo::projects::v1::DependencyType_Name(d.type()),
                     "DEPENDENCY_TYPE_"),
           std::to_string(d.lag_days())});
  }
  s.Print(resp, t);
  if (!s.json()) {
    for (const auto& slip : resp.slips()) {
      s.out() << "# " << FormatDate(slip.reported_on()) << ": "
              << slip.slipped_project_code() << " " << slip.slipped_task_id()
              << " slipped " << slip.slip_days() << " days; "
              << slip.project_at_risk_code() << " has "
              << slip.tasks_at_risk_size() << " tasks at risk\n";
    }
  }
  return kExitOk;
}

std::string Money(int64_t minor) {
  return FormatDouble(static_cast<double>(minor) / 100);
}

int ShowExposure(Session& s, const Invocation& in) {
  jv1::GetRiskExposureHistoryRequest req;
  if (in.Has("as-of")) *req.mutable_as_of() = in.Date("as-of");
  if (in.Has("from")) *req.mutable_from() = in.Date("from");
  req.set_project_id(in.Str("project"));
  req.set_programme_id(in.Str("programme"));
  req.set_portfolio_id(in.Str("portfolio"));
  req.set_interval_days(static_cast<int32_t>(in.Int("interval-days")));
  return CallAndPrint(
      s, in, &Views::GetRiskExposureHistory, req,
      [](const jv1::GetRiskExposureHistoryResponse& r) {
        Table t({"DAY", "RISK_EXPOSURE", "OPPORTUNITY_VALUE"});
        for (const auto& p : r.points()) {
          t.Add({FormatDate(p.day()), Money(p.risk_exposure_minor()),
                 Money(p.opportunity_value_minor())});
        }
        return t;
      });
}

int ShowConfiguration(Session& s, const Invocation& in) {
  namespace cv1 = ::pmo::configuration::v1;
  jv1::GetConfigurationAcrossProjectsRequest req;
  if (in.Has("as-of")) *req.mutable_as_of() = in.Date("as-of");
  req.set_project_id(in.Str("project"));
  return CallAndPrint(
      s, in, &Views::GetConfigurationAcrossProjects, req,
      [](const jv1::GetConfigurationAcrossProjectsResponse& r) {
        // One table for the four kinds of line: what, whose, its state, the
        // rest.
        Table t({"KIND", "PROJECT", "NAME", "STATE", "DETAILS", "ID"});
        for (const auto& c : r.change_requests()) {
          t.Add({"change request", c.project_code(), c.title(),
                 EnumLabel(cv1::ChangeRequestStatus_Name(c.status()),
                           "CHANGE_REQUEST_STATUS_"),
                 absl::StrCat("submitted ", FormatDate(c.submitted_on()), "; ",
                              c.schedule_days(), " days, ",
                              Money(c.cost_minor())),
                 c.change_request_id()});
        }
        for (const auto& b : r.baselines()) {
          t.Add({EnumLabel(jv1::BaselineKind_Name(b.kind()),
                           "BASELINE_KIND_") == "SCHEDULE"
                     ? "schedule baseline"
                     : "baseline",
                 b.project_code(), b.name(),
                 absl::StrCat(b.entries(), " entries"),
                 absl::StrCat("established ", FormatDate(b.established_on()),
                              b.finish().year()
                                  ? "; finish " + FormatDate(b.finish())
                                  : ""),
                 b.baseline_id()});
        }
        for (const auto& tool : r.tools()) {
          std::vector<std::string> flags;
          if (tool.over_used()) flags.push_back("over-used");
          if (tool.expired()) flags.push_back("expired");
          if (tool.retired()) flags.push_back("retired");
          std::vector<std::string> uses;
          for (const auto& u : tool.uses())
            uses.push_back(absl::StrCat(u.project_id(), ":", u.seats()));
          t.Add({"tool", absl::StrJoin(uses, " "), tool.name(),
                 flags.empty() ? "ok" : absl::StrJoin(flags, ","),
                 absl::StrCat(tool.seats_used(), " of ", tool.licence_count(),
                              " seats; expires ",
                              FormatDate(tool.licence_expiry())),
                 tool.tool_id()});
        }
        for (const auto& f : r.findings()) {
          t.Add({"finding", f.project_code(),
                 f.clause() + " " + f.description(),
                 f.open() ? "OPEN" : "CLOSED",
                 EnumLabel(cv1::FindingSeverity_Name(f.severity()),
                           "FINDING_SEVERITY_") +
                     "; recorded " + FormatDate(f.recorded_on()),
                 f.finding_id()});
        }
        return t;
      });
}

int ShowDigest(Session& s, const Invocation& in) {
  return CallAndPrint(
      s, in, &::pmo::projection::v1::PortfolioService::Stub::GetPortfolioDigest,
      jv1::GetPortfolioDigestRequest(),
      [](const jv1::GetPortfolioDigestResponse& r) {
        Table t({"DIGEST", "PROJECTS"});
        t.Add({r.digest(), std::to_string(r.project_count())});
        return t;
      });
}

int PrintRebuild(Session& s, const google::protobuf::Message& resp,
                 const jv1::ViewRebuild& r) {
  // SOURCE: TOPICS (pmo-projection re-reads every topic from offset 0) or
  // JOURNAL (the all-in-one and a PostgreSQL view fold their own copy).
  Table t({"PHASE", "SOURCE", "EVENTS", "BEHIND", "DIGESTS_EQUAL", "ERROR"});
  t.Add(
      {EnumLabel(jv1::ViewRebuildPhase_Name(r.phase()), "VIEW_REBUILD_PHASE_"),
       EnumLabel(jv1::ViewRebuildSource_Name(r.source()),
                 "VIEW_REBUILD_SOURCE_"),
       std::to_string(r.events_folded()),
       r.events_behind() < 0
           ? "-"
           : std::to_string(r.events_behind()),  // -1: not known
       r.digests_equal() ? "yes" : "no", r.error()});
  s.Print(resp, t);
  return kExitOk;
}

int StartRebuild(Session& s, const Invocation& in) {
  auto stub = jv1::ConsolidatedViewsService::NewStub(s.channel());
  jv1::StartViewRebuildResponse resp;
  if (int rc = s.Call(stub.get(), &Views::StartViewRebuild,
                      jv1::StartViewRebuildRequest(), &resp))
    return rc;
  return PrintRebuild(s, resp, resp.rebuild());
}

int ShowRebuild(Session& s, const Invocation& in) {
  auto stub = jv1::ConsolidatedViewsService::NewStub(s.channel());
  jv1::GetViewRebuildResponse resp;
  if (int rc = s.Call(stub.get(), &Views::GetViewRebuild,
                      jv1::GetViewRebuildRequest(), &resp))
    return rc;
  return PrintRebuild(s, resp, resp.rebuild());
}

}  // namespace

void AddPortfolioCommands(std::vector<Command>* out) {
  out->push_back({"portfolios",
                  "create",
                  {},
                  "Create a portfolio, the top of the structure.",
                  {{"code", "CODE", "unique portfolio code", true},
                   {"name", "NAME", "portfolio name", true}},
                  CreatePortfolio});
  out->push_back(
      {"portfolios",
       "add-objective",
       {"PORTFOLIO_ID"},
       "Define a weighted strategic objective of the portfolio.",
       {{"name", "NAME", "the objective", true},
        {"weight", "1-100", "weight relative to the other objectives", true}},
       DefineObjective});
  out->push_back({"portfolios",
                  "score",
                  {"PROJECT_ID"},
                  "Score a project against one of a portfolio's objectives.",
                  {{"portfolio", "PORTFOLIO_ID", "the portfolio", true},
                   {"objective", "OBJECTIVE_ID", "the objective", true},
                   {"score", "0-10", "how well the project serves it", true}},
                  ScoreProject});
  out->push_back({"portfolios",
                  "rank",
                  {"PORTFOLIO_ID"},
                  "Rank the portfolio's projects by weighted objective score.",
                  {},
                  RankPortfolio});
  out->push_back(
      {"programmes",
       "create",
       {},
       "Create a programme inside a portfolio.",
       {{"code", "CODE", "unique programme code", true},
        {"name", "NAME", "programme name", true},
        {"portfolio", "PORTFOLIO_ID", "the portfolio it belongs to", true}},
       CreateProgramme});
  out->push_back({"programmes",
                  "assign",
                  {"PROJECT_ID", "PROGRAMME_ID"},
                  "Put a project into a programme (at most one at a time).",
                  {},
                  AssignProject});
  const Option as_of{"as-of", "YYYY-MM-DD",
                     "as it stood at the end of that day (default: now)"};
  out->push_back(
      {"portfolio",
       "load",
       {},
       "Each resource's load by week with each project's share, and its "
       "over-allocations.",
       {as_of,
        {"from", "YYYY-MM-DD",
         "a day of the first week (default: the status date's)"},
        {"weeks", "1-53", "how many weeks (default 4)"},
        {"resource", "RESOURCE_ID", "only this resource"},
        {"project", "PROJECT_ID", "only the resources booked to this project"}},
       ShowResourceLoad});
  out->push_back({"portfolio",
                  "risks",
                  {},
                  "Every threat, opportunity and issue of every project, and "
                  "the combined risks.",
                  {as_of,
                   {"project", "PROJECT_ID", "only this project's"},
                   {"portfolio", "PORTFOLIO_ID", "only this portfolio's"},
                   {"kind", "THREAT|OPPORTUNITY|ISSUE", "only this kind"},
                   {"all", "", "closed risks and resolved issues too"}},
                  ShowRiskRegister});
  out->push_back(
      {"portfolio",
       "dependencies",
       {},
       "Which projects depend on which, and which slips put whom at risk.",
       {as_of, {"project", "PROJECT_ID", "only what touches this project"}},
       ShowDependencies});
  out->push_back({"portfolio",
                  "rebuild",
                  {},
                  "Rebuild the consolidated view from every event and switch "
                  "to it (PMO admin).",
                  {},
                  StartRebuild});
  out->push_back({"portfolio",
                  "rebuild-status",
                  {},
                  "How the last rebuild went.",
                  {},
                  ShowRebuild});
  out->push_back({"portfolio",
                  "exposure",
                  {},
                  "Risk exposure and opportunity value over time (default "
                  "weekly, a year).",
                  {as_of,
                   {"from", "YYYY-MM-DD",
                    "the first day (default: a year before the status date)"},
                   {"interval-days", "N", "days between points (default 7)"},
                   {"project", "PROJECT_ID", "only this project's"},
                   {"programme", "PROGRAMME_ID", "only this programme's"},
                   {"portfolio", "PORTFOLIO_ID", "only this portfolio's"}},
                  ShowExposure});
  out->push_back({"portfolio",
                  "configuration",
                  {},
                  "Change requests, baselines, tool licences and audit "
                  "findings of every project.",
                  {as_of, {"project", "PROJECT_ID", "only this project's"}},
                  ShowConfiguration});
  out->push_back(
      {"portfolio",
       "digest",
       {},
       "The consolidated view's digest (equal digests: equal views).",
       {},
       ShowDigest});
}

}  // namespace pmoctl
