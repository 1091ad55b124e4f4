#include "services/reporting/app/report_renderers.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "libs/base/json_text.h"

namespace pmo::reporting {
namespace {

// Numbers as text: ratios to 4 decimals, percentages and quantities to 1;
// JSON has no NaN or infinity, so a non-finite value is null.
std::string NumberText(const Cell& c) {
  switch (c.kind) {
    case Cell::Kind::kInteger:
    case Cell::Kind::kMoney:
      return absl::StrCat(c.integer);
    case Cell::Kind::kRatio:
      return std::isfinite(c.number) ? absl::StrFormat("%.4f", c.number) : "";
    case Cell::Kind::kPercent:
    case Cell::Kind::kNumber:
      return std::isfinite(c.number) ? absl::StrFormat("%.1f", c.number) : "";
    default:
      return "";
  }
}

std::string JsonValue(const Cell& c) {
  if (c.kind == Cell::Kind::kEmpty) return "null";
  if (c.kind == Cell::Kind::kText) return JsonQuoted(c.text);
  const std::string n = NumberText(c);
  return n.empty() ? "null" : n;
}

std::string JsonNumber(double v) {
  return std::isfinite(v) ? absl::StrFormat("%.4f", v) : "null";
}

std::string JsonStrings(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += ",";
    out += JsonQuoted(items[i]);
  }
  return out + "]";
}

std::string JsonChart(const Section& s) {
  if (s.line_chart) {
    std::string out = absl::StrCat(
        "{\"kind\":\"line\",\"x\":", JsonStrings(s.line_chart->x_labels),
        ",\"series\":[");
    for (size_t i = 0; i < s.line_chart->series.size(); ++i) {
      const auto& series = s.line_chart->series[i];
      if (i) out += ",";
      absl::StrAppend(&out, "{\"name\":", JsonQuoted(series.name),
                      ",\"values\":[");
      for (size_t j = 0; j < series.values.size(); ++j) {
        absl::StrAppend(&out, j ? "," : "", JsonNumber(series.values[j]));
      }
      out += "]}";
    }
    return out + "]}";
  }
  if (s.heat_map) {
    std::string out =
        absl::StrCat("{\"kind\":\"heat_map\",\"row_axis\":",
                     JsonQuoted(s.heat_map->row_axis),
                     ",\"column_axis\":", JsonQuoted(s.heat_map->column_axis),
                     ",\"rows\":", JsonStrings(s.heat_map->row_labels),
                     ",\"columns\":", JsonStrings(s.heat_map->column_labels),
                     ",\"counts\":[");
    for (size_t r = 0; r < s.heat_map->counts.size(); ++r) {
      absl::StrAppend(&out, r ? "," : "", "[",
                      absl::StrJoin(s.heat_map->counts[r], ","), "]");
    }
    return out + "]}";
  }
  if (s.bar_chart) {
    std::string out = absl::StrCat(
        "{\"kind\":\"bars\",\"unit\":", JsonQuoted(s.bar_chart->unit),
        ",\"labels\":", JsonStrings(s.bar_chart->labels), ",\"values\":[");
    for (size_t i = 0; i < s.bar_chart->values.size(); ++i) {
      absl::StrAppend(&out, i ? "," : "", JsonNumber(s.bar_chart->values[i]));
    }
    out += "]";
    if (s.bar_chart->limit)
      absl::StrAppend(&out, ",\"limit\":", JsonNumber(*s.bar_chart->limit));
    return out + "}";
  }
  return "null";
}

std::string CsvField(const std::string& text, bool is_text) {
  std::string t = text;
  if (is_text && !t.empty() &&
      (t[0] == '=' || t[0] == '+' || t[0] == '-' || t[0] == '@')) {
    t = "'" + t;
  }
  if (t.find_first_of(",\"\r\n") == std::string::npos) return t;
  std::string out = "\"";
  for (char ch : t) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + "\"";
}

// ---- HTML -----------------------------------------------------------------

constexpr const char* kSeriesColours[] = {"#1f77b4", "#2ca02c", "#d62728",
                                          "#9467bd", "#8c564b"};

std::string HtmlCell(const Cell& c) {
  switch (c.kind) {
    case Cell::Kind::kEmpty:
      return "-";
    case Cell::Kind::kText:
      return HtmlEscape(c.text);
    case Cell::Kind::kPercent:
      return NumberText(c) + " %";
    default:
      return NumberText(c);
  }
}

std::string LineChartSvg(const LineChart& chart) {
  constexpr double kW = 720, kH = 300, kLeft = 90, kRight = 20, kTop = 20,
                   kBottom = 60;
  double max = 0;
  for (const auto& s : chart.series) {
    for (double v : s.values) {
      if (std::isfinite(v)) max = std::max(max, v);
    }
  }
  if (max <= 0) max = 1;
  const size_t n = chart.x_labels.size();
  auto x = [&](size_t i) {
    return n <= 1 ? kLeft + (kW - kLeft - kRight) / 2
                  : kLeft + (kW - kLeft - kRight) * static_cast<double>(i) /
                                (n - 1);
  };
  auto y = [&](double v) {
    return kTop + (kH - kTop - kBottom) * (1 - v / max);
  };
  std::string svg = absl::StrFormat(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" "
      "width=\"%.0f\" height=\"%.0f\" "
      "viewBox=\"0 0 %.0f %.0f\" role=\"img\">",
      kW, kH, kW, kH);
  // Axes and four grid lines with their values.
  absl::StrAppend(
      &svg, absl::StrFormat("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
                            "y2=\"%.1f\" stroke=\"#333\"/>",
                            kLeft, kH - kBottom, kW - kRight, kH - kBottom));
  for (int g = 0; g <= 4; ++g) {
    const double v = max * g / 4;
    absl::StrAppend(
        &svg, absl::StrFormat(
                  "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                  "stroke=\"#ddd\"/><text x=\"%.1f\" y=\"%.1f\" class=\"axis\" "
                  "text-anchor=\"end\">%.0f</text>",
                  kLeft, y(v), kW - kRight, y(v), kLeft - 6, y(v) + 4, v));
  }
  for (size_t i = 0; i < n; ++i) {
    absl::StrAppend(
        &svg, absl::StrFormat("<text x=\"%.1f\" y=\"%.1f\" class=\"axis\" "
                              "text-anchor=\"end\" transform=\"rotate(-35 %.1f "
                              "%.1f)\">%s</text>",
                              x(i), kH - kBottom + 16, x(i), kH - kBottom + 16,
                              HtmlEscape(chart.x_labels[i])));
  }
  for (size_t s = 0; s < chart.series.size(); ++s) {
    const char* colour = kSeriesColours[s % std::size(kSeriesColours)];
    std::string points;
    for (size_t i = 0; i < chart.series[s].values.size() && i < n; ++i) {
      const double v = chart.series[s].values[i];
      if (!std::isfinite(v)) continue;
      absl::StrAppend(&points, points.empty() ? "" : " ",
                      absl::StrFormat("%.1f,%.1f", x(i), y(v)));
    }
    absl::StrAppend(
        &svg, absl::StrFormat(
                  "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" "
                  "points=\"%s\"><title>%s</title></polyline>",
                  colour, points, HtmlEscape(chart.series[s].name)));
    absl::StrAppend(
        &svg, absl::StrFormat(
                  "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"12\" "
                  "fill=\"%s\"/><text x=\"%.1f\" y=\"%.1f\" "
                  "class=\"legend\">%s</text>",
                  kLeft + 10 + 110 * s, 4.0, colour, kLeft + 26 + 110 * s, 14.0,
                  HtmlEscape(chart.series[s].name)));
  }
  return svg + "</svg>";
}

// Green at the low-probability, low-impact corner to red at the other.
std::string HeatColour(size_t row, size_t col, size_t rows, size_t cols) {
  const double impact =
      rows <= 1 ? 1 : 1 - static_cast<double>(row) / (rows - 1);
  const double probability =
      cols <= 1 ? 1 : static_cast<double>(col) / (cols - 1);
  const double score = (impact + probability) / 2;  // 0..1
  const int red =
      static_cast<int>(std::lround(score < 0.5 ? 255 * score * 2 : 255));
  const int green =
      static_cast<int>(std::lround(score < 0.5 ? 200 : 200 * (1 - score) * 2));
  return absl::StrFormat("#%02x%02x50", red, green);
}

// A load in percent of capacity: green, amber from 80, red above 100;
// grey when there is no capacity (negative).
std::string LoadColour(int64_t percent) {
  if (percent < 0) return "#e0e0e0";
  if (percent > 100) return "#ef5350";
  if (percent >= 80) return "#ffb74d";
  return "#81c784";
}

std::string HeatMapSvg(const HeatMap& map) {
  // Row labels may be names (the resource heat map), not just numbers.
  const double kCell = 56, kTop = 10;
  size_t longest = 0;
  for (const std::string& l : map.row_labels)
    longest = std::max(longest, l.size());
  const double kLeft = std::max(80.0, 7.0 * static_cast<double>(longest) + 30);
  const size_t rows = map.row_labels.size(), cols = map.column_labels.size();
  const double w = kLeft + kCell * cols + 10, h = kTop + kCell * rows + 50;
  std::string svg = absl::StrFormat(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" "
      "width=\"%.0f\" height=\"%.0f\" "
      "viewBox=\"0 0 %.0f %.0f\" role=\"img\">",
      w, h, w, h);
  for (size_t r = 0; r < rows; ++r) {
    absl::StrAppend(
        &svg, absl::StrFormat("<text x=\"%.1f\" y=\"%.1f\" class=\"axis\" "
                              "text-anchor=\"end\">%s</text>",
                              kLeft - 8, kTop + kCell * r + kCell / 2 + 4,
                              HtmlEscape(map.row_labels[r])));
    for (size_t c = 0; c < cols; ++c) {
      const int64_t count = r < map.counts.size() && c < map.counts[r].size()
                                ? map.counts[r][c]
                                : 0;
      const bool load = map.colouring == HeatMap::Colouring::kLoad;
      const std::string title =
          r < map.titles.size() && c < map.titles[r].size()
              ? absl::StrCat("<title>", HtmlEscape(map.titles[r][c]),
                             "</title>")
              : "";
      absl::StrAppend(
          &svg,
          absl::StrFormat(
              "<g><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
              "fill=\"%s\" stroke=\"#fff\"/><text x=\"%.1f\" y=\"%.1f\" "
              "class=\"cell\" text-anchor=\"middle\">%s</text>%s</g>",
              kLeft + kCell * c, kTop + kCell * r, kCell, kCell,
              load ? LoadColour(count) : HeatColour(r, c, rows, cols),
              kLeft + kCell * c + kCell / 2, kTop + kCell * r + kCell / 2 + 5,
              load && count < 0 ? "-"
                                : absl::StrCat(count, HtmlEscape(map.unit)),
              title));
    }
  }
  for (size_t c = 0; c < cols; ++c) {
    absl::StrAppend(
        &svg,
        absl::StrFormat("<text x=\"%.1f\" y=\"%.1f\" class=\"axis\" "
                        "text-anchor=\"middle\">%s</text>",
                        kLeft + kCell * c + kCell / 2, kTop + kCell * rows + 16,
                        HtmlEscape(map.column_labels[c])));
  }
  absl::StrAppend(
      &svg, absl::StrFormat("<text x=\"%.1f\" y=\"%.1f\" class=\"legend\" "
                            "text-anchor=\"middle\">%s &#8594;</text>",
                            kLeft + kCell * cols / 2, kTop + kCell * rows + 36,
                            HtmlEscape(map.column_axis)));
  absl::StrAppend(
      &svg, absl::StrFormat("<text x=\"12\" y=\"%.1f\" class=\"legend\" "
                            "transform=\"rotate(-90 12 %.1f)\" "
                            "text-anchor=\"middle\">%s &#8594;</text>",
                            kTop + kCell * rows / 2, kTop + kCell * rows / 2,
                            HtmlEscape(map.row_axis)));
  return svg + "</svg>";
}

// A bar's label: counts (whole values of a unit that is not a percentage)
// without a decimal, "14 projects" rather than "14.0 projects".
std::string BarValue(double v, const std::string& unit) {
  return unit != "%" && v == std::floor(v) ? absl::StrFormat("%.0f", v)
                                           : absl::StrFormat("%.1f", v);
}

std::string BarChartSvg(const BarChart& chart) {
  constexpr double kLeft = 200, kWidth = 420, kBar = 22, kGap = 6, kTop = 10;
  double max = chart.limit.value_or(0);
  for (double v : chart.values) {
    if (std::isfinite(v)) max = std::max(max, v);
  }
  if (max <= 0) max = 1;
  const double h = kTop + (kBar + kGap) * chart.labels.size() + 10;
  const double w = kLeft + kWidth + 90;
  std::string svg = absl::StrFormat(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" "
      "width=\"%.0f\" height=\"%.0f\" "
      "viewBox=\"0 0 %.0f %.0f\" role=\"img\">",
      w, h, w, h);
  for (size_t i = 0; i < chart.labels.size(); ++i) {
    const double v = i < chart.values.size() && std::isfinite(chart.values[i])
                         ? chart.values[i]
                         : 0;
    const double y = kTop + (kBar + kGap) * i;
    const bool over = chart.limit && v > *chart.limit;
    absl::StrAppend(
        &svg,
        absl::StrFormat(
            "<text x=\"%.1f\" y=\"%.1f\" class=\"axis\" text-anchor=\"end\">%s"
            "</text><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
            "fill=\"%s\"/><text x=\"%.1f\" y=\"%.1f\" class=\"axis\">%s %s"
            "</text>",
            kLeft - 8, y + kBar / 2 + 4, HtmlEscape(chart.labels[i]), kLeft, y,
            kWidth * v / max, kBar, over ? "#d62728" : "#1f77b4",
            kLeft + kWidth * v / max + 6, y + kBar / 2 + 4,
            BarValue(v, chart.unit), HtmlEscape(chart.unit)));
  }
  if (chart.limit) {
    const double x = kLeft + kWidth * *chart.limit / max;
    absl::StrAppend(
        &svg,
        absl::StrFormat("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                        "stroke=\"#333\" stroke-dasharray=\"4 3\"/>",
                        x, kTop - 4, x, h - 6));
  }
  return svg + "</svg>";
}

}  // namespace

