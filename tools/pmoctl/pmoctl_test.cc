// pmoctl as a user runs it: the real binary against a real all-in-one `pmo`
// on 127.0.0.1:0. Every command group is exercised; table output, JSON
// output (parsed back into the response messages), exit codes, the config
// file and environment, and bash completion are checked.

#include <signal.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "libs/base/testing/temp_dir.h"
#include "pmo/configuration/v1/change_control_service.pb.h"
#include "pmo/configuration/v1/configuration_service.pb.h"
#include "pmo/configuration/v1/documents_service.pb.h"
#include "pmo/configuration/v1/library_service.pb.h"
#include "pmo/configuration/v1/quality_service.pb.h"
#include "pmo/configuration/v1/tools_service.pb.h"
#include "pmo/projection/v1/portfolio_service.pb.h"
#include "pmo/projects/v1/portfolios_service.pb.h"
#include "pmo/projects/v1/projects_service.pb.h"
#include "pmo/reporting/v1/reporting_service.pb.h"
#include "pmo/resources/v1/resources_service.pb.h"
#include "pmo/risks/v1/events.pb.h"
#include "pmo/risks/v1/risks_service.pb.h"
#include "tests/support/child_process.h"
#include "tests/support/service_process.h"

namespace pmo {
namespace {

namespace pv1 = ::pmo::projects::v1;
namespace rv1 = ::pmo::resources::v1;
namespace kv1 = ::pmo::risks::v1;
namespace jv1 = ::pmo::projection::v1;
namespace cv1 = ::pmo::configuration::v1;
namespace ov1 = ::pmo::reporting::v1;
using ::testing::AllOf;
using ::testing::HasSubstr;

using Result = testing::FinishedRun;

class PmoctlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // A home of its own: no user's config file or settings leak in.
    setenv("HOME", dir_.path().c_str(), 1);
    for (const char* name :
         {"PMO_ADDR", "PMO_PRINCIPAL", "PMOCTL_OUTPUT", "PMOCTL_CONFIG",
          "PMOCTL_TIMEOUT", "XDG_CONFIG_HOME"}) {
      unsetenv(name);
    }
    server_ = std::make_unique<testing::ServiceProcess>(
        "pmo", std::vector<std::string>{"--listen", "127.0.0.1:0", "--data_dir",
                                        dir_.File("data")});
    ASSERT_GT(server_->port, 0);
    addr_ = "127.0.0.1:" + std::to_string(server_->port);
  }

  void TearDown() override {
    if (!server_) return;
    server_->process.Signal(SIGTERM);
    server_->process.Wait(absl::Seconds(60));
  }

  // Runs the built pmoctl with `args` (no --addr added).
  Result RunRaw(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {testing::PmoBinary("pmoctl")};
    argv.insert(argv.end(), args.begin(), args.end());
    return testing::RunToEnd(argv, dir_.File("stderr"));
  }

  // Runs pmoctl against the test's server.
  Result Run(std::vector<std::string> args) {
    args.insert(args.begin(), {"--addr", addr_});
    return RunRaw(args);
  }

  // Runs a command that must succeed.
  std::string Ok(const std::vector<std::string>& args) {
    Result r = Run(args);
    EXPECT_EQ(r.exit_code, 0) << absl::StrJoin(args, " ") << "\n" << r.err;
    return r.out;
  }

  // Runs with --output json and parses the answer as `Response`.
  template <typename Response>
  Response Json(std::vector<std::string> args) {
    args.insert(args.begin(), {"--output", "json"});
    const std::string out = OkOnceKnown(args);
    Response response;
    auto status = google::protobuf::util::JsonStringToMessage(out, &response);
    EXPECT_TRUE(status.ok()) << status.ToString() << "\n" << out;
    return response;
  }

  // Repeats a command the server refuses with `refusal` until it succeeds:
  // the in-process services learn new projects (FAILED_PRECONDITION in the
  // resources and risks services) and portfolios (NOT_FOUND in the
  // configuration service) from events.
  std::string OkOnceKnown(const std::vector<std::string>& args,
                          const std::string& refusal = "FAILED_PRECONDITION") {
    const absl::Time deadline = absl::Now() + absl::Seconds(30);
    Result r = Run(args);
    while (r.exit_code == 1 && absl::StrContains(r.err, refusal) &&
           absl::Now() < deadline) {
      absl::SleepFor(absl::Milliseconds(200));
      r = Run(args);
    }
    EXPECT_EQ(r.exit_code, 0) << absl::StrJoin(args, " ") << "\n" << r.err;
    return r.out;
  }

  // Runs a read until its output holds `text`: the consolidated view is
  // built from events after the command returned.
  std::string Eventually(const std::vector<std::string>& args,
                         const std::string& text) {
    const absl::Time deadline = absl::Now() + absl::Seconds(30);
    std::string out = Ok(args);
    while (!absl::StrContains(out, text) && absl::Now() < deadline) {
      absl::SleepFor(absl::Milliseconds(200));
      out = Ok(args);
    }
    return out;
  }

  std::string CreateProject(const std::string& code) {
    return Json<pv1::CreateProjectResponse>(
               {"projects", "create", "--code", code, "--name",
                "Project " + code, "--manager", "alice", "--start",
                "2027-01-04", "--end", "2027-12-17"})
        .project()
        .project_id();
  }

  testing::TempDir dir_;
  std::unique_ptr<testing::ServiceProcess> server_;
  std::string addr_;
};

