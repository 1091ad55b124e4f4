#include "services/configuration/app/tool_handlers.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/errors.h"
#include "libs/base/testing/status_matchers.h"
#include "libs/base/testing/temp_dir.h"
#include "libs/dates/calendar_dates.h"
#include "libs/eventstore/sqlite_event_store.h"
#include "services/configuration/app/test_projects.h"

namespace pmo::configuration {
namespace {

using ::pmo::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

eventsourcing::CommandContext Ctx(
    std::string request_id, std::optional<int64_t> expected = std::nullopt) {
  eventsourcing::CommandContext c;
  c.request_id = std::move(request_id);
  c.expected_version = expected;
  c.metadata.actor = "tools-office";
  return c;
}

v1::ToolCatalogued Tool(const std::string& name, v1::LicenceModel model,
                        int licences, absl::CivilDay expiry) {
  v1::ToolCatalogued t;
  t.set_name(name);
  t.set_vendor("Atlassian");
  t.set_licence_model(model);
  t.set_licence_count(licences);
  *t.mutable_licence_expiry() = dates::ToDate(expiry);
  return t;
}

std::vector<std::string> Names(const std::vector<v1::Tool>& tools) {
  std::vector<std::string> out;
  out.reserve(tools.size());
  for (const v1::Tool& t : tools) out.push_back(t.name());
  return out;
}

class ToolHandlersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(store_, eventstore::SqliteEventStore::Open(
                                     dir_.File("configuration.db")));
    projects_ = KnownTestProjects(dir_.File("projects.db"));
    tools_ = std::make_unique<ToolHandlers>(*store_, *projects_, clock_);
  }
  testing::TempDir dir_;
  // Today is 1 March 2027 (UTC).
  ManualClock clock_{absl::FromCivil(absl::CivilSecond(2027, 3, 1, 12, 0, 0),
                                     absl::UTCTimeZone())};
  std::unique_ptr<eventstore::SqliteEventStore> store_;
  std::unique_ptr<projectdirectory::ProjectDirectory> projects_;
  std::unique_ptr<ToolHandlers> tools_;
};

TEST_F(ToolHandlersTest,
       TheCatalogueFlagsOverUseAndLicencesAboutToExpireOrExpired) {
  ASSERT_OK_AND_ASSIGN(
      v1::Tool jira, tools_->Catalogue(Tool("Jira", v1::LICENCE_MODEL_PER_USER,
                                            10, absl::CivilDay(2027, 12, 31)),
                                       Ctx("jira")));
  EXPECT_EQ(jira.version(), 1);
  ASSERT_OK_AND_ASSIGN(
      v1::Tool project,
      tools_->Catalogue(Tool("MS Project", v1::LICENCE_MODEL_CONCURRENT, 5,
                             absl::CivilDay(2027, 3, 20)),
                        Ctx("ms-project")));
  EXPECT_TRUE(project.licence_expiring());  // 19 days from today, within 30
  ASSERT_OK_AND_ASSIGN(v1::Tool wiki,
                       tools_->Catalogue(Tool("Wiki", v1::LICENCE_MODEL_SITE, 0,
                                              absl::CivilDay(2027, 1, 31)),
                                         Ctx("wiki")));
  EXPECT_TRUE(wiki.licence_expiring());  // expired

  ASSERT_OK(tools_->Assign(jira.tool_id(), "erp", 6, Ctx("jira-erp")).status());
  ASSERT_OK_AND_ASSIGN(
      v1::Tool over, tools_->Assign(jira.tool_id(), "crm", 5, Ctx("jira-crm")));
  EXPECT_EQ(over.seats_in_use(), 11);
  EXPECT_TRUE(over.over_used());
  EXPECT_FALSE(over.licence_expiring());
  // Retrying the request changes nothing.
  ASSERT_OK_AND_ASSIGN(v1::Tool retried, tools_->Assign(jira.tool_id(), "crm",
                                                        5, Ctx("jira-crm")));
  EXPECT_EQ(retried.version(), over.version());

  ToolListQuery flagged;
  flagged.flagged_only = true;
  ASSERT_OK_AND_ASSIGN(auto listed, tools_->List(flagged));
  EXPECT_THAT(Names(listed), ElementsAre("Jira", "MS Project", "Wiki"));
  // A narrower window and an earlier day: MS Project is 49 days off.
  flagged.flags.as_of = absl::CivilDay(2027, 1, 30);
  flagged.flags.expiry_warning_days = 10;
  ASSERT_OK_AND_ASSIGN(listed, tools_->List(flagged));
  EXPECT_THAT(Names(listed),
              ElementsAre("Jira", "Wiki"));  // Wiki: one day left
  ToolListQuery of_crm;
  of_crm.project_id = "crm";
  ASSERT_OK_AND_ASSIGN(listed, tools_->List(of_crm));
  EXPECT_THAT(Names(listed), ElementsAre("Jira"));

  // Releasing a project and buying licences clear the over-use.
  ASSERT_OK_AND_ASSIGN(v1::Tool released,
                       tools_->Release(jira.tool_id(), "crm", Ctx("release")));
  EXPECT_FALSE(released.over_used());
  ASSERT_OK(tools_->Assign(jira.tool_id(), "crm", 5, Ctx("again")).status());
  ASSERT_OK_AND_ASSIGN(
      v1::Tool renewed,
      tools_->ChangeLicence(jira.tool_id(), 20,
                            dates::ToDate(absl::CivilDay(2028, 12, 31)),
                            Ctx("renew")));
  EXPECT_FALSE(renewed.over_used());
  EXPECT_EQ(renewed.licence_count(), 20);

  // A renewal of the expired site licence takes it off the list.
  ASSERT_OK(tools_
                ->ChangeLicence(wiki.tool_id(), 0,
                                dates::ToDate(absl::CivilDay(2028, 1, 31)),
                                Ctx("renew-wiki"))
                .status());
  ASSERT_OK_AND_ASSIGN(listed, tools_->List({.flagged_only = true}));
  EXPECT_THAT(Names(listed), ElementsAre("MS Project"));
}