std::string HtmlEscape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    switch (ch) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += ch;
    }
  }
  return out;
}

std::string RenderJson(const ReportDocument& report) {
  std::string out = absl::StrCat(
      "{\"type\":", JsonQuoted(report.type),
      ",\"title\":", JsonQuoted(report.title),
      ",\"scope\":", JsonQuoted(report.scope), ",\"status_date\":",
      JsonQuoted(absl::FormatCivilTime(report.status_date)), ",\"sections\":[");
  for (size_t s = 0; s < report.sections.size(); ++s) {
    const Section& section = report.sections[s];
    absl::StrAppend(&out, s ? "," : "", "{\"key\":", JsonQuoted(section.key),
                    ",\"title\":", JsonQuoted(section.title), ",\"rows\":[");
    for (size_t r = 0; r < section.table.rows.size(); ++r) {
      out += r ? ",{" : "{";
      const auto& row = section.table.rows[r];
      for (size_t c = 0; c < section.table.columns.size() && c < row.size();
           ++c) {
        absl::StrAppend(&out, c ? "," : "",
                        JsonQuoted(section.table.columns[c].key), ":",
                        JsonValue(row[c]));
      }
      out += "}";
    }
    absl::StrAppend(&out, "],\"chart\":", JsonChart(section), "}");
  }
  return out + "]}\n";
}

