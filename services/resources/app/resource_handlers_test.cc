#include "services/resources/app/resource_handlers.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/testing/status_matchers.h"
#include "libs/base/testing/temp_dir.h"
#include "libs/eventstore/sqlite_event_store.h"
#include "libs/subscription/in_process_subscription.h"
#include "services/projects/app/project_handlers.h"

namespace pmo::resources {
namespace {

using ::pmo::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
namespace pv1 = ::pmo::projects::v1;

google::type::Date D(int y, int m, int d) {
  google::type::Date out;
  out.set_year(y);
  out.set_month(m);
  out.set_day(d);
  return out;
}

eventsourcing::CommandContext Ctx(std::string request_id) {
  eventsourcing::CommandContext c;
  c.request_id = std::move(request_id);
  return c;
}

class ResourceHandlersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(projects_store_,
                         eventstore::SqliteEventStore::Open(dir_.File("projects.db")));
    ASSERT_OK_AND_ASSIGN(resources_store_,
                         eventstore::SqliteEventStore::Open(dir_.File("resources.db")));
    ASSERT_OK_AND_ASSIGN(directory_, ProjectDirectory::Open(dir_.File("directory.db")));
    projects_ = std::make_unique<projects::ProjectHandlers>(*projects_store_);
    handlers_ = std::make_unique<ResourceHandlers>(*resources_store_, *directory_);
    feed_ = std::make_unique<subscription::InProcessSubscription>(*projects_store_, "projects",
                                                                  *directory_);
    feed_->Start();
  }
  std::string Project(const std::string& code) {
    auto p = projects_->CreateProject({code, code, "alice", absl::CivilDay(2027, 1, 1),
                                       absl::CivilDay(2027, 12, 31)},
                                      Ctx("create-" + code));
    EXPECT_TRUE(p.ok()) << p.status();
    EXPECT_TRUE(feed_->WaitUntilCaughtUp(absl::Seconds(30)));
    return p->state.id();
  }
  // Alice: Monday to Friday, 8 h a day, public holiday Wednesday 3 March
  // 2027, employed from 1 January 2027.
  std::string Alice() {
    v1::ResourceRegistered r;
    r.set_name("Alice");
    r.set_kind(v1::RESOURCE_KIND_PERSON);
    v1::WorkingCalendar* c = r.mutable_calendar();
    for (bool working : {true, true, true, true, true, false, false}) c->add_working_weekdays(working);
    c->set_hours_per_day(8);
    *c->add_holidays() = D(2027, 3, 3);
    *c->mutable_employed_from() = D(2027, 1, 1);
    auto alice = handlers_->RegisterResource(r, Ctx("register-alice"));
    EXPECT_TRUE(alice.ok()) << alice.status();
    return alice->state.state().resource_id();
  }
  static v1::Allocation Percent(const std::string& project, double percent) {
    v1::Allocation a;
    a.set_project_id(project);
    *a.mutable_from() = D(2027, 3, 1);  // Monday
    *a.mutable_to() = D(2027, 3, 5);    // Friday
    a.set_unit(v1::ALLOCATION_UNIT_PERCENT);
    a.set_amount(percent);
    return a;
  }

  pmo::testing::TempDir dir_;
  std::unique_ptr<eventstore::SqliteEventStore> projects_store_, resources_store_;
  std::unique_ptr<ProjectDirectory> directory_;
  std::unique_ptr<projects::ProjectHandlers> projects_;
  std::unique_ptr<ResourceHandlers> handlers_;
  std::unique_ptr<subscription::InProcessSubscription> feed_;
};

