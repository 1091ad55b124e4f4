#pragma once

// A built report, before it is rendered: titled sections, each a table and
// optionally one chart. The builders (report_builders.h) make these from
// the consolidated views; the renderers (report_renderers.h) turn any of
// them into JSON, CSV or HTML, so a new report type needs no new renderer.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"

namespace pmo::reporting {

// One value of a table. Money is minor units (an integer, exact); a ratio
// may be absent (a zero denominator), which renders as null / empty / "-".
struct Cell {
  enum class Kind {
    kEmpty,
    kText,
    kInteger,
    kMoney,
    kRatio,
    kPercent,
    kNumber
  };
  Kind kind = Kind::kEmpty;
  std::string text;
  int64_t integer = 0;
  double number = 0;

  static Cell Text(std::string s) { return {Kind::kText, std::move(s), 0, 0}; }
  static Cell Integer(int64_t v) { return {Kind::kInteger, "", v, 0}; }
  static Cell Money(int64_t minor) { return {Kind::kMoney, "", minor, 0}; }
  static Cell Ratio(std::optional<double> r) {
    return r ? Cell{Kind::kRatio, "", 0, *r} : Cell{};
  }
  static Cell Percent(double p) { return {Kind::kPercent, "", 0, p}; }
  // A quantity such as hours.
  static Cell Number(double v) { return {Kind::kNumber, "", 0, v}; }
  static Cell Day(std::optional<absl::CivilDay> d);
};

struct Column {
  std::string key;    // JSON member and CSV header: snake_case
  std::string label;  // HTML header
  // HTML only: the header is a link to this (the dashboard's sort links).
  std::string href = {};
};

struct Table {
  std::vector<Column> columns;
  std::vector<std::vector<Cell>> rows;  // each as many cells as columns
};

// Lines over shared x labels (the S-curve, an exposure trend).
struct LineChart {
  struct Series {
    std::string name;
    std::vector<double> values;  // one per x label
  };
  std::vector<std::string> x_labels;
  std::vector<Series> series;
};

// A grid of counts: rows top to bottom, columns left to right (the risk
// heat map: impact high to low, probability low to high).
struct HeatMap {
  std::string row_axis;
  std::string column_axis;
  std::vector<std::string> row_labels;
  std::vector<std::string> column_labels;
  std::vector<std::vector<int64_t>> counts;
  // How a cell is coloured. kCorner: by its place, green at the bottom-left
  // (low impact, low probability) to red at the top-right (the risk
  // matrix). kLoad: by its value as a percentage of capacity, green up to
  // 80, amber to 100, red above, grey for no capacity (-1).
  enum class Colouring { kCorner, kLoad };
  Colouring colouring = Colouring::kCorner;
  // Appended to each cell's number ("%").
  std::string unit = {};
  // Optional tooltip per cell (SVG <title>), same shape as counts.
  std::vector<std::vector<std::string>> titles = {};
};

// Horizontal bars; `limit` draws a reference line (100 % capacity).
struct BarChart {
  std::vector<std::string> labels;
  std::vector<double> values;
  std::optional<double> limit;
  std::string unit;  // "%", "projects"
};

struct Section {
  std::string key;  // snake_case, for JSON and CSV
  std::string title;
  Table table;
  std::optional<LineChart> line_chart;
  std::optional<HeatMap> heat_map;
  std::optional<BarChart> bar_chart;
};

struct ReportDocument {
  std::string type;  // "PORTFOLIO_STATUS", "EARNED_VALUE"...
  std::string title;
  std::string scope;  // "Enterprise", "Portfolio CORP", "Project ERP"
  absl::CivilDay status_date;
  std::vector<Section> sections;
};

}  // namespace pmo::reporting