std::string RenderCsv(const ReportDocument& report) {
  std::string out;
  for (size_t s = 0; s < report.sections.size(); ++s) {
    const Section& section = report.sections[s];
    if (s) out += "\r\n";
    absl::StrAppend(&out, "# ", section.key, "\r\n");
    for (size_t c = 0; c < section.table.columns.size(); ++c) {
      absl::StrAppend(&out, c ? "," : "",
                      CsvField(section.table.columns[c].key, true));
    }
    out += "\r\n";
    for (const auto& row : section.table.rows) {
      for (size_t c = 0; c < row.size(); ++c) {
        const Cell& cell = row[c];
        absl::StrAppend(&out, c ? "," : "",
                        cell.kind == Cell::Kind::kText
                            ? CsvField(cell.text, true)
                            : NumberText(cell));
      }
      out += "\r\n";
    }
  }
  return out;
}

std::string HtmlPage(const std::string& title, const std::string& body,
                     const std::string& extra_style,
                     const std::string& extra_head) {
  return absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      // No script and no fetch of anything: the page must open offline and
      // mailed, and a report must not run code.
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
      "'none'; "
      "style-src 'unsafe-inline'; img-src data:\">"
      "<title>",
      HtmlEscape(title),
      "</title><style>body{font-family:sans-serif;margin:24px;color:#222}"
      "table{border-collapse:collapse;margin:8px 0 16px}th,td{border:1px solid "
      "#ccc;"
      "padding:3px "
      "8px;font-size:13px}th{background:#f0f0f0}td.n{text-align:right}"
      ".chart text{font-family:sans-serif}.axis{font-size:11px;fill:#444}"
      ".legend{font-size:12px;fill:#222}.cell{font-size:14px;fill:#111;font-"
      "weight:bold}"
      // Health in colour and in words, so it reads without colour too.
      "td.health-GREEN{background:#c8e6c9}td.health-AMBER{background:#ffe0b2}"
      "td.health-RED{background:#ffcdd2}",
      extra_style, "</style>", extra_head, "</head><body>\n", body,
      "</body></html>\n");
}

