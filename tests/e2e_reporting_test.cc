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

#include <signal.h>
#include <sys/wait.h>

#include <functional>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/testing/temp_dir.h"
#include "pmo/projection/v1/portfolio_service.grpc.pb.h"
#include "pmo/projection/v1/views_service.grpc.pb.h"
#include "pmo/projects/v1/projects_service.grpc.pb.h"
#include "pmo/reporting/v1/events.pb.h"
#include "pmo/reporting/v1/reporting_service.grpc.pb.h"
#include "tests/support/grpc_testing.h"
#include "tests/support/kafka_broker.h"
#include "tests/support/project_requests.h"
#include "tests/support/service_process.h"

namespace pmo {
namespace {

namespace pv1 = ::pmo::projects::v1;
namespace jv1 = ::pmo::projection::v1;
namespace rv1 = ::pmo::reporting::v1;
using testing::ServiceProcess;
using ::testing::HasSubstr;
using ::testing::Not;

google::type::Date D(int y, int m, int d) {
  google::type::Date out;
  out.set_year(y);
  out.set_month(m);
  out.set_day(d);
  return out;
}

void CreateErp(int projects_port, std::string* erp_id) {
  auto projects = pv1::ProjectsService::NewStub(testing::LoopbackChannel(projects_port));
  grpc::ClientContext c1;
  pv1::CreateProjectResponse created;
  ASSERT_TRUE(projects->CreateProject(&c1, testing::NewProjectRequest("ERP"), &created).ok());
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

std::string AddTask(pv1::ProjectsService::Stub& projects, const std::string& project_id,
                    const std::string& name) {
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

CrossProjectLink AddCrmDependingOnErp(int projects_port, const std::string& erp_id) {
  auto projects = pv1::ProjectsService::NewStub(testing::LoopbackChannel(projects_port));
  CrossProjectLink link;
  grpc::ClientContext c1;
  pv1::CreateProjectResponse created;
  EXPECT_TRUE(projects->CreateProject(&c1, testing::NewProjectRequest("CRM"), &created).ok());
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
  auto views = jv1::ConsolidatedViewsService::NewStub(testing::LoopbackChannel(projection_port));
  for (const absl::Time deadline = absl::Now() + absl::Seconds(90); absl::Now() < deadline;) {
    grpc::ClientContext ctx;
    jv1::GetDependencyGraphResponse graph;
    if (views->GetDependencyGraph(&ctx, jv1::GetDependencyGraphRequest(), &graph).ok() &&
        graph.dependencies_size() == 1) {
      return true;
    }
    absl::SleepFor(absl::Milliseconds(200));
  }
  return false;
}

rv1::RenderedReport DependenciesReport(rv1::ReportsService::Stub& reports, rv1::ReportFormat format,
                                       const std::string& project_id) {
  rv1::GetReportRequest request;
  request.mutable_spec()->set_type(rv1::REPORT_TYPE_DEPENDENCIES);
  request.mutable_spec()->set_format(format);
  if (!project_id.empty()) {
    request.mutable_spec()->mutable_scope()->set_level(rv1::SCOPE_LEVEL_PROJECT);
    request.mutable_spec()->mutable_scope()->set_id(project_id);
  }
  grpc::ClientContext ctx;
  rv1::GetReportResponse response;
  const grpc::Status s = reports.GetReport(&ctx, request, &response);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return response.report();
}

void ExpectDependenciesReport(int reporting_port, const CrossProjectLink& link) {
  auto reports = rv1::ReportsService::NewStub(testing::LoopbackChannel(reporting_port));
  const rv1::RenderedReport json = DependenciesReport(*reports, rv1::REPORT_FORMAT_JSON, "");
  EXPECT_THAT(json.title(), ::testing::StartsWith("Dependencies - Enterprise - "));
  // Task ids, not names: the projection's graph carries no task names.
  EXPECT_THAT(json.content(),
              HasSubstr("{\"from_project\":\"ERP\",\"from_task\":\"" + link.design_task +
                        "\",\"to_project\":\"CRM\",\"to_task\":\"" + link.integrate_task +
                        "\",\"type\":\"FS\",\"lag_days\":2,\"at_risk\":\"no\"}"));
  EXPECT_THAT(json.content(),
              HasSubstr("{\"project\":\"CRM\",\"depends_on\":1,\"depended_on_by\":0,"
                        "\"at_risk\":0},{\"project\":\"ERP\",\"depends_on\":0,"
                        "\"depended_on_by\":1,\"at_risk\":0}"));
  const rv1::RenderedReport csv = DependenciesReport(*reports, rv1::REPORT_FORMAT_CSV, link.crm_id);
  EXPECT_THAT(csv.title(), ::testing::StartsWith("Dependencies - Project CRM - "));
  EXPECT_THAT(csv.content(), HasSubstr("ERP," + link.design_task + ",CRM," + link.integrate_task +
                                       ",FS,2,no\r\n"));
}

// Waits until the projection shows ERP's earned value as of 31 March.
bool WaitForEarnedValue(int projection_port) {
  auto view = jv1::PortfolioService::NewStub(testing::LoopbackChannel(projection_port));
  jv1::GetPortfolioOverviewRequest request;
  *request.mutable_as_of() = D(2027, 3, 31);
  for (const absl::Time deadline = absl::Now() + absl::Seconds(90); absl::Now() < deadline;) {
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

rv1::RenderedReport EarnedValueReport(rv1::ReportsService::Stub& reports, rv1::ReportFormat format) {
  rv1::GetReportRequest request;
  request.mutable_spec()->set_type(rv1::REPORT_TYPE_EARNED_VALUE);
  request.mutable_spec()->set_format(format);
  *request.mutable_spec()->mutable_as_of() = D(2027, 3, 31);
  grpc::ClientContext ctx;
  rv1::GetReportResponse response;
  const grpc::Status s = reports.GetReport(&ctx, request, &response);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return response.report();
}

void ExpectEarnedValueInThreeFormats(int reporting_port) {
  auto reports = rv1::ReportsService::NewStub(testing::LoopbackChannel(reporting_port));
  const rv1::RenderedReport json = EarnedValueReport(*reports, rv1::REPORT_FORMAT_JSON);
  EXPECT_EQ(json.media_type(), "application/json");
  EXPECT_EQ(json.title(), "Earned value - Enterprise - 2027-03-31");
  EXPECT_THAT(json.content(),
              HasSubstr("{\"code\":\"ERP\",\"name\":\"Project ERP\",\"health\":\"RED\","
                        "\"budget_at_completion_minor\":100000,\"planned_value_minor\":30000,"
                        "\"earned_value_minor\":25000,\"actual_cost_minor\":20000,"
                        "\"schedule_variance_minor\":-5000,\"cost_variance_minor\":5000,"
                        "\"spi\":0.8333,\"cpi\":1.2500}"));
  // The S-curve: twelve period ends, nothing before March.
  EXPECT_THAT(json.content(), HasSubstr("{\"name\":\"PV\",\"values\":[0.0000,0.0000,0.0000,0.0000,"
                                        "0.0000,0.0000,0.0000,0.0000,0.0000,0.0000,0.0000,"
                                        "30000.0000]}"));
  EXPECT_THAT(json.content(), HasSubstr("{\"name\":\"EV\",\"values\":[0.0000,0.0000,0.0000,0.0000,"
                                        "0.0000,0.0000,0.0000,0.0000,0.0000,0.0000,0.0000,"
                                        "25000.0000]}"));
  EXPECT_THAT(json.content(), HasSubstr("\"x\":[\"2026-04-30\","));

  const rv1::RenderedReport csv = EarnedValueReport(*reports, rv1::REPORT_FORMAT_CSV);
  EXPECT_EQ(csv.media_type(), "text/csv; charset=utf-8");
  EXPECT_THAT(csv.content(),
              HasSubstr("ERP,Project ERP,RED,100000,30000,25000,20000,-5000,5000,0.8333,1.2500\r\n"));
  EXPECT_THAT(csv.content(), HasSubstr("2027-03-31,30000,25000,20000,0.8333,1.2500\r\n"));

  const rv1::RenderedReport html = EarnedValueReport(*reports, rv1::REPORT_FORMAT_HTML);
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
  EXPECT_EQ(item.report().report().title(), "Portfolio status - Enterprise - " + today);
  EXPECT_EQ(item.report().report().media_type(), "text/html; charset=utf-8");
  EXPECT_THAT(item.report().report().content(), HasSubstr("<td>Project ERP</td>"));
}

void Stop(ServiceProcess& s) {
  s.process.Signal(SIGTERM);
  auto status = s.process.Wait(absl::Seconds(60));
  ASSERT_TRUE(status.has_value());
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << *status;
}

TEST(EndToEndReporting, SeparateServicesOnKafka) {
  testing::TempDir dir;
  auto broker = testing::KafkaBroker::Start(dir.File("kafka"));
  ASSERT_TRUE(broker.ok()) << broker.status();
  const std::string bootstrap = (*broker)->bootstrap();
  auto args = [&](const std::string& name) {
    return std::vector<std::string>{"--listen", "127.0.0.1:0", "--data_dir", dir.File(name),
                                    "--kafka_brokers", bootstrap};
  };
  ServiceProcess projects("pmo-projects", args("projects"));
  ServiceProcess projection("pmo-projection", args("projection"));
  ASSERT_GT(projects.port, 0);
  ASSERT_GT(projection.port, 0);
  std::vector<std::string> reporting_args = args("reporting");
  for (const std::string& a : {std::string("--projection_addr"),
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
  auto records = testing::ReadTopic(bootstrap, "pmo.reporting.events.v1", 5, absl::Seconds(60));
  std::vector<std::string> types;
  for (const auto& r : records) {
    types.push_back(r.headers.at("ce_type"));
    EXPECT_EQ(r.headers.at("ce_source"), "/pmo/reporting");
  }
  EXPECT_THAT(types, ::testing::IsSupersetOf({"pmo.reporting.v1.CommunicationPlanCreated",
                                              "pmo.reporting.v1.StakeholderAdded",
                                              "pmo.reporting.v1.DistributionAdded",
                                              "pmo.reporting.v1.InboxItemDelivered",
                                              "pmo.reporting.v1.DistributionRun"}));
  for (ServiceProcess* s : {&reporting, &projection, &projects}) Stop(*s);
}

TEST(EndToEndReporting, AllInOne) {
  testing::TempDir dir;
  ServiceProcess pmo("pmo", {"--listen", "127.0.0.1:0", "--data_dir", dir.File("data"),
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