// Worked by hand: two bookings of 60 % of 8 h = 4.8 h each, 9.6 h a day
// against 8 h: 1.6 h over on Monday, Tuesday, Thursday and Friday. The
// Wednesday holiday has no capacity and books nothing.
TEST_F(ResourceHandlersTest, TwoProjectsAtSixtyPercentOverAllocateTheWeek) {
  const std::string erp = Project("ERP"), crm = Project("CRM");
  const std::string alice = Alice();
  ASSERT_OK_AND_ASSIGN(AllocationOutcome first,
                       handlers_->Allocate(alice, Percent(erp, 60), Ctx("erp-60")));
  EXPECT_TRUE(first.newly_over_allocated.empty());
  ASSERT_OK_AND_ASSIGN(AllocationOutcome second,
                       handlers_->Allocate(alice, Percent(crm, 60), Ctx("crm-60")));
  ASSERT_EQ(second.newly_over_allocated.size(), 4u);
  std::vector<int> days;
  for (const auto& d : second.newly_over_allocated) days.push_back(d.day().day());
  EXPECT_THAT(days, ElementsAre(1, 2, 4, 5));
  const v1::OverAllocatedDay& monday = second.newly_over_allocated[0];
  EXPECT_DOUBLE_EQ(monday.capacity_hours(), 8);
  EXPECT_NEAR(monday.load_hours(), 9.6, 1e-9);
  EXPECT_NEAR(monday.excess_hours(), 1.6, 1e-9);
  ASSERT_EQ(monday.shares_size(), 2);
  EXPECT_NEAR(monday.shares(0).hours(), 4.8, 1e-9);

  // The over-allocation is an event in the resource's stream.
  ASSERT_OK_AND_ASSIGN(auto events, resources_store_->ReadStream(alice));
  EXPECT_EQ(events.back().event_type, "pmo.resources.v1.ResourceOverAllocated");

  // Cancelling one booking resolves the four days.
  ASSERT_OK_AND_ASSIGN(CancellationOutcome cancelled,
                       handlers_->CancelAllocation(alice, second.allocation_id, "re-planned",
                                                   Ctx("cancel-crm")));
  EXPECT_EQ(cancelled.resolved_days.size(), 4u);
  ASSERT_OK_AND_ASSIGN(events, resources_store_->ReadStream(alice));
  EXPECT_EQ(events.back().event_type, "pmo.resources.v1.ResourceOverAllocationResolved");
}

// Worked by hand: 4 h of leave on Monday 1 March leaves 4 h; the ERP
// booking of 60 % books 4.8 h: 0.8 h over that day only.
TEST_F(ResourceHandlersTest, LeaveThatCollidesWithABookingShowsAsOverAllocation) {
  const std::string erp = Project("ERP");
  const std::string alice = Alice();
  ASSERT_OK(handlers_->Allocate(alice, Percent(erp, 60), Ctx("erp-60")).status());
  v1::Absence leave;
  *leave.mutable_from() = D(2027, 3, 1);
  *leave.mutable_to() = D(2027, 3, 1);
  leave.set_hours_per_day(4);
  leave.set_reason("dentist");
  ASSERT_OK_AND_ASSIGN(AbsenceOutcome outcome, handlers_->RecordAbsence(alice, leave, Ctx("leave")));
  ASSERT_EQ(outcome.newly_over_allocated.size(), 1u);
  EXPECT_NEAR(outcome.newly_over_allocated[0].excess_hours(), 0.8, 1e-9);
  ASSERT_OK_AND_ASSIGN(ResourceLoad load,
                       handlers_->GetLoad(alice, absl::CivilDay(2027, 3, 1), absl::CivilDay(2027, 3, 7)));
  ASSERT_EQ(load.days.size(), 7u);
  EXPECT_DOUBLE_EQ(load.days[0].capacity_hours(), 4);
  EXPECT_DOUBLE_EQ(load.days[2].capacity_hours(), 0);  // holiday
  EXPECT_DOUBLE_EQ(load.days[5].load_hours(), 0);      // Saturday
  EXPECT_EQ(load.over_allocated.size(), 1u);
}

TEST_F(ResourceHandlersTest, UnknownOrEndedProjectsAndBadBookingsAreRefused) {
  const std::string alice = Alice();
  EXPECT_THAT(handlers_->Allocate(alice, Percent("00000000-0000-4000-8000-000000000000", 50),
                                  Ctx("unknown")),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("not known")));
  const std::string ended = Project("ENDED");
  ASSERT_OK(projects_->ChangeProjectStatus(ended, pv1::PROJECT_STATUS_CANCELLED, "stopped",
                                           Ctx("cancel")).status());
  ASSERT_TRUE(feed_->WaitUntilCaughtUp(absl::Seconds(30)));
  EXPECT_THAT(handlers_->Allocate(alice, Percent(ended, 50), Ctx("ended")),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("CANCELLED")));

  const std::string erp = Project("ERP");
  EXPECT_THAT(handlers_->Allocate(alice, Percent(erp, 120), Ctx("too-much")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("amount")));
  v1::Allocation backwards = Percent(erp, 50);
  *backwards.mutable_to() = D(2027, 2, 1);
  EXPECT_THAT(handlers_->Allocate(alice, backwards, Ctx("backwards")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("to: must not be before from")));
  v1::Allocation before_hire = Percent(erp, 50);
  *before_hire.mutable_from() = D(2026, 12, 1);
  EXPECT_THAT(handlers_->Allocate(alice, before_hire, Ctx("before-hire")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("employment")));
  v1::ResourceRegistered nameless;
  nameless.set_kind(v1::RESOURCE_KIND_PERSON);
  EXPECT_THAT(handlers_->RegisterResource(nameless, Ctx("nameless")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       ::testing::AllOf(HasSubstr("name"), HasSubstr("calendar.working_weekdays"))));
}

}  // namespace
}  // namespace pmo::resources
