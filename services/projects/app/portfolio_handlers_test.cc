#include "services/projects/app/portfolio_handlers.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/testing/status_matchers.h"
#include "libs/base/testing/temp_dir.h"
#include "libs/eventstore/sqlite_event_store.h"
#include "services/projects/app/project_handlers.h"

namespace pmo::projects {
namespace {

using ::pmo::testing::StatusIs;
using ::pmo::testing::ViolatesRule;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

class PortfolioHandlersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(store_,
                         eventstore::SqliteEventStore::Open(dir_.File("p.db")));
    portfolios_ = std::make_unique<PortfolioHandlers>(*store_);
    projects_ = std::make_unique<ProjectHandlers>(*store_);
  }
  static eventsourcing::CommandContext Ctx(std::string request_id) {
    eventsourcing::CommandContext c;
    c.request_id = std::move(request_id);
    return c;
  }
  std::string Project(const std::string& code, int priority) {
    ProjectCharter charter{code,
                           code,
                           "alice",
                           absl::CivilDay(2027, 1, 1),
                           absl::CivilDay(2027, 6, 30),
                           {},
                           "",
                           priority};
    auto p = projects_->CreateProject(charter, Ctx("create-" + code));
    EXPECT_TRUE(p.ok()) << p.status();
    return p->state.id();
  }
  pmo::testing::TempDir dir_;
  std::unique_ptr<eventstore::SqliteEventStore> store_;
  std::unique_ptr<PortfolioHandlers> portfolios_;
  std::unique_ptr<ProjectHandlers> projects_;
};

// Weighted scores worked by hand: objectives Growth (weight 3) and
// Compliance (weight 1).
//   ERP:  growth 8, compliance 4 -> (3*8 + 1*4) / 4 = 7.0
//   CRM:  growth 6, compliance 10 -> (18 + 10) / 4 = 7.0 (priority 1 beats
//   ERP's 2) HR:   growth 2, no compliance score -> 6 / 4 = 1.5
TEST_F(PortfolioHandlersTest, RanksProjectsByWeightedStrategicScore) {
  ASSERT_OK_AND_ASSIGN(auto portfolio, portfolios_->CreatePortfolio(
                                           "CORP", "Corporate", Ctx("pf")));
  const std::string pf = portfolio.state.state().portfolio_id();
  ASSERT_OK_AND_ASSIGN(auto growth, portfolios_->DefineStrategicObjective(
                                        pf, "Growth", 3, Ctx("o1")));
  ASSERT_OK_AND_ASSIGN(auto compliance, portfolios_->DefineStrategicObjective(
                                            pf, "Compliance", 1, Ctx("o2")));
  ASSERT_OK_AND_ASSIGN(
      auto programme,
      portfolios_->CreateProgramme("DIGITAL", "Digital", pf, Ctx("pg")));
  const std::string pg = programme.state.state().programme_id();
  const std::string erp = Project("ERP", 2), crm = Project("CRM", 1),
                    hr = Project("HR", 3);
  const std::string outside =
      Project("OUTSIDE", 1);  // no programme: not ranked
  for (const std::string& id : {erp, crm, hr}) {
    ASSERT_OK(portfolios_->AssignProjectToProgramme(id, pg, Ctx("assign-" + id))
                  .status());
  }
  auto score = [&](const std::string& project, const std::string& objective,
                   int s) {
    return portfolios_
        ->ScoreProject(project, pf, objective, s,
                       Ctx("score-" + project + objective + std::to_string(s)))
        .status();
  };
  ASSERT_OK(score(erp, growth.second, 8));
  ASSERT_OK(score(erp, compliance.second, 4));
  ASSERT_OK(score(crm, growth.second, 6));
  ASSERT_OK(score(crm, compliance.second, 10));
  ASSERT_OK(score(hr, growth.second, 2));

  ASSERT_OK_AND_ASSIGN(std::vector<RankedProject> ranking,
                       portfolios_->RankPortfolio(pf));
  std::vector<std::string> codes;
  codes.reserve(ranking.size());
  for (const RankedProject& r : ranking) codes.push_back(r.code);
  EXPECT_THAT(codes, ElementsAre("CRM", "ERP", "HR"));
  EXPECT_DOUBLE_EQ(ranking[0].weighted_score, 7.0);
  EXPECT_DOUBLE_EQ(ranking[1].weighted_score, 7.0);
  EXPECT_DOUBLE_EQ(ranking[2].weighted_score, 1.5);
  EXPECT_EQ(ranking[2].rank, 3);

  // Scoring a project outside the portfolio breaks a rule, by name.
  EXPECT_THAT(score(outside, growth.second, 5),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("its own portfolio")));
  EXPECT_THAT(score(erp, growth.second, 11),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("score")));
  EXPECT_THAT(score(erp, "no-such-objective", 5),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(PortfolioHandlersTest, StructureRulesAndBadInput) {
  ASSERT_OK_AND_ASSIGN(auto portfolio, portfolios_->CreatePortfolio(
                                           "CORP", "Corporate", Ctx("a")));
  EXPECT_THAT(portfolios_->CreatePortfolio("CORP", "Again", Ctx("b")),
              StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_THAT(portfolios_->CreatePortfolio("x", "", Ctx("c")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("code")));
  EXPECT_THAT(
      portfolios_->CreateProgramme(
          "PG", "Programme", "00000000-0000-4000-8000-000000000000", Ctx("d")),
      StatusIs(absl::StatusCode::kNotFound, HasSubstr("portfolio")));
  EXPECT_THAT(
      portfolios_->DefineStrategicObjective(
          portfolio.state.state().portfolio_id(), "Growth", 0, Ctx("e")),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("weight")));
  const std::string p = Project("SOLO", 3);
  EXPECT_THAT(portfolios_->AssignProjectToProgramme(
                  p, "00000000-0000-4000-8000-000000000000", Ctx("f")),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("programme")));
  // Moving a project between programmes keeps one programme at a time.
  ASSERT_OK_AND_ASSIGN(
      auto a, portfolios_->CreateProgramme(
                  "PA", "A", portfolio.state.state().portfolio_id(), Ctx("g")));
  ASSERT_OK_AND_ASSIGN(
      auto b, portfolios_->CreateProgramme(
                  "PB", "B", portfolio.state.state().portfolio_id(), Ctx("h")));
  ASSERT_OK(portfolios_
                ->AssignProjectToProgramme(p, a.state.state().programme_id(),
                                           Ctx("i"))
                .status());
  ASSERT_OK_AND_ASSIGN(auto moved,
                       portfolios_->AssignProjectToProgramme(
                           p, b.state.state().programme_id(), Ctx("j")));
  EXPECT_EQ(moved.state.state().programme_id(), b.state.state().programme_id());
}

