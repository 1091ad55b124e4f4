// The views' request checks and paging, without a server: every bad field
// named, pages that add up to the whole list.

#include "services/projection/api/views_answers.h"

#include <set>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/errors.h"
#include "libs/base/testing/status_matchers.h"
#include "libs/dates/calendar_dates.h"
#include "services/projection/api/overview_query.h"
#include "services/projection/app/hand_built_history.h"

namespace pmo::projection {
namespace {

using ::testing::UnorderedElementsAre;

std::vector<std::string> Fields(const absl::Status& status) {
  std::vector<std::string> out;
  for (const FieldViolation& v : FieldViolationsOf(status))
    out.push_back(v.field);
  return out;
}

TEST(ViewsAnswersTest, BadResourceLoadRequestsNameEveryField) {
  v1::GetResourceLoadRequest request;
  EXPECT_OK(CheckRequest(request));
  request.set_weeks(54);
  request.set_page_size(-1);
  request.set_page_token("forged");
  request.mutable_first_week()->set_year(2027);
  request.mutable_first_week()->set_month(2);
  request.mutable_first_week()->set_day(30);
  EXPECT_THAT(
      Fields(CheckRequest(request)),
      UnorderedElementsAre("weeks", "page_size", "page_token", "first_week"));
}

TEST(ViewsAnswersTest, BadExposureRequestsNameEveryField) {
  const absl::CivilDay status_date(2027, 3, 31);
  v1::GetRiskExposureHistoryRequest request;
  EXPECT_OK(CheckRequest(request, status_date));
  request.set_project_id("p");
  request.set_portfolio_id("f");
  request.set_interval_days(400);
  EXPECT_THAT(Fields(CheckRequest(request, status_date)),
              UnorderedElementsAre("project_id", "interval_days"));
  v1::GetRiskExposureHistoryRequest late;
  *late.mutable_from() = dates::ToDate(absl::CivilDay(2027, 4, 1));
  EXPECT_THAT(Fields(CheckRequest(late, status_date)),
              UnorderedElementsAre("from"));
  v1::GetRiskExposureHistoryRequest too_many;
  *too_many.mutable_from() = dates::ToDate(absl::CivilDay(2020, 1, 1));
  too_many.set_interval_days(1);
  EXPECT_THAT(Fields(CheckRequest(too_many, status_date)),
              UnorderedElementsAre("from"));
  too_many.set_interval_days(7);  // 379 points
  EXPECT_OK(CheckRequest(too_many, status_date));
}

TEST(ViewsAnswersTest, TheRegisterPagesAddUpToTheWholeRegister) {
  const history::History h = history::Portfolio();
  Consolidation c;
  for (const history::Sourced& s : h.events()) c.Apply(s.event);
  v1::ListRiskRegisterRequest request;
  EXPECT_THAT(Fields(CheckRequest([] {
                v1::ListRiskRegisterRequest bad;
                bad.set_kind(static_cast<v1::RegisterEntryKind>(9));
                return bad;
              }())),
              UnorderedElementsAre("kind"));
  request.set_page_size(2);
  std::set<std::string> seen;
  int pages = 0;
  while (true) {
    ASSERT_OK(CheckRequest(request));
    v1::ListRiskRegisterResponse page;
    Answer(c, absl::CivilDay(2027, 3, 31), request,
           auth::ProjectScope::Everything(), &page);
    EXPECT_EQ(page.total_entries(), 3);
    EXPECT_EQ(page.risk_exposure_minor(), 5'000);  // over every page
    EXPECT_EQ(page.opportunity_value_minor(), 700);
    for (const auto& e : page.entries()) seen.insert(e.id());
    ++pages;
    if (page.next_page_token().empty()) break;
    request.set_page_token(page.next_page_token());
  }
  EXPECT_EQ(pages, 2);
  EXPECT_THAT(seen, UnorderedElementsAre("r-gain", "r-threat", "i-1"));

  v1::ListRiskRegisterRequest issues;
  issues.set_kind(v1::REGISTER_ENTRY_KIND_ISSUE);
  v1::ListRiskRegisterResponse only;
  Answer(c, absl::CivilDay(2027, 3, 31), issues,
         auth::ProjectScope::Everything(), &only);
  ASSERT_EQ(only.entries_size(), 1);
  EXPECT_EQ(only.entries(0).issue_status(),
            ::pmo::risks::v1::ISSUE_STATUS_OPEN);
  EXPECT_EQ(only.risk_exposure_minor(), 0);
}

// The hand-built portfolio's risks and issue are all ERP's: CRM's manager
// sees none of them, ERP's sees all three, paged over theirs alone.
TEST(ViewsAnswersTest, AManagersRegisterCountsAndPagesOnlyTheirProjects) {
  const history::History h = history::Portfolio();
  Consolidation c;
  for (const history::Sourced& s : h.events()) c.Apply(s.event);
  const absl::CivilDay day(2027, 3, 31);
  v1::ListRiskRegisterRequest request;
  v1::ListRiskRegisterResponse crm;
  Answer(c, day, request, auth::ProjectScope::Only({"crm"}), &crm);
  EXPECT_EQ(crm.total_entries(), 0);
  EXPECT_EQ(crm.entries_size(), 0);
  EXPECT_EQ(crm.risk_exposure_minor(), 0);
  EXPECT_EQ(crm.opportunity_value_minor(), 0);

  request.set_page_size(2);
  std::set<std::string> seen;
  int pages = 0;
  while (true) {
    v1::ListRiskRegisterResponse page;
    Answer(c, day, request, auth::ProjectScope::Only({"erp"}), &page);
    EXPECT_EQ(page.total_entries(), 3);
    EXPECT_EQ(page.risk_exposure_minor(), 5'000);
    EXPECT_EQ(page.combined_risks_size(), 0);
    for (const auto& e : page.entries()) seen.insert(e.id());
    ++pages;
    if (page.next_page_token().empty()) break;
    request.set_page_token(page.next_page_token());
  }
  EXPECT_EQ(pages, 2);
  EXPECT_THAT(seen, UnorderedElementsAre("r-gain", "r-threat", "i-1"));
}

TEST(ViewsAnswersTest, AManagersOverviewRollsUpOverTheirProjectsAlone) {
  const history::History h = history::Portfolio();
  Consolidation c;
  for (const history::Sourced& s : h.events()) c.Apply(s.event);
  Overview overview = c.Compute(absl::CivilDay(2027, 3, 31));
  ASSERT_EQ(overview.programmes.size(), 1u);
  EXPECT_EQ(overview.programmes[0].projects, 2);
  EXPECT_EQ(overview.programmes[0].risk_exposure_minor, 5'000);
  NarrowOverview(auth::ProjectScope::Only({"crm"}), overview);
  ASSERT_EQ(overview.projects.size(), 1u);
  EXPECT_EQ(overview.projects[0].code, "CRM");
  ASSERT_EQ(overview.programmes.size(), 1u);
  EXPECT_EQ(overview.programmes[0].projects, 1);
  EXPECT_EQ(overview.programmes[0].risk_exposure_minor,
            0);  // ERP's threat left out
  EXPECT_EQ(overview.programmes[0].earned_value.pv,
            10'000);  // CRM's alone, not 40,000
  ASSERT_EQ(overview.portfolios.size(), 1u);
  EXPECT_EQ(overview.portfolios[0].projects, 1);
}

TEST(ViewsAnswersTest, WeeksStartOnMonday) {
  EXPECT_EQ(WeekStart(absl::CivilDay(2027, 3, 7)),
            absl::CivilDay(2027, 3, 1));  // a Sunday
  EXPECT_EQ(WeekStart(absl::CivilDay(2027, 3, 1)), absl::CivilDay(2027, 3, 1));
  EXPECT_EQ(WeekStart(absl::CivilDay(2027, 3, 3)), absl::CivilDay(2027, 3, 1));
}

}  // namespace
}  // namespace pmo::projection