TEST_F(PmoctlTest, HelpUsageErrorsAndExitCodes) {
  Result help = Run({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_THAT(help.out, AllOf(HasSubstr("risks"), HasSubstr("assess"),
                              HasSubstr("Exit codes")));
  Result group = Run({"risks", "--help"});
  EXPECT_EQ(group.exit_code, 0);
  EXPECT_THAT(group.out,
              HasSubstr("pmoctl risks assess RISK_ID --probability LEVEL"));
  Result command = Run({"resources", "allocate", "--help"});
  EXPECT_EQ(command.exit_code, 0);
  EXPECT_THAT(command.out, HasSubstr("--hours-per-day H"));
  Result assess_help = Run({"changes", "assess", "--help"});
  EXPECT_EQ(assess_help.exit_code, 0);
  EXPECT_THAT(assess_help.out, AllOf(HasSubstr("--schedule-days N"),
                                     HasSubstr("--expected-version N"),
                                     HasSubstr("(required)")));

  EXPECT_EQ(Run({}).exit_code, 2);
  Result unknown = Run({"projects", "bogus"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_THAT(unknown.err, HasSubstr("unknown command 'bogus'"));
  Result missing = Run({"projects", "create", "--name", "x"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.err, HasSubstr("--code is required"));
  Result bad_date =
      Run({"costs", "record", "p", "--date", "1 March", "--amount-minor", "x"});
  EXPECT_EQ(bad_date.exit_code, 2);
  EXPECT_THAT(bad_date.err,
              AllOf(HasSubstr("--date must be a date YYYY-MM-DD"),
                    HasSubstr("--amount-minor must be a whole number")));
  Result wrong_option = Run({"projects", "list", "--colour", "red"});
  EXPECT_EQ(wrong_option.exit_code, 2);
  EXPECT_THAT(wrong_option.err, HasSubstr("unknown option --colour"));

  // The server's answers map to distinct codes.
  Result invalid =
      Run({"projects", "create", "--code", "", "--name", "x", "--manager", "a",
           "--start", "2027-01-04", "--end", "2027-12-17"});
  EXPECT_EQ(invalid.exit_code, 1);
  EXPECT_THAT(invalid.err,
              AllOf(HasSubstr("INVALID_ARGUMENT"), HasSubstr("code")));
  Result not_found =
      Run({"projects", "get", "6f1c1d3e-9a7b-4c2d-8e5f-0a1b2c3d4e5f"});
  EXPECT_EQ(not_found.exit_code, 4) << not_found.err;
  const std::string id = CreateProject("ERP");
  Result conflict = Run({"projects", "set-status", id, "APPROVED", "--reason",
                         "board", "--expected-version", "7"});
  EXPECT_EQ(conflict.exit_code, 5) << conflict.err;
  Result unreachable =
      RunRaw({"--addr", "127.0.0.1:1", "--timeout", "2", "projects", "list"});
  EXPECT_EQ(unreachable.exit_code, 3) << unreachable.err;
}

TEST_F(PmoctlTest, ProjectsTasksBudgetsAndEarnedValue) {
  const std::string id = CreateProject("ERP");
  EXPECT_THAT(
      Ok({"projects", "list"}),
      AllOf(HasSubstr("ERP"), HasSubstr("PROPOSED"), HasSubstr("2027-12-17")));
  EXPECT_THAT(
      Ok({"projects", "set-status", id, "approved", "--reason", "board"}),
      HasSubstr("APPROVED"));
  EXPECT_EQ(
      Json<pv1::GetProjectResponse>({"projects", "get", id}).project().status(),
      pv1::PROJECT_STATUS_APPROVED);

  const std::string task =
      Json<pv1::AddTaskResponse>(
          {"tasks", "add", id, "--name", "Design", "--duration-days", "10"})
          .task_id();
  EXPECT_THAT(
      Ok({"tasks", "progress", id, task, "--percent", "50", "--actual-start",
          "2027-01-04"}),
      AllOf(HasSubstr("Design"), HasSubstr("50"), HasSubstr("2027-01-04")));
  auto schedule =
      Json<pv1::GetProjectScheduleResponse>({"tasks", "schedule", id});
  ASSERT_EQ(schedule.tasks_size(), 1);
  EXPECT_TRUE(schedule.tasks(0).critical());
  EXPECT_THAT(Ok({"tasks", "schedule", id}),
              AllOf(HasSubstr("Design"), HasSubstr("yes")));
  EXPECT_THAT(Ok({"projects", "report", id, "--date", "2027-01-29", "--health",
                  "amber", "--summary", "design late"}),
              HasSubstr("ERP"));
  EXPECT_EQ(Run({"projects", "report", id, "--date", "2027-01-29", "--health",
                 "purple", "--summary", "x"})
                .exit_code,
            2);
  // A second task after the first; a baseline; the first replanned longer:
  // both finish later than the baseline says.
  const std::string build =
      Json<pv1::AddTaskResponse>(
          {"tasks", "add", id, "--name", "Build", "--duration-days", "5"})
          .task_id();
  Ok({"tasks", "depend", id, build, "--after", task});
  Ok({"tasks", "baseline", id, "--name", "Approved plan"});
  Ok({"tasks", "replan", id, task, "--duration-days", "15"});
  auto variance = Json<pv1::GetScheduleVarianceResponse>(
      {"tasks", "variance", id, "--baseline", "Approved plan"});
  ASSERT_EQ(variance.tasks_size(), 2);
  EXPECT_GT(variance.finish_variance_days(), 0);
  EXPECT_THAT(Ok({"tasks", "variance", id, "--baseline", "Approved plan"}),
              AllOf(HasSubstr("Build"), HasSubstr("(project)")));
  EXPECT_EQ(
      Run({"tasks", "depend", id, build, "--after", task, "--type", "sideways"})
          .exit_code,
      2);

  EXPECT_THAT(Ok({"budget", "set", id, "--currency", "EUR", "--planned",
                  "2027-06-30=600000", "--planned", "2027-12-17=400000"}),
              AllOf(HasSubstr("EUR"), HasSubstr("1000000")));
  Ok({"costs", "record", id, "--date", "2027-03-01", "--amount-minor", "250000",
      "--category", "labour"});
  Ok({"ev", "progress", id, "--date", "2027-03-31", "--percent", "20"});
  // EV = 20% x BAC 1,000,000; AC = the one cost.
  auto ev = Json<pv1::GetEarnedValueResponse>(
      {"ev", "show", id, "--as-of", "2027-03-31"});
  EXPECT_EQ(ev.budget_at_completion_minor(), 1'000'000);
  EXPECT_EQ(ev.earned_value_minor(), 200'000);
  EXPECT_EQ(ev.actual_cost_minor(), 250'000);
  EXPECT_EQ(ev.currency(), "EUR");
  EXPECT_THAT(
      Ok({"ev", "show", id, "--as-of", "2027-03-31"}),
      AllOf(HasSubstr("EV (minor)"), HasSubstr("200000"), HasSubstr("CPI")));
}

TEST_F(PmoctlTest, PortfoliosProgrammesResourcesAndTheView) {
  const std::string erp = CreateProject("ERP");
  const std::string portfolio =
      Json<pv1::CreatePortfolioResponse>(
          {"portfolios", "create", "--code", "CORP", "--name", "Corporate"})
          .portfolio()
          .portfolio_id();
  const std::string objective = Json<pv1::DefineStrategicObjectiveResponse>(
                                    {"portfolios", "add-objective", portfolio,
                                     "--name", "Growth", "--weight", "60"})
                                    .objective_id();
  const std::string programme =
      Json<pv1::CreateProgrammeResponse>({"programmes", "create", "--code",
                                          "DIGITAL", "--name", "Digital",
                                          "--portfolio", portfolio})
          .programme()
          .programme_id();
  EXPECT_THAT(Ok({"programmes", "assign", erp, programme}),
              HasSubstr(programme));
  Ok({"portfolios", "score", erp, "--portfolio", portfolio, "--objective",
      objective, "--score", "8"});
  EXPECT_THAT(Ok({"portfolios", "rank", portfolio}),
              AllOf(HasSubstr("ERP"), HasSubstr("8.00")));
  EXPECT_THAT(Eventually({"portfolio", "list"}, "ERP"),
              AllOf(HasSubstr("ERP"), HasSubstr("alice")));

  const std::string alice =
      Json<rv1::RegisterResourceResponse>(
          {"resources", "register", "--name", "Alice", "--skill", "sap:4",
           "--rate", "2027-01-01=9000:EUR", "--employed-from", "2027-01-01"})
          .resource()
          .resource_id();
  // 1 March 2027 is a Monday: 8 hours' capacity, 6 booked.
  const std::string allocation =
      Json<rv1::AllocateResourceResponse>(
          {"resources", "allocate", alice, "--project", erp, "--from",
           "2027-03-01", "--to", "2027-03-05", "--hours-per-day", "6"})
          .allocation_id();
  EXPECT_THAT(Ok({"resources", "load", alice, "--from", "2027-03-01", "--to",
                  "2027-03-02"}),
              ::testing::ContainsRegex("2027-03-01 +8\\.0 +6\\.0"));
  EXPECT_THAT(Ok({"resources", "get", alice}),
              AllOf(HasSubstr("Alice"), HasSubstr("HOURS_PER_DAY"),
                    HasSubstr("BOOKED")));
  // A day's training on top of 6 hours booked over-allocates her that day.
  EXPECT_EQ(Json<rv1::RecordAbsenceResponse>(
                {"resources", "absence", alice, "--from", "2027-03-02", "--to",
                 "2027-03-02", "--hours-per-day", "8", "--reason", "training"})
                .newly_over_allocated_size(),
            1);
  EXPECT_EQ(Json<rv1::AddCostRateResponse>({"resources", "add-rate", alice,
                                            "--rate", "2027-07-01=9500:EUR"})
                .resource()
                .cost_rates_size(),
            2);
  Ok({"resources", "holiday", alice, "--on", "2027-03-03"});
  EXPECT_EQ(
      Run({"resources", "add-rate", alice, "--rate", "9500 EUR"}).exit_code, 2);
  const std::string capacity =
      Json<rv1::RequestCapacityResponse>(
          {"--principal", "alice", "capacity", "request", "--project", erp,
           "--skill", "sap:3", "--hours-per-day", "4", "--from", "2027-04-05",
           "--to", "2027-04-09", "--requested-by", "alice"})
          .capacity_request()
          .request_id();
  // Who asked may not decide (separation of duties).
  EXPECT_THAT(Ok({"--principal", "pmo-lead", "capacity", "decide", capacity,
                  "--decision", "approve", "--reason", "budgeted"}),
              HasSubstr("APPROVED"));
  auto fulfilled = Json<rv1::FulfilCapacityRequestResponse>(
      {"capacity", "fulfil", capacity, "--resource", alice});
  EXPECT_EQ(fulfilled.capacity_request().status(),
            rv1::CAPACITY_REQUEST_STATUS_FULFILLED);
  EXPECT_EQ(fulfilled.capacity_request().resource_id(), alice);
  const std::string mentorship =
      Json<rv1::StartMentorshipResponse>(
          {"mentoring", "start", "--mentor", "Maria", "--mentee", "alice"})
          .mentorship()
          .mentorship_id();
  EXPECT_EQ(Json<rv1::RecordMentoringSessionResponse>(
                {"mentoring", "session", mentorship, "--on", "2027-02-01",
                 "--topic", "stakeholders"})
                .mentorship()
                .sessions_size(),
            1);
  Ok({"lessons", "record", erp, "--category", "procurement", "--what-happened",
      "the supplier was late", "--recommendation", "qualify two suppliers",
      "--tag", "supplier"});
  EXPECT_THAT(Ok({"lessons", "search", "--tag", "supplier"}),
              AllOf(HasSubstr("qualify two suppliers"), HasSubstr(erp)));
  // Free people, utilisation and the skill balance over the capacity
  // request's week, when Alice is booked 4 hours a day.
  EXPECT_THAT(Ok({"resources", "free", "--skill", "sap:3", "--from",
                  "2027-05-03", "--to", "2027-05-07", "--hours-per-day", "4"}),
              AllOf(HasSubstr(alice), HasSubstr("Alice")));
  auto utilisation =
      Json<rv1::GetUtilisationResponse>({"resources", "utilisation", "--from",
                                         "2027-04-05", "--to", "2027-04-09"});
  ASSERT_EQ(utilisation.rows_size(), 1);
  EXPECT_GT(utilisation.rows(0).booked_hours(), 0);
  EXPECT_GT(
      Json<rv1::GetCapacityVersusDemandResponse>(
          {"capacity", "balance", "--from", "2027-04-05", "--to", "2027-04-09"})
          .skills_size(),
      0);
  // The training day over-allocated her: levelling has something to propose.
  auto proposed = Json<rv1::ProposeLevellingResponse>(
      {"levelling", "propose", "--from", "2027-03-01", "--to", "2027-03-05"});
  EXPECT_GT(proposed.proposal().over_allocated_days_before(), 0);
  EXPECT_EQ(Json<rv1::DiscardLevellingResponse>(
                {"levelling", "discard", proposed.proposal().proposal_id(),
                 "--reason", "the booking is cancelled instead"})
                .proposal()
                .status(),
            rv1::LEVELLING_PROPOSAL_STATUS_DISCARDED);
  auto cancelled = Json<rv1::CancelAllocationResponse>(
      {"resources", "cancel", alice, allocation, "--reason", "descoped"});
  ASSERT_EQ(cancelled.resource().allocations_size(), 2);
  EXPECT_EQ(cancelled.resource().allocations(0).status(),
            rv1::ALLOCATION_STATUS_CANCELLED);
  EXPECT_THAT(Ok({"resources", "load", alice, "--from", "2027-03-01", "--to",
                  "2027-03-01"}),
              ::testing::ContainsRegex("2027-03-01 +8\\.0 +0\\.0"));
}

TEST_F(PmoctlTest, TheRiskRegisterWithThePrincipalFromConfigAndEnvironment) {
  const std::string erp = CreateProject("ERP");
  const std::string crm = CreateProject("CRM");
  const std::string portfolio =
      Json<pv1::CreatePortfolioResponse>(
          {"portfolios", "create", "--code", "CORP", "--name", "Corporate"})
          .portfolio()
          .portfolio_id();
  const std::string programme =
      Json<pv1::CreateProgrammeResponse>({"programmes", "create", "--code",
                                          "DIGITAL", "--name", "Digital",
                                          "--portfolio", portfolio})
          .programme()
          .programme_id();
  for (const std::string& p : {erp, crm})
    Ok({"programmes", "assign", p, programme});

  // The principal: from the config file, then overridden by the environment.
  std::filesystem::create_directories(dir_.File(".config/pmoctl"));
  std::ofstream(dir_.File(".config/pmoctl/config"))
      << "principal = carol\noutput = json\n";
  std::vector<std::string> risk_ids;
  for (const std::string& p : {erp, crm}) {
    std::string out = OkOnceKnown({"risks", "identify", "--scope", p, "--title",
                                   "Supplier Acme fails", "--category",
                                   "External/Suppliers", "--owner", "alice"});
    kv1::IdentifyRiskResponse identified;
    ASSERT_TRUE(
        google::protobuf::util::JsonStringToMessage(out, &identified).ok())
        << out;
    risk_ids.push_back(identified.risk().risk_id());
  }
  setenv("PMO_PRINCIPAL", "dave", 1);
  // Probability 3 on the default matrix is 0.5: 0.5 x 10,000 = 5,000.
  EXPECT_THAT(
      Ok({"--output", "table", "risks", "assess", risk_ids[0], "--probability",
          "3", "--cost-impact", "3", "--money-minor", "10000"}),
      AllOf(HasSubstr("ASSESSED"), HasSubstr("5000")));
  unsetenv("PMO_PRINCIPAL");
  Ok({"risks", "assess", risk_ids[1], "--probability", "2", "--cost-impact",
      "3", "--money-minor", "20000"});
  // The consolidated overview takes the risk in (5,000 minor units: 50.00)
  // and puts the highest exposure first.
  EXPECT_THAT(Eventually({"--output", "table", "portfolio", "overview",
                          "--sort", "RISK_EXPOSURE"},
                         "60.00"),
              AllOf(HasSubstr("EXPOSURE"), HasSubstr("50.00"),
                    HasSubstr("# status date")));
  EXPECT_EQ(Run({"portfolio", "overview", "--sort", "BIGGEST"}).exit_code, 2);
  // The register beside it: both threats, 50.00 and 60.00, 110.00 together.
  EXPECT_THAT(Eventually({"--output", "table", "portfolio", "risks", "--kind",
                          "threat"},
                         "110.00"),
              AllOf(HasSubstr("THREAT"), HasSubstr("Supplier Acme fails"),
                    HasSubstr("50.00"), HasSubstr("# status date")));
  EXPECT_EQ(Run({"portfolio", "risks", "--kind", "WORST"}).exit_code, 2);
  EXPECT_THAT(Ok({"--output", "table", "portfolio", "load", "--weeks", "2"}),
              HasSubstr("CAPACITY_H"));
  Ok({"portfolio", "rebuild"});
  EXPECT_THAT(
      Eventually({"--output", "table", "portfolio", "rebuild-status"},
                 "SWITCHED"),
      AllOf(HasSubstr("SWITCHED"), HasSubstr("JOURNAL"), HasSubstr("yes")));
  std::filesystem::remove(dir_.File(".config/pmoctl/config"));

  // Parsing the history's Any events needs their types linked in.
  (void)kv1::RiskIdentified::descriptor();
  auto history =
      Json<kv1::GetRiskHistoryResponse>({"risks", "history", risk_ids[0]});
  ASSERT_GE(history.entries_size(), 2);
  EXPECT_EQ(history.entries(0).actor(), "carol");
  EXPECT_EQ(history.entries(1).actor(), "dave");
  EXPECT_THAT(Ok({"risks", "history", risk_ids[0]}),
              AllOf(HasSubstr("RiskAssessed"), HasSubstr("dave")));

  EXPECT_THAT(
      Ok({"risks", "respond", risk_ids[0], "--strategy", "mitigate", "--action",
          "bob,2027-02-01,Qualify a second supplier, then switch"}),
      HasSubstr("Supplier Acme fails"));
  EXPECT_EQ(Json<kv1::GetRiskResponse>({"risks", "get", risk_ids[0]})
                .risk()
                .actions(0)
                .description(),
            "Qualify a second supplier, then switch");
  EXPECT_THAT(Ok({"risks", "list", "--scope", erp}), HasSubstr(risk_ids[0]));
  // The action fell due on 1 February: 28 days overdue on 1 March 2027.
  EXPECT_THAT(Ok({"risks", "overdue", "--as-of", "2027-03-01"}),
              AllOf(HasSubstr("Qualify a second supplier"), HasSubstr("28")));
  const std::string action =
      Json<kv1::GetRiskResponse>({"risks", "get", risk_ids[0]})
          .risk()
          .actions(0)
          .action_id();
  EXPECT_TRUE(Json<kv1::CompleteResponseActionResponse>(
                  {"risks", "complete-action", risk_ids[0], action})
                  .risk()
                  .actions(0)
                  .done());

  // Combined: 5,000 + 0.3 x 20,000 = 11,000.
  auto combined = Json<kv1::CombineRisksResponse>(
      {"risks", "combine", "--scope", portfolio, "--title",
       "Acme across the portfolio", "--category", "External/Suppliers",
       "--owner", "pmo", "--member", risk_ids[0], "--member", risk_ids[1]});
  EXPECT_EQ(combined.combined_risk().exposure().expected_value_minor(), 11'000);
  EXPECT_THAT(
      Ok({"risks", "combined", combined.combined_risk().combined_risk_id()}),
      AllOf(HasSubstr("Acme across the portfolio"), HasSubstr("11000")));

  EXPECT_THAT(
      Ok({"risks", "escalate", risk_ids[1], "--reason", "needs the PMO"}),
      HasSubstr(risk_ids[1]));
  EXPECT_THAT(Ok({"risks", "escalations"}),
              AllOf(HasSubstr(risk_ids[1]), HasSubstr("PENDING"),
                    HasSubstr("needs the PMO")));
  Ok({"risks", "return-escalation", risk_ids[1], "--reason",
      "the project can hold it"});
  EXPECT_THAT(Ok({"risks", "escalations", "--status", "returned"}),
              HasSubstr(risk_ids[1]));
  EXPECT_THAT(Ok({"risks", "matrix"}),
              AllOf(HasSubstr("5 x 5"), HasSubstr("probability of level 3")));
  auto reserve = Json<kv1::GetContingencyReserveResponse>(
      {"risks", "contingency", "--scope", erp});
  ASSERT_GT(reserve.points_size(), 0);
  EXPECT_EQ(
      reserve.points(reserve.points_size() - 1).threat_expected_value_minor(),
      5'000);

  EXPECT_THAT(Ok({"risks", "status", risk_ids[0], "occurred", "--reason",
                  "Acme missed it"}),
              AllOf(HasSubstr("OCCURRED"), HasSubstr("# issue opened:")));
  EXPECT_THAT(
      Ok({"issues", "raise", "--scope", erp, "--title", "Test server down",
          "--priority", "high", "--owner", "alice"}),
      AllOf(HasSubstr("Test server down"), HasSubstr("HIGH"),
            HasSubstr("OPEN")));
  const std::string issue =
      Json<kv1::RaiseIssueResponse>({"issues", "raise", "--scope", erp,
                                     "--title", "Licence server down",
                                     "--priority", "low", "--owner", "alice"})
          .issue()
          .issue_id();
  EXPECT_THAT(Ok({"issues", "reassign", issue, "--priority", "critical",
                  "--owner", "bob"}),
              AllOf(HasSubstr("CRITICAL"), HasSubstr("bob")));
  Ok({"issues", "resolve", issue, "--resolution", "licence renewed",
      "--resolved-on", "2027-03-02"});
  EXPECT_EQ(
      Json<kv1::GetIssueResponse>({"issues", "get", issue}).issue().status(),
      kv1::ISSUE_STATUS_RESOLVED);
  EXPECT_EQ(
      Run({"issues", "reassign", issue, "--priority", "urgent"}).exit_code, 2);
  EXPECT_THAT(
      Ok({"issues", "list", "--scope", erp}),
      AllOf(HasSubstr("Test server down"), HasSubstr("Supplier Acme fails")));
}

// The consolidated views are built from events after the demo returned, so
// its checks poll until the view has taken everything in.
TEST_F(PmoctlTest, DemoLoadsTheSamplePortfolioOnceAndEveryReportFormatRenders) {
  // A fixed day before the machine's today: costs and progress are history.
  const std::string demo = Ok({"demo", "--as-of", "2026-10-01"});
  EXPECT_THAT(
      demo,
      AllOf(::testing::ContainsRegex("programmes +3"),
            ::testing::ContainsRegex("projects +24"),
            ::testing::ContainsRegex("tasks +96"),
            ::testing::ContainsRegex(
                "dependencies \\(cross-project\\) +80 \\(8\\)"),
            ::testing::ContainsRegex("people +15"),
            ::testing::ContainsRegex("over-allocated\\) +42 \\(2\\)"),
            ::testing::ContainsRegex("risks \\(combined\\) +12 \\(2\\)"),
            ::testing::ContainsRegex("change requests +2"),
            HasSubstr("Try next"), HasSubstr("pmoctl portfolio overview")));

  // The portfolio overview: 24 projects in 3 programmes of one portfolio,
  // 21 of them active with their bookings, 12 with an open risk.
  const absl::Time deadline = absl::Now() + absl::Seconds(60);
  jv1::GetPortfolioOverviewResponse overview;
  int active = 0, booked = 0, with_risks = 0, in_corp = 0;
  do {
    overview =
        Json<jv1::GetPortfolioOverviewResponse>({"portfolio", "overview"});
    active = booked = with_risks = in_corp = 0;
    for (const auto& p : overview.projects()) {
      active += p.status() == pv1::PROJECT_STATUS_ACTIVE;
      booked += p.bookings() > 0;
      with_risks += p.open_risks() > 0;
      in_corp += p.portfolio_code() == "CORP";
    }
    if (overview.total_projects() == 24 && active == 21 && booked == 21 &&
        with_risks == 12 && in_corp == 24) {
      break;
    }
    absl::SleepFor(absl::Milliseconds(300));
  } while (absl::Now() < deadline);
  EXPECT_EQ(overview.total_projects(), 24);
  EXPECT_EQ(overview.programmes_size(), 3);
  EXPECT_EQ(active, 21);
  EXPECT_EQ(booked, 21);
  EXPECT_EQ(with_risks, 12);
  EXPECT_EQ(in_corp, 24);

  // The demo's projects, listed by programme.
  auto listed = Json<jv1::ListPortfolioProjectsResponse>({"portfolio", "list"});
  ASSERT_EQ(listed.projects_size(), 24);
  int per_programme[3] = {0, 0, 0};
  for (const auto& p : listed.projects()) {
    if (absl::StartsWith(p.code(), "DIG-")) ++per_programme[0];
    if (absl::StartsWith(p.code(), "OPS-")) ++per_programme[1];
    if (absl::StartsWith(p.code(), "CX-")) ++per_programme[2];
  }
  EXPECT_THAT(per_programme, ::testing::ElementsAre(8, 8, 8));
  EXPECT_EQ(Json<cv1::ListChangeRequestsResponse>({"changes", "list"})
                .change_requests_size(),
            2);

  // One report in each format, to stdout and to a file.
  EXPECT_THAT(
      Eventually({"reports", "get", "portfolio-status", "--format", "json"},
                 "DIG-01"),
      AllOf(::testing::StartsWith("{"), HasSubstr("CX-08")));
  EXPECT_THAT(Ok({"reports", "get", "portfolio-status", "--format", "csv"}),
              AllOf(HasSubstr("DIG-01"), HasSubstr("OPS-08"), HasSubstr(",")));
  const std::string html = dir_.File("portfolio.html");
  EXPECT_THAT(Ok({"reports", "get", "portfolio-status", "--format", "html",
                  "--out", html}),
              AllOf(HasSubstr("text/html"), HasSubstr(html)));
  std::stringstream page;
  page << std::ifstream(html).rdbuf();
  EXPECT_THAT(page.str(),
              AllOf(HasSubstr("<html"), HasSubstr("Web shop redesign")));
  EXPECT_EQ(Run({"reports", "get", "weather"}).exit_code, 2);

  // A second run refuses: the deployment is no longer empty.
  Result again = Run({"demo", "--as-of", "2026-10-01"});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_THAT(again.err, HasSubstr("already holds projects"));
  EXPECT_EQ(Json<jv1::GetPortfolioOverviewResponse>({"portfolio", "overview"})
                .total_projects(),
            24);
}

TEST_F(PmoctlTest, ChangeRequestsSubmittedListedAndShown) {
  const std::string erp = CreateProject("ERP");
  const std::string item =
      Json<cv1::RegisterConfigurationItemResponse>(
          {"items", "register", erp, "--type", "document", "--identifier",
           "ERP-SCOPE", "--title", "ERP scope statement", "--owner", "alice"})
          .item()
          .item_id();
  auto submitted = Json<cv1::SubmitChangeRequestResponse>(
      {"changes", "submit", erp, "--title", "Add payroll", "--reason",
       "new law", "--requester", "alice", "--item", item});
  const std::string id = submitted.change_request().change_request_id();
  EXPECT_EQ(submitted.change_request().status(),
            cv1::CHANGE_REQUEST_STATUS_SUBMITTED);
  EXPECT_THAT(Ok({"changes", "get", id}),
              AllOf(HasSubstr("Add payroll"), HasSubstr("SUBMITTED"),
                    HasSubstr("alice")));
  EXPECT_THAT(
      Ok({"changes", "list", "--project", erp, "--status", "submitted"}),
      HasSubstr(id));
  EXPECT_EQ(Run({"changes", "list", "--status", "pondering"}).exit_code, 2);
  EXPECT_EQ(Run({"changes", "submit", erp, "--title", "x"}).exit_code, 2);
}

TEST_F(PmoctlTest, AChangeBoardConfiguredAndShown) {
  const std::string portfolio =
      Json<pv1::CreatePortfolioResponse>(
          {"portfolios", "create", "--code", "CORP", "--name", "Corporate"})
          .portfolio()
          .portfolio_id();
  OkOnceKnown({"change-board", "configure", portfolio, "--member", "ann",
               "--member", "ben", "--member", "cem", "--chair", "ann",
               "--quorum", "2", "--majority", "two_thirds"},
              "NOT_FOUND");
  EXPECT_THAT(Ok({"change-board", "get", portfolio}),
              AllOf(HasSubstr("ann, ben, cem"), HasSubstr("TWO_THIRDS"),
                    HasSubstr("quorum")));
  EXPECT_EQ(Run({"change-board", "configure", portfolio, "--member", "ann",
                 "--chair", "ann", "--quorum", "1", "--majority", "most"})
                .exit_code,
            2);
  Result bad = Run({"change-board", "configure", portfolio, "--member", "ann",
                    "--chair", "zed", "--quorum", "3", "--majority", "simple"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_THAT(bad.err, AllOf(HasSubstr("chair"), HasSubstr("quorum")));
}

TEST_F(PmoctlTest,
       DocumentsCreatedReviewedPublishedAppliedAndTheirBodyFetched) {
  const std::string source = dir_.File("change-control.md");
  std::ofstream(source)
      << "# Change control\n\nEvery change names its items.\n";
  const std::string id =
      Json<cv1::CreateDocumentResponse>(
          {"documents", "create", "--kind", "procedure", "--title",
           "PROC-7 Change control", "--owner", "pmo", "--file", source})
          .document()
          .document_id();
  EXPECT_THAT(Ok({"documents", "list", "--kind", "procedure"}),
              AllOf(HasSubstr(id), HasSubstr("PROC-7 Change control"),
                    HasSubstr("DRAFT")));
  EXPECT_EQ(Ok({"documents", "body", id}),
            "# Change control\n\nEvery change names its items.\n");
  const std::string copy = dir_.File("copy.md");
  EXPECT_THAT(Ok({"documents", "body", id, "--out", copy}),
              HasSubstr("text/markdown"));
  std::stringstream text;
  text << std::ifstream(copy).rdbuf();
  EXPECT_EQ(text.str(), "# Change control\n\nEvery change names its items.\n");
  // Review, approval and publication, then the projects it applies to.
  Ok({"documents", "request-review", id, "--version", "1"});
  EXPECT_THAT(
      Ok({"documents", "review", id, "--version", "1", "--reviewer", "quinn",
          "--verdict", "request-changes", "--comments", "name the board"}),
      HasSubstr("DRAFT"));
  std::ofstream(source)
      << "# Change control\n\nEvery change names its items and its board.\n";
  Result two_open =
      Run({"documents", "draft", id, "--file", source, "--summary", "board"});
  EXPECT_EQ(two_open.exit_code, 1) << "one open version at a time";
  Ok({"documents", "request-review", id, "--version", "1"});
  Ok({"documents", "review", id, "--version", "1", "--reviewer", "quinn",
      "--verdict", "approve"});
  Ok({"documents", "approve", id, "--version", "1", "--by", "pmo-head"});
  EXPECT_THAT(Ok({"documents", "publish", id, "--version", "1"}),
              HasSubstr("PUBLISHED"));
  const std::string erp = CreateProject("ERP");
  OkOnceKnown({"documents", "apply", id, "--version", "1", "--project", erp});
  EXPECT_EQ(
      Json<cv1::ListDocumentsResponse>({"documents", "list", "--project", erp})
          .documents_size(),
      1);
  auto drafted = Json<cv1::DraftDocumentVersionResponse>(
      {"documents", "draft", id, "--file", source, "--summary", "board"});
  ASSERT_EQ(drafted.document().versions_size(), 2);
  EXPECT_EQ(drafted.document().versions(1).status(),
            cv1::DOCUMENT_VERSION_STATUS_DRAFT);
  EXPECT_THAT(
      Ok({"documents", "get", id}),
      AllOf(::testing::ContainsRegex("1 +PUBLISHED"),
            HasSubstr("quinn:APPROVE"), HasSubstr("pmo-head"), HasSubstr(erp)));
  EXPECT_TRUE(Json<cv1::RetireDocumentResponse>(
                  {"documents", "retire", id, "--reason", "merged"})
                  .document()
                  .retired());
  Result bad_verdict = Run({"documents", "review", id, "--version", "2",
                            "--reviewer", "quinn", "--verdict", "maybe"});
  EXPECT_EQ(bad_verdict.exit_code, 2);
  EXPECT_THAT(bad_verdict.err, HasSubstr("--verdict: unknown value 'maybe'"));

  Result missing =
      Run({"documents", "create", "--kind", "policy", "--title", "x", "--owner",
           "pmo", "--file", dir_.File("absent.md")});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.err, HasSubstr("--file: cannot read"));
}

TEST_F(PmoctlTest, ChangeRequestsWholeWorkflowItemsAndBaselines) {
  const std::string erp = CreateProject("ERP");
  auto register_item = [&](const std::string& type,
                           const std::string& identifier) {
    return Json<cv1::RegisterConfigurationItemResponse>(
               {"items", "register", erp, "--type", type, "--identifier",
                identifier, "--title", identifier + " of ERP", "--owner",
                "alice"})
        .item()
        .item_id();
  };
  const std::string req = register_item("requirement", "REQ-1");
  const std::string design = register_item("design", "DES-1");
  auto linked = Json<cv1::LinkConfigurationItemsResponse>(
      {"items", "link", design, "--to", req, "--kind", "derived-from"});
  ASSERT_EQ(linked.item().links_size(), 1);
  EXPECT_EQ(linked.item().links(0).kind(), cv1::LINK_KIND_DERIVED_FROM);
  EXPECT_EQ(Json<cv1::ListConfigurationItemsResponse>(
                {"items", "list", "--project", erp})
                .items_size(),
            2);
  EXPECT_THAT(Ok({"items", "get", design}),
              AllOf(HasSubstr("DES-1"), HasSubstr("DERIVED_FROM " + req),
                    ::testing::ContainsRegex("v1 +initial version")));

  auto first = Json<cv1::EstablishBaselineResponse>(
      {"baselines", "create", erp, "--name", "Functional 1.0"});
  ASSERT_EQ(first.baseline().entries_size(), 2);
  // Baselined: a new version needs an approved change request naming it.
  Result refused =
      Run({"items", "version", req, "--summary", "payroll", "--reason", "law"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_THAT(refused.err, HasSubstr("FAILED_PRECONDITION"));

  const std::string cr =
      Json<cv1::SubmitChangeRequestResponse>(
          {"changes", "submit", erp, "--title", "Add payroll", "--reason",
           "new law", "--requester", "alice", "--item", req, "--item", design})
          .change_request()
          .change_request_id();
  auto assessed = Json<cv1::AssessChangeRequestResponse>(
      {"changes", "assess", cr, "--by", "bob", "--scope", "medium",
       "--schedule", "low", "--schedule-days", "10", "--cost", "high",
       "--cost-minor", "5000000", "--risk", "none"});
  EXPECT_EQ(assessed.change_request().status(),
            cv1::CHANGE_REQUEST_STATUS_ASSESSED);
  EXPECT_EQ(assessed.change_request().impact().cost(), cv1::IMPACT_LEVEL_HIGH);
  EXPECT_EQ(assessed.change_request().impact().schedule_days(), 10);
  Ok({"changes", "vote", cr, "--member", "carol", "--vote", "approve"});
  EXPECT_THAT(Ok({"changes", "vote", cr, "--member", "dave", "--vote",
                  "approve", "--comment", "needed by law"}),
              AllOf(HasSubstr("carol: APPROVE"),
                    HasSubstr("dave: APPROVE (needed by law)")));
  // A stale version is a conflict (exit 5).
  Result stale =
      Run({"changes", "decide", cr, "--decision", "approve", "--by", "carol",
           "--rationale", "unanimous", "--expected-version", "1"});
  EXPECT_EQ(stale.exit_code, 5) << stale.err;
  auto approved = Json<cv1::DecideChangeRequestResponse>(
      {"changes", "decide", cr, "--decision", "approve", "--by", "carol",
       "--rationale", "unanimous"});
  EXPECT_EQ(approved.change_request().status(),
            cv1::CHANGE_REQUEST_STATUS_APPROVED);
  EXPECT_EQ(approved.change_request().votes_size(), 2);

  auto versioned = Json<cv1::RecordItemVersionResponse>(
      {"items", "version", req, "--summary", "payroll added", "--reason",
       "new law", "--change-request", cr, "--content-ref", "git:erp@v2"});
  ASSERT_EQ(versioned.item().versions_size(), 2);
  EXPECT_EQ(versioned.item().versions(1).change_request_id(), cr);
  const std::string second =
      Json<cv1::EstablishBaselineResponse>({"baselines", "create", erp,
                                            "--name", "Functional 1.1",
                                            "--description", "with payroll"})
          .baseline()
          .baseline_id();
  auto compared = Json<cv1::CompareBaselinesResponse>(
      {"baselines", "compare", first.baseline().baseline_id(), second});
  ASSERT_EQ(compared.comparison().changed_size(), 1);
  EXPECT_EQ(compared.comparison().changed(0).identifier(), "REQ-1");
  EXPECT_EQ(compared.comparison().changed(0).to_version_number(), 2);
  EXPECT_EQ(compared.comparison().unchanged_count(), 1);
  EXPECT_THAT(
      Ok({"baselines", "compare", first.baseline().baseline_id(), second}),
      AllOf(::testing::ContainsRegex("changed +" + req + " +REQ-1 +1 +2"),
            HasSubstr("1 item(s)")));
  EXPECT_EQ(
      Json<cv1::ListBaselinesResponse>({"baselines", "list", "--project", erp})
          .baselines_size(),
      2);
  EXPECT_THAT(Ok({"baselines", "get", second}), HasSubstr("Functional 1.1"));
  auto accounting =
      Json<cv1::GetStatusAccountingResponse>({"baselines", "accounting", erp});
  EXPECT_EQ(accounting.items_size(), 2);
  EXPECT_EQ(accounting.baselines_size(), 2);
  EXPECT_THAT(Ok({"baselines", "accounting", erp}),
              HasSubstr("Functional 1.0@v1, Functional 1.1@v2"));
  EXPECT_THAT(Ok({"items", "set-status", design, "released", "--reason",
                  "signed off", "--change-request", cr}),
              HasSubstr("RELEASED"));

  Ok({"changes", "implement", cr, "--by", "erin", "--notes",
      "payroll module live"});
  Ok({"changes", "verify", cr, "--by", "frank", "--notes", "payslips checked"});
  auto closed = Json<cv1::CloseChangeRequestResponse>(
      {"changes", "close", cr, "--reason", "done"});
  EXPECT_EQ(closed.change_request().status(),
            cv1::CHANGE_REQUEST_STATUS_CLOSED);
  EXPECT_EQ(closed.change_request().verified_by(), "frank");
  EXPECT_THAT(Ok({"changes", "get", cr}),
              AllOf(HasSubstr("CLOSED"), HasSubstr("payroll module live"),
                    HasSubstr("APPROVE by carol")));
  // Closed is the end: a step out of order is the server's refusal (exit 1).
  EXPECT_EQ(Run({"changes", "implement", cr, "--by", "erin"}).exit_code, 1);

  // The consolidated view takes the request and both baselines in.
  EXPECT_THAT(Eventually({"portfolio", "configuration", "--project", erp},
                         "Functional 1.1"),
              AllOf(HasSubstr("Add payroll"), HasSubstr("Functional 1.0"),
                    HasSubstr("baseline")));
  EXPECT_THAT(Ok({"portfolio", "digest"}), HasSubstr("DIGEST"));

  Result bad_level =
      Run({"changes", "assess", cr, "--by", "bob", "--scope", "huge",
           "--schedule", "low", "--cost", "low", "--risk", "low"});
  EXPECT_EQ(bad_level.exit_code, 2);
  EXPECT_THAT(bad_level.err, HasSubstr("--scope: unknown value 'huge'"));
  Result no_vote = Run({"changes", "vote", cr, "--member", "carol"});
  EXPECT_EQ(no_vote.exit_code, 2);
  EXPECT_THAT(no_vote.err, HasSubstr("--vote is required"));
  Result bad_kind =
      Run({"items", "link", design, "--to", req, "--kind", "cousin-of"});
  EXPECT_EQ(bad_kind.exit_code, 2);
  EXPECT_THAT(bad_kind.err, HasSubstr("--kind: unknown value 'cousin-of'"));
  EXPECT_EQ(Run({"baselines", "get", "6f1c1d3e-9a7b-4c2d-8e5f-0a1b2c3d4e5f"})
                .exit_code,
            4);
}

TEST_F(PmoctlTest, QualityAuditsFindingsActionsAndCompliance) {
  const std::string erp = CreateProject("ERP");
  const std::string standard =
      Json<cv1::DefineQualityStandardResponse>(
          {"standards", "define", "--code", "ISO 9001:2015", "--title",
           "Quality management", "--issuing-body", "ISO", "--requirement",
           "8.5.1=Control of production", "--requirement",
           "9.2=Internal audit"})
          .standard()
          .standard_id();
  EXPECT_THAT(Ok({"standards", "list"}),
              AllOf(HasSubstr("ISO 9001:2015"), HasSubstr("8.5.1, 9.2")));
  EXPECT_THAT(Ok({"standards", "get", standard}),
              HasSubstr("Control of production"));

  const std::string audit =
      Json<cv1::PlanAuditResponse>({"audits", "plan", erp, "--standard",
                                    standard, "--body", "internal-qa", "--lead",
                                    "quinn", "--on", "2027-02-01"})
          .audit()
          .audit_id();
  Ok({"audits", "start", audit, "--on", "2027-02-01"});
  const std::string finding =
      Json<cv1::RecordAuditFindingResponse>(
          {"audits", "add-finding", audit, "--clause", "8.5.1", "--severity",
           "major", "--description", "No release checklist"})
          .finding_id();
  const std::string action =
      Json<cv1::AssignCorrectiveActionResponse>(
          {"audits", "assign-action", audit, finding, "--description",
           "Write the checklist", "--owner", "bob", "--due", "2027-03-01"})
          .action_id();
  auto completed = Json<cv1::CompleteAuditResponse>(
      {"audits", "complete", audit, "--on", "2027-02-03", "--summary",
       "one major finding"});
  EXPECT_EQ(completed.audit().status(), cv1::AUDIT_STATUS_COMPLETED);
  EXPECT_EQ(Json<cv1::ListAuditsResponse>({"audits", "list", "--project", erp})
                .audits_size(),
            1);

  // Ten days after the due date the open action is overdue and the major
  // finding makes the project non-compliant.
  auto compliance = Json<cv1::GetProjectComplianceResponse>(
      {"compliance", "get", erp, "--standard", standard, "--as-of",
       "2027-03-11"});
  EXPECT_EQ(compliance.compliance().status(),
            cv1::COMPLIANCE_STATUS_NON_COMPLIANT);
  EXPECT_EQ(compliance.compliance().overdue_corrective_actions(), 1);
  auto overdue = Json<cv1::ListOverdueCorrectiveActionsResponse>(
      {"compliance", "overdue", "--as-of", "2027-03-11"});
  ASSERT_EQ(overdue.actions_size(), 1);
  EXPECT_EQ(overdue.actions(0).days_overdue(), 10);
  EXPECT_THAT(Ok({"compliance", "overdue", "--as-of", "2027-03-11"}),
              AllOf(HasSubstr("Write the checklist"), HasSubstr("MAJOR")));
  EXPECT_THAT(Ok({"compliance", "list", "--as-of", "2027-03-11"}),
              HasSubstr("NON_COMPLIANT"));

  Ok({"audits", "complete-action", audit, action, "--on", "2027-03-12"});
  Ok({"audits", "verify-action", audit, action, "--by", "quinn", "--on",
      "2027-03-13"});
  Ok({"audits", "close-finding", audit, finding});
  EXPECT_THAT(Ok({"audits", "get", audit}),
              AllOf(HasSubstr("CLOSED"), HasSubstr("VERIFIED by quinn"),
                    HasSubstr("8.5.1")));
  EXPECT_EQ(Json<cv1::GetProjectComplianceResponse>({"compliance", "get", erp,
                                                     "--standard", standard,
                                                     "--as-of", "2027-03-14"})
                .compliance()
                .status(),
            cv1::COMPLIANCE_STATUS_COMPLIANT);

  Result bad_clause = Run({"standards", "define", "--code", "X", "--title", "X",
                           "--requirement", "no clause here"});
  EXPECT_EQ(bad_clause.exit_code, 2);
  EXPECT_THAT(bad_clause.err, HasSubstr("--requirement must be CLAUSE=TEXT"));
  Result bad_date = Run({"audits", "start", audit, "--on", "soon"});
  EXPECT_EQ(bad_date.exit_code, 2);
  EXPECT_THAT(bad_date.err, HasSubstr("--on must be a date YYYY-MM-DD"));
}

TEST_F(PmoctlTest, ToolsLicencesAndMethodologyVersions) {
  const std::string erp = CreateProject("ERP");
  const std::string jira =
      Json<cv1::CatalogueToolResponse>(
          {"tools", "catalogue", "--name", "Jira", "--vendor", "Atlassian",
           "--licence-model", "per-user", "--licences", "10", "--expires",
           "2027-06-30"})
          .tool()
          .tool_id();
  auto over = Json<cv1::AssignToolToProjectResponse>(
      {"tools", "assign", jira, "--project", erp, "--seats", "12"});
  EXPECT_EQ(over.tool().seats_in_use(), 12);
  EXPECT_TRUE(over.tool().over_used());
  // Over-used, and on 1 June expiring within 60 days.
  auto flagged =
      Json<cv1::ListToolsResponse>({"tools", "list", "--flagged", "--as-of",
                                    "2027-06-01", "--warning-days", "60"});
  ASSERT_EQ(flagged.tools_size(), 1);
  EXPECT_TRUE(flagged.tools(0).licence_expiring());
  EXPECT_THAT(Ok({"tools", "list", "--flagged", "--as-of", "2027-06-01",
                  "--warning-days", "60"}),
              AllOf(HasSubstr("Jira"), HasSubstr("over-used,expiring"),
                    HasSubstr(erp + ":12")));
  EXPECT_FALSE(Json<cv1::ChangeToolLicenceResponse>({"tools", "licence", jira,
                                                     "--licences", "20",
                                                     "--expires", "2028-06-30"})
                   .tool()
                   .over_used());
  EXPECT_EQ(Json<cv1::ListToolsResponse>(
                {"tools", "list", "--flagged", "--as-of", "2027-06-01"})
                .tools_size(),
            0);
  EXPECT_EQ(Json<cv1::ReleaseToolFromProjectResponse>(
                {"tools", "release", jira, "--project", erp})
                .tool()
                .seats_in_use(),
            0);
  EXPECT_TRUE(Json<cv1::RetireToolResponse>(
                  {"tools", "retire", jira, "--reason", "moved to Linear"})
                  .tool()
                  .retired());
  EXPECT_THAT(Ok({"tools", "get", jira}),
              AllOf(HasSubstr("Atlassian"), HasSubstr("retired")));
  EXPECT_EQ(Json<cv1::ListToolsResponse>({"tools", "list"}).tools_size(), 0);
  Result bad_count =
      Run({"tools", "assign", jira, "--project", erp, "--seats", "many"});
  EXPECT_EQ(bad_count.exit_code, 2);
  EXPECT_THAT(bad_count.err, HasSubstr("--seats must be a whole number"));

  const std::string phases = dir_.File("phases.json");
  std::ofstream(phases)
      << R"({"phases": [{"name": "Initiation", "gate": {"name": "Charter )"
         R"(approved", "deliverables": ["Charter"], "criteria": ["Sponsor )"
         R"(signs"]}}]})";
  const std::string v1 =
      Json<cv1::PublishMethodologyVersionResponse>(
          {"methodologies", "publish", "--name", "PMO Lite", "--version", "1.0",
           "--phases-file", phases, "--phase", "Delivery=Acceptance"})
          .methodology()
          .methodology_id();
  const std::string v11 =
      Json<cv1::PublishMethodologyVersionResponse>(
          {"methodologies", "publish", "--name", "PMO Lite", "--version", "1.1",
           "--phase", "Initiation=Charter approved", "--phase",
           "Delivery=Acceptance"})
          .methodology()
          .methodology_id();
  // A project run by it: the gate opens the next phase, and only once.
  EXPECT_THAT(
      OkOnceKnown({"projects", "apply-methodology", erp, "--methodology", v11}),
      AllOf(HasSubstr("PMO Lite 1.1"), HasSubstr("1/2 Initiation")));
  Result early = Run({"projects", "next-phase", erp});
  EXPECT_EQ(early.exit_code, 1) << "the gate is not approved yet";
  EXPECT_THAT(Ok({"projects", "gate-review", erp, "--decision", "approve",
                  "--reviewer", "sponsor", "--on", "2027-02-01"}),
              HasSubstr("Charter approved: APPROVE by sponsor 2027-02-01"));
  auto next =
      Json<pv1::EnterNextPhaseResponse>({"projects", "next-phase", erp});
  EXPECT_EQ(next.project().current_phase_index(), 1);
  EXPECT_EQ(Json<cv1::ListMethodologyVersionsResponse>(
                {"methodologies", "list", "--name", "PMO Lite"})
                .methodologies_size(),
            2);
  EXPECT_THAT(Ok({"methodologies", "get", v1}),
              AllOf(HasSubstr("Charter approved"), HasSubstr("Sponsor signs"),
                    HasSubstr("Acceptance")));
  EXPECT_TRUE(
      Json<cv1::WithdrawMethodologyVersionResponse>(
          {"methodologies", "withdraw", v1, "--reason", "superseded by 1.1"})
          .methodology()
          .withdrawn());
  EXPECT_THAT(Ok({"methodologies", "list"}),
              ::testing::ContainsRegex("1\\.0 .* yes"));
  Result bad_phase = Run({"methodologies", "publish", "--name", "X",
                          "--version", "1", "--phase", "Initiation"});
  EXPECT_EQ(bad_phase.exit_code, 2);
  EXPECT_THAT(bad_phase.err, HasSubstr("--phase must be PHASE=GATE"));
}

TEST_F(PmoctlTest, CommunicationPlansAnnouncementsAndTheInboxListedAndWatched) {
  const std::string erp = CreateProject("ERP");
  const std::string plan = Json<ov1::CreateCommunicationPlanResponse>(
                               {"plans", "create", "--name", "Steering"})
                               .plan()
                               .plan_id();
  const std::string sam = Json<ov1::AddStakeholderResponse>(
                              {"plans", "add-stakeholder", plan, "--name",
                               "Sam", "--role", "sponsor", "--project", erp})
                              .stakeholder_id();
  auto distributed = Json<ov1::AddDistributionResponse>(
      {"plans", "add-distribution", plan, "--stakeholder", sam, "--report",
       "portfolio-status", "--format", "csv", "--project", erp, "--frequency",
       "weekly"});
  ASSERT_EQ(distributed.plan().distributions_size(), 1);
  EXPECT_EQ(distributed.plan().distributions(0).report().format(),
            ov1::REPORT_FORMAT_CSV);
  EXPECT_THAT(Ok({"plans", "get", plan}),
              AllOf(HasSubstr("Sam"),
                    HasSubstr("PORTFOLIO_STATUS CSV (project " + erp + ")"),
                    HasSubstr("WEEKLY by INBOX")));

  // The watch prints its header at once, then each item as it lands.
  const std::string err_file = dir_.File("watch.err");
  testing::ChildProcess watch(
      {"/bin/sh", "-c", "exec \"$0\" \"$@\" 2>'" + err_file + "'",
       testing::PmoBinary("pmoctl"), "--addr", addr_, "inbox", "watch", sam});
  ASSERT_TRUE(watch.WaitForLineStartingWith("SEQUENCE", absl::Seconds(30)));
  auto published = Json<ov1::PublishAnnouncementResponse>(
      {"announcements", "publish", "--title", "Go-live moved", "--body",
       "to 1 June", "--project", erp});
  EXPECT_THAT(published.stakeholder_ids(), ::testing::ElementsAre(sam));
  std::string line;
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (!absl::StrContains(line, "Go-live moved") && absl::Now() < deadline) {
    line = watch.ReadLine(absl::Seconds(30)).value_or("");
  }
  EXPECT_THAT(line,
              AllOf(HasSubstr("announcement"), HasSubstr("Go-live moved")));
  // Ctrl-C ends the watch, and that is a success.
  watch.Signal(SIGINT);
  auto status = watch.Wait(absl::Seconds(30));
  ASSERT_TRUE(status.has_value());
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << *status;

  auto inbox = Json<ov1::ListInboxResponse>({"inbox", "list", sam});
  bool announced = false;
  for (const auto& item : inbox.items()) {
    announced = announced || item.announcement().title() == "Go-live moved";
  }
  EXPECT_TRUE(announced);
  EXPECT_THAT(Ok({"inbox", "list", sam}), HasSubstr("Go-live moved"));

  // With --timeout the watch ends by itself when it runs out: exit 0, JSON
  // one item a line.
  Result bounded =
      Run({"--timeout", "2", "--output", "json", "inbox", "watch", sam});
  EXPECT_EQ(bounded.exit_code, 0) << bounded.err;
  EXPECT_THAT(bounded.out, HasSubstr("\"title\":\"Go-live moved\""));

  Result no_secret =
      Run({"plans", "add-stakeholder", plan, "--name", "Hook", "--role", "bot",
           "--project", erp, "--webhook-url", "https://127.0.0.1:9/hook",
           "--webhook-secret-file", dir_.File("absent")});
  EXPECT_EQ(no_secret.exit_code, 2);
  EXPECT_THAT(no_secret.err, HasSubstr("--webhook-secret-file: cannot read"));
  Result bad_frequency =
      Run({"plans", "add-distribution", plan, "--stakeholder", sam, "--report",
           "risk", "--frequency", "hourly"});
  EXPECT_EQ(bad_frequency.exit_code, 2);
  EXPECT_THAT(bad_frequency.err,
              HasSubstr("--frequency: unknown value 'hourly'"));
  EXPECT_EQ(
      Run({"plans", "get", "6f1c1d3e-9a7b-4c2d-8e5f-0a1b2c3d4e5f"}).exit_code,
      4);
}

TEST_F(PmoctlTest, BashCompletionCompletesGroupsCommandsAndOptions) {
  const std::string script = dir_.File("pmoctl.bash");
  std::ofstream(script) << RunRaw({"completion", "bash"}).out;
  auto complete = [&](const std::string& words, int cword) {
    testing::ChildProcess bash(
        {"/bin/bash", "-c",
         "source '" + script + "'; COMP_WORDS=(" + words + "); COMP_CWORD=" +
             std::to_string(cword) + "; _pmoctl; echo \"${COMPREPLY[*]}\""});
    auto line = bash.ReadLine(absl::Seconds(30));
    bash.Wait(absl::Seconds(30));
    return line.value_or("<none>");
  };
  EXPECT_EQ(complete("pmoctl ri", 1), "risks");
  EXPECT_EQ(complete("pmoctl --output json ri", 3), "risks");
  EXPECT_EQ(complete("pmoctl --output j", 2), "json");
  EXPECT_EQ(complete("pmoctl risks assess r1 --pro", 4), "--probability");
  EXPECT_EQ(complete("pmoctl resources al", 2), "allocate");
  EXPECT_EQ(complete("pmoctl completion ''", 2), "bash");
  EXPECT_EQ(complete("pmoctl de", 1), "demo");
  EXPECT_EQ(complete("pmoctl demo --as", 2), "--as-of");
  EXPECT_EQ(complete("pmoctl reports get x --for", 4), "--format");
  EXPECT_EQ(complete("pmoctl bas", 1), "baselines");
  EXPECT_EQ(complete("pmoctl changes as", 2), "assess");
  EXPECT_EQ(complete("pmoctl audits verify-action a b --b", 5), "--by");
  EXPECT_EQ(complete("pmoctl inbox w", 2), "watch");
}

}  // namespace
}  // namespace pmo
