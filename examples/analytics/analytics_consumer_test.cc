// The analytics consumer example (consume.py) against a real broker.
//
// 1. pmo-projects and pmo-risks run as separate processes with Kafka; two
//    projects get costs and risks over gRPC; the consumer's CSV must hold
//    the figures computed by hand below.
// 2. Messages with a missing or garbled CloudEvents header, an unknown
//    ce_type or an unreadable value are reported and skipped; the valid
//    messages around them still make the table.

#include <signal.h>
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/testing/temp_dir.h"
#include "libs/cloudevents/cloud_events.h"
#include "pmo/projects/v1/events.pb.h"
#include "pmo/projects/v1/projects_service.grpc.pb.h"
#include "pmo/risks/v1/risks_service.grpc.pb.h"
#include "tests/support/child_process.h"
#include "tests/support/grpc_testing.h"
#include "tests/support/kafka_broker.h"
#include "tests/support/project_requests.h"
#include "tests/support/service_process.h"

namespace pmo {
namespace {

namespace kv1 = ::pmo::risks::v1;
namespace pv1 = ::pmo::projects::v1;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::ServiceProcess;

using CsvRow = std::map<std::string, std::string>;

struct ConsumerRun {
  int exit_code = -1;
  std::vector<std::string> log;  // stdout and stderr, line by line
};

// Runs consume.py with Debian's python3 (PMO_PYTHON3, set by CMake) until it
// stops by itself at the end of the topics.
ConsumerRun RunConsumer(const std::string& bootstrap, const std::string& csv) {
  const char* python = std::getenv("PMO_PYTHON3");
  const char* protos = std::getenv("PMO_ANALYTICS_PROTOS");
  EXPECT_TRUE(python && protos)
      << "run through ctest: PMO_PYTHON3 and PMO_ANALYTICS_PROTOS";
  // The shell joins stderr (the reports) to the pipe the test reads.
  testing::ChildProcess consumer(
      {"/bin/sh", "-c", "exec \"$0\" \"$@\" 2>&1", python ? python : "python3",
       absl::StrCat(PMO_SOURCE_DIR, "/examples/analytics/consume.py"),
       "--bootstrap-servers", bootstrap, "--protos-dir", protos ? protos : "",
       "--output", csv, "--timeout", "240"});
  ConsumerRun run;
  while (auto line = consumer.ReadLine(absl::Seconds(300)))
    run.log.push_back(*line);
  auto status = consumer.Wait(absl::Seconds(30));
  if (status && WIFEXITED(*status)) run.exit_code = WEXITSTATUS(*status);
  return run;
}

std::vector<CsvRow> ReadCsv(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::vector<std::string> columns;
  std::vector<CsvRow> rows;
  if (!std::getline(in, line)) return rows;
  columns = absl::StrSplit(line, ',');
  while (std::getline(in, line)) {
    std::vector<std::string> cells = absl::StrSplit(line, ',');
    CsvRow row;
    for (size_t i = 0; i < columns.size() && i < cells.size(); ++i)
      row[columns[i]] = cells[i];
    rows.push_back(std::move(row));
  }
  return rows;
}

// The money and risk columns of a row, in CSV order, for compact expectations.
std::string Figures(const CsvRow& r) {
  return absl::StrJoin(
      {r.at("actual_cost_minor"), r.at("actual_cost_to_date_minor"),
       r.at("open_threats"), r.at("open_threat_expected_value_minor"),
       r.at("open_opportunities"),
       r.at("open_opportunity_expected_value_minor")},
      " ");
}

google::type::Date Date(int y, int m, int d) {
  google::type::Date date;
  date.set_year(y);
  date.set_month(m);
  date.set_day(d);
  return date;
}

class RiskRegisterClient {
 public:
  explicit RiskRegisterClient(int port)
      : stub_(kv1::RisksService::NewStub(testing::LoopbackChannel(port))) {}

  // Identifies a project risk and assesses it (probability level, money at
  // stake); returns its id.
  std::string IdentifyAndAssess(const std::string& project_id,
                                kv1::RiskKind kind, const std::string& name,
                                int probability, int64_t money) {
    kv1::IdentifyRiskRequest identify;
    identify.set_request_id("identify-" + name);
    identify.set_level(kv1::RISK_LEVEL_PROJECT);
    identify.set_scope_id(project_id);
    identify.set_kind(kind);
    identify.set_title(name);
    identify.set_category("External/Suppliers");
    identify.set_owner("alice");
    kv1::IdentifyRiskResponse identified;
    // The register learns the project from Kafka.
    grpc::Status s = testing::RetryWhileFailedPrecondition([&] {
      grpc::ClientContext ctx;
      return stub_->IdentifyRisk(&ctx, identify, &identified);
    });
    EXPECT_TRUE(s.ok()) << s.error_message();
    Assess(identified.risk().risk_id(), "assess-" + name, false, probability,
           money);
    return identified.risk().risk_id();
  }

