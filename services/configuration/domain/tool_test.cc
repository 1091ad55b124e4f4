#include "services/configuration/domain/tool.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/errors.h"
#include "libs/base/testing/status_matchers.h"
#include "libs/dates/calendar_dates.h"

namespace pmo::configuration {
namespace {

using ::pmo::testing::StatusIs;

void ApplyAll(ToolAggregate& t,
              const absl::StatusOr<eventsourcing::Decision>& d) {
  ASSERT_OK(d.status());
  for (const auto& e : d->events) t.Apply(*e, absl::Now());
}

ToolAggregate Jira(int licences, absl::CivilDay expiry) {
  v1::ToolCatalogued c;
  c.set_tool_id("tool-1");
  c.set_name("Jira");
  c.set_vendor("Atlassian");
  c.set_licence_model(v1::LICENCE_MODEL_PER_USER);
  c.set_licence_count(licences);
  *c.mutable_licence_expiry() = dates::ToDate(expiry);
  ToolAggregate t;
  ApplyAll(t, t.Catalogue(c));
  return t;
}

TEST(ToolCatalogue, OverUseAndExpiringLicencesAreFlagged) {
  ToolAggregate jira = Jira(50, absl::CivilDay(2027, 3, 31));
  ApplyAll(jira, jira.Assign("erp", 30));
  ApplyAll(jira, jira.Assign("crm", 15));
  const absl::CivilDay today(2027, 1, 15);
  v1::Tool flags = ToolFlagsOn(jira.state(), today, 30);
  EXPECT_EQ(flags.seats_in_use(), 45);
  EXPECT_FALSE(flags.over_used());
  EXPECT_FALSE(flags.licence_expiring());  // 75 days away
  ApplyAll(jira, jira.Assign("crm", 25));  // replaces crm's 15
  flags = ToolFlagsOn(jira.state(), absl::CivilDay(2027, 3, 1), 30);
  EXPECT_EQ(flags.seats_in_use(), 55);
  EXPECT_TRUE(flags.over_used());
  EXPECT_TRUE(flags.licence_expiring());  // 30 days away
  ApplyAll(jira, jira.Release("erp"));
  EXPECT_FALSE(ToolFlagsOn(jira.state(), today, 30).over_used());
  // Expired is expiring too.
  EXPECT_TRUE(ToolFlagsOn(jira.state(), absl::CivilDay(2027, 6, 1), 30)
                  .licence_expiring());
}

TEST(ToolCatalogue,
     SiteLicencesAreNeverOverUsedAndRetiredToolsTakeNoAssignment) {
  v1::ToolCatalogued c;
  c.set_tool_id("tool-2");
  c.set_name("Confluence");
  c.set_vendor("Atlassian");
  c.set_licence_model(v1::LICENCE_MODEL_SITE);
  ToolAggregate site;
  ApplyAll(site, site.Catalogue(c));
  ApplyAll(site, site.Assign("erp", 500));
  EXPECT_FALSE(
      ToolFlagsOn(site.state(), absl::CivilDay(2027, 1, 1), 30).over_used());
  ApplyAll(site, site.Retire("replaced by the wiki"));
  auto refused = site.Assign("crm", 1);
  ASSERT_THAT(refused, StatusIs(absl::StatusCode::kFailedPrecondition));
  RuleViolation rule;
  ASSERT_TRUE(RuleViolationOf(refused.status(), &rule));
  EXPECT_EQ(rule.rule, "TOOL_RETIRED");
}

TEST(ToolCatalogue, BadInputNamesTheFields) {
  v1::ToolCatalogued c;
  c.set_name("MS Project");
  c.set_licence_model(v1::LICENCE_MODEL_CONCURRENT);
  c.mutable_licence_expiry()->set_year(2027);
  c.mutable_licence_expiry()->set_month(2);
  c.mutable_licence_expiry()->set_day(30);
  auto bad = ToolAggregate().Catalogue(c);
  std::vector<std::string> fields;
  for (const FieldViolation& v : FieldViolationsOf(bad.status()))
    fields.push_back(v.field);
  EXPECT_THAT(fields, ::testing::ElementsAre("vendor", "licence_count",
                                             "licence_expiry"));
  ToolAggregate jira = Jira(5, absl::CivilDay(2027, 3, 31));
  EXPECT_THAT(jira.Assign("", 0), StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace pmo::configuration
