#pragma once

// The reporting service's web dashboard: server-rendered HTML with inline
// SVG (the report renderers' charts), no script, nothing fetched from
// anywhere (docs/dashboard.md).
//
//   GET /                              portfolio overview, ?sort=<column> or
//   -<column> GET /earned-value                  the S-curve of the enterprise,
//   ?portfolio=<id> GET /projects/<id>/earned-value    one project's S-curve
//   GET /risks                         heat map of open threats, top exposures,
//   trend GET /resources                     resource x week load, each
//   project's share GET /dependencies                  the inter-project
//   dependency graph
//
// Every page takes ?as_of=YYYY-MM-DD (the portfolio as it stood at the end
// of that day) and shows its status date and how fresh the view is.
//
// Access: with a verifier, `Authorization: Bearer <jwt>` as on gRPC (401
// without or with a bad token, 403 for a token with none of the roles
// below). The pages read the views as the person asking (ViewsSeenBy), so
// the projection applies that person's roles exactly as on gRPC:
// pmo_admin, pmo_analyst and service see everything; a project manager
// sees every page over the projects in their token only, with totals and
// roll-ups taken over those projects, and 403 for another project's page.
// Without a verifier (loopback or --insecure) there is no check and the
// pages read as the service.

#include <memory>
#include <optional>
#include <string>

#include "libs/auth/principal.h"
#include "libs/auth/token_verifier.h"
#include "libs/operability/http_server.h"
#include "services/reporting/adapters/projection_views.h"
#include "services/reporting/app/consolidated_views.h"
#include "services/reporting/app/report_generator.h"

namespace pmo::reporting {

class Dashboard {
 public:
  // `verifier` null: no authentication, and every page reads `views` (the
  // service's). With a verifier, every page reads `seen_by` the person
  // asking, which must then be set. `views` must outlive the dashboard.
  Dashboard(ConsolidatedViews& views, ViewsSeenBy seen_by,
            std::shared_ptr<const auth::TokenVerifier> verifier,
            int s_curve_periods = 12);

  // Thread-safe: the HTTP server calls it for several requests at once
  // (each request's state is its own Sight), so `views`, `seen_by` and the
  // verifier must be too.
  operability::HttpResponse Handle(const operability::HttpRequest& request);

  // The Content-Security-Policy every answer carries.
  static const char kContentSecurityPolicy[];

 private:
  struct Query;  // the checked query parameters
  struct Sight;  // the views one request reads, as its reader sees them
  operability::HttpResponse Route(const operability::HttpRequest& request,
                                  const std::optional<auth::Principal>& who,
                                  Sight& sight);
  operability::HttpResponse Overview(const Query& q, Sight& sight);
  operability::HttpResponse EarnedValue(const Query& q,
                                        const std::string& project_id,
                                        Sight& sight);
  operability::HttpResponse Risks(const Query& q, Sight& sight);
  operability::HttpResponse Resources(const Query& q, Sight& sight);
  operability::HttpResponse Dependencies(const Query& q, Sight& sight);
  // The freshness Frame shows, for pages that read no overview themselves.
  absl::Status ReadFreshness(const Query& q, Sight& sight);
  // The page frame: navigation, the as-of form, status date, freshness and
  // whose projects the page is narrowed to.
  std::string Frame(const std::string& title, const Query& q,
                    const Sight& sight, absl::CivilDay status_date,
                    const std::string& body);

  ConsolidatedViews& views_;
  const ViewsSeenBy seen_by_;
  const int s_curve_periods_;
  std::shared_ptr<const auth::TokenVerifier> verifier_;
};

}  // namespace pmo::reporting
