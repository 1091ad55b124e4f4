#include "services/reporting/app/report_generator.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/testing/status_matchers.h"

namespace pmo::reporting {
namespace {

using ::pmo::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Hand-built views: project A's PV grows by 100 a month from January 2027.
class HandBuiltViews final : public ConsolidatedViews {
 public:
  absl::StatusOr<PortfolioSnapshot> Overview(
      const ViewScope& scope, std::optional<absl::CivilDay> as_of) override {
    asked.push_back(as_of);
    scopes.push_back(scope);
    PortfolioSnapshot s;
    s.status_date = as_of.value_or(absl::CivilDay(2027, 4, 10));
    ProjectFigures a;
    a.project_id = "p-a";
    a.code = "A";
    a.portfolio_id = "pf";
    a.portfolio_code = "CORP";
    const int64_t months =
        absl::CivilMonth(s.status_date) - absl::CivilMonth(2027, 1);
    a.earned_value.planned_value = 100 * (months + 1);
    a.earned_value.earned_value = 90 * (months + 1);
    a.earned_value.actual_cost = 95 * (months + 1);
    s.projects.push_back(a);
    return s;
  }
  absl::StatusOr<ResourceLoad> ResourceLoadByWeek(
      const ViewScope&, std::optional<absl::CivilDay>) override {
    return absl::UnimplementedError("resource load not served");
  }
  absl::StatusOr<RiskRegister> Risks(const ViewScope&,
                                     std::optional<absl::CivilDay>) override {
    return absl::UnimplementedError("risks not served");
  }
  absl::StatusOr<DependencyGraph> Dependencies(
      const ViewScope&, std::optional<absl::CivilDay>) override {
    return absl::UnimplementedError("dependencies not served");
  }
  std::vector<std::optional<absl::CivilDay>> asked;
  std::vector<ViewScope> scopes;
};

TEST(ReportGenerator, TheSCurveAsksTheOverviewAsOfEachMonthEnd) {
  HandBuiltViews views;
  ReportGenerator generator(views, 4);
  v1::ReportSpec spec;
  spec.set_type(v1::REPORT_TYPE_EARNED_VALUE);
  spec.set_format(v1::REPORT_FORMAT_JSON);
  spec.mutable_scope()->set_level(v1::SCOPE_LEVEL_PORTFOLIO);
  spec.mutable_scope()->set_id("pf");
  ASSERT_OK_AND_ASSIGN(v1::RenderedReport r, generator.Generate(spec));
  // Live first (the status date), then the three month ends before it.
  EXPECT_THAT(
      views.asked,
      ElementsAre(std::nullopt, absl::CivilDay(2027, 1, 31),
                  absl::CivilDay(2027, 2, 28), absl::CivilDay(2027, 3, 31)));
  EXPECT_EQ(views.scopes[0].level, ScopeLevel::kPortfolio);
  EXPECT_EQ(r.media_type(), "application/json");
  EXPECT_EQ(r.title(), "Earned value - Portfolio CORP - 2027-04-10");
  EXPECT_EQ(r.status_date().month(), 4);
  EXPECT_THAT(
      r.content(),
      HasSubstr("\"kind\":\"line\",\"x\":[\"2027-01-31\",\"2027-02-28\","
                "\"2027-03-31\",\"2027-04-10\"],\"series\":[{\"name\":\"PV\","
                "\"values\":[100.0000,200.0000,300.0000,400.0000]}"));
}

TEST(ReportGenerator, AsOfAndFormatsReachTheViewsAndTheRenderer) {
  HandBuiltViews views;
  ReportGenerator generator(views);
  v1::ReportSpec spec;
  spec.set_type(v1::REPORT_TYPE_PORTFOLIO_STATUS);
  spec.set_format(v1::REPORT_FORMAT_CSV);
  spec.mutable_as_of()->set_year(2027);
  spec.mutable_as_of()->set_month(2);
  spec.mutable_as_of()->set_day(14);
  ASSERT_OK_AND_ASSIGN(v1::RenderedReport csv, generator.Generate(spec));
  EXPECT_THAT(views.asked, ElementsAre(absl::CivilDay(2027, 2, 14)));
  EXPECT_EQ(csv.media_type(), "text/csv; charset=utf-8");
  EXPECT_THAT(csv.content(), HasSubstr("# projects\r\ncode,name,"));
  spec.set_format(v1::REPORT_FORMAT_HTML);
  ASSERT_OK_AND_ASSIGN(v1::RenderedReport html, generator.Generate(spec));
  EXPECT_EQ(html.media_type(), "text/html; charset=utf-8");
  EXPECT_THAT(html.content(),
              HasSubstr("<h1>Portfolio status - Enterprise - 2027-02-14</h1>"));
}

TEST(ReportGenerator, NamesEveryBadFieldAndPassesOnUnservedViews) {
  HandBuiltViews views;
  ReportGenerator generator(views);
  v1::ReportSpec bad;
  bad.mutable_scope()->set_level(v1::SCOPE_LEVEL_PROJECT);
  bad.mutable_as_of()->set_month(13);
  auto refused = generator.Generate(bad);
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kInvalidArgument));
  std::vector<std::string> fields;
  for (const FieldViolation& f : FieldViolationsOf(refused.status()))
    fields.push_back(f.field);
  EXPECT_THAT(fields,
              ::testing::UnorderedElementsAre("spec.type", "spec.format",
                                              "spec.scope.id", "spec.as_of"));
  v1::ReportSpec risk;
  risk.set_type(v1::REPORT_TYPE_RISK);
  risk.set_format(v1::REPORT_FORMAT_HTML);
  EXPECT_THAT(generator.Generate(risk),
              StatusIs(absl::StatusCode::kUnimplemented));
}

TEST(ReportGenerator, AProjectTheProjectionDoesNotKnowIsNotFound) {
  HandBuiltViews views;
  ReportGenerator generator(views, 2);
  v1::ReportSpec spec;
  spec.set_format(v1::REPORT_FORMAT_CSV);
  spec.mutable_scope()->set_level(v1::SCOPE_LEVEL_PROJECT);
  spec.mutable_scope()->set_id("p-unknown");
  for (v1::ReportType type :
       {v1::REPORT_TYPE_PORTFOLIO_STATUS, v1::REPORT_TYPE_EARNED_VALUE,
        v1::REPORT_TYPE_CHANGE_CONTROL, v1::REPORT_TYPE_COMPLIANCE}) {
    spec.set_type(type);
    EXPECT_THAT(
        generator.Generate(spec).status(),
        StatusIs(absl::StatusCode::kNotFound, HasSubstr("spec.scope.id")))
        << v1::ReportType_Name(type);
  }
  spec.set_type(v1::REPORT_TYPE_PORTFOLIO_STATUS);
  spec.mutable_scope()->set_id("p-a");
  EXPECT_TRUE(generator.Generate(spec).ok());
  // A scope id with a line break (it reaches a title, a header) is refused.
  spec.mutable_scope()->set_id("p-a\r\nX: y");
  EXPECT_EQ(generator.Generate(spec).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace pmo::reporting
