// pmoctl's reporting area: a consolidated report rendered by the server
// (pmo.reporting.v1.ReportsService.GetReport) in JSON, CSV or HTML, written
// as it comes to stdout or to a file.

#include <cstdio>
#include <fstream>

#include "pmo/reporting/v1/reporting_service.grpc.pb.h"
#include "tools/pmoctl/command.h"

namespace pmoctl {
namespace {

namespace ov1 = ::pmo::reporting::v1;

int GetReport(Session& s, const Invocation& in) {
  ov1::GetReportRequest req;
  ov1::ReportSpec* spec = req.mutable_spec();
  // "portfolio-status" names REPORT_TYPE_PORTFOLIO_STATUS.
  spec->set_type(in.EnumValue<ov1::ReportType>("TYPE", in.Arg(0), "REPORT_TYPE_",
                                               &ov1::ReportType_Parse));
  spec->set_format(in.EnumValue<ov1::ReportFormat>(
      "--format", in.Has("format") ? in.Str("format") : "json", "REPORT_FORMAT_",
      &ov1::ReportFormat_Parse));
  const int scopes = static_cast<int>(in.Has("portfolio")) + static_cast<int>(in.Has("programme")) +
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
  if (in.Has("as-of")) *spec->mutable_as_of() = in.Date("as-of");
  if (!in.ok()) return in.UsageError();
  auto stub = ov1::ReportsService::NewStub(s.channel());
  ov1::GetReportResponse resp;
  if (int rc = s.Call(stub.get(), &ov1::ReportsService::Stub::GetReport, req, &resp)) return rc;
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
    std::fprintf(stderr, "pmoctl: cannot write the report to %s\n", path.c_str());
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

}  // namespace

void AddReportCommands(std::vector<Command>* out) {
  out->push_back(
      {"reports", "get", {"TYPE"},
       "Render a report: portfolio-status, earned-value, resource-utilisation, risk, "
       "dependencies, change-control or compliance.",
       {{"format", "json|csv|html", "the report's format (default json)"},
        {"portfolio", "ID", "scope: this portfolio (default: the whole enterprise)"},
        {"programme", "ID", "scope: this programme"},
        {"project", "ID", "scope: this project"},
        {"as-of", "YYYY-MM-DD", "the status date (default today)"},
        {"out", "FILE", "write the report to FILE instead of stdout"}},
       GetReport});
}

}  // namespace pmoctl
