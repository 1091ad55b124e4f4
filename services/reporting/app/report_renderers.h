#pragma once

// Any ReportDocument as JSON, CSV or one self-contained HTML page.
//
// JSON: {"type", "title", "scope", "status_date", "sections": [{"key",
//   "title", "rows": [{<column key>: value}], "chart": {...}}]}; money in
//   minor units as integers, absent ratios as null.
// CSV: per section "# <key>", the header row of column keys, the rows; a
//   blank line between sections. Text starting with = + - @ is prefixed with
//   ' so a spreadsheet does not run it as a formula.
// HTML: inline CSS and inline SVG charts (lines, heat map grid, bars); no
//   script, no external asset; every text escaped.

#include <string>

#include "services/reporting/app/report_document.h"

namespace pmo::reporting {

std::string RenderJson(const ReportDocument& report);
std::string RenderCsv(const ReportDocument& report);
std::string RenderHtml(const ReportDocument& report);

// The pieces RenderHtml is made of, for pages that frame reports their own
// way (the reporting dashboard, services/reporting/web):
// a whole page around `body` (the CSP meta tag, the shared style plus
// `extra_style`, then `extra_head`), and one section (its chart, then its
// table).
std::string HtmlPage(const std::string& title, const std::string& body,
                     const std::string& extra_style = "",
                     const std::string& extra_head = "");
std::string RenderHtmlSection(const Section& section);

// For tests and the renderers: text made safe inside HTML (and SVG) text
// and attribute values.
std::string HtmlEscape(const std::string& text);

}  // namespace pmo::reporting
