#include "services/projection/api/overview_query.h"

#include <algorithm>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "libs/base/errors.h"
#include "libs/base/page_token.h"
#include "libs/base/status_macros.h"
#include "libs/dates/calendar_dates.h"

namespace pmo::projection {
namespace {

namespace pv1 = ::pmo::projects::v1;

pv1::Health ToProto(earnedvalue::Health h) {
  switch (h) {
    case earnedvalue::Health::kGreen:
      return pv1::HEALTH_GREEN;
    case earnedvalue::Health::kAmber:
      return pv1::HEALTH_AMBER;
    case earnedvalue::Health::kRed:
      return pv1::HEALTH_RED;
  }
  return pv1::HEALTH_UNSPECIFIED;
}

::pmo::configuration::v1::ComplianceStatus ToProto(Compliance c) {
  namespace cv1 = ::pmo::configuration::v1;
  switch (c) {
    case Compliance::kNotAudited:
      return cv1::COMPLIANCE_STATUS_NOT_AUDITED;
    case Compliance::kCompliant:
      return cv1::COMPLIANCE_STATUS_COMPLIANT;
    case Compliance::kCompliantWithFindings:
      return cv1::COMPLIANCE_STATUS_COMPLIANT_WITH_FINDINGS;
    case Compliance::kNonCompliant:
      return cv1::COMPLIANCE_STATUS_NON_COMPLIANT;
  }
  return cv1::COMPLIANCE_STATUS_UNSPECIFIED;
}

v1::EarnedValueFigures ToProto(const earnedvalue::EarnedValue& ev) {
  v1::EarnedValueFigures out;
  out.set_budget_at_completion_minor(ev.bac);
  out.set_planned_value_minor(ev.pv);
  out.set_earned_value_minor(ev.ev);
  out.set_actual_cost_minor(ev.ac);
  if (ev.spi) out.set_schedule_performance_index(*ev.spi);
  if (ev.cpi) out.set_cost_performance_index(*ev.cpi);
  return out;
}

v1::ProjectOverview ToProto(const ProjectOverview& o) {
  v1::ProjectOverview out;
  out.set_project_id(o.project_id);
  out.set_code(o.code);
  out.set_name(o.name);
  out.set_manager(o.manager);
  out.set_status(o.status);
  out.set_phase(o.phase);
  out.set_programme_id(o.programme_id);
  out.set_programme_code(o.programme_code);
  out.set_portfolio_id(o.portfolio_id);
  out.set_portfolio_code(o.portfolio_code);
  *out.mutable_earned_value() = ToProto(o.earned_value);
  out.set_health(ToProto(o.health));
  if (o.reported_health) out.set_reported_health(*o.reported_health);
  out.set_next_milestone(o.next_milestone);
  if (o.next_milestone_date)
    *out.mutable_next_milestone_date() = dates::ToDate(*o.next_milestone_date);
  out.set_open_risks(o.open_risks);
  out.set_overdue_risks(o.overdue_risks);
  out.set_risk_exposure_minor(o.risk_exposure_minor);
  out.set_opportunity_value_minor(o.opportunity_value_minor);
  out.set_open_issues(o.open_issues);
  out.set_bookings(o.bookings);
  out.set_resources_booked(o.resources_booked);
  out.set_over_allocated_resources(o.over_allocated_resources);
  out.set_open_capacity_requests(o.open_capacity_requests);
  out.set_open_change_requests(o.open_change_requests);
  out.set_open_findings(o.open_findings);
  out.set_compliance(ToProto(o.compliance));
  return out;
}

v1::OverviewRollUp ToProto(const RollUp& r) {
  v1::OverviewRollUp out;
  out.set_id(r.id);
  out.set_code(r.code);
  out.set_projects(r.projects);
  *out.mutable_earned_value() = ToProto(r.earned_value);
  out.set_health(ToProto(r.health));
  out.set_open_risks(r.open_risks);
  out.set_overdue_risks(r.overdue_risks);
  out.set_risk_exposure_minor(r.risk_exposure_minor);
  out.set_opportunity_value_minor(r.opportunity_value_minor);
  out.set_open_issues(r.open_issues);
  return out;
}

// Sorts by an optional ratio, lowest first, absent ones last; ties by code.
bool LowerRatioFirst(const std::optional<double>& a,
                     const std::optional<double>& b) {
  if (a.has_value() != b.has_value()) return a.has_value();
  return a && *a < *b;
}

}  // namespace

absl::Status AnswerOverview(const Overview& overview,
                            absl::CivilDay status_date,
                            const v1::GetPortfolioOverviewRequest& request,
                            v1::GetPortfolioOverviewResponse* response) {
  FieldViolations v;
  const PageRequest page =
      ReadPageRequest(v, request.page_size(), request.page_token(), "overview");
  if (!pv1::ProjectStatus_IsValid(request.status()))
    v.Add("status", "is not a project status");
  if (!pv1::Health_IsValid(request.health()))
    v.Add("health", "is not a health");
  if (!v1::OverviewSort_IsValid(request.sort()))
    v.Add("sort", "is not a sort order");
  RETURN_IF_ERROR(v.ToStatus());

  std::vector<const ProjectOverview*> matching;
  for (const ProjectOverview& o : overview.projects) {
    if (!request.portfolio_id().empty() &&
        o.portfolio_id != request.portfolio_id())
      continue;
    if (!request.programme_id().empty() &&
        o.programme_id != request.programme_id())
      continue;
    if (request.status() != pv1::PROJECT_STATUS_UNSPECIFIED &&
        o.status != request.status())
      continue;
    if (request.health() != pv1::HEALTH_UNSPECIFIED &&
        ToProto(o.health) != request.health())
      continue;
    matching.push_back(&o);
  }
  // The overview comes ordered by code, so a stable sort keeps code as the
  // tie-breaker.
  auto by = [&](auto less) {
    std::stable_sort(matching.begin(), matching.end(), less);
  };
  switch (request.sort()) {
    case v1::OVERVIEW_SORT_RISK_EXPOSURE:
      by([](auto* a, auto* b) {
        return a->risk_exposure_minor > b->risk_exposure_minor;
      });
      break;
    case v1::OVERVIEW_SORT_CPI:
      by([](auto* a, auto* b) {
        return LowerRatioFirst(a->earned_value.cpi, b->earned_value.cpi);
      });
      break;
    case v1::OVERVIEW_SORT_SPI:
      by([](auto* a, auto* b) {
        return LowerRatioFirst(a->earned_value.spi, b->earned_value.spi);
      });
      break;
    case v1::OVERVIEW_SORT_ACTUAL_COST:
      by([](auto* a, auto* b) {
        return a->earned_value.ac > b->earned_value.ac;
      });
      break;
    case v1::OVERVIEW_SORT_HEALTH:
      by([](auto* a, auto* b) {
        return ToProto(a->health) > ToProto(b->health);
      });
      break;
    default:
      break;
  }
  *response->mutable_status_date() = dates::ToDate(status_date);
  response->set_total_projects(static_cast<int32_t>(matching.size()));
  const PageRange range = PageOf(page, matching.size(), "overview");
  for (size_t i = range.begin; i < range.end; ++i)
    *response->add_projects() = ToProto(*matching[i]);
  response->set_next_page_token(range.next_page_token);
  for (const RollUp& r : overview.programmes) {
    bool in_portfolio = request.portfolio_id().empty();
    for (const ProjectOverview& o : overview.projects) {
      in_portfolio |=
          o.programme_id == r.id && o.portfolio_id == request.portfolio_id();
    }
    if (in_portfolio &&
        (request.programme_id().empty() || r.id == request.programme_id())) {
      *response->add_programmes() = ToProto(r);
    }
  }
  for (const RollUp& r : overview.portfolios) {
    if (request.portfolio_id().empty() || r.id == request.portfolio_id()) {
      *response->add_portfolios() = ToProto(r);
    }
  }
  return absl::OkStatus();
}

void NarrowOverview(const auth::ProjectScope& scope, Overview& overview) {
  if (scope.IsEverything()) return;
  std::erase_if(overview.projects, [&](const ProjectOverview& o) {
    return !scope.Includes(o.project_id);
  });
  RollUpProjects(overview);
}

}  // namespace pmo::projection
