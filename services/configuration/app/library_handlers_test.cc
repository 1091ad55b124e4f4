#include "services/configuration/app/library_handlers.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/errors.h"
#include "libs/base/testing/status_matchers.h"
#include "libs/base/testing/temp_dir.h"
#include "libs/eventstore/sqlite_event_store.h"

namespace pmo::configuration {
namespace {

using ::pmo::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

eventsourcing::CommandContext Ctx(std::string request_id) {
  eventsourcing::CommandContext c;
  c.request_id = std::move(request_id);
  c.metadata.actor = "pmo-office";
  return c;
}

v1::MethodologyVersionPublished Waterfall(const std::string& version) {
  v1::MethodologyVersionPublished m;
  m.set_name("Waterfall");
  m.set_version(version);
  for (const char* name : {"Initiation", "Planning", "Execution"}) {
    v1::MethodologyPhase* phase = m.add_phases();
    phase->set_name(name);
    phase->mutable_gate()->set_name(std::string(name) + " gate");
    phase->mutable_gate()->add_deliverables("Phase report");
    phase->mutable_gate()->add_criteria("Sponsor signs off");
  }
  return m;
}

class LibraryHandlersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(store_, eventstore::SqliteEventStore::Open(
                                     dir_.File("configuration.db")));
    library_ = std::make_unique<LibraryHandlers>(*store_);
  }
  testing::TempDir dir_;
  std::unique_ptr<eventstore::SqliteEventStore> store_;
  std::unique_ptr<LibraryHandlers> library_;
};

TEST_F(LibraryHandlersTest,
       PublishedVersionsAreImmutableAndUniqueByNameAndVersion) {
  ASSERT_OK_AND_ASSIGN(
      VersionedMethodology first,
      library_->PublishMethodology(Waterfall("2027.1"), Ctx("publish-1")));
  EXPECT_EQ(first.state.state().published_by(), "pmo-office");
  EXPECT_EQ(first.state.state().phases_size(), 3);
  EXPECT_THAT(
      library_->PublishMethodology(Waterfall("2027.1"), Ctx("publish-again")),
      StatusIs(absl::StatusCode::kAlreadyExists,
               HasSubstr("'Waterfall' version '2027.1'")));
  // A change is a new version; the first stays as it was.
  v1::MethodologyVersionPublished next = Waterfall("2027.2");
  next.mutable_phases()->RemoveLast();
  ASSERT_OK(library_->PublishMethodology(next, Ctx("publish-2")).status());
  ASSERT_OK_AND_ASSIGN(
      VersionedMethodology reread,
      library_->GetMethodology(first.state.state().methodology_id()));
  EXPECT_EQ(reread.state.state().phases_size(), 3);
  ASSERT_OK_AND_ASSIGN(auto listed, library_->ListMethodologies("Waterfall"));
  EXPECT_EQ(listed.size(), 2u);

  ASSERT_OK_AND_ASSIGN(
      VersionedMethodology withdrawn,
      library_->WithdrawMethodology(first.state.state().methodology_id(),
                                    "replaced by 2027.2", Ctx("withdraw")));
  EXPECT_TRUE(withdrawn.state.state().withdrawn());
  EXPECT_EQ(withdrawn.state.state().phases_size(), 3);
}

TEST_F(LibraryHandlersTest, BadDefinitionsNameTheirFields) {
  v1::MethodologyVersionPublished bad = Waterfall("");
  bad.mutable_phases(1)->mutable_gate()->clear_name();
  bad.mutable_phases(2)->mutable_gate()->add_criteria(" ");
  auto published = library_->PublishMethodology(bad, Ctx("bad"));
  ASSERT_THAT(published, StatusIs(absl::StatusCode::kInvalidArgument));
  std::vector<std::string> fields;
  for (const FieldViolation& v : FieldViolationsOf(published.status()))
    fields.push_back(v.field);
  EXPECT_THAT(fields, UnorderedElementsAre("version", "phases[1].gate.name",
                                           "phases[2].gate.criteria[1]"));
  v1::MethodologyVersionPublished empty = Waterfall("1");
  empty.clear_phases();
  EXPECT_THAT(
      library_->PublishMethodology(empty, Ctx("empty")),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("phases")));
}

}  // namespace
}  // namespace pmo::configuration
