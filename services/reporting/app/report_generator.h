#pragma once

// GetReport's use case: check a ReportSpec, read the views it needs, build
// the report and render it. Shared by the gRPC adapter and the scheduled
// distribution.

#include <string>

#include "absl/status/statusor.h"
#include "libs/base/errors.h"
#include "pmo/reporting/v1/reporting.pb.h"
#include "services/reporting/app/consolidated_views.h"
#include "services/reporting/app/report_document.h"

namespace pmo::reporting {

// Field violations of `spec`, named under `prefix` ("spec.type"). A
// scheduled distribution takes no `as_of` (`as_of_allowed` false): each
// slot's report is as of the slot's day.
void CheckReportSpec(FieldViolations& v, const std::string& prefix,
                     const v1::ReportSpec& spec, bool as_of_allowed = true);

// The scope of a spec as the views take it.
ViewScope ScopeOf(const v1::ReportScope& scope);

class ReportGenerator {
 public:
  // The S-curve has `s_curve_periods` points: the month ends before the
  // status date and the date itself.
  explicit ReportGenerator(ConsolidatedViews& views, int s_curve_periods = 12)
      : views_(views), s_curve_periods_(s_curve_periods) {}

  // INVALID_ARGUMENT naming the bad fields of `spec`; NOT_FOUND naming
  // `spec.scope.id` for a project the projection does not know (as of the
  // report's day); the views' errors as they come (UNAVAILABLE,
  // UNIMPLEMENTED).
  absl::StatusOr<v1::RenderedReport> Generate(const v1::ReportSpec& spec);
  // The report before rendering.
  absl::StatusOr<ReportDocument> Build(const v1::ReportSpec& spec);

 private:
  ConsolidatedViews& views_;
  int s_curve_periods_;
};

}  // namespace pmo::reporting
