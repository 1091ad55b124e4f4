#include "services/reporting/app/report_generator.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "libs/base/status_macros.h"
#include "libs/base/text_checks.h"
#include "libs/dates/calendar_dates.h"
#include "services/reporting/app/report_builders.h"
#include "services/reporting/app/report_renderers.h"

namespace pmo::reporting {
namespace {

std::optional<absl::CivilDay> AsOf(const v1::ReportSpec& spec) {
  if (!spec.has_as_of()) return std::nullopt;
  return dates::Day(spec.as_of());
}

// A project scope names a project the overview has: else NOT_FOUND
// naming `spec.scope.id` (a report of nothing is not a report).
absl::Status CheckKnownScope(const ViewScope& scope,
                             const PortfolioSnapshot& snapshot) {
  if (scope.level != ScopeLevel::kProject) return absl::OkStatus();
  for (const ProjectFigures& p : snapshot.projects) {
    if (p.project_id == scope.id) return absl::OkStatus();
  }
  return absl::NotFoundError(absl::StrCat(
      "spec.scope.id: no project ", scope.id, " is known to the projection"));
}

absl::StatusOr<PortfolioSnapshot> KnownOverview(
    ConsolidatedViews& views, const ViewScope& scope,
    std::optional<absl::CivilDay> as_of) {
  ASSIGN_OR_RETURN(PortfolioSnapshot s, views.Overview(scope, as_of));
  RETURN_IF_ERROR(CheckKnownScope(scope, s));
  return s;
}

// The scope's name for the views that carry no codes of their own: the
// codes come from the overview (the enterprise needs none).
absl::StatusOr<std::string> LabelFromOverview(
    ConsolidatedViews& views, const ViewScope& scope,
    std::optional<absl::CivilDay> as_of) {
  if (scope.level == ScopeLevel::kEnterprise) return ScopeLabel(scope, {});
  ASSIGN_OR_RETURN(PortfolioSnapshot s, KnownOverview(views, scope, as_of));
  return ScopeLabel(scope, s);
}

}  // namespace

void CheckReportSpec(FieldViolations& v, const std::string& prefix,
                     const v1::ReportSpec& spec, bool as_of_allowed) {
  const std::string p = prefix.empty() ? "" : prefix + ".";
  if (spec.type() == v1::REPORT_TYPE_UNSPECIFIED ||
      !v1::ReportType_IsValid(spec.type())) {
    v.Add(p + "type",
          "must be PORTFOLIO_STATUS, EARNED_VALUE, RESOURCE_UTILISATION, RISK, "
          "DEPENDENCIES, "
          "CHANGE_CONTROL or COMPLIANCE");
  }
  if (spec.format() == v1::REPORT_FORMAT_UNSPECIFIED ||
      !v1::ReportFormat_IsValid(spec.format())) {
    v.Add(p + "format", "must be JSON, CSV or HTML");
  }
  if (!v1::ScopeLevel_IsValid(spec.scope().level())) {
    v.Add(p + "scope.level",
          "must be unspecified (enterprise), PORTFOLIO, PROGRAMME or PROJECT");
  } else if (spec.scope().level() == v1::SCOPE_LEVEL_UNSPECIFIED) {
    if (!spec.scope().id().empty()) {
      v.Add(p + "scope.id",
            "must be empty for the enterprise (no scope level)");
    }
  } else if (spec.scope().id().empty() || spec.scope().id().size() > 64 ||
             HasControlCharacter(spec.scope().id())) {
    v.Add(p + "scope.id",
          "is required for a portfolio, programme or project (1-64 characters, "
          "no control "
          "characters)");
  }
  if (spec.has_as_of()) {
    if (!as_of_allowed) {
      v.Add(p + "as_of",
            "must be absent: each scheduled report is as of its slot's day");
    } else if (!dates::IsRealDate(spec.as_of())) {
      v.Add(p + "as_of", "must be a real date");
    }
  }
}

ViewScope ScopeOf(const v1::ReportScope& scope) {
  ViewScope out;
  out.id = scope.id();
  switch (scope.level()) {
    case v1::SCOPE_LEVEL_PORTFOLIO:
      out.level = ScopeLevel::kPortfolio;
      break;
    case v1::SCOPE_LEVEL_PROGRAMME:
      out.level = ScopeLevel::kProgramme;
      break;
    case v1::SCOPE_LEVEL_PROJECT:
      out.level = ScopeLevel::kProject;
      break;
    default:
      out.level = ScopeLevel::kEnterprise;
      out.id.clear();
  }
  return out;
}

absl::StatusOr<ReportDocument> ReportGenerator::Build(
    const v1::ReportSpec& spec) {
  FieldViolations v;
  CheckReportSpec(v, "spec", spec);
  RETURN_IF_ERROR(v.ToStatus());
  const ViewScope scope = ScopeOf(spec.scope());
  const std::optional<absl::CivilDay> as_of = AsOf(spec);
  switch (spec.type()) {
    case v1::REPORT_TYPE_PORTFOLIO_STATUS: {
      ASSIGN_OR_RETURN(PortfolioSnapshot s,
                       KnownOverview(views_, scope, as_of));
      return BuildPortfolioStatus(s, ScopeLabel(scope, s));
    }
    case v1::REPORT_TYPE_EARNED_VALUE: {
      ASSIGN_OR_RETURN(PortfolioSnapshot at,
                       KnownOverview(views_, scope, as_of));
      // The curve's earlier points are the overview as of each month end;
      // the last is the status date's own snapshot.
      std::vector<PortfolioSnapshot> curve;
      const std::vector<absl::CivilDay> ends =
          SCurvePeriodEnds(at.status_date, s_curve_periods_);
      for (size_t i = 0; i + 1 < ends.size(); ++i) {
        ASSIGN_OR_RETURN(PortfolioSnapshot period,
                         views_.Overview(scope, ends[i]));
        curve.push_back(std::move(period));
      }
      curve.push_back(at);
      return BuildEarnedValue(at, curve, ScopeLabel(scope, at));
    }
    case v1::REPORT_TYPE_CHANGE_CONTROL: {
      ASSIGN_OR_RETURN(PortfolioSnapshot s,
                       KnownOverview(views_, scope, as_of));
      return BuildChangeControl(s, ScopeLabel(scope, s));
    }
    case v1::REPORT_TYPE_COMPLIANCE: {
      ASSIGN_OR_RETURN(PortfolioSnapshot s,
                       KnownOverview(views_, scope, as_of));
      return BuildCompliance(s, ScopeLabel(scope, s));
    }
    case v1::REPORT_TYPE_RESOURCE_UTILISATION: {
      ASSIGN_OR_RETURN(ResourceLoad load,
                       views_.ResourceLoadByWeek(scope, as_of));
      ASSIGN_OR_RETURN(std::string label,
                       LabelFromOverview(views_, scope, as_of));
      return BuildResourceUtilisation(load, label);
    }
    case v1::REPORT_TYPE_RISK: {
      ASSIGN_OR_RETURN(RiskRegister risks, views_.Risks(scope, as_of));
      ASSIGN_OR_RETURN(std::string label,
                       LabelFromOverview(views_, scope, as_of));
      return BuildRiskReport(risks, label);
    }
    case v1::REPORT_TYPE_DEPENDENCIES: {
      ASSIGN_OR_RETURN(DependencyGraph graph,
                       views_.Dependencies(scope, as_of));
      ASSIGN_OR_RETURN(std::string label,
                       LabelFromOverview(views_, scope, as_of));
      return BuildDependencies(graph, label);
    }
    default:
      break;
  }
  return absl::InvalidArgumentError(
      "unknown report type");  // CheckReportSpec refused it
}

absl::StatusOr<v1::RenderedReport> ReportGenerator::Generate(
    const v1::ReportSpec& spec) {
  ASSIGN_OR_RETURN(ReportDocument doc, Build(spec));
  v1::RenderedReport out;
  *out.mutable_spec() = spec;
  out.set_title(doc.title);
  *out.mutable_status_date() = dates::ToDate(doc.status_date);
  switch (spec.format()) {
    case v1::REPORT_FORMAT_JSON:
      out.set_media_type("application/json");
      out.set_content(RenderJson(doc));
      break;
    case v1::REPORT_FORMAT_CSV:
      out.set_media_type("text/csv; charset=utf-8");
      out.set_content(RenderCsv(doc));
      break;
    default:
      out.set_media_type("text/html; charset=utf-8");
      out.set_content(RenderHtml(doc));
  }
  return out;
}

}  // namespace pmo::reporting
