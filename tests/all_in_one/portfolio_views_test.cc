// The projects, risks and resources services feeding the consolidated
// views in one process: ranking, schedules and earned value, rated risks,
// the overview now and as of a day, resource load and a rebuild.

#include "tests/all_in_one/all_in_one.h"

namespace pmo {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

TEST_F(AllInOneApi, PortfolioRankingScheduleAndEarnedValueOverGrpc) {
  auto portfolios = pv1::PortfoliosService::NewStub(channel_);
  pv1::CreatePortfolioRequest create_pf;
  create_pf.set_request_id("pf-corp");
  create_pf.set_code("CORP");
  create_pf.set_name("Corporate");
  pv1::CreatePortfolioResponse pf;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(portfolios->CreatePortfolio(&ctx, create_pf, &pf).ok());
  }
  pv1::DefineStrategicObjectiveRequest objective;
  objective.set_request_id("obj-growth");
  objective.set_portfolio_id(pf.portfolio().portfolio_id());
  objective.set_name("Growth");
  objective.set_weight(2);
  pv1::DefineStrategicObjectiveResponse growth;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(
        portfolios->DefineStrategicObjective(&ctx, objective, &growth).ok());
  }
  pv1::CreateProgrammeRequest create_pg;
  create_pg.set_request_id("pg-digital");
  create_pg.set_code("DIGITAL");
  create_pg.set_name("Digital");
  create_pg.set_portfolio_id(pf.portfolio().portfolio_id());
  pv1::CreateProgrammeResponse pg;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(portfolios->CreateProgramme(&ctx, create_pg, &pg).ok());
  }
  std::vector<std::string> ids;
  for (const char* code : {"RANK-A", "RANK-B"}) {
    grpc::ClientContext ctx;
    pv1::CreateProjectResponse created;
    ASSERT_TRUE(
        projects_
            ->CreateProject(&ctx, testing::NewProjectRequest(code), &created)
            .ok());
    ids.push_back(created.project().project_id());
    pv1::AssignProjectToProgrammeRequest assign;
    assign.set_request_id(std::string("assign-") + code);
    assign.set_project_id(ids.back());
    assign.set_programme_id(pg.programme().programme_id());
    grpc::ClientContext ctx2;
    pv1::AssignProjectToProgrammeResponse assigned;
    ASSERT_TRUE(
        portfolios->AssignProjectToProgramme(&ctx2, assign, &assigned).ok());
    pv1::ScoreProjectRequest score;
    score.set_request_id(std::string("score-") + code);
    score.set_project_id(ids.back());
    score.set_portfolio_id(pf.portfolio().portfolio_id());
    score.set_objective_id(growth.objective_id());
    score.set_score(code == std::string("RANK-A") ? 4 : 9);
    grpc::ClientContext ctx3;
    pv1::ScoreProjectResponse scored;
    ASSERT_TRUE(portfolios->ScoreProject(&ctx3, score, &scored).ok());
  }
  {
    pv1::RankPortfolioRequest req;
    req.set_portfolio_id(pf.portfolio().portfolio_id());
    grpc::ClientContext ctx;
    pv1::RankPortfolioResponse ranking;
    ASSERT_TRUE(portfolios->RankPortfolio(&ctx, req, &ranking).ok());
    ASSERT_EQ(ranking.projects_size(), 2);
    EXPECT_EQ(ranking.projects(0).code(), "RANK-B");
    EXPECT_DOUBLE_EQ(ranking.projects(0).weighted_score(), 9.0);
  }
  // Budget, a cost and progress, then earned value on a status date.
  pv1::SetBudgetRequest budget;
  budget.set_request_id("budget-a");
  budget.set_project_id(ids[0]);
  budget.mutable_budget()->set_currency("EUR");
  budget.mutable_budget()->set_budget_at_completion_minor(1000000);
  auto* period = budget.mutable_budget()->add_planned_values();
  period->mutable_date()->set_year(2020);
  period->mutable_date()->set_month(1);
  period->mutable_date()->set_day(31);
  period->set_amount_minor(1000000);
  {
    grpc::ClientContext ctx;
    pv1::SetBudgetResponse resp;
    grpc::Status s = projects_->SetBudget(&ctx, budget, &resp);
    ASSERT_TRUE(s.ok()) << s.error_message();
    EXPECT_EQ(resp.project().budget().budget_at_completion_minor(), 1000000);
  }
  {
    pv1::RecordActualCostRequest cost;
    cost.set_request_id("cost-a");
    cost.set_project_id(ids[0]);
    cost.mutable_cost_date()->set_year(2020);
    cost.mutable_cost_date()->set_month(1);
    cost.mutable_cost_date()->set_day(15);
    cost.set_amount_minor(-5);
    cost.set_category("labour");
    grpc::ClientContext ctx;
    pv1::RecordActualCostResponse resp;
    grpc::Status bad = projects_->RecordActualCost(&ctx, cost, &resp);
    EXPECT_THAT(testing::BadRequestFields(bad), ElementsAre("amount_minor"));
    cost.set_amount_minor(500000);
    grpc::ClientContext ctx2;
    ASSERT_TRUE(projects_->RecordActualCost(&ctx2, cost, &resp).ok());
  }
  {
    pv1::ReportProgressRequest progress;
    progress.set_request_id("progress-a");
    progress.set_project_id(ids[0]);
    progress.mutable_measured_on()->set_year(2020);
    progress.mutable_measured_on()->set_month(1);
    progress.mutable_measured_on()->set_day(31);
    progress.set_percent_complete(40);
    grpc::ClientContext ctx;
    pv1::ReportProgressResponse resp;
    ASSERT_TRUE(projects_->ReportProgress(&ctx, progress, &resp).ok());
  }
  {
    // Recorded today, so only a status date from today on sees them.
    const absl::CivilDay today =
        absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()) + 1;
    pv1::GetEarnedValueRequest req;
    req.set_project_id(ids[0]);
    req.mutable_status_date()->set_year(static_cast<int>(today.year()));
    req.mutable_status_date()->set_month(today.month());
    req.mutable_status_date()->set_day(today.day());
    grpc::ClientContext ctx;
    pv1::GetEarnedValueResponse ev;
    grpc::Status s = projects_->GetEarnedValue(&ctx, req, &ev);
    ASSERT_TRUE(s.ok()) << s.error_message();
    EXPECT_EQ(ev.planned_value_minor(), 1000000);
    EXPECT_EQ(ev.earned_value_minor(), 400000);
    EXPECT_EQ(ev.actual_cost_minor(), 500000);
    EXPECT_DOUBLE_EQ(ev.cost_performance_index(), 0.8);
    EXPECT_EQ(ev.computed_health(), pv1::HEALTH_RED);
    EXPECT_EQ(ev.forecast_typical().estimate_at_completion_minor(), 1250000);
  }
}

