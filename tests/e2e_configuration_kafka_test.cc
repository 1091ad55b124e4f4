// Change control end to end with a real Kafka broker: pmo-configuration as
// its own process, driven over gRPC. A baselined item refuses a direct
// change; a change request walks its whole workflow (submitted, assessed,
// board votes and approval, implemented, verified, closed), the approved
// change versions the item, and every step appears on
// pmo.configuration.events.v1. The project comes from a pmo-projects process
// on the same broker: the configuration service learns it from
// pmo.projects.events.v1 and refuses unknown projects (NOT_FOUND) until then.
// And the PMO library feeding the projects service: a methodology version
// published in pmo-configuration reaches pmo-projects over Kafka and a project
// is started from it.

#include <signal.h>
#include <sys/wait.h>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/testing/temp_dir.h"
#include "pmo/configuration/v1/change_control_service.grpc.pb.h"
#include "pmo/configuration/v1/configuration_service.grpc.pb.h"
#include "pmo/configuration/v1/events.pb.h"
#include "pmo/configuration/v1/library_service.grpc.pb.h"
#include "pmo/projects/v1/projects_service.grpc.pb.h"
#include "tests/support/child_process.h"
#include "tests/support/grpc_testing.h"
#include "tests/support/kafka_broker.h"
#include "tests/support/project_requests.h"

