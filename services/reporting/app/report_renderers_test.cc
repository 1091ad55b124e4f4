#include "services/reporting/app/report_renderers.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/reporting/app/report_builders.h"

namespace pmo::reporting {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

ReportDocument Sample() {
  ReportDocument d;
  d.type = "EARNED_VALUE";
  d.title = "Earned value";
  d.scope = "Portfolio <CORP> & \"friends\"";
  d.status_date = absl::CivilDay(2027, 3, 15);
  Section s{"projects", "Projects", {}, {}, {}, {}};
  s.table.columns = {
      {"code", "Code"}, {"name", "Name"}, {"ac_minor", "AC"}, {"cpi", "CPI"}};
  s.table.rows = {{Cell::Text("ERP"), Cell::Text("=HYPERLINK(\"x\"),a\nb"),
                   Cell::Money(-250000), Cell::Ratio(0.8)},
                  {Cell::Text("CRM"), Cell::Text("<script>alert(1)</script>"),
                   Cell::Money(0), Cell::Ratio(std::nullopt)}};
  LineChart chart;
  chart.x_labels = {"2027-02-28", "2027-03-15"};
  chart.series = {{"PV", {100, 200}}, {"EV", {90, 180}}};
  s.line_chart = chart;
  d.sections.push_back(s);
  return d;
}

TEST(JsonRenderer, RowsAreObjectsMoneyIsExactAndAbsentRatiosAreNull) {
  const std::string json = RenderJson(Sample());
  EXPECT_THAT(
      json,
      HasSubstr("\"scope\":\"Portfolio \\u003cCORP> & \\\"friends\\\"\""));
  EXPECT_THAT(
      json,
      HasSubstr("{\"code\":\"ERP\",\"name\":\"=HYPERLINK(\\\"x\\\"),a\\nb\","
                "\"ac_minor\":-250000,\"cpi\":0.8000}"));
  EXPECT_THAT(json, HasSubstr("\"ac_minor\":0,\"cpi\":null}"));
  EXPECT_THAT(
      json,
      HasSubstr(
          "\"chart\":{\"kind\":\"line\",\"x\":[\"2027-02-28\",\"2027-03-15\"],"
          "\"series\":[{\"name\":\"PV\",\"values\":[100.0000,200.0000]}"));
  EXPECT_THAT(json, HasSubstr("\"status_date\":\"2027-03-15\""));
}

TEST(CsvRenderer, QuotesFieldsAndDefusesFormulas) {
  EXPECT_EQ(RenderCsv(Sample()),
            "# projects\r\n"
            "code,name,ac_minor,cpi\r\n"
            "ERP,\"'=HYPERLINK(\"\"x\"\"),a\nb\",-250000,0.8000\r\n"
            "CRM,<script>alert(1)</script>,0,\r\n");
}

TEST(HtmlRenderer, IsSelfContainedEscapedAndDrawsTheChart) {
  const std::string html = RenderHtml(Sample());
  EXPECT_THAT(html, HasSubstr("&lt;script&gt;alert(1)&lt;/script&gt;"));
  EXPECT_THAT(html,
              HasSubstr("Portfolio &lt;CORP&gt; &amp; &quot;friends&quot;"));
  EXPECT_THAT(html, Not(HasSubstr("<script")));
  EXPECT_THAT(html, Not(HasSubstr("src=")));
  EXPECT_THAT(html, Not(HasSubstr("href=")));
  EXPECT_THAT(html, Not(HasSubstr("@import")));
  EXPECT_THAT(html, HasSubstr("default-src 'none'"));
  EXPECT_THAT(html, HasSubstr("<svg xmlns=\"http://www.w3.org/2000/svg\""));
  // PV from 100 to 200 on a 0..200 axis: x from the left margin to the
  // right end, y from mid-height to the top of the plot area.
  EXPECT_THAT(html, HasSubstr("points=\"90.0,130.0 700.0,20.0\""));
  EXPECT_THAT(html, HasSubstr("<td class=\"n\">-250000</td>"));
  EXPECT_THAT(html,
              HasSubstr("<td class=\"n\">0</td><td>-</td>"));  // absent CPI
}

TEST(HtmlRenderer, DrawsHeatMapsAndBarsOfEveryBuiltReport) {
  RiskRegister r;
  r.status_date = absl::CivilDay(2027, 3, 15);
  r.open_risks = {{"r1", "A <b>", "ERP", 5, 5, 900, false}};
  const std::string risk = RenderHtml(BuildRiskReport(r, "Enterprise"));
  // 25 cells in the grid; the top-right one (impact 5, probability 5) is red.
  const size_t begin = risk.find("<section id=\"heat_map\">");
  const std::string grid =
      risk.substr(begin, risk.find("</section>", begin) - begin);
  size_t rects = 0;
  for (size_t at = grid.find("<rect"); at != std::string::npos;
       at = grid.find("<rect", at + 1)) {
    ++rects;
  }
  EXPECT_EQ(rects, 25u);
  EXPECT_THAT(
      grid,
      HasSubstr(
          "fill=\"#ff0050\" stroke=\"#fff\"/><text x=\"332.0\" y=\"43.0\" "
          "class=\"cell\" text-anchor=\"middle\">1</text>"));
  EXPECT_THAT(risk, HasSubstr("A &lt;b&gt;"));
  ResourceLoad load;
  load.week_starts = {absl::CivilDay(2027, 3, 1)};
  load.resources = {{"res-1", "Alice", {{40, 60}}}};
  const std::string bars =
      RenderHtml(BuildResourceUtilisation(load, "Enterprise"));
  EXPECT_THAT(bars, HasSubstr("fill=\"#d62728\""));  // over 100 %: red
  EXPECT_THAT(bars, HasSubstr("stroke-dasharray"));  // the 100 % line
  EXPECT_THAT(bars, HasSubstr(">150.0 %</text>"));   // 60 of 40 hours
}

TEST(HtmlRenderer, CountsOnBarsHaveNoDecimals) {
  ReportDocument d;
  d.title = "Portfolio status";
  Section s{"projects", "Projects", {}, {}, {}, {}};
  s.bar_chart =
      BarChart{{"GREEN", "AMBER"}, {14, 2.5}, std::nullopt, "projects"};
  d.sections.push_back(s);
  const std::string html = RenderHtml(d);
  EXPECT_THAT(html, HasSubstr(">14 projects</text>"));
  EXPECT_THAT(html, HasSubstr(">2.5 projects</text>"));
}

}  // namespace
}  // namespace pmo::reporting
