#include "services/reporting/web/dependency_graph_svg.h"

#include <algorithm>
#include <map>
#include <set>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/reporting/app/report_renderers.h"

namespace pmo::reporting {
namespace {

struct Arrow {
  int links = 0;
  int at_risk = 0;
};

constexpr double kBoxW = 120, kBoxH = 34, kColumnGap = 90, kRowGap = 22,
                 kMargin = 20;

}  // namespace

std::string DependencyGraphSvg(const DependencyGraph& graph) {
  // Pairs of projects, in code order (std::map) so the drawing is stable.
  std::map<std::pair<std::string, std::string>, Arrow> arrows;
  std::set<std::string> projects;
  for (const DependencyLine& l : graph.dependencies) {
    Arrow& a = arrows[{l.from_project_code, l.to_project_code}];
    ++a.links;
    if (l.at_risk) ++a.at_risk;
    projects.insert(l.from_project_code);
    projects.insert(l.to_project_code);
  }
  if (projects.empty()) {
    return "<p>No inter-project dependencies.</p>\n";
  }
  // Column = longest chain before the project. Relaxing at most |projects|
  // times bounds the work when projects depend on each other in a cycle.
  std::map<std::string, int> column;
  for (const std::string& p : projects) column[p] = 0;
  for (size_t round = 0; round < projects.size(); ++round) {
    bool changed = false;
    for (const auto& [pair, arrow] : arrows) {
      if (pair.first == pair.second) continue;
      if (column[pair.second] < column[pair.first] + 1 &&
          column[pair.first] + 1 < static_cast<int>(projects.size())) {
        column[pair.second] = column[pair.first] + 1;
        changed = true;
      }
    }
    if (!changed) break;
  }
  std::map<int, std::vector<std::string>> by_column;
  for (const auto& [p, c] : column) by_column[c].push_back(p);
  std::map<std::string, std::pair<double, double>> at;  // top-left of each box
  size_t tallest = 0;
  for (const auto& [c, members] : by_column) {
    tallest = std::max(tallest, members.size());
    for (size_t i = 0; i < members.size(); ++i) {
      at[members[i]] = {kMargin + c * (kBoxW + kColumnGap),
                        kMargin + i * (kBoxH + kRowGap)};
    }
  }
  const double w =
      kMargin * 2 + by_column.rbegin()->first * (kBoxW + kColumnGap) + kBoxW;
  const double h = kMargin * 2 + tallest * (kBoxH + kRowGap);
  std::string svg = absl::StrFormat(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart graph\" "
      "width=\"%.0f\" "
      "height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" role=\"img\"><defs>"
      "<marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" "
      "markerWidth=\"8\" "
      "markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 "
      "L0,10 z\" "
      "fill=\"#555\"/></marker>"
      "<marker id=\"arrow-risk\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" "
      "markerWidth=\"8\" "
      "markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 "
      "L0,10 z\" "
      "fill=\"#d62728\"/></marker></defs>",
      w, h, w, h);
  for (const auto& [pair, arrow] : arrows) {
    const auto [fx, fy] = at[pair.first];
    const auto [tx, ty] = at[pair.second];
    const bool risk = arrow.at_risk > 0;
    // From the right edge of the predecessor to the left edge of the
    // successor; a backwards arrow (a cycle) goes edge to edge the other way.
    const bool forward = tx > fx;
    const double x1 = forward ? fx + kBoxW : fx, y1 = fy + kBoxH / 2;
    const double x2 = forward ? tx : tx + kBoxW, y2 = ty + kBoxH / 2;
    // An arrow that skips a column runs in the gap below its predecessor's
    // row, so it does not pass behind the boxes in between.
    std::string points = absl::StrFormat("%.1f,%.1f", x1, y1);
    if (forward && tx - fx > kBoxW + kColumnGap + 1) {
      const double lane = fy + kBoxH + kRowGap / 2;
      absl::StrAppend(
          &points, absl::StrFormat(" %.1f,%.1f %.1f,%.1f", x1 + kColumnGap / 3,
                                   lane, x2 - kColumnGap / 3, lane));
    }
    absl::StrAppend(&points, absl::StrFormat(" %.1f,%.1f", x2, y2));
    absl::StrAppend(
        &svg,
        absl::StrFormat(
            "<g class=\"dependency%s\"><polyline points=\"%s\" fill=\"none\" "
            "stroke=\"%s\" stroke-width=\"%d\"%s marker-end=\"url(#%s)\"/>"
            "<title>%s -&gt; %s: %d task link(s), %d at risk</title></g>",
            risk ? " at-risk" : "", points, risk ? "#d62728" : "#555",
            std::min(1 + arrow.links, 5),
            risk ? " stroke-dasharray=\"6 4\"" : "",
            risk ? "arrow-risk" : "arrow", HtmlEscape(pair.first),
            HtmlEscape(pair.second), arrow.links, arrow.at_risk));
  }
  for (const auto& [p, xy] : at) {
    int in = 0, out = 0;
    for (const auto& [pair, arrow] : arrows) {
      if (pair.second == p) in += arrow.links;
      if (pair.first == p) out += arrow.links;
    }
    absl::StrAppend(
        &svg,
        absl::StrFormat(
            "<g class=\"project\"><rect x=\"%.1f\" y=\"%.1f\" width=\"%.0f\" "
            "height=\"%.0f\" "
            "rx=\"6\" fill=\"#e3f2fd\" stroke=\"#1f77b4\"/><text x=\"%.1f\" "
            "y=\"%.1f\" "
            "class=\"cell\" text-anchor=\"middle\">%s</text><title>%s: depends "
            "on %d "
            "task link(s), %d depend on it</title></g>",
            xy.first, xy.second, kBoxW, kBoxH, xy.first + kBoxW / 2,
            xy.second + kBoxH / 2 + 5, HtmlEscape(p), HtmlEscape(p), in, out));
  }
  return svg + "</svg>\n";
}

}  // namespace pmo::reporting
