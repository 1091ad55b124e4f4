// Reports and their distribution end to end, twice: pmo-reporting as its
// own process reading pmo-projection over gRPC (with pmo-projects, on a
// real Kafka broker), then the all-in-one `pmo`. In each, one project is
// given a budget, a cost and progress; the earned value report as of
// 31 March 2027 is fetched in JSON, CSV and HTML with the hand-worked
// figures; then a communication plan with a daily report is set up and the
// stakeholder's WatchInbox stream receives the scheduled report.
//
// ERP: budget 100,000 (30,000 planned by 31 Mar, 70,000 by 30 Jun), cost
// 20,000 on 15 Mar, 25 % done on 31 Mar -> PV 30,000, EV 25,000, AC 20,000,
// SV -5,000, CV 5,000, SPI 0.8333 (RED), CPI 1.25. On the S-curve every
// month end before March is 0 (nothing planned, spent or done yet).
//
// Then CRM's task Integrate is made to follow ERP's task Design
// (finish-to-start, 2 days' lag): the dependencies report lists that one
// link, not at risk, and counts it once on each side (CRM depends on 1,
// ERP is depended on by 1), for the enterprise and for CRM alone.
//
// A third scenario (ResourcesAndRisksOnKafka) runs pmo-resources and
// pmo-risks as processes too, and checks the resource utilisation and risk
// reports against figures worked out by hand (see the test).

#include <cmath>
#include <functional>
#include <map>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/testing/temp_dir.h"
#include "pmo/projection/v1/portfolio_service.grpc.pb.h"
#include "pmo/projection/v1/views_service.grpc.pb.h"
#include "pmo/projects/v1/projects_service.grpc.pb.h"
#include "pmo/reporting/v1/events.pb.h"
#include "pmo/reporting/v1/reporting_service.grpc.pb.h"
#include "pmo/resources/v1/resources_service.grpc.pb.h"
#include "pmo/risks/v1/risks_service.grpc.pb.h"
#include "tests/support/grpc_testing.h"
#include "tests/support/kafka_broker.h"
#include "tests/support/portfolio_tree.h"
#include "tests/support/project_requests.h"
#include "tests/support/resource_requests.h"
#include "tests/support/risk_requests.h"
#include "tests/support/service_process.h"