std::string RenderHtmlSection(const Section& section) {
  std::string out =
      absl::StrCat("<section id=\"", HtmlEscape(section.key), "\"><h2>",
                   HtmlEscape(section.title), "</h2>\n");
  if (section.line_chart) out += LineChartSvg(*section.line_chart);
  if (section.heat_map) out += HeatMapSvg(*section.heat_map);
  if (section.bar_chart) out += BarChartSvg(*section.bar_chart);
  out += "\n<table><thead><tr>";
  for (const Column& c : section.table.columns) {
    if (c.href.empty()) {
      absl::StrAppend(&out, "<th>", HtmlEscape(c.label), "</th>");
    } else {
      absl::StrAppend(&out, "<th><a href=\"", HtmlEscape(c.href), "\">",
                      HtmlEscape(c.label), "</a></th>");
    }
  }
  out += "</tr></thead><tbody>\n";
  for (const auto& row : section.table.rows) {
    out += "<tr>";
    for (size_t i = 0; i < row.size(); ++i) {
      const Cell& cell = row[i];
      const bool numeric =
          cell.kind != Cell::Kind::kText && cell.kind != Cell::Kind::kEmpty;
      const bool health =
          cell.kind == Cell::Kind::kText && i < section.table.columns.size() &&
          absl::EndsWith(section.table.columns[i].key, "health") &&
          (cell.text == "GREEN" || cell.text == "AMBER" || cell.text == "RED");
      absl::StrAppend(
          &out,
          numeric  ? "<td class=\"n\">"
          : health ? absl::StrCat("<td class=\"health-", cell.text, "\">")
                   : "<td>",
          HtmlCell(cell), "</td>");
    }
    out += "</tr>\n";
  }
  return out + "</tbody></table></section>\n";
}

std::string RenderHtml(const ReportDocument& report) {
  std::string body = absl::StrCat(
      "<h1>", HtmlEscape(report.title),
      "</h1>\n<p>Scope: ", HtmlEscape(report.scope),
      ". Status date: ", absl::FormatCivilTime(report.status_date), ".</p>\n");
  for (const Section& section : report.sections)
    body += RenderHtmlSection(section);
  return HtmlPage(report.title, body);
}

}  // namespace pmo::reporting
