#include "services/projects/app/library_methodologies.h"

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/errors.h"
#include "libs/base/status_macros.h"
#include "libs/base/testing/status_matchers.h"
#include "libs/base/testing/temp_dir.h"
#include "libs/eventsourcing/event_codec.h"
#include "libs/eventstore/sqlite_event_store.h"
#include "libs/subscription/command_feed.h"
#include "libs/subscription/in_process_subscription.h"
#include "pmo/configuration/v1/events.pb.h"

namespace pmo::projects {
namespace {

namespace cv1 = ::pmo::configuration::v1;
using ::pmo::testing::StatusIs;

constexpr char kWaterfall[] = "c0000000-0000-4000-8000-000000000001";

// What the configuration service's store holds after publishing a version.
void Publish(eventstore::EventStore& library, const std::string& id,
             const std::string& version) {
  cv1::MethodologyVersionPublished published;
  published.set_methodology_id(id);
  published.set_name("Waterfall");
  published.set_version(version);
  for (const char* name : {"Initiate", "Deliver"}) {
    cv1::MethodologyPhase* phase = published.add_phases();
    phase->set_name(name);
    phase->set_description("described in the library only");
    phase->mutable_gate()->set_name(std::string(name) + " gate");
    phase->mutable_gate()->add_deliverables("Business case");
    phase->mutable_gate()->add_criteria("Sponsor signs off");
  }
  eventstore::AppendRequest append;
  append.stream_id = id;
  append.stream_type = "methodology_version";
  append.expected_version = 0;
  append.events.push_back(eventsourcing::EncodeEvent(published, absl::Now()));
  ASSERT_OK(library.Append(std::move(append)).status());
}

// What the library's store holds after withdrawing the version.
void Withdraw(eventstore::EventStore& library, const std::string& id) {
  cv1::MethodologyVersionWithdrawn withdrawn;
  withdrawn.set_methodology_id(id);
  withdrawn.set_reason("replaced by 2027.2");
  eventstore::AppendRequest append;
  append.stream_id = id;
  append.stream_type = "methodology_version";
  append.expected_version = 1;
  append.events.push_back(eventsourcing::EncodeEvent(withdrawn, absl::Now()));
  ASSERT_OK(library.Append(std::move(append)).status());
}

class LibraryMethodologiesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(
        library_, eventstore::SqliteEventStore::Open(dir_.File("library.db")));
    ASSERT_OK_AND_ASSIGN(projects_, eventstore::SqliteEventStore::Open(
                                        dir_.File("projects.db")));
    handlers_ = std::make_unique<ProjectHandlers>(*projects_);
  }

  // Runs a feed over the library store until it has taken in everything,
  // as the projects module wires it.
  void Deliver(const std::string& offsets_file) {
    LibraryMethodologies library(*handlers_);
    ASSERT_OK_AND_ASSIGN(
        auto feed,
        subscription::CommandFeed::Open(
            dir_.File(offsets_file), [&](const eventstore::RecordedEvent& e) {
              return library.Take(e);
            }));
    subscription::InProcessSubscription subscription(*library_, "configuration",
                                                     *feed);
    subscription.Start();
    ASSERT_TRUE(subscription.WaitUntilCaughtUp(absl::Seconds(10)));
    subscription.Stop();
  }

  // A new project with `code`; its id.
  absl::StatusOr<std::string> NewProject(const std::string& code) {
    const ProjectCharter charter{code, code + " rollout", "alice",
                                 absl::CivilDay(2027, 1, 1),
                                 absl::CivilDay(2027, 6, 30)};
    eventsourcing::CommandContext create;
    create.request_id = "create-" + code;
    ASSIGN_OR_RETURN(VersionedProject project,
                     handlers_->CreateProject(charter, create));
    return project.state.id();
  }

  // Starts `project_id` from library version `methodology_id`.
  absl::StatusOr<VersionedProject> Start(const std::string& project_id,
                                         const std::string& methodology_id) {
    eventsourcing::CommandContext apply;
    apply.request_id = absl::StrCat("apply-", project_id, "-", methodology_id);
    return handlers_->ApplyMethodology(project_id, methodology_id, apply);
  }