  void Assess(const std::string& risk_id, const std::string& request_id,
              bool residual, int probability, int64_t money) {
    kv1::AssessRiskRequest assess;
    assess.set_request_id(request_id);
    assess.set_risk_id(risk_id);
    assess.set_residual(residual);
    assess.mutable_assessment()->set_probability(probability);
    assess.mutable_assessment()->mutable_impact()->set_cost(3);
    assess.mutable_assessment()->set_cost_impact_minor(money);
    kv1::AssessRiskResponse assessed;
    grpc::ClientContext ctx;
    grpc::Status s = stub_->AssessRisk(&ctx, assess, &assessed);
    EXPECT_TRUE(s.ok()) << s.error_message();
  }

  void Close(const std::string& risk_id) {
    kv1::ChangeRiskStatusRequest close;
    close.set_request_id("close-" + risk_id);
    close.set_risk_id(risk_id);
    close.set_status(kv1::RISK_STATUS_CLOSED);
    close.set_reason("supplier replaced");
    kv1::ChangeRiskStatusResponse closed;
    grpc::ClientContext ctx;
    grpc::Status s = stub_->ChangeRiskStatus(&ctx, close, &closed);
    EXPECT_TRUE(s.ok()) << s.error_message();
  }

 private:
  std::unique_ptr<kv1::RisksService::Stub> stub_;
};

TEST(AnalyticsConsumer, DailyCostAndRiskTableFromTheServicesEvents) {
  testing::TempDir dir;
  auto broker = testing::KafkaBroker::Start(dir.File("kafka"));
  ASSERT_TRUE(broker.ok()) << broker.status();
  const std::string bootstrap = (*broker)->bootstrap();
  ServiceProcess projects("pmo-projects",
                          {"--listen", "127.0.0.1:0", "--data_dir",
                           dir.File("projects"), "--kafka_brokers", bootstrap});
  ServiceProcess risks_process(
      "pmo-risks", {"--listen", "127.0.0.1:0", "--data_dir", dir.File("risks"),
                    "--kafka_brokers", bootstrap});
  ASSERT_GT(projects.port, 0);
  ASSERT_GT(risks_process.port, 0);

  auto project_stub =
      pv1::ProjectsService::NewStub(testing::LoopbackChannel(projects.port));
  std::map<std::string, std::string> ids;  // code -> project id
  for (const char* code : {"ERP", "CRM"}) {
    grpc::ClientContext ctx;
    pv1::CreateProjectResponse created;
    ASSERT_TRUE(
        project_stub
            ->CreateProject(&ctx, testing::NewProjectRequest(code), &created)
            .ok());
    ids[code] = created.project().project_id();
  }
  {
    pv1::SetBudgetRequest budget;
    budget.set_request_id("erp-budget");
    budget.set_project_id(ids["ERP"]);
    budget.mutable_budget()->set_currency("EUR");
    budget.mutable_budget()->set_budget_at_completion_minor(1'000'000);
    pv1::PlannedAmount* pv = budget.mutable_budget()->add_planned_values();
    *pv->mutable_date() = Date(2027, 12, 17);
    pv->set_amount_minor(1'000'000);
    grpc::ClientContext ctx;
    pv1::SetBudgetResponse set;
    grpc::Status s = project_stub->SetBudget(&ctx, budget, &set);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  // ERP: 1 Feb 150,000 + 30,000; 3 Feb 50,000. CRM: 1 Feb 70,000.
  for (auto [code, day, amount] :
       {std::tuple{"ERP", 1, 150'000}, std::tuple{"ERP", 1, 30'000},
        std::tuple{"ERP", 3, 50'000}, std::tuple{"CRM", 1, 70'000}}) {
    pv1::RecordActualCostRequest cost;
    cost.set_request_id(absl::StrCat("cost-", code, "-", day, "-", amount));
    cost.set_project_id(ids[code]);
    *cost.mutable_cost_date() = Date(2027, 2, day);
    cost.set_amount_minor(amount);
    cost.set_category("labour");
    grpc::ClientContext ctx;
    pv1::RecordActualCostResponse recorded;
    grpc::Status s = project_stub->RecordActualCost(&ctx, cost, &recorded);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  // The default 5x5 matrix: probability level 1, 2, 3 -> 0.1, 0.3, 0.5.
  // ERP: threat 0.5 x 10,000 = 5,000 open; opportunity 0.3 x 20,000 = 6,000
  // open; threat 0.5 x 8,000 closed, so it counts nowhere.
  // CRM: threat 0.3 x 20,000, residual 0.1 x 20,000 = 2,000 open.
  RiskRegisterClient register_client(risks_process.port);
  register_client.IdentifyAndAssess(ids["ERP"], kv1::RISK_KIND_THREAT,
                                    "erp-acme", 3, 10'000);
  register_client.IdentifyAndAssess(ids["ERP"], kv1::RISK_KIND_OPPORTUNITY,
                                    "erp-reuse", 2, 20'000);
  std::string closed = register_client.IdentifyAndAssess(
      ids["ERP"], kv1::RISK_KIND_THREAT, "erp-licence", 3, 8'000);
  register_client.Close(closed);
  std::string crm = register_client.IdentifyAndAssess(
      ids["CRM"], kv1::RISK_KIND_THREAT, "crm-acme", 2, 20'000);
  register_client.Assess(crm, "crm-residual", true, 1, 20'000);
  ASSERT_FALSE(::testing::Test::HasFailure());

  // Everything published before the consumer starts (it reads to the end the
  // topics have when it starts): 2 created + budget + 4 costs; per risk
  // identified, assessed, status changed (x4), closed, CRM's residual.
  auto project_events = testing::ReadTopic(bootstrap, "pmo.projects.events.v1",
                                           7, absl::Seconds(60));
  auto risk_events = testing::ReadTopic(bootstrap, "pmo.risks.events.v1", 14,
                                        absl::Seconds(60));
  ASSERT_EQ(project_events.size(), 7u);
  ASSERT_EQ(risk_events.size(), 14u);
  // The days the register's events happened on (normally one: today, UTC).
  std::set<std::string> risk_days;
  for (const auto& r : risk_events)
    risk_days.insert(r.headers.at("ce_time").substr(0, 10));

  const std::string csv = dir.File("daily.csv");
  ConsumerRun run = RunConsumer(bootstrap, csv);
  ASSERT_EQ(run.exit_code, 0) << absl::StrJoin(run.log, "\n");
  EXPECT_THAT(
      run.log,
      Contains(HasSubstr("read 21 messages, skipped 0, duplicates 0; wrote")))
      << absl::StrJoin(run.log, "\n");
  EXPECT_THAT(
      run.log,
      Contains(HasSubstr("topic pmo.resources.events.v1 does not exist yet")));

  // Rows dated by the register's days (normally one) end in the final risk
  // state; the 2027 cost days carry it too.
  std::map<std::string, std::vector<std::string>>
      by_project;  // code -> "date figures"
  for (const CsvRow& row : ReadCsv(csv)) {
    ASSERT_EQ(row.at("project_id"), ids[row.at("project_code")]);
    if (risk_days.count(row.at("date"))) {
      // Only the last of the register's days is checked below.
      by_project[row.at("project_code") + "-risk-days"] = {Figures(row)};
    } else {
      by_project[row.at("project_code")].push_back(row.at("date") + " " +
                                                   Figures(row));
    }
    EXPECT_EQ(row.at("currency"), row.at("project_code") == "ERP" ? "EUR" : "");
  }
  EXPECT_THAT(by_project["ERP"],
              ElementsAre("2027-02-01 180000 180000 1 5000 1 6000",
                          "2027-02-03 50000 230000 1 5000 1 6000"));
  EXPECT_THAT(by_project["ERP-risk-days"], ElementsAre("0 0 1 5000 1 6000"));
  EXPECT_THAT(by_project["CRM"],
              ElementsAre("2027-02-01 70000 70000 1 2000 0 0"));
  EXPECT_THAT(by_project["CRM-risk-days"], ElementsAre("0 0 1 2000 0 0"));

  for (ServiceProcess* s : {&projects, &risks_process}) {
    s->process.Signal(SIGTERM);
    auto status = s->process.Wait(absl::Seconds(60));
    ASSERT_TRUE(status.has_value());
    EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << *status;
  }
}

// A record as pmo-projects would publish it: the producer's own headers.
testing::KafkaRecord ProjectEvent(const google::protobuf::Message& event,
                                  const std::string& project_id,
                                  int64_t version, int64_t position) {
  eventstore::RecordedEvent e;
  e.event_id = absl::StrCat("event-", position);
  e.stream_id = project_id;
  e.stream_type = "project";
  e.stream_version = version;
  e.position = position;
  e.occurred_at = absl::FromUnixSeconds(1'800'000'000);
  e.recorded_at = e.occurred_at;
  e.event_type = event.GetDescriptor()->full_name();
  testing::KafkaRecord r;
  r.key = project_id;
  r.value = event.SerializeAsString();
  for (auto& [k, v] : cloudevents::ToHeaders(e, "projects")) r.headers[k] = v;
  return r;
}

TEST(AnalyticsConsumer, ReportsAndSkipsMessagesWithBrokenEnvelopesOrValues) {
  testing::TempDir dir;
  auto broker = testing::KafkaBroker::Start(dir.File("kafka"));
  ASSERT_TRUE(broker.ok()) << broker.status();
  const std::string bootstrap = (*broker)->bootstrap();

  pv1::ProjectCreated created;
  created.set_project_id("p1");
  created.set_code("ERP");
  pv1::ActualCostRecorded cost;
  cost.set_project_id("p1");
  *cost.mutable_cost_date() = Date(2027, 2, 1);
  cost.set_amount_minor(12'345);
  auto broken = [&](int64_t version, auto change) {
    testing::KafkaRecord r = ProjectEvent(cost, "p1", version, version);
    change(r);
    return r;
  };
  std::vector<testing::KafkaRecord> records = {
      ProjectEvent(created, "p1", 1, 1),
      broken(2, [](auto& r) { r.headers.erase("ce_type"); }),
      broken(3, [](auto& r) { r.headers["ce_specversion"] = "0.3"; }),
      broken(4,
             [](auto& r) { r.headers["content-type"] = "application/json"; }),
      broken(5,
             [](auto& r) {
               r.headers["ce_type"] = "pmo.projects.v1.NoSuchEvent";
             }),
      broken(6, [](auto& r) { r.value = "\xff\xff\xff\xff"; }),
      broken(7, [](auto& r) { r.headers["ce_time"] = "\xfe garbled"; }),
      broken(8, [](auto& r) { r.headers["ce_time"] = "yesterday"; }),
      ProjectEvent(cost, "p1", 9, 9),
      ProjectEvent(cost, "p1", 9, 9),  // delivered twice: at-least-once
  };
  ASSERT_TRUE(
      testing::ProduceRecords(bootstrap, "pmo.projects.events.v1", records)
          .ok());

  const std::string csv = dir.File("daily.csv");
  ConsumerRun run = RunConsumer(bootstrap, csv);
  const std::string log = absl::StrJoin(run.log, "\n");
  ASSERT_EQ(run.exit_code, 0) << log;
  // Records keyed "p1" all land in one partition (of 3): its number varies.
  const std::string at = "]@";
  EXPECT_THAT(log, HasSubstr(at + "1: header ce_type is missing"));
  EXPECT_THAT(
      log, HasSubstr(at + "2: header ce_specversion is '0.3', expected 1.0"));
  EXPECT_THAT(log,
              HasSubstr(at + "3: header content-type is 'application/json'"));
  EXPECT_THAT(
      log, HasSubstr(at + "4: unknown ce_type 'pmo.projects.v1.NoSuchEvent'"));
  EXPECT_THAT(
      log,
      HasSubstr(at + "5: value is not a pmo.projects.v1.ActualCostRecorded"));
  EXPECT_THAT(log, HasSubstr(at + "6: header ce_time is not UTF-8"));
  EXPECT_THAT(log,
              HasSubstr(at + "7: header ce_time: 'yesterday' is not RFC 3339"));
  EXPECT_THAT(
      log,
      HasSubstr("read 10 messages, skipped 7, duplicates 1; wrote 1 rows"));

  std::vector<CsvRow> rows = ReadCsv(csv);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].at("date"), "2027-02-01");
  EXPECT_EQ(rows[0].at("project_code"), "ERP");
  EXPECT_EQ(Figures(rows[0]), "12345 12345 0 0 0 0");
}

}  // namespace
}  // namespace pmo
