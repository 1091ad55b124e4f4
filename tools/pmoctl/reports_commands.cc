// pmoctl's reporting area: a consolidated report rendered by the server
// (pmo.reporting.v1.ReportsService.GetReport) in JSON, CSV or HTML, written
// as it comes to stdout or to a file; and the coordination of communication
// (pmo.reporting.v1.CommunicationService): communication plans with their
// stakeholders (optionally a signed webhook) and report distributions,
// announcements, and a stakeholder's inbox, listed or watched as it fills.

#include <signal.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "google/protobuf/util/time_util.h"
#include "pmo/reporting/v1/reporting_service.grpc.pb.h"
#include "tools/pmoctl/command.h"

namespace pmoctl {
namespace {

namespace ov1 = ::pmo::reporting::v1;

// The report's type (TYPE, e.g. portfolio-status), format (default json)
// and scope (--portfolio, --programme or --project; default the whole
// enterprise), shared by `reports get` and `plans add-distribution`.
void ReadSpec(const Invocation& in, const std::string& type,
              ov1::ReportSpec* spec) {
  // "portfolio-status" names REPORT_TYPE_PORTFOLIO_STATUS.
  spec->set_type(in.EnumValue<ov1::ReportType>("TYPE", type, "REPORT_TYPE_",
                                               &ov1::ReportType_Parse));
  spec->set_format(in.EnumValue<ov1::ReportFormat>(
      "--format", in.Has("format") ? in.Str("format") : "json",
      "REPORT_FORMAT_", &ov1::ReportFormat_Parse));
  const int scopes = static_cast<int>(in.Has("portfolio")) +
                     static_cast<int>(in.Has("programme")) +
                     static_cast<int>(in.Has("project"));
  if (scopes > 1) {
    in.Mistake("give at most one of --portfolio, --programme and --project");
  } else if (in.Has("portfolio")) {
    spec->mutable_scope()->set_level(ov1::SCOPE_LEVEL_PORTFOLIO);
    spec->mutable_scope()->set_id(in.Str("portfolio"));
  } else if (in.Has("programme")) {
    spec->mutable_scope()->set_level(ov1::SCOPE_LEVEL_PROGRAMME);
    spec->mutable_scope()->set_id(in.Str("programme"));
  } else if (in.Has("project")) {
    spec->mutable_scope()->set_level(ov1::SCOPE_LEVEL_PROJECT);
    spec->mutable_scope()->set_id(in.Str("project"));
  }
}

int GetReport(Session& s, const Invocation& in) {
  ov1::GetReportRequest req;
  ov1::ReportSpec* spec = req.mutable_spec();
  ReadSpec(in, in.Arg(0), spec);
  if (in.Has("as-of")) *spec->mutable_as_of() = in.Date("as-of");
  if (!in.ok()) return in.UsageError();
  auto stub = ov1::ReportsService::NewStub(s.channel());
  ov1::GetReportResponse resp;
  if (int rc =
          s.Call(stub.get(), &ov1::ReportsService::Stub::GetReport, req, &resp))
    return rc;
  const ov1::RenderedReport& report = resp.report();
  if (!in.Has("out")) {
    // The report itself is the output, in the format asked for; --output
    // does not wrap it.
    s.out() << report.content();
    return kExitOk;
  }
  const std::string path = in.Str("out");
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << report.content();
  file.close();
  if (!file) {
    std::fprintf(stderr, "pmoctl: cannot write the report to %s\n",
                 path.c_str());
    return kExitUsage;
  }
  // The envelope without the content, which is in the file.
  ov1::GetReportResponse envelope = resp;
  envelope.mutable_report()->clear_content();
  Table t({"TITLE", "STATUS_DATE", "MEDIA_TYPE", "BYTES", "FILE"});
  t.Add({report.title(), FormatDate(report.status_date()), report.media_type(),
         std::to_string(report.content().size()), path});
  s.Print(envelope, t);
  return kExitOk;
}

// Communication plans, announcements and inboxes.

using CommStub = ov1::CommunicationService::Stub;

std::string ScopeText(const ov1::ReportScope& scope) {
  if (scope.level() == ov1::SCOPE_LEVEL_UNSPECIFIED) return "enterprise";
  return absl::AsciiStrToLower(
             EnumLabel(ov1::ScopeLevel_Name(scope.level()), "SCOPE_LEVEL_")) +
         " " + scope.id();
}

// A plan: one row for the plan, one per stakeholder, one per distribution.
Table PlanTable(const ov1::CommunicationPlan& p) {
  Table t({"KIND", "ID", "NAME", "DETAILS"});
  t.Add({"plan", p.plan_id(), p.name(),
         absl::StrCat("starts ", FormatTime(p.starts_at()), "; version ",
                      p.version())});
  for (const auto& h : p.stakeholders()) {
    std::string details =
        h.role() + "; projects " + absl::StrJoin(h.project_ids(), ",");
    if (!h.webhook_url().empty()) details += "; webhook " + h.webhook_url();
    t.Add({"stakeholder", h.stakeholder_id(), h.name(), details});
  }
  for (const auto& d : p.distributions()) {
    const ov1::ReportSpec& r = d.report();
    t.Add({"distribution", d.distribution_id(), "to " + d.stakeholder_id(),
           absl::StrCat(
               EnumLabel(ov1::ReportType_Name(r.type()), "REPORT_TYPE_"), " ",
               EnumLabel(ov1::ReportFormat_Name(r.format()), "REPORT_FORMAT_"),
               " (", ScopeText(r.scope()), ") ",
               EnumLabel(ov1::Frequency_Name(d.frequency()), "FREQUENCY_"),
               " by ", EnumLabel(ov1::Channel_Name(d.channel()), "CHANNEL_"),
               d.last_slot().seconds()
                   ? "; last slot " + FormatTime(d.last_slot())
                   : "")});
  }
  return t;
}

template <typename Response>
Table PlanOf(const Response& r) {
  return PlanTable(r.plan());
}

std::string ItemKind(const ov1::InboxItem& item) {
  return item.has_announcement() ? "announcement" : "report";
}

std::string ItemTitle(const ov1::InboxItem& item) {
  if (item.has_announcement()) return item.announcement().title();
  return item.report().report().title() + " (slot " +
         FormatTime(item.report().slot()) + ")";
}

int CreatePlan(Session& s, const Invocation& in) {
  ov1::CreateCommunicationPlanRequest req;
  req.set_request_id(in.RequestId());
  req.set_name(in.Str("name"));
  if (in.Has("starts-at") &&
      !google::protobuf::util::TimeUtil::FromString(in.Str("starts-at"),
                                                    req.mutable_starts_at())) {
    in.Mistake(
        "--starts-at must be an RFC 3339 time, e.g. 2027-01-04T08:00:00Z");
  }
  return CallAndPrint(s, in, &CommStub::CreateCommunicationPlan, req,
                      PlanOf<ov1::CreateCommunicationPlanResponse>);
}

int GetPlan(Session& s, const Invocation& in) {
  ov1::GetCommunicationPlanRequest req;
  req.set_plan_id(in.Arg(0));
  return CallAndPrint(s, in, &CommStub::GetCommunicationPlan, req,
                      PlanOf<ov1::GetCommunicationPlanResponse>);
}

int AddStakeholder(Session& s, const Invocation& in) {
  ov1::AddStakeholderRequest req;
  req.set_request_id(in.RequestId());
  req.set_plan_id(in.Arg(0));
  req.set_name(in.Str("name"));
  req.set_role(in.Str("role"));
  for (const std::string& id : in.All("project")) req.add_project_ids(id);
  req.set_webhook_url(in.Str("webhook-url"));
  if (in.Has("webhook-secret-file")) {
    // From a file, not the command line: other users can read a process's
    // arguments.
    std::ifstream file(in.Str("webhook-secret-file"), std::ios::binary);
    std::stringstream secret;
    secret << file.rdbuf();
    if (!file)
      in.Mistake("--webhook-secret-file: cannot read '" +
                 in.Str("webhook-secret-file") + "'");
    req.set_webhook_secret(std::string(absl::StripSuffix(secret.str(), "\n")));
  }
  SetExpectedVersion(in, &req);
  return CallAndPrint(s, in, &CommStub::AddStakeholder, req,
                      PlanOf<ov1::AddStakeholderResponse>);
}

int AddDistribution(Session& s, const Invocation& in) {
  ov1::AddDistributionRequest req;
  req.set_request_id(in.RequestId());
  req.set_plan_id(in.Arg(0));
  req.set_stakeholder_id(in.Str("stakeholder"));
  ReadSpec(in, in.Str("report"), req.mutable_report());
  req.set_frequency(in.EnumValue<ov1::Frequency>(
      "--frequency", in.Str("frequency"), "FREQUENCY_", &ov1::Frequency_Parse));
  req.set_channel(in.EnumValue<ov1::Channel>(
      "--channel", in.Has("channel") ? in.Str("channel") : "inbox", "CHANNEL_",
      &ov1::Channel_Parse));
  SetExpectedVersion(in, &req);
  return CallAndPrint(s, in, &CommStub::AddDistribution, req,
                      PlanOf<ov1::AddDistributionResponse>);
}

int Announce(Session& s, const Invocation& in) {
  ov1::PublishAnnouncementRequest req;
  req.set_request_id(in.RequestId());
  req.set_title(in.Str("title"));
  req.set_body(in.Str("body"));
  for (const std::string& id : in.All("project")) req.add_project_ids(id);
  return CallAndPrint(
      s, in, &CommStub::PublishAnnouncement, req,
      [](const ov1::PublishAnnouncementResponse& r) {
        Table t({"ANNOUNCEMENT_ID", "TITLE", "AUTHOR", "STAKEHOLDERS_REACHED"});
        t.Add({r.announcement().announcement_id(), r.announcement().title(),
               r.announcement().author(),
               std::to_string(r.stakeholder_ids_size())});
        return t;
      });
}

int ListInbox(Session& s, const Invocation& in) {
  ov1::ListInboxRequest req;
  req.set_stakeholder_id(in.Arg(0));
  req.set_after_sequence(in.Int("after"));
  req.set_page_size(static_cast<int32_t>(in.Int("limit")));
  return CallAndPrint(
      s, in, &CommStub::ListInbox, req, [](const ov1::ListInboxResponse& r) {
        Table t({"SEQUENCE", "DELIVERED_AT", "KIND", "TITLE", "ITEM_ID"});
        for (const auto& i : r.items()) {
          t.Add({std::to_string(i.sequence()), FormatTime(i.delivered_at()),
                 ItemKind(i), ItemTitle(i), i.item_id()});
        }
        return t;
      });
}

// Set by SIGINT or SIGTERM while `inbox watch` runs.
std::atomic<bool> watch_stopped{false};
extern "C" void StopWatching(int) { watch_stopped = true; }

int WatchInbox(Session& s, const Invocation& in) {
  ov1::WatchInboxRequest req;
  req.set_stakeholder_id(in.Arg(0));
  req.set_after_sequence(in.Int("after"));
  if (!in.ok()) return in.UsageError();
  CommStub stub(s.channel());
  grpc::ClientContext context;
  const bool bounded = s.PrepareStream(&context);
  struct sigaction action = {};
  action.sa_handler = StopWatching;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  // A signal handler may only set a flag; this thread turns it into a
  // cancelled call, which ends the blocking Read below.
  std::atomic<bool> finished{false};
  std::thread canceller([&] {
    while (!finished) {
      if (watch_stopped) {
        context.TryCancel();
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  });
  auto reader = stub.WatchInbox(&context, req);
  // Lines as items arrive, so a table cannot size its columns: fixed widths.
  static constexpr char kLine[] = "%-9s %-21s %-13s %s\n";
  if (!s.json())
    s.out() << absl::StrFormat(kLine, "SEQUENCE", "DELIVERED_AT", "KIND",
                               "TITLE");
  s.out() << std::flush;
  ov1::WatchInboxResponse message;
  while (reader->Read(&message)) {
    const ov1::InboxItem& i = message.item();
    if (s.json()) {
      s.PrintJsonLine(message);
    } else {
      s.out() << absl::StrFormat(kLine, std::to_string(i.sequence()),
                                 FormatTime(i.delivered_at()), ItemKind(i),
                                 ItemTitle(i));
    }
    s.out() << std::flush;
  }
  const grpc::Status status = reader->Finish();
  finished = true;
  canceller.join();
  // Ended as asked: by Ctrl-C, or when the set --timeout ran out.
  if (watch_stopped && status.error_code() == grpc::StatusCode::CANCELLED)
    return kExitOk;
  if (bounded && status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED)
    return kExitOk;
  return s.Report(status);
}

}  // namespace

void AddReportCommands(std::vector<Command>* out) {
  out->push_back(
      {"reports",
       "get",
       {"TYPE"},
       "Render a report: portfolio-status, earned-value, resource-utilisation, "
       "risk, "
       "dependencies, change-control or compliance.",
       {{"format", "json|csv|html", "the report's format (default json)"},
        {"portfolio", "ID",
         "scope: this portfolio (default: the whole enterprise)"},
        {"programme", "ID", "scope: this programme"},
        {"project", "ID", "scope: this project"},
        {"as-of", "YYYY-MM-DD", "the status date (default today)"},
        {"out", "FILE", "write the report to FILE instead of stdout"}},
       GetReport});
}

void AddCommunicationCommands(std::vector<Command>* out) {
  out->push_back(
      {"plans",
       "create",
       {},
       "Create a communication plan.",
       {{"name", "TEXT", "what the plan is for", true},
        {"starts-at", "TIME",
         "first slot of every distribution, RFC 3339 (default now)"}},
       CreatePlan});
  out->push_back({"plans",
                  "get",
                  {"PLAN_ID"},
                  "Show a plan: its stakeholders and distributions.",
                  {},
                  GetPlan});
  out->push_back(
      {"plans",
       "add-stakeholder",
       {"PLAN_ID"},
       "Add a stakeholder of some projects, optionally with a signed webhook.",
       {{"name", "TEXT", "who", true},
        {"role", "TEXT", "e.g. sponsor, steering committee", true},
        {"project", "ID", "a project they have a stake in", true, true},
        {"webhook-url", "URL",
         "http(s) URL to POST reports and announcements to"},
        {"webhook-secret-file", "FILE",
         "the HMAC secret (16-256 bytes) signing webhook posts; never printed"},
        ExpectedVersionOption()},
       AddStakeholder});
  out->push_back(
      {"plans",
       "add-distribution",
       {"PLAN_ID"},
       "Send a stakeholder a report daily, weekly or monthly.",
       {{"stakeholder", "ID", "the stakeholder (pmoctl plans get)", true},
        {"report", "TYPE",
         "portfolio-status, earned-value, risk, ... (pmoctl reports "
         "get --help)",
         true},
        {"frequency", "FREQ", "DAILY, WEEKLY or MONTHLY", true},
        {"channel", "CHANNEL", "INBOX (default) or WEBHOOK"},
        {"format", "json|csv|html", "the report's format (default json)"},
        {"portfolio", "ID",
         "scope: this portfolio (default: the whole enterprise)"},
        {"programme", "ID", "scope: this programme"},
        {"project", "ID", "scope: this project"},
        ExpectedVersionOption()},
       AddDistribution});
  out->push_back(
      {"announcements",
       "publish",
       {},
       "Announce something to every stakeholder of the named projects.",
       {{"title", "TEXT", "the headline", true},
        {"body", "TEXT", "the text", true},
        {"project", "ID", "whose stakeholders hear it", true, true}},
       Announce});
  out->push_back(
      {"inbox",
       "list",
       {"STAKEHOLDER_ID"},
       "List a stakeholder's inbox, oldest first.",
       {{"after", "SEQUENCE", "only items after this sequence number"},
        {"limit", "N", "at most N items, 1..100 (default 20)"}},
       ListInbox});
  out->push_back({"inbox",
                  "watch",
                  {"STAKEHOLDER_ID"},
                  "Print a stakeholder's inbox items as they arrive, until "
                  "Ctrl-C (or --timeout "
                  "when set); exit 0 then. JSON: one object a line.",
                  {{"after", "SEQUENCE",
                    "first the items after this sequence number (default 0: "
                    "every item)"}},
                  WatchInbox});
}

}  // namespace pmoctl