  testing::TempDir dir_;
  std::unique_ptr<eventstore::SqliteEventStore> library_;
  std::unique_ptr<eventstore::SqliteEventStore> projects_;
  std::unique_ptr<ProjectHandlers> handlers_;
};

TEST_F(LibraryMethodologiesTest,
       APublishedVersionStartsAProjectUnderTheLibrarysId) {
  Publish(*library_, kWaterfall, "2027.1");
  Deliver("feed.db");
  ASSERT_OK_AND_ASSIGN(const std::string project, NewProject("ERP"));
  ASSERT_OK_AND_ASSIGN(auto started, Start(project, kWaterfall));
  ASSERT_TRUE(started.state.state().has_methodology());
  EXPECT_EQ(started.state.state().methodology().version(), "2027.1");
  ASSERT_EQ(started.state.state().methodology().phases_size(), 2);
  EXPECT_EQ(started.state.state().methodology().phases(1).gate().name(),
            "Deliver gate");
}

TEST_F(LibraryMethodologiesTest,
       AWithdrawnVersionStartsNoNewProjectButStartedOnesKeepIt) {
  Publish(*library_, kWaterfall, "2027.1");
  Deliver("feed.db");
  ASSERT_OK_AND_ASSIGN(const std::string erp, NewProject("ERP"));
  ASSERT_OK(Start(erp, kWaterfall).status());

  Withdraw(*library_, kWaterfall);
  Deliver("feed.db");
  const int64_t head = projects_->HeadPosition();
  Deliver("fresh-offsets.db");  // redelivered: recorded once
  EXPECT_EQ(projects_->HeadPosition(), head);

  ASSERT_OK_AND_ASSIGN(const std::string crm, NewProject("CRM"));
  auto refused = Start(crm, kWaterfall);
  ASSERT_THAT(refused, StatusIs(absl::StatusCode::kFailedPrecondition));
  RuleViolation rule;
  ASSERT_TRUE(RuleViolationOf(refused.status(), &rule));
  EXPECT_EQ(rule.rule, "METHODOLOGY_WITHDRAWN");
  ASSERT_OK_AND_ASSIGN(auto kept, handlers_->GetProject(erp));
  ASSERT_TRUE(kept.state.state().has_methodology());
  EXPECT_EQ(kept.state.state().methodology().version(), "2027.1");
}

TEST_F(LibraryMethodologiesTest, ARedeliveredEventRegistersNothingTwice) {
  Publish(*library_, kWaterfall, "2027.1");
  Deliver("feed.db");
  const int64_t head = projects_->HeadPosition();
  EXPECT_EQ(head, 1);
  // A feed that lost its offsets reads everything again.
  Deliver("fresh-offsets.db");
  EXPECT_EQ(projects_->HeadPosition(), head);
}

TEST_F(LibraryMethodologiesTest,
       AVersionKnownUnderAnotherIdDoesNotStopTheFeed) {
  google::protobuf::RepeatedPtrField<v1::Phase> phases;
  v1::Phase* phase = phases.Add();
  phase->set_name("Only");
  phase->mutable_gate()->set_name("Only gate");
  eventsourcing::CommandContext before;
  before.request_id = "registered-before-the-library";
  ASSERT_OK(handlers_
                ->RegisterMethodology("c0000000-0000-4000-8000-000000000009",
                                      "Waterfall", "2027.1", phases, before)
                .status());
  Publish(*library_, kWaterfall, "2027.1");
  Publish(*library_, "c0000000-0000-4000-8000-000000000002", "2027.2");
  Deliver("feed.db");
  ASSERT_OK_AND_ASSIGN(const std::string project, NewProject("CRM"));
  EXPECT_THAT(Start(project, kWaterfall),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_OK(Start(project, "c0000000-0000-4000-8000-000000000002").status());
}

}  // namespace
}  // namespace pmo::projects