namespace pmo {
namespace {

namespace pv1 = ::pmo::projects::v1;
namespace jv1 = ::pmo::projection::v1;
namespace rv1 = ::pmo::reporting::v1;
namespace kv1 = ::pmo::risks::v1;
namespace sv1 = ::pmo::resources::v1;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::ServiceProcess;

google::type::Date D(int y, int m, int d) {
  google::type::Date out;
  out.set_year(y);
  out.set_month(m);
  out.set_day(d);
  return out;
}

void CreateErp(int projects_port, std::string* erp_id) {
  auto projects =
      pv1::ProjectsService::NewStub(testing::LoopbackChannel(projects_port));
  grpc::ClientContext c1;
  pv1::CreateProjectResponse created;
  ASSERT_TRUE(
      projects->CreateProject(&c1, testing::NewProjectRequest("ERP"), &created)
          .ok());
  const std::string id = created.project().project_id();
  *erp_id = id;
  pv1::SetBudgetRequest budget;
  budget.set_request_id("budget-erp");
  budget.set_project_id(id);
  budget.mutable_budget()->set_currency("EUR");
  budget.mutable_budget()->set_budget_at_completion_minor(100'000);
  auto* march = budget.mutable_budget()->add_planned_values();
  *march->mutable_date() = D(2027, 3, 31);
  march->set_amount_minor(30'000);
  auto* june = budget.mutable_budget()->add_planned_values();
  *june->mutable_date() = D(2027, 6, 30);
  june->set_amount_minor(70'000);
  grpc::ClientContext c2;
  pv1::SetBudgetResponse budgeted;
  ASSERT_TRUE(projects->SetBudget(&c2, budget, &budgeted).ok());
  pv1::RecordActualCostRequest cost;
  cost.set_request_id("cost-erp");
  cost.set_project_id(id);
  *cost.mutable_cost_date() = D(2027, 3, 15);
  cost.set_amount_minor(20'000);
  cost.set_category("labour");
  grpc::ClientContext c3;
  pv1::RecordActualCostResponse costed;
  ASSERT_TRUE(projects->RecordActualCost(&c3, cost, &costed).ok());
  pv1::ReportProgressRequest progress;
  progress.set_request_id("progress-erp");
  progress.set_project_id(id);
  *progress.mutable_measured_on() = D(2027, 3, 31);
  progress.set_percent_complete(25);
  grpc::ClientContext c4;
  pv1::ReportProgressResponse reported;
  ASSERT_TRUE(projects->ReportProgress(&c4, progress, &reported).ok());
}

std::string AddTask(pv1::ProjectsService::Stub& projects,
                    const std::string& project_id, const std::string& name) {
  pv1::AddTaskRequest task;
  task.set_request_id("task-" + name);
  task.set_project_id(project_id);
  task.set_name(name);
  task.set_duration_days(10);
  grpc::ClientContext ctx;
  pv1::AddTaskResponse added;
  const grpc::Status s = projects.AddTask(&ctx, task, &added);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return added.task_id();
}

// The link CRM/Integrate after ERP/Design (FS + 2 days).
struct CrossProjectLink {
  std::string crm_id;
  std::string design_task;
  std::string integrate_task;
};

CrossProjectLink AddCrmDependingOnErp(int projects_port,
                                      const std::string& erp_id) {
  auto projects =
      pv1::ProjectsService::NewStub(testing::LoopbackChannel(projects_port));
  CrossProjectLink link;
  grpc::ClientContext c1;
  pv1::CreateProjectResponse created;
  EXPECT_TRUE(
      projects->CreateProject(&c1, testing::NewProjectRequest("CRM"), &created)
          .ok());
  link.crm_id = created.project().project_id();
  link.design_task = AddTask(*projects, erp_id, "Design");
  link.integrate_task = AddTask(*projects, link.crm_id, "Integrate");
  pv1::AddDependencyRequest dependency;
  dependency.set_request_id("crm-after-erp");
  dependency.set_project_id(link.crm_id);
  dependency.mutable_predecessor()->set_project_id(erp_id);
  dependency.mutable_predecessor()->set_task_id(link.design_task);
  dependency.set_successor_task_id(link.integrate_task);
  dependency.set_type(pv1::DEPENDENCY_TYPE_FINISH_TO_START);
  dependency.set_lag_days(2);
  grpc::ClientContext c2;
  pv1::AddDependencyResponse linked;
  const grpc::Status s = projects->AddDependency(&c2, dependency, &linked);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return link;
}

// Waits until the projection's dependency graph has the link.
bool WaitForDependency(int projection_port) {
  auto views = jv1::ConsolidatedViewsService::NewStub(
      testing::LoopbackChannel(projection_port));
  for (const absl::Time deadline = absl::Now() + absl::Seconds(90);
       absl::Now() < deadline;) {
    grpc::ClientContext ctx;
    jv1::GetDependencyGraphResponse graph;
    if (views
            ->GetDependencyGraph(&ctx, jv1::GetDependencyGraphRequest(), &graph)
            .ok() &&
        graph.dependencies_size() == 1) {
      return true;
    }
    absl::SleepFor(absl::Milliseconds(200));
  }
  return false;
}

rv1::RenderedReport DependenciesReport(rv1::ReportsService::Stub& reports,
                                       rv1::ReportFormat format,
                                       const std::string& project_id) {
  rv1::GetReportRequest request;
  request.mutable_spec()->set_type(rv1::REPORT_TYPE_DEPENDENCIES);
  request.mutable_spec()->set_format(format);
  if (!project_id.empty()) {
    request.mutable_spec()->mutable_scope()->set_level(
        rv1::SCOPE_LEVEL_PROJECT);
    request.mutable_spec()->mutable_scope()->set_id(project_id);
  }
  grpc::ClientContext ctx;
  rv1::GetReportResponse response;
  const grpc::Status s = reports.GetReport(&ctx, request, &response);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return response.report();
}

void ExpectDependenciesReport(int reporting_port,
                              const CrossProjectLink& link) {
  auto reports =
      rv1::ReportsService::NewStub(testing::LoopbackChannel(reporting_port));
  const rv1::RenderedReport json =
      DependenciesReport(*reports, rv1::REPORT_FORMAT_JSON, "");
  EXPECT_THAT(json.title(),
              ::testing::StartsWith("Dependencies - Enterprise - "));
  // Task ids, not names: the projection's graph carries no task names.
  EXPECT_THAT(
      json.content(),
      HasSubstr("{\"from_project\":\"ERP\",\"from_task\":\"" +
                link.design_task + "\",\"to_project\":\"CRM\",\"to_task\":\"" +
                link.integrate_task +
                "\",\"type\":\"FS\",\"lag_days\":2,\"at_risk\":\"no\"}"));
  EXPECT_THAT(
      json.content(),
      HasSubstr("{\"project\":\"CRM\",\"depends_on\":1,\"depended_on_by\":0,"
                "\"at_risk\":0},{\"project\":\"ERP\",\"depends_on\":0,"
                "\"depended_on_by\":1,\"at_risk\":0}"));
  const rv1::RenderedReport csv =
      DependenciesReport(*reports, rv1::REPORT_FORMAT_CSV, link.crm_id);
  EXPECT_THAT(csv.title(),
              ::testing::StartsWith("Dependencies - Project CRM - "));
  EXPECT_THAT(csv.content(), HasSubstr("ERP," + link.design_task + ",CRM," +
                                       link.integrate_task + ",FS,2,no\r\n"));
}

// Waits until the projection shows ERP's earned value as of 31 March.
bool WaitForEarnedValue(int projection_port) {
  auto view =
      jv1::PortfolioService::NewStub(testing::LoopbackChannel(projection_port));
  jv1::GetPortfolioOverviewRequest request;
  *request.mutable_as_of() = D(2027, 3, 31);
  for (const absl::Time deadline = absl::Now() + absl::Seconds(90);
       absl::Now() < deadline;) {
    grpc::ClientContext ctx;
    jv1::GetPortfolioOverviewResponse response;
    if (view->GetPortfolioOverview(&ctx, request, &response).ok() &&
        response.projects_size() == 1 &&
        response.projects(0).earned_value().earned_value_minor() == 25'000) {
      return true;
    }
    absl::SleepFor(absl::Milliseconds(200));
  }
  return false;
}

// A report of the enterprise as of `as_of`.
rv1::RenderedReport ReportAsOf(rv1::ReportsService::Stub& reports,
                               rv1::ReportType type, rv1::ReportFormat format,
                               const google::type::Date& as_of) {
  rv1::GetReportRequest request;
  request.mutable_spec()->set_type(type);
  request.mutable_spec()->set_format(format);
  *request.mutable_spec()->mutable_as_of() = as_of;
  grpc::ClientContext ctx;
  rv1::GetReportResponse response;
  const grpc::Status s = reports.GetReport(&ctx, request, &response);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return response.report();
}

rv1::RenderedReport EarnedValueReport(rv1::ReportsService::Stub& reports,
                                      rv1::ReportFormat format) {
  return ReportAsOf(reports, rv1::REPORT_TYPE_EARNED_VALUE, format,
                    D(2027, 3, 31));
}

void ExpectEarnedValueInThreeFormats(int reporting_port) {
  auto reports =
      rv1::ReportsService::NewStub(testing::LoopbackChannel(reporting_port));
  const rv1::RenderedReport json =
      EarnedValueReport(*reports, rv1::REPORT_FORMAT_JSON);
  EXPECT_EQ(json.media_type(), "application/json");
  EXPECT_EQ(json.title(), "Earned value - Enterprise - 2027-03-31");
  EXPECT_THAT(
      json.content(),
      HasSubstr(
          "{\"code\":\"ERP\",\"name\":\"Project ERP\",\"health\":\"RED\","
          "\"budget_at_completion_minor\":100000,\"planned_value_minor\":30000,"
          "\"earned_value_minor\":25000,\"actual_cost_minor\":20000,"
          "\"schedule_variance_minor\":-5000,\"cost_variance_minor\":5000,"
          "\"spi\":0.8333,\"cpi\":1.2500}"));
  // The S-curve: twelve period ends, nothing before March.
  EXPECT_THAT(
      json.content(),
      HasSubstr("{\"name\":\"PV\",\"values\":[0.0000,0.0000,0.0000,0.0000,"
                "0.0000,0.0000,0.0000,0.0000,0.0000,0.0000,0.0000,"
                "30000.0000]}"));
  EXPECT_THAT(
      json.content(),
      HasSubstr("{\"name\":\"EV\",\"values\":[0.0000,0.0000,0.0000,0.0000,"
                "0.0000,0.0000,0.0000,0.0000,0.0000,0.0000,0.0000,"
                "25000.0000]}"));
  EXPECT_THAT(json.content(), HasSubstr("\"x\":[\"2026-04-30\","));

  const rv1::RenderedReport csv =
      EarnedValueReport(*reports, rv1::REPORT_FORMAT_CSV);
  EXPECT_EQ(csv.media_type(), "text/csv; charset=utf-8");
  EXPECT_THAT(
      csv.content(),
      HasSubstr(
          "ERP,Project "
          "ERP,RED,100000,30000,25000,20000,-5000,5000,0.8333,1.2500\r\n"));
  EXPECT_THAT(csv.content(),
              HasSubstr("2027-03-31,30000,25000,20000,0.8333,1.2500\r\n"));

  const rv1::RenderedReport html =
      EarnedValueReport(*reports, rv1::REPORT_FORMAT_HTML);
  EXPECT_EQ(html.media_type(), "text/html; charset=utf-8");
  EXPECT_THAT(html.content(), HasSubstr("<polyline"));
  EXPECT_THAT(html.content(), HasSubstr("<td class=\"n\">25000</td>"));
  EXPECT_THAT(html.content(), Not(HasSubstr("<script")));

  rv1::GetReportResponse none;
  rv1::GetReportRequest bad;
  grpc::ClientContext bad_ctx;
  const grpc::Status refused = reports->GetReport(&bad_ctx, bad, &none);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(testing::BadRequestFields(refused),
              ::testing::UnorderedElementsAre("spec.type", "spec.format"));
}

// Sets up a plan whose daily status report starts now, and returns the
// first item the stakeholder's WatchInbox stream receives.
rv1::InboxItem ScheduledReportOnTheWatchStream(int reporting_port) {
  auto channel = testing::LoopbackChannel(reporting_port);
  auto plans = rv1::CommunicationService::NewStub(channel);
  rv1::CreateCommunicationPlanRequest create;
  create.set_request_id("plan-board");
  create.set_name("Board reporting");
  grpc::ClientContext c1;
  rv1::CreateCommunicationPlanResponse plan;
  EXPECT_TRUE(plans->CreateCommunicationPlan(&c1, create, &plan).ok());
  rv1::AddStakeholderRequest sponsor;
  sponsor.set_request_id("sponsor");
  sponsor.set_plan_id(plan.plan().plan_id());
  sponsor.set_name("Sponsor");
  sponsor.set_role("sponsor");
  grpc::ClientContext c2;
  rv1::AddStakeholderResponse added;
  EXPECT_TRUE(plans->AddStakeholder(&c2, sponsor, &added).ok());

  // Watch first: the stream must deliver what arrives after it opened.
  grpc::ClientContext watch_ctx;
  watch_ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(60)));
  rv1::WatchInboxRequest watch;
  watch.set_stakeholder_id(added.stakeholder_id());
  auto stream = plans->WatchInbox(&watch_ctx, watch);

  rv1::AddDistributionRequest daily;
  daily.set_request_id("daily-status");
  daily.set_plan_id(plan.plan().plan_id());
  daily.set_stakeholder_id(added.stakeholder_id());
  daily.mutable_report()->set_type(rv1::REPORT_TYPE_PORTFOLIO_STATUS);
  daily.mutable_report()->set_format(rv1::REPORT_FORMAT_HTML);
  daily.set_frequency(rv1::FREQUENCY_DAILY);
  daily.set_channel(rv1::CHANNEL_INBOX);
  grpc::ClientContext c3;
  rv1::AddDistributionResponse distributed;
  const grpc::Status s = plans->AddDistribution(&c3, daily, &distributed);
  EXPECT_TRUE(s.ok()) << s.error_message();

  rv1::WatchInboxResponse first;
  EXPECT_TRUE(stream->Read(&first));
  watch_ctx.TryCancel();
  rv1::WatchInboxResponse ignored;
  while (stream->Read(&ignored)) {
  }
  (void)stream->Finish();
  return first.item();
}

void ExpectScheduledStatusReport(const rv1::InboxItem& item) {
  EXPECT_EQ(item.sequence(), 1);
  ASSERT_TRUE(item.has_report());
  const std::string today =
      absl::FormatCivilTime(absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()));
  EXPECT_EQ(item.report().report().title(),
            "Portfolio status - Enterprise - " + today);
  EXPECT_EQ(item.report().report().media_type(), "text/html; charset=utf-8");
  EXPECT_THAT(item.report().report().content(),
              HasSubstr("<td>Project ERP</td>"));
}

// Alice and Bob work 8 h a day, Monday to Friday. Alice: 60 % ERP and
// 60 % CRM in the week of 1 March 2027 (48 h of 40: 120 %, 8 h over, each
// of the 5 days 1.6 h over), 100 % CRM in the week of 15 March (exactly
// full: not over). Bob: 50 % ERP for the weeks of 1 and 8 March. The
// report as of 3 March covers the 4 weeks from 1 March (160 h each):
//   Alice 120.0, 0.0, 100.0, 0.0 %; average 88/160 = 55.0 %
//   Bob    50.0, 50.0, 0.0, 0.0 %;  average 40/160 = 25.0 %
//   one over-allocated resource-week: Alice, 2027-03-01, 40.0, 48.0, 8.0.
void BookAliceAndBob(int resources_port, const testing::PortfolioTree& tree) {
  auto pool =
      sv1::ResourcesService::NewStub(testing::LoopbackChannel(resources_port));
  std::map<std::string, std::string> ids;
  for (const char* name : {"Alice", "Bob"}) {
    grpc::ClientContext ctx;
    sv1::RegisterResourceResponse registered;
    const grpc::Status s = pool->RegisterResource(
        &ctx, testing::NewPersonRequest(name), &registered);
    ASSERT_TRUE(s.ok()) << s.error_message();
    ids[name] = registered.resource().resource_id();
  }
  const std::string& erp = tree.project_ids[0];
  const std::string& crm = tree.project_ids[1];
  const absl::CivilDay mar1(2027, 3, 1);
  for (const sv1::AllocateResourceRequest& booking :
       {testing::BookingRequest("alice-erp", ids["Alice"], erp, mar1, mar1 + 4,
                                60),
        testing::BookingRequest("alice-crm", ids["Alice"], crm, mar1, mar1 + 4,
                                60),
        testing::BookingRequest("alice-crm-15", ids["Alice"], crm, mar1 + 14,
                                mar1 + 18, 100),
        testing::BookingRequest("bob-erp", ids["Bob"], erp, mar1, mar1 + 11,
                                50)}) {
    sv1::AllocateResourceResponse booked;
    // The pool learns the projects from Kafka: until it has, a booking is
    // refused.
    const grpc::Status s = testing::RetryWhileFailedPrecondition([&] {
      grpc::ClientContext ctx;
      return pool->AllocateResource(&ctx, booking, &booked);
    });
    ASSERT_TRUE(s.ok()) << booking.request_id() << ": " << s.error_message();
  }
}

// Default 5x5 matrix (probability of level 1..5: 0.1, 0.3, 0.5, 0.7, 0.9;
// score = probability x impact):
//   ERP "Supplier Acme fails"   P3 I4 10,000 -> score 12, exposure 5,000
//   CRM "Supplier Acme fails"   P2 I3 20,000 -> score  6, exposure 6,000
//   ERP "Key architect leaves"  P4 I2  8,000 -> score  8, exposure 5,600
//   CRM "Reuse ERP interfaces"  opportunity P3 I2 3,000 (not a threat: in
//                               neither the heat map nor the top exposures)
// The two Acme risks combined at portfolio level: expected 11,000, worst
// case 30,000, probability that either happens 1 - 0.5 x 0.7 = 0.65.
// Heat map (rows impact 5..1, columns probability 1..5): one threat each in
// (I4,P3), (I3,P2), (I2,P4). Top exposures: CRM Acme 6,000, ERP architect
// 5,600, ERP Acme 5,000.
std::string IdentifyAndAssessRisks(int risks_port,
                                   const testing::PortfolioTree& tree) {
  auto risks = kv1::RisksService::NewStub(testing::LoopbackChannel(risks_port));
  const std::string& erp = tree.project_ids[0];
  const std::string& crm = tree.project_ids[1];
  struct Line {
    std::string key, project, title;
    kv1::RiskKind kind;
    int probability, impact;
    int64_t money;
  };
  std::map<std::string, std::string> ids;
  for (const Line& l :
       std::vector<Line>{{"erp-acme", erp, "Supplier Acme fails",
                          kv1::RISK_KIND_THREAT, 3, 4, 10'000},
                         {"crm-acme", crm, "Supplier Acme fails",
                          kv1::RISK_KIND_THREAT, 2, 3, 20'000},
                         {"erp-architect", erp, "Key architect leaves",
                          kv1::RISK_KIND_THREAT, 4, 2, 8'000},
                         {"crm-reuse", crm, "Reuse ERP interfaces",
                          kv1::RISK_KIND_OPPORTUNITY, 3, 2, 3'000}}) {
    kv1::IdentifyRiskResponse identified;
    const grpc::Status s = testing::RetryWhileFailedPrecondition([&] {
      grpc::ClientContext ctx;
      return risks->IdentifyRisk(
          &ctx,
          testing::NewProjectRiskRequest("identify-" + l.key, l.project,
                                         l.title, l.kind),
          &identified);
    });
    EXPECT_TRUE(s.ok()) << l.key << ": " << s.error_message();
    ids[l.key] = identified.risk().risk_id();
    grpc::ClientContext ctx;
    kv1::AssessRiskResponse assessed;
    const grpc::Status a = risks->AssessRisk(
        &ctx,
        testing::AssessRequest("assess-" + l.key, ids[l.key], l.probability,
                               l.impact, l.money),
        &assessed);
    EXPECT_TRUE(a.ok()) << l.key << ": " << a.error_message();
  }
  kv1::CombineRisksRequest combine;
  combine.set_request_id("combine-acme");
  combine.set_level(kv1::RISK_LEVEL_PORTFOLIO);
  combine.set_scope_id(tree.portfolio_id);
  combine.set_title("Acme across the portfolio");
  combine.set_category("External/Suppliers");
  combine.set_owner("pmo");
  combine.add_member_risk_ids(ids["erp-acme"]);
  combine.add_member_risk_ids(ids["crm-acme"]);
  kv1::CombineRisksResponse combined;
  const grpc::Status s = testing::RetryWhileFailedPrecondition([&] {
    grpc::ClientContext ctx;
    return risks->CombineRisks(&ctx, combine, &combined);
  });
  EXPECT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(combined.combined_risk().exposure().expected_value_minor(), 11'000);
  return combined.combined_risk().combined_risk_id();
}

// Waits until the projection holds the bookings and the risks of the
// scenario above.
bool WaitForBookingsAndRisks(int projection_port,
                             const std::string& combined_id) {
  auto views = jv1::ConsolidatedViewsService::NewStub(
      testing::LoopbackChannel(projection_port));
  jv1::GetResourceLoadRequest load_request;
  *load_request.mutable_as_of() = D(2027, 3, 3);
  jv1::ListRiskRegisterRequest register_request;
  *register_request.mutable_as_of() = D(2027, 3, 3);
  for (const absl::Time deadline = absl::Now() + absl::Seconds(90);
       absl::Now() < deadline;) {
    grpc::ClientContext c1, c2;
    jv1::GetResourceLoadResponse load;
    jv1::ListRiskRegisterResponse risks;
    double booked = 0;
    if (views->GetResourceLoad(&c1, load_request, &load).ok()) {
      for (const auto& r : load.resources()) {
        for (const auto& w : r.weeks()) booked += w.load_hours();
      }
    }
    const bool risks_ok =
        views->ListRiskRegister(&c2, register_request, &risks).ok() &&
        risks.entries_size() == 4 && risks.combined_risks_size() == 1 &&
        risks.combined_risks(0).combined_risk_id() == combined_id;
    // 48 + 40 (Alice) + 40 (Bob) hours in the 4 weeks.
    if (std::abs(booked - 128) < 1e-6 && risks_ok) return true;
    absl::SleepFor(absl::Milliseconds(200));
  }
  return false;
}

rv1::RenderedReport ReportAsOfMarch3(rv1::ReportsService::Stub& reports,
                                     rv1::ReportType type,
                                     rv1::ReportFormat format) {
  return ReportAsOf(reports, type, format, D(2027, 3, 3));
}

void ExpectUtilisationReport(int reporting_port) {
  auto reports =
      rv1::ReportsService::NewStub(testing::LoopbackChannel(reporting_port));
  const rv1::RenderedReport json = ReportAsOfMarch3(
      *reports, rv1::REPORT_TYPE_RESOURCE_UTILISATION, rv1::REPORT_FORMAT_JSON);
  EXPECT_EQ(json.title(), "Resource utilisation - Enterprise - 2027-03-03");
  EXPECT_THAT(json.content(),
              HasSubstr("{\"resource\":\"Alice\",\"week_2027-03-01\":120.0,"
                        "\"week_2027-03-08\":0.0,"
                        "\"week_2027-03-15\":100.0,\"week_2027-03-22\":0.0,"
                        "\"average_percent\":55.0}"));
  EXPECT_THAT(json.content(),
              HasSubstr("{\"resource\":\"Bob\",\"week_2027-03-01\":50.0,\"week_"
                        "2027-03-08\":50.0,"
                        "\"week_2027-03-15\":0.0,\"week_2027-03-22\":0.0,"
                        "\"average_percent\":25.0}"));
  EXPECT_THAT(
      json.content(),
      HasSubstr("\"rows\":[{\"resource\":\"Alice\",\"week\":\"2027-03-01\","
                "\"capacity_hours\":40.0,\"booked_hours\":48.0,\"excess_"
                "hours\":8.0}]"));

  const rv1::RenderedReport csv = ReportAsOfMarch3(
      *reports, rv1::REPORT_TYPE_RESOURCE_UTILISATION, rv1::REPORT_FORMAT_CSV);
  EXPECT_THAT(csv.content(), HasSubstr("Alice,120.0,0.0,100.0,0.0,55.0\r\n"));
  EXPECT_THAT(csv.content(), HasSubstr("Bob,50.0,50.0,0.0,0.0,25.0\r\n"));
  EXPECT_THAT(csv.content(), HasSubstr("Alice,2027-03-01,40.0,48.0,8.0\r\n"));

  const rv1::RenderedReport html = ReportAsOfMarch3(
      *reports, rv1::REPORT_TYPE_RESOURCE_UTILISATION, rv1::REPORT_FORMAT_HTML);
  for (const char* cell : {"120.0 %", "55.0 %", "25.0 %", ">48.0<", ">8.0<"}) {
    EXPECT_THAT(html.content(), HasSubstr(cell));
  }
}

void ExpectRiskReport(int reporting_port) {
  auto reports =
      rv1::ReportsService::NewStub(testing::LoopbackChannel(reporting_port));
  const rv1::RenderedReport json = ReportAsOfMarch3(
      *reports, rv1::REPORT_TYPE_RISK, rv1::REPORT_FORMAT_JSON);
  EXPECT_EQ(json.title(), "Risk - Enterprise - 2027-03-03");
  for (const char* row : {"{\"impact\":5,\"probability_1\":0,\"probability_2\":"
                          "0,\"probability_3\":0,"
                          "\"probability_4\":0,\"probability_5\":0}",
                          "{\"impact\":4,\"probability_1\":0,\"probability_2\":"
                          "0,\"probability_3\":1,"
                          "\"probability_4\":0,\"probability_5\":0}",
                          "{\"impact\":3,\"probability_1\":0,\"probability_2\":"
                          "1,\"probability_3\":0,"
                          "\"probability_4\":0,\"probability_5\":0}",
                          "{\"impact\":2,\"probability_1\":0,\"probability_2\":"
                          "0,\"probability_3\":0,"
                          "\"probability_4\":1,\"probability_5\":0}",
                          "{\"impact\":1,\"probability_1\":0,\"probability_2\":"
                          "0,\"probability_3\":0,"
                          "\"probability_4\":0,\"probability_5\":0}"}) {
    EXPECT_THAT(json.content(), HasSubstr(row));
  }
  EXPECT_THAT(
      json.content(),
      HasSubstr(
          "[{\"rank\":1,\"title\":\"Supplier Acme fails\",\"scope\":\"CRM\","
          "\"probability\":2,\"impact\":3,\"exposure_minor\":6000},"
          "{\"rank\":2,\"title\":\"Key architect leaves\",\"scope\":\"ERP\","
          "\"probability\":4,\"impact\":2,\"exposure_minor\":5600},"
          "{\"rank\":3,\"title\":\"Supplier Acme fails\",\"scope\":\"ERP\","
          "\"probability\":3,\"impact\":4,\"exposure_minor\":5000}]"));
  EXPECT_THAT(json.content(), Not(HasSubstr("Reuse ERP interfaces")));

  const rv1::RenderedReport csv =
      ReportAsOfMarch3(*reports, rv1::REPORT_TYPE_RISK, rv1::REPORT_FORMAT_CSV);
  EXPECT_THAT(csv.content(), HasSubstr("4,0,0,1,0,0\r\n"));
  EXPECT_THAT(csv.content(), HasSubstr("3,0,1,0,0,0\r\n"));
  EXPECT_THAT(csv.content(), HasSubstr("2,0,0,0,1,0\r\n"));
  EXPECT_THAT(csv.content(),
              HasSubstr("1,Supplier Acme fails,CRM,2,3,6000\r\n"
                        "2,Key architect leaves,ERP,4,2,5600\r\n"
                        "3,Supplier Acme fails,ERP,3,4,5000\r\n"));

  const rv1::RenderedReport html = ReportAsOfMarch3(
      *reports, rv1::REPORT_TYPE_RISK, rv1::REPORT_FORMAT_HTML);
  for (const char* cell :
       {">Key architect leaves<", ">6000<", ">5600<", ">5000<"}) {
    EXPECT_THAT(html.content(), HasSubstr(cell));
  }
  EXPECT_THAT(html.content(), Not(HasSubstr("Reuse ERP interfaces")));
}

// The combined risk is in the projection's register with its exposure (the
// report lists the members, not the combination).
void ExpectCombinedExposure(int projection_port) {
  auto views = jv1::ConsolidatedViewsService::NewStub(
      testing::LoopbackChannel(projection_port));
  grpc::ClientContext ctx;
  jv1::ListRiskRegisterResponse risks;
  ASSERT_TRUE(
      views->ListRiskRegister(&ctx, jv1::ListRiskRegisterRequest(), &risks)
          .ok());
  ASSERT_EQ(risks.combined_risks_size(), 1);
  const auto& exposure = risks.combined_risks(0).exposure();
  EXPECT_EQ(exposure.expected_value_minor(), 11'000);
  EXPECT_EQ(exposure.worst_case_minor(), 30'000);
  EXPECT_NEAR(exposure.probability_any(), 0.65, 1e-9);
  EXPECT_EQ(exposure.max_score(), 12);
  EXPECT_EQ(risks.risk_exposure_minor(), 16'600);     // 5,000 + 6,000 + 5,600
  EXPECT_EQ(risks.opportunity_value_minor(), 1'500);  // 0.5 x 3,000
}

void Stop(ServiceProcess& s) { EXPECT_EQ(s.StopCleanly(), absl::OkStatus()); }

TEST(EndToEndReporting, SeparateServicesOnKafka) {
  testing::TempDir dir;
  auto broker = testing::KafkaBroker::Start(dir.File("kafka"));
  ASSERT_TRUE(broker.ok()) << broker.status();
  const std::string bootstrap = (*broker)->bootstrap();
  auto args = [&](const std::string& name) {
    return std::vector<std::string>{"--listen",        "127.0.0.1:0",
                                    "--data_dir",      dir.File(name),
                                    "--kafka_brokers", bootstrap};
  };
  ServiceProcess projects("pmo-projects", args("projects"));
  ServiceProcess projection("pmo-projection", args("projection"));
  ASSERT_GT(projects.port, 0);
  ASSERT_GT(projection.port, 0);
  std::vector<std::string> reporting_args = args("reporting");
  for (const std::string& a :
       {std::string("--projection_addr"),
        "127.0.0.1:" + std::to_string(projection.port),
        std::string("--distribution_interval"), std::string("200ms")}) {
    reporting_args.push_back(a);
  }
  ServiceProcess reporting("pmo-reporting", reporting_args);
  ASSERT_GT(reporting.port, 0);

  std::string erp_id;
  CreateErp(projects.port, &erp_id);
  ASSERT_TRUE(WaitForEarnedValue(projection.port));
  ExpectEarnedValueInThreeFormats(reporting.port);
  const CrossProjectLink link = AddCrmDependingOnErp(projects.port, erp_id);
  ASSERT_TRUE(WaitForDependency(projection.port));
  ExpectDependenciesReport(reporting.port, link);
  ExpectScheduledStatusReport(ScheduledReportOnTheWatchStream(reporting.port));

  // Plan created, stakeholder and distribution added, the item delivered,
  // the run recorded: on the reporting topic with CloudEvents headers.
  auto records = testing::ReadTopic(bootstrap, "pmo.reporting.events.v1", 5,
                                    absl::Seconds(60));
  std::vector<std::string> types;
  for (const auto& r : records) {
    types.push_back(r.headers.at("ce_type"));
    EXPECT_EQ(r.headers.at("ce_source"), "/pmo/reporting");
  }
  EXPECT_THAT(types, ::testing::IsSupersetOf(
                         {"pmo.reporting.v1.CommunicationPlanCreated",
                          "pmo.reporting.v1.StakeholderAdded",
                          "pmo.reporting.v1.DistributionAdded",
                          "pmo.reporting.v1.InboxItemDelivered",
                          "pmo.reporting.v1.DistributionRun"}));
  for (ServiceProcess* s : {&reporting, &projection, &projects}) Stop(*s);
}

TEST(EndToEndReporting, ResourcesAndRisksOnKafka) {
  testing::TempDir dir;
  auto broker = testing::KafkaBroker::Start(dir.File("kafka"));
  ASSERT_TRUE(broker.ok()) << broker.status();
  const std::string bootstrap = (*broker)->bootstrap();
  std::map<std::string, std::unique_ptr<ServiceProcess>> services;
  for (const char* name : {"projects", "resources", "risks", "projection"}) {
    auto& s = services[name] = std::make_unique<ServiceProcess>(
        std::string("pmo-") + name,
        testing::KafkaServiceArgs(dir.File(name), bootstrap));
    ASSERT_GT(s->port, 0) << s->binary;
  }
  const int projection_port = services["projection"]->port;
  const std::vector<std::string> reporting_args = testing::KafkaServiceArgs(
      dir.File("reporting"), bootstrap,
      {"--projection_addr", "127.0.0.1:" + std::to_string(projection_port)});
  ServiceProcess reporting("pmo-reporting", reporting_args);
  ASSERT_GT(reporting.port, 0);

  auto tree =
      testing::CreatePortfolioTree(services["projects"]->port, {"ERP", "CRM"});
  ASSERT_TRUE(tree.ok()) << tree.status();
  BookAliceAndBob(services["resources"]->port, *tree);
  const std::string combined_id =
      IdentifyAndAssessRisks(services["risks"]->port, *tree);
  ASSERT_TRUE(WaitForBookingsAndRisks(projection_port, combined_id));
  ExpectUtilisationReport(reporting.port);
  ExpectRiskReport(reporting.port);
  ExpectCombinedExposure(projection_port);
  Stop(reporting);
  for (auto& [name, s] : services) Stop(*s);
}

TEST(EndToEndReporting, AllInOne) {
  testing::TempDir dir;
  ServiceProcess pmo("pmo",
                     {"--listen", "127.0.0.1:0", "--data_dir", dir.File("data"),
                      "--distribution_interval", "200ms"});
  ASSERT_GT(pmo.port, 0);
  std::string erp_id;
  CreateErp(pmo.port, &erp_id);
  ASSERT_TRUE(WaitForEarnedValue(pmo.port));
  ExpectEarnedValueInThreeFormats(pmo.port);
  const CrossProjectLink link = AddCrmDependingOnErp(pmo.port, erp_id);
  ASSERT_TRUE(WaitForDependency(pmo.port));
  ExpectDependenciesReport(pmo.port, link);
  ExpectScheduledStatusReport(ScheduledReportOnTheWatchStream(pmo.port));
  Stop(pmo);
}

}  // namespace
}  // namespace pmo