TEST_F(PortfolioHandlersTest, AManagerMayNotScoreTheirOwnProject) {
  ASSERT_OK_AND_ASSIGN(auto portfolio, portfolios_->CreatePortfolio(
                                           "CORP", "Corporate", Ctx("pf")));
  const std::string pf = portfolio.state.state().portfolio_id();
  ASSERT_OK_AND_ASSIGN(auto growth, portfolios_->DefineStrategicObjective(
                                        pf, "Growth", 3, Ctx("o")));
  ASSERT_OK_AND_ASSIGN(
      auto programme,
      portfolios_->CreateProgramme("DIGITAL", "Digital", pf, Ctx("pg")));
  const std::string erp = Project("ERP", 2);  // alice's
  ASSERT_OK(portfolios_
                ->AssignProjectToProgramme(
                    erp, programme.state.state().programme_id(), Ctx("assign"))
                .status());
  const int64_t head = store_->HeadPosition();
  EXPECT_THAT(portfolios_->ScoreProject(erp, pf, growth.second, 9, Ctx("self"),
                                        {"alice", false}),
              ViolatesRule("SEPARATION_OF_DUTIES"));
  EXPECT_THAT(portfolios_->ScoreProject(erp, pf, growth.second, 9, Ctx("co"),
                                        {"carol", true}),
              ViolatesRule("SEPARATION_OF_DUTIES"));
  EXPECT_EQ(store_->HeadPosition(), head);
  ASSERT_OK(portfolios_
                ->ScoreProject(erp, pf, growth.second, 9, Ctx("pmo"),
                               {"pmo-admin-1", false})
                .status());
  // Ranking reads: it appends nothing.
  const int64_t scored = store_->HeadPosition();
  ASSERT_OK(portfolios_->RankPortfolio(pf).status());
  EXPECT_EQ(store_->HeadPosition(), scored);
}

TEST_F(PortfolioHandlersTest, StructureNamesAreOneLine) {
  EXPECT_THAT(portfolios_->CreatePortfolio("CORP", "Corporate\r\nSet-Cookie: x",
                                           Ctx("a")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("name")));
  ASSERT_OK_AND_ASSIGN(auto portfolio, portfolios_->CreatePortfolio(
                                           "CORP", "Corporate", Ctx("b")));
  EXPECT_THAT(portfolios_->CreateProgramme(
                  "PG", "Pro\x1bgramme", portfolio.state.state().portfolio_id(),
                  Ctx("c")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("name")));
  EXPECT_THAT(
      portfolios_->DefineStrategicObjective(
          portfolio.state.state().portfolio_id(), "Gro\nwth", 1, Ctx("d")),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("name")));
  EXPECT_EQ(store_->HeadPosition(), 1);
}

}  // namespace
}  // namespace pmo::projects