TEST_F(AllInOneApi, RisksAreRatedOverGrpcAndAnOccurredThreatOpensAnIssue) {
  namespace kv1 = ::pmo::risks::v1;
  pv1::CreateProjectResponse project;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(
        projects_
            ->CreateProject(&ctx, testing::NewProjectRequest("RISKY"), &project)
            .ok());
  }
  auto risks = kv1::RisksService::NewStub(channel_);
  kv1::IdentifyRiskRequest identify;
  identify.set_request_id("risk-1");
  identify.set_level(kv1::RISK_LEVEL_PROJECT);
  identify.set_scope_id(project.project().project_id());
  identify.set_kind(kv1::RISK_KIND_THREAT);
  identify.set_title("Data migration overruns");
  identify.set_category("Technical");
  identify.set_owner("alice");
  kv1::IdentifyRiskResponse identified;
  {
    // The register learns the project in-process, a moment after it is
    // created: FAILED_PRECONDITION (UNKNOWN_PROJECT) until then.
    grpc::Status s = testing::RetryWhileFailedPrecondition(
        [&] {
          grpc::ClientContext ctx;
          return risks->IdentifyRisk(&ctx, identify, &identified);
        },
        absl::Seconds(30));
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  kv1::AssessRiskRequest assess;
  assess.set_request_id("risk-1-assess");
  assess.set_risk_id(identified.risk().risk_id());
  assess.mutable_assessment()->set_probability(3);
  assess.mutable_assessment()->mutable_impact()->set_schedule(4);
  assess.mutable_assessment()->set_cost_impact_minor(1000);
  kv1::AssessRiskResponse assessed;
  {
    grpc::ClientContext ctx;
    grpc::Status s = risks->AssessRisk(&ctx, assess, &assessed);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  // 3 x 4 = 12: HIGH; EV 0.5 x 1000 = 500.
  EXPECT_EQ(assessed.risk().inherent_rating().score(), 12);
  EXPECT_EQ(assessed.risk().inherent_rating().rating(), "HIGH");
  EXPECT_EQ(assessed.risk().inherent_rating().expected_value_minor(), 500);
  assess.set_request_id("risk-1-bad");
  assess.mutable_assessment()->set_probability(9);
  {
    grpc::ClientContext ctx;
    grpc::Status bad = risks->AssessRisk(&ctx, assess, &assessed);
    EXPECT_THAT(testing::BadRequestFields(bad),
                ElementsAre("assessment.probability"));
  }

  kv1::GetContingencyReserveRequest reserve;
  reserve.set_level(kv1::RISK_LEVEL_PROJECT);
  reserve.set_scope_id(project.project().project_id());
  kv1::GetContingencyReserveResponse points;
  {
    grpc::ClientContext ctx;
    grpc::Status s = risks->GetContingencyReserve(&ctx, reserve, &points);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  ASSERT_FALSE(points.points().empty());
  EXPECT_EQ(
      points.points(points.points_size() - 1).threat_expected_value_minor(),
      500);

  kv1::ChangeRiskStatusRequest occur;
  occur.set_request_id("risk-1-occurred");
  occur.set_risk_id(identified.risk().risk_id());
  occur.set_status(kv1::RISK_STATUS_OCCURRED);
  occur.set_reason("Cut-over weekend missed");
  kv1::ChangeRiskStatusResponse occurred;
  {
    grpc::ClientContext ctx;
    grpc::Status s = risks->ChangeRiskStatus(&ctx, occur, &occurred);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  EXPECT_EQ(occurred.issue().priority(), kv1::ISSUE_PRIORITY_HIGH);
  EXPECT_EQ(occurred.risk().issue_id(), occurred.issue().issue_id());
  kv1::ResolveIssueRequest resolve;
  resolve.set_request_id("issue-1-resolve");
  resolve.set_issue_id(occurred.issue().issue_id());
  kv1::ResolveIssueResponse resolved;
  {
    grpc::ClientContext ctx;
    grpc::Status missing = risks->ResolveIssue(&ctx, resolve, &resolved);
    EXPECT_THAT(testing::BadRequestFields(missing), ElementsAre("resolution"));
  }
  resolve.set_resolution("Second cut-over the next weekend");
  {
    grpc::ClientContext ctx;
    grpc::Status s = risks->ResolveIssue(&ctx, resolve, &resolved);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  EXPECT_EQ(resolved.issue().status(), kv1::ISSUE_STATUS_RESOLVED);
}

TEST_F(AllInOneApi, TheOverviewConsolidatesProjectsAndRisksNowAndAsOfADay) {
  namespace kv1 = ::pmo::risks::v1;
  namespace jv1 = ::pmo::projection::v1;
  pv1::CreateProjectResponse project;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(projects_
                    ->CreateProject(
                        &ctx, testing::NewProjectRequest("OVERVIEW"), &project)
                    .ok());
  }
  const std::string id = project.project().project_id();
  auto risks = kv1::RisksService::NewStub(channel_);
  kv1::IdentifyRiskRequest identify;
  identify.set_request_id("overview-risk");
  identify.set_level(kv1::RISK_LEVEL_PROJECT);
  identify.set_scope_id(id);
  identify.set_kind(kv1::RISK_KIND_THREAT);
  identify.set_title("Vendor late");
  identify.set_category("External");
  identify.set_owner("alice");
  kv1::IdentifyRiskResponse identified;
  grpc::Status s = testing::RetryWhileFailedPrecondition(
      [&] {
        grpc::ClientContext ctx;
        return risks->IdentifyRisk(&ctx, identify, &identified);
      },
      absl::Seconds(30));
  ASSERT_TRUE(s.ok()) << s.error_message();
  kv1::AssessRiskRequest assess;
  assess.set_request_id("overview-risk-assess");
  assess.set_risk_id(identified.risk().risk_id());
  assess.mutable_assessment()->set_probability(3);  // 0.5 x 8,000 = 4,000
  assess.mutable_assessment()->mutable_impact()->set_cost(2);
  assess.mutable_assessment()->set_cost_impact_minor(8'000);
  kv1::AssessRiskResponse assessed;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(risks->AssessRisk(&ctx, assess, &assessed).ok());
  }

  // The view takes the risk in a moment later.
  auto view = jv1::PortfolioService::NewStub(channel_);
  jv1::GetPortfolioOverviewRequest request;
  request.set_sort(jv1::OVERVIEW_SORT_RISK_EXPOSURE);
  jv1::GetPortfolioOverviewResponse overview;
  for (const absl::Time deadline = absl::Now() + absl::Seconds(30);;) {
    grpc::ClientContext ctx;
    overview.Clear();
    ASSERT_TRUE(view->GetPortfolioOverview(&ctx, request, &overview).ok());
    if ((overview.projects_size() > 0 &&
         overview.projects(0).risk_exposure_minor() > 0) ||
        absl::Now() > deadline) {
      break;
    }
    absl::SleepFor(absl::Milliseconds(50));
  }
  ASSERT_GT(overview.projects_size(), 0);
  EXPECT_EQ(overview.projects(0).project_id(),
            id);  // the highest exposure first
  EXPECT_EQ(overview.projects(0).risk_exposure_minor(), 4'000);
  EXPECT_EQ(overview.projects(0).open_risks(), 1);
  EXPECT_FALSE(overview.freshness().positions().empty());

  // As of a day before any of it happened: nothing.
  request.mutable_as_of()->set_year(2020);
  request.mutable_as_of()->set_month(1);
  request.mutable_as_of()->set_day(1);
  {
    grpc::ClientContext ctx;
    jv1::GetPortfolioOverviewResponse then;
    ASSERT_TRUE(view->GetPortfolioOverview(&ctx, request, &then).ok());
    EXPECT_EQ(then.total_projects(), 0);
  }
  request.mutable_as_of()->set_month(13);
  {
    grpc::ClientContext ctx;
    jv1::GetPortfolioOverviewResponse bad;
    grpc::Status invalid = view->GetPortfolioOverview(&ctx, request, &bad);
    EXPECT_THAT(testing::BadRequestFields(invalid), ElementsAre("as_of"));
  }
}

// The consolidated views beside the overview, over gRPC: resource load by
// week with each project's share, the risk register, field errors, and a
// rebuild switched in with the live view's digest.
TEST_F(AllInOneApi,
       TheConsolidatedViewsShowLoadAndRisksAndRebuildToTheSameDigest) {
  namespace kv1 = ::pmo::risks::v1;
  namespace rv1 = ::pmo::resources::v1;
  pv1::CreateProjectResponse project;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(
        projects_
            ->CreateProject(&ctx, testing::NewProjectRequest("VIEWS"), &project)
            .ok());
  }
  const std::string id = project.project().project_id();
  auto pool = rv1::ResourcesService::NewStub(channel_);
  rv1::RegisterResourceRequest carol;
  carol.set_request_id("views-carol");
  carol.set_name("Carol");
  carol.set_kind(rv1::RESOURCE_KIND_PERSON);
  for (bool working : {true, true, true, true, true, false, false}) {
    carol.mutable_calendar()->add_working_weekdays(working);
  }
  carol.mutable_calendar()->set_hours_per_day(8);
  carol.mutable_calendar()->mutable_employed_from()->set_year(2027);
  carol.mutable_calendar()->mutable_employed_from()->set_month(1);
  carol.mutable_calendar()->mutable_employed_from()->set_day(1);
  rv1::RegisterResourceResponse registered;
  {
    grpc::ClientContext ctx;
    grpc::Status s = pool->RegisterResource(&ctx, carol, &registered);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  rv1::AllocateResourceRequest
      book;  // 6 h a day, Monday 1 to Friday 5 March 2027
  book.set_request_id("views-book");
  book.set_resource_id(registered.resource().resource_id());
  book.set_project_id(id);
  book.mutable_from()->set_year(2027);
  book.mutable_from()->set_month(3);
  book.mutable_from()->set_day(1);
  *book.mutable_to() = book.from();
  book.mutable_to()->set_day(5);
  book.set_unit(rv1::ALLOCATION_UNIT_HOURS_PER_DAY);
  book.set_amount(6);
  rv1::AllocateResourceResponse booked;
  grpc::Status s = testing::RetryWhileFailedPrecondition(
      [&] {
        grpc::ClientContext ctx;
        return pool->AllocateResource(&ctx, book, &booked);
      },
      absl::Seconds(30));
  ASSERT_TRUE(s.ok()) << s.error_message();
  auto risks = kv1::RisksService::NewStub(channel_);
  kv1::IdentifyRiskRequest identify;
  identify.set_request_id("views-risk");
  identify.set_level(kv1::RISK_LEVEL_PROJECT);
  identify.set_scope_id(id);
  identify.set_kind(kv1::RISK_KIND_OPPORTUNITY);
  identify.set_title("Reuse the CRM connector");
  identify.set_category("Technical");
  identify.set_owner("carol");
  kv1::IdentifyRiskResponse identified;
  s = testing::RetryWhileFailedPrecondition(
      [&] {
        grpc::ClientContext ctx;
        return risks->IdentifyRisk(&ctx, identify, &identified);
      },
      absl::Seconds(30));
  ASSERT_TRUE(s.ok()) << s.error_message();

  auto views = jv1::ConsolidatedViewsService::NewStub(channel_);
  jv1::GetResourceLoadRequest load_request;
  load_request.set_resource_id(registered.resource().resource_id());
  *load_request.mutable_first_week() = book.from();
  load_request.set_weeks(1);
  jv1::GetResourceLoadResponse load;
  jv1::ListRiskRegisterRequest register_request;
  register_request.set_project_id(id);
  jv1::ListRiskRegisterResponse entries;
  for (const absl::Time deadline = absl::Now() + absl::Seconds(30);;) {
    grpc::ClientContext load_ctx, register_ctx;
    load.Clear();
    entries.Clear();
    ASSERT_TRUE(views->GetResourceLoad(&load_ctx, load_request, &load).ok());
    ASSERT_TRUE(
        views->ListRiskRegister(&register_ctx, register_request, &entries)
            .ok());
    const bool loaded = load.resources_size() == 1 &&
                        load.resources(0).weeks(0).load_hours() > 0;
    if ((loaded && entries.entries_size() == 1) || absl::Now() > deadline)
      break;
    absl::SleepFor(absl::Milliseconds(50));
  }
  ASSERT_EQ(load.resources_size(), 1);
  ASSERT_EQ(load.resources(0).weeks_size(), 1);
  EXPECT_DOUBLE_EQ(load.resources(0).weeks(0).capacity_hours(), 40);
  EXPECT_DOUBLE_EQ(load.resources(0).weeks(0).load_hours(), 30);
  ASSERT_EQ(load.resources(0).weeks(0).shares_size(), 1);
  EXPECT_EQ(load.resources(0).weeks(0).shares(0).project_code(), "VIEWS");
  EXPECT_FALSE(load.freshness().positions().empty());
  // Stored, then applied in process a moment later: a small positive lag.
  const int64_t lag_ns =
      load.freshness().apply_lag().seconds() * 1'000'000'000 +
      load.freshness().apply_lag().nanos();
  EXPECT_GT(lag_ns, 0);
  EXPECT_LT(lag_ns, 30'000'000'000);
  ASSERT_EQ(entries.entries_size(), 1);
  EXPECT_EQ(entries.entries(0).kind(), jv1::REGISTER_ENTRY_KIND_OPPORTUNITY);
  EXPECT_EQ(entries.entries(0).title(), "Reuse the CRM connector");
  EXPECT_EQ(entries.entries(0).project_code(), "VIEWS");

  load_request.set_weeks(54);
  load_request.set_page_token("not-ours");
  {
    grpc::ClientContext ctx;
    grpc::Status invalid = views->GetResourceLoad(&ctx, load_request, &load);
    EXPECT_THAT(testing::BadRequestFields(invalid),
                UnorderedElementsAre("weeks", "page_token"));
  }

  auto portfolio = jv1::PortfolioService::NewStub(channel_);
  const std::string before = Digest(*portfolio);
  {
    grpc::ClientContext ctx;
    jv1::StartViewRebuildResponse started;
    ASSERT_TRUE(views->StartViewRebuild(&ctx, {}, &started).ok());
  }
  jv1::GetViewRebuildResponse rebuild;
  for (const absl::Time deadline = absl::Now() + absl::Seconds(30);;) {
    grpc::ClientContext ctx;
    ASSERT_TRUE(views->GetViewRebuild(&ctx, {}, &rebuild).ok());
    if (rebuild.rebuild().phase() != jv1::VIEW_REBUILD_PHASE_RUNNING ||
        absl::Now() > deadline)
      break;
    absl::SleepFor(absl::Milliseconds(20));
  }
  EXPECT_EQ(rebuild.rebuild().phase(), jv1::VIEW_REBUILD_PHASE_SWITCHED)
      << rebuild.rebuild().error();
  EXPECT_TRUE(rebuild.rebuild().digests_equal());
  EXPECT_GT(rebuild.rebuild().events_folded(), 0);
  // No topics in process: the view's journal (pmo-projection reads the
  // topics, e2e_rebuild_kafka_test).
  EXPECT_EQ(rebuild.rebuild().source(), jv1::VIEW_REBUILD_SOURCE_JOURNAL);
  EXPECT_EQ(Digest(*portfolio), before);
}

}  // namespace
}  // namespace pmo