namespace pmo {
namespace {

namespace cv1 = ::pmo::configuration::v1;
namespace pv1 = ::pmo::projects::v1;
using ::testing::ElementsAre;
using ::testing::IsSupersetOf;

TEST(EndToEndConfigurationKafka,
     AnApprovedChangeRequestChangesABaselinedItemAndEveryStepIsOnKafka) {
  testing::TempDir dir;
  auto broker = testing::KafkaBroker::Start(dir.File("kafka"));
  ASSERT_TRUE(broker.ok()) << broker.status();
  const std::string bootstrap = (*broker)->bootstrap();
  testing::ChildProcess process(
      {testing::PmoBinary("pmo-configuration"), "--listen", "127.0.0.1:0",
       "--data_dir", dir.File("configuration"), "--kafka_brokers", bootstrap});
  testing::ChildProcess projects_process(
      {testing::PmoBinary("pmo-projects"), "--listen", "127.0.0.1:0",
       "--data_dir", dir.File("projects"), "--kafka_brokers", bootstrap});
  auto line = process.WaitForLineStartingWith("pmo-configuration listening",
                                              absl::Seconds(60));
  ASSERT_TRUE(line.has_value());
  auto projects_line = projects_process.WaitForLineStartingWith(
      "pmo-projects listening", absl::Seconds(60));
  ASSERT_TRUE(projects_line.has_value());
  auto channel = testing::LoopbackChannel(testing::PortFromStartupLine(*line));
  auto items = cv1::ConfigurationService::NewStub(channel);
  auto changes = cv1::ChangeControlService::NewStub(channel);

  pv1::CreateProjectResponse created;
  {
    auto projects = pv1::ProjectsService::NewStub(
        testing::LoopbackChannel(testing::PortFromStartupLine(*projects_line)));
    grpc::ClientContext ctx;
    grpc::Status s = projects->CreateProject(
        &ctx, testing::NewProjectRequest("ERP"), &created);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  const std::string project_id = created.project().project_id();

  // Bad input names its fields.
  {
    cv1::RegisterConfigurationItemRequest bad;
    bad.set_request_id("bad");
    bad.set_project_id(project_id);
    cv1::RegisterConfigurationItemResponse response;
    grpc::ClientContext ctx;
    grpc::Status s = items->RegisterConfigurationItem(&ctx, bad, &response);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(testing::BadRequestFields(s),
                ElementsAre("type", "identifier", "title", "owner"));
  }

  cv1::RegisterConfigurationItemRequest register_item;
  register_item.set_request_id("register-req-7");
  register_item.set_project_id(project_id);
  register_item.set_type(cv1::ITEM_TYPE_REQUIREMENT);
  register_item.set_identifier("REQ-7");
  register_item.set_title("Invoices are approved in batches of up to 500");
  register_item.set_owner("bob");
  cv1::RegisterConfigurationItemResponse registered;
  {
    // The project travels through Kafka: NOT_FOUND until the configuration
    // service has learnt it.
    grpc::Status s;
    const absl::Time deadline = absl::Now() + absl::Seconds(60);
    do {
      grpc::ClientContext ctx;
      s = items->RegisterConfigurationItem(&ctx, register_item, &registered);
      if (s.error_code() != grpc::StatusCode::NOT_FOUND) break;
      absl::SleepFor(absl::Milliseconds(200));
    } while (absl::Now() < deadline);
    ASSERT_TRUE(s.ok()) << s.error_code() << " " << s.error_message();
  }
  const std::string item_id = registered.item().item_id();

  cv1::EstablishBaselineRequest establish;
  establish.set_request_id("baseline-functional");
  establish.set_project_id(project_id);
  establish.set_name("Functional baseline 1.0");
  cv1::EstablishBaselineResponse baseline;
  {
    grpc::ClientContext ctx;
    grpc::Status s = items->EstablishBaseline(&ctx, establish, &baseline);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  ASSERT_EQ(baseline.baseline().entries_size(), 1);

  // A direct change of the baselined item is refused, naming the rule.
  cv1::RecordItemVersionRequest change;
  change.set_request_id("direct-change");
  change.set_item_id(item_id);
  change.set_change_summary("batches of up to 1,000");
  change.set_reason("finance asked");
  {
    cv1::RecordItemVersionResponse response;
    grpc::ClientContext ctx;
    grpc::Status s = items->RecordItemVersion(&ctx, change, &response);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
    EXPECT_THAT(testing::PreconditionRules(s),
                ElementsAre("BASELINED_ITEM_NEEDS_APPROVED_CHANGE"));
  }

  cv1::SubmitChangeRequestRequest submit;
  submit.set_request_id("submit-cr");
  submit.set_project_id(project_id);
  submit.set_title("Batches of up to 1,000 invoices");
  submit.set_reason("Month-end runs take two days");
  submit.set_requester("carol");
  submit.add_affected_item_ids(item_id);
  cv1::SubmitChangeRequestResponse submitted;
  {
    grpc::ClientContext ctx;
    grpc::Status s = changes->SubmitChangeRequest(&ctx, submit, &submitted);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  const std::string cr_id = submitted.change_request().change_request_id();

  // Implementing before the board decided is an illegal move.
  {
    cv1::RecordImplementationRequest early;
    early.set_request_id("implement-early");
    early.set_change_request_id(cr_id);
    early.set_implemented_by("frank");
    cv1::RecordImplementationResponse response;
    grpc::ClientContext ctx;
    grpc::Status s = changes->RecordImplementation(&ctx, early, &response);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
    EXPECT_THAT(testing::PreconditionRules(s),
                ElementsAre("CHANGE_REQUEST_WORKFLOW"));
  }

  cv1::AssessChangeRequestRequest assess;
  assess.set_request_id("assess-cr");
  assess.set_change_request_id(cr_id);
  assess.set_assessed_by("dave");
  assess.mutable_impact()->set_scope(cv1::IMPACT_LEVEL_LOW);
  assess.mutable_impact()->set_schedule(cv1::IMPACT_LEVEL_LOW);
  assess.mutable_impact()->set_schedule_days(3);
  assess.mutable_impact()->set_cost(cv1::IMPACT_LEVEL_LOW);
  assess.mutable_impact()->set_cost_minor(120'000);
  assess.mutable_impact()->set_risk(cv1::IMPACT_LEVEL_MEDIUM);
  // A stale version is a conflict.
  assess.set_expected_version(5);
  {
    cv1::AssessChangeRequestResponse response;
    grpc::ClientContext ctx;
    grpc::Status s = changes->AssessChangeRequest(&ctx, assess, &response);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::ABORTED);
    EXPECT_EQ(testing::ConflictCurrentVersion(s), 1);
  }
  assess.set_expected_version(1);
  {
    cv1::AssessChangeRequestResponse response;
    grpc::ClientContext ctx;
    grpc::Status s = changes->AssessChangeRequest(&ctx, assess, &response);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  for (const char* member : {"erin", "heidi"}) {
    cv1::CastBoardVoteRequest vote;
    vote.set_request_id(std::string("vote-") + member);
    vote.set_change_request_id(cr_id);
    vote.mutable_vote()->set_member(member);
    vote.mutable_vote()->set_vote(cv1::BOARD_DECISION_APPROVE);
    cv1::CastBoardVoteResponse response;
    grpc::ClientContext ctx;
    grpc::Status s = changes->CastBoardVote(&ctx, vote, &response);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  {
    cv1::DecideChangeRequestRequest decide;
    decide.set_request_id("decide-cr");
    decide.set_change_request_id(cr_id);
    decide.set_decision(cv1::BOARD_DECISION_APPROVE);
    decide.set_decided_by("chair");
    decide.set_rationale("unanimous");
    cv1::DecideChangeRequestResponse response;
    grpc::ClientContext ctx;
    grpc::Status s = changes->DecideChangeRequest(&ctx, decide, &response);
    ASSERT_TRUE(s.ok()) << s.error_message();
    EXPECT_EQ(response.change_request().status(),
              cv1::CHANGE_REQUEST_STATUS_APPROVED);
    EXPECT_EQ(response.change_request().votes_size(), 2);
  }

  // With the approved change, the baselined item takes a new version.
  change.set_request_id("approved-change");
  change.set_change_request_id(cr_id);
  {
    cv1::RecordItemVersionResponse response;
    grpc::ClientContext ctx;
    grpc::Status s = items->RecordItemVersion(&ctx, change, &response);
    ASSERT_TRUE(s.ok()) << s.error_message();
    ASSERT_EQ(response.item().versions_size(), 2);
    EXPECT_EQ(response.item().versions(1).change_request_id(), cr_id);
  }
  {
    cv1::RecordImplementationRequest implement;
    implement.set_request_id("implement-cr");
    implement.set_change_request_id(cr_id);
    implement.set_implemented_by("frank");
    cv1::RecordImplementationResponse response;
    grpc::ClientContext ctx;
    ASSERT_TRUE(changes->RecordImplementation(&ctx, implement, &response).ok());
  }
  {
    cv1::VerifyChangeRequestRequest verify;
    verify.set_request_id("verify-cr");
    verify.set_change_request_id(cr_id);
    verify.set_verified_by("grace");
    cv1::VerifyChangeRequestResponse response;
    grpc::ClientContext ctx;
    ASSERT_TRUE(changes->VerifyChangeRequest(&ctx, verify, &response).ok());
  }
  {
    cv1::CloseChangeRequestRequest close;
    close.set_request_id("close-cr");
    close.set_change_request_id(cr_id);
    close.set_reason("delivered in 4.2.1");
    cv1::CloseChangeRequestResponse response;
    grpc::ClientContext ctx;
    grpc::Status s = changes->CloseChangeRequest(&ctx, close, &response);
    ASSERT_TRUE(s.ok()) << s.error_message();
    EXPECT_EQ(response.change_request().status(),
              cv1::CHANGE_REQUEST_STATUS_CLOSED);
  }

  // Item: registered, baselined, versioned (3). Change request: submitted,
  // assessed, 2 votes, decided, implemented, verified, closed (8). Baseline
  // established (1).
  auto records = testing::ReadTopic(bootstrap, "pmo.configuration.events.v1",
                                    12, absl::Seconds(60));
  std::vector<std::string> cr_types;
  std::vector<std::string> all_types;
  for (const auto& r : records) {
    all_types.push_back(r.headers.at("ce_type"));
    EXPECT_EQ(r.headers.at("ce_source"), "/pmo/configuration");
    if (r.key == cr_id) cr_types.push_back(r.headers.at("ce_type"));
  }
  EXPECT_THAT(cr_types,
              ElementsAre("pmo.configuration.v1.ChangeRequestSubmitted",
                          "pmo.configuration.v1.ChangeRequestAssessed",
                          "pmo.configuration.v1.ChangeBoardVoteCast",
                          "pmo.configuration.v1.ChangeBoardVoteCast",
                          "pmo.configuration.v1.ChangeRequestDecided",
                          "pmo.configuration.v1.ChangeRequestImplemented",
                          "pmo.configuration.v1.ChangeRequestVerified",
                          "pmo.configuration.v1.ChangeRequestClosed"));
  EXPECT_THAT(
      all_types,
      IsSupersetOf({"pmo.configuration.v1.ConfigurationItemRegistered",
                    "pmo.configuration.v1.BaselineEstablished",
                    "pmo.configuration.v1.ConfigurationItemBaselined",
                    "pmo.configuration.v1.ConfigurationItemVersioned"}));
  for (const auto& r : records) {
    if (r.headers.at("ce_type") !=
        "pmo.configuration.v1.ConfigurationItemVersioned")
      continue;
    cv1::ConfigurationItemVersioned event;
    ASSERT_TRUE(event.ParseFromString(r.value));
    EXPECT_EQ(r.key, item_id);
    EXPECT_EQ(event.item_version().change_request_id(), cr_id);
    EXPECT_EQ(event.item_version().version_number(), 2);
  }

  for (testing::ChildProcess* p : {&projects_process, &process}) {
    p->Signal(SIGTERM);
    auto status = p->Wait(absl::Seconds(60));
    ASSERT_TRUE(status.has_value());
    EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << *status;
  }
}

TEST(EndToEndConfigurationKafka,
     AMethodologyPublishedInTheLibraryStartsAProject) {
  testing::TempDir dir;
  auto broker = testing::KafkaBroker::Start(dir.File("kafka"));
  ASSERT_TRUE(broker.ok()) << broker.status();
  const std::string bootstrap = (*broker)->bootstrap();
  testing::ChildProcess configuration_process(
      {testing::PmoBinary("pmo-configuration"), "--listen", "127.0.0.1:0",
       "--data_dir", dir.File("configuration"), "--kafka_brokers", bootstrap});
  testing::ChildProcess projects_process(
      {testing::PmoBinary("pmo-projects"), "--listen", "127.0.0.1:0",
       "--data_dir", dir.File("projects"), "--kafka_brokers", bootstrap});
  auto configuration_line = configuration_process.WaitForLineStartingWith(
      "pmo-configuration listening", absl::Seconds(60));
  auto projects_line = projects_process.WaitForLineStartingWith(
      "pmo-projects listening", absl::Seconds(60));
  ASSERT_TRUE(configuration_line.has_value());
  ASSERT_TRUE(projects_line.has_value());
  auto library = cv1::LibraryService::NewStub(testing::LoopbackChannel(
      testing::PortFromStartupLine(*configuration_line)));
  auto projects = pv1::ProjectsService::NewStub(
      testing::LoopbackChannel(testing::PortFromStartupLine(*projects_line)));

  // The projects service no longer takes methodologies directly.
  {
    pv1::RegisterMethodologyRequest direct;
    direct.set_request_id("direct");
    direct.set_name("Waterfall");
    direct.set_version("2027.1");
    pv1::RegisterMethodologyResponse response;
    grpc::ClientContext ctx;
    grpc::Status s = projects->RegisterMethodology(&ctx, direct, &response);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
    EXPECT_THAT(testing::PreconditionRules(s),
                ElementsAre("METHODOLOGY_FROM_CONFIGURATION"));
  }

  cv1::PublishMethodologyVersionRequest publish;
  publish.set_request_id("publish-waterfall");
  publish.set_name("Waterfall");
  publish.set_version("2027.1");
  for (const char* name : {"Initiate", "Plan", "Deliver"}) {
    cv1::MethodologyPhase* phase = publish.add_phases();
    phase->set_name(name);
    phase->mutable_gate()->set_name(std::string(name) + " gate");
    phase->mutable_gate()->add_deliverables("Phase report");
    phase->mutable_gate()->add_criteria("Sponsor signs off");
  }
  cv1::PublishMethodologyVersionResponse published;
  {
    grpc::ClientContext ctx;
    grpc::Status s =
        library->PublishMethodologyVersion(&ctx, publish, &published);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  const std::string methodology_id = published.methodology().methodology_id();

  pv1::CreateProjectResponse created;
  {
    grpc::ClientContext ctx;
    grpc::Status s = projects->CreateProject(
        &ctx, testing::NewProjectRequest("ERP"), &created);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  // The version travels through Kafka: retry until the projects service
  // knows it (NOT_FOUND until then).
  pv1::ApplyMethodologyRequest apply;
  apply.set_request_id("apply-waterfall");
  apply.set_project_id(created.project().project_id());
  apply.set_methodology_id(methodology_id);
  pv1::ApplyMethodologyResponse applied;
  grpc::Status s;
  const absl::Time deadline = absl::Now() + absl::Seconds(60);
  do {
    grpc::ClientContext ctx;
    s = projects->ApplyMethodology(&ctx, apply, &applied);
    if (s.error_code() != grpc::StatusCode::NOT_FOUND) break;
    absl::SleepFor(absl::Milliseconds(200));
  } while (absl::Now() < deadline);
  ASSERT_TRUE(s.ok()) << s.error_code() << " " << s.error_message();
  EXPECT_EQ(applied.project().methodology().methodology_id(), methodology_id);
  EXPECT_EQ(applied.project().methodology().version(), "2027.1");
  ASSERT_EQ(applied.project().methodology().phases_size(), 3);
  EXPECT_EQ(applied.project().methodology().phases(0).gate().name(),
            "Initiate gate");

  for (testing::ChildProcess* p : {&projects_process, &configuration_process}) {
    p->Signal(SIGTERM);
    auto status = p->Wait(absl::Seconds(60));
    ASSERT_TRUE(status.has_value());
    EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << *status;
  }
}

}  // namespace
}  // namespace pmo
