#pragma once

// The reporting service's web dashboard: server-rendered HTML with inline
// SVG (the report renderers' charts), no script, nothing fetched from
// anywhere (docs/dashboard.md).
//
//   GET /                              portfolio overview, ?sort=<column> or -<column>
//   GET /earned-value                  the S-curve of the enterprise, ?portfolio=<id>
//   GET /projects/<id>/earned-value    one project's S-curve
//   GET /risks                         heat map of open threats, top exposures, trend
//   GET /resources                     resource x week load, each project's share
//   GET /dependencies                  the inter-project dependency graph
//
// Every page takes ?as_of=YYYY-MM-DD (the portfolio as it stood at the end
// of that day) and shows its status date and how fresh the view is.
//
// Access: with a verifier, `Authorization: Bearer <jwt>` as on gRPC (401
// without or with a bad token); pmo_admin, pmo_analyst and service see
// every page; a project manager sees the overview of their own projects
// and their projects' earned value, and gets 403 for cross-project pages.
// Without a verifier (loopback or --insecure) there is no check.

#include <memory>
#include <optional>
#include <string>

#include "libs/auth/principal.h"
#include "libs/auth/token_verifier.h"
#include "libs/operability/http_server.h"
#include "services/reporting/app/consolidated_views.h"
#include "services/reporting/app/report_generator.h"

namespace pmo::reporting {

class Dashboard {
 public:
  // `verifier` null: no authentication. `views` must outlive the dashboard.
  Dashboard(ConsolidatedViews& views, std::shared_ptr<const auth::TokenVerifier> verifier,
            int s_curve_periods = 12);

  // Thread-compatible; the HTTP server calls it one request at a time.
  operability::HttpResponse Handle(const operability::HttpRequest& request);

  // The Content-Security-Policy every answer carries.
  static const char kContentSecurityPolicy[];

 private:
  struct Query;  // the checked query parameters
  operability::HttpResponse Route(const operability::HttpRequest& request,
                                  const std::optional<auth::Principal>& principal);
  operability::HttpResponse Overview(const Query& q, const std::optional<auth::Principal>& who);
  operability::HttpResponse EarnedValue(const Query& q, const std::string& project_id);
  operability::HttpResponse Risks(const Query& q);
  operability::HttpResponse Resources(const Query& q);
  operability::HttpResponse Dependencies(const Query& q);
  // The freshness Frame shows, for pages that read no overview themselves.
  absl::Status ReadFreshness(const Query& q);
  // The page frame: navigation, the as-of form, status date and freshness.
  std::string Frame(const std::string& title, const Query& q, absl::CivilDay status_date,
                    const std::string& body);

  ConsolidatedViews& views_;
  ReportGenerator reports_;
  std::shared_ptr<const auth::TokenVerifier> verifier_;
  // Freshness of the last overview read, shown by Frame.
  std::optional<absl::Time> last_event_recorded_;
  absl::Duration apply_lag_;
};

}  // namespace pmo::reporting