TEST_F(ToolHandlersTest, RetiredToolsReleaseEveryProjectAndTakeNoCommand) {
  ASSERT_OK_AND_ASSIGN(
      v1::Tool jira, tools_->Catalogue(Tool("Jira", v1::LICENCE_MODEL_PER_USER,
                                            10, absl::CivilDay(2027, 12, 31)),
                                       Ctx("jira")));
  const int64_t head = store_->HeadPosition();
  EXPECT_THAT(tools_->Assign(jira.tool_id(), "ghost", 1, Ctx("ghost")),
              StatusIs(absl::StatusCode::kNotFound,
                       HasSubstr("project_id: no project ghost")));
  EXPECT_EQ(store_->HeadPosition(), head);
  ASSERT_OK(tools_->Assign(jira.tool_id(), "erp", 6, Ctx("erp")).status());
  ASSERT_OK_AND_ASSIGN(
      v1::Tool retired,
      tools_->Retire(jira.tool_id(), "moved to the new tracker",
                     Ctx("retire")));
  EXPECT_TRUE(retired.retired());
  EXPECT_EQ(retired.assignments_size(), 0);
  auto refused = tools_->Assign(jira.tool_id(), "crm", 1, Ctx("crm"));
  ASSERT_THAT(refused, StatusIs(absl::StatusCode::kFailedPrecondition));
  RuleViolation rule;
  ASSERT_TRUE(RuleViolationOf(refused.status(), &rule));
  EXPECT_EQ(rule.rule, "TOOL_RETIRED");
  ASSERT_OK_AND_ASSIGN(auto listed, tools_->List({}));
  EXPECT_TRUE(listed.empty());
  ASSERT_OK_AND_ASSIGN(listed, tools_->List({.include_retired = true}));
  EXPECT_THAT(Names(listed), ElementsAre("Jira"));
}

TEST_F(ToolHandlersTest,
       NamesAreUniqueVersionsAreCheckedAndBadInputNamesTheField) {
  ASSERT_OK_AND_ASSIGN(
      v1::Tool jira, tools_->Catalogue(Tool("Jira", v1::LICENCE_MODEL_PER_USER,
                                            10, absl::CivilDay(2027, 12, 31)),
                                       Ctx("jira")));
  EXPECT_THAT(tools_->Catalogue(Tool("Jira", v1::LICENCE_MODEL_SITE, 0,
                                     absl::CivilDay(2028, 1, 1)),
                                Ctx("jira-2")),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("'Jira'")));
  EXPECT_THAT(tools_->Assign(jira.tool_id(), "erp", 2, Ctx("stale", 4)),
              StatusIs(absl::StatusCode::kAborted));
  auto bad = tools_->ChangeLicence(jira.tool_id(), 0, {}, Ctx("zero"));
  ASSERT_THAT(bad, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(FieldViolationsOf(bad.status())[0].field, "licence_count");
  EXPECT_THAT(tools_->Get("00000000-0000-4000-8000-000000000000", {}),
              StatusIs(absl::StatusCode::kNotFound));
  ASSERT_OK_AND_ASSIGN(v1::Tool got, tools_->Get(jira.tool_id(), {}));
  EXPECT_EQ(got.vendor(), "Atlassian");
  EXPECT_EQ(got.version(), 1);
}

}  // namespace
}  // namespace pmo::configuration
