#include "services/resources/app/resource_handlers.h"

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/testing/status_matchers.h"
#include "libs/base/testing/temp_dir.h"
#include "libs/eventstore/sqlite_event_store.h"
#include "libs/projectdirectory/project_directory.h"
#include "libs/subscription/in_process_subscription.h"
#include "services/projects/app/project_handlers.h"

namespace pmo::resources {
namespace {

using projectdirectory::ProjectDirectory;

using ::pmo::testing::StatusIs;
using ::pmo::testing::ViolatesRule;
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
    ASSERT_OK_AND_ASSIGN(projects_store_, eventstore::SqliteEventStore::Open(
                                              dir_.File("projects.db")));
    ASSERT_OK_AND_ASSIGN(resources_store_, eventstore::SqliteEventStore::Open(
                                               dir_.File("resources.db")));
    ASSERT_OK_AND_ASSIGN(directory_,
                         ProjectDirectory::Open(dir_.File("directory.db")));
    projects_ = std::make_unique<projects::ProjectHandlers>(*projects_store_);
    handlers_ =
        std::make_unique<ResourceHandlers>(*resources_store_, *directory_);
    feed_ = std::make_unique<subscription::InProcessSubscription>(
        *projects_store_, "projects", *directory_);
    feed_->Start();
  }
  std::string Project(const std::string& code) {
    auto p = projects_->CreateProject(
        {code, code, "alice", absl::CivilDay(2027, 1, 1),
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
    for (bool working : {true, true, true, true, true, false, false})
      c->add_working_weekdays(working);
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
  std::unique_ptr<eventstore::SqliteEventStore> projects_store_,
      resources_store_;
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
  ASSERT_OK_AND_ASSIGN(
      AllocationOutcome first,
      handlers_->Allocate(alice, Percent(erp, 60), Ctx("erp-60")));
  EXPECT_TRUE(first.newly_over_allocated.empty());
  ASSERT_OK_AND_ASSIGN(
      AllocationOutcome second,
      handlers_->Allocate(alice, Percent(crm, 60), Ctx("crm-60")));
  ASSERT_EQ(second.newly_over_allocated.size(), 4u);
  std::vector<int> days;
  for (const auto& d : second.newly_over_allocated)
    days.push_back(d.day().day());
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
  ASSERT_OK_AND_ASSIGN(
      CancellationOutcome cancelled,
      handlers_->CancelAllocation(alice, second.allocation_id, "re-planned",
                                  Ctx("cancel-crm")));
  EXPECT_EQ(cancelled.resolved_days.size(), 4u);
  ASSERT_OK_AND_ASSIGN(events, resources_store_->ReadStream(alice));
  EXPECT_EQ(events.back().event_type,
            "pmo.resources.v1.ResourceOverAllocationResolved");
}

// Worked by hand: 4 h of leave on Monday 1 March leaves 4 h; the ERP
// booking of 60 % books 4.8 h: 0.8 h over that day only.
TEST_F(ResourceHandlersTest,
       LeaveThatCollidesWithABookingShowsAsOverAllocation) {
  const std::string erp = Project("ERP");
  const std::string alice = Alice();
  ASSERT_OK(
      handlers_->Allocate(alice, Percent(erp, 60), Ctx("erp-60")).status());
  v1::Absence leave;
  *leave.mutable_from() = D(2027, 3, 1);
  *leave.mutable_to() = D(2027, 3, 1);
  leave.set_hours_per_day(4);
  leave.set_reason("dentist");
  ASSERT_OK_AND_ASSIGN(AbsenceOutcome outcome,
                       handlers_->RecordAbsence(alice, leave, Ctx("leave")));
  ASSERT_EQ(outcome.newly_over_allocated.size(), 1u);
  EXPECT_NEAR(outcome.newly_over_allocated[0].excess_hours(), 0.8, 1e-9);
  ASSERT_OK_AND_ASSIGN(ResourceLoad load,
                       handlers_->GetLoad(alice, absl::CivilDay(2027, 3, 1),
                                          absl::CivilDay(2027, 3, 7)));
  ASSERT_EQ(load.days.size(), 7u);
  EXPECT_DOUBLE_EQ(load.days[0].capacity_hours(), 4);
  EXPECT_DOUBLE_EQ(load.days[2].capacity_hours(), 0);  // holiday
  EXPECT_DOUBLE_EQ(load.days[5].load_hours(), 0);      // Saturday
  EXPECT_EQ(load.over_allocated.size(), 1u);
}

TEST_F(ResourceHandlersTest, UnknownOrEndedProjectsAndBadBookingsAreRefused) {
  const std::string alice = Alice();
  EXPECT_THAT(
      handlers_->Allocate(alice,
                          Percent("00000000-0000-4000-8000-000000000000", 50),
                          Ctx("unknown")),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("not known")));
  const std::string ended = Project("ENDED");
  ASSERT_OK(projects_
                ->ChangeProjectStatus(ended, pv1::PROJECT_STATUS_CANCELLED,
                                      "stopped", Ctx("cancel"))
                .status());
  ASSERT_TRUE(feed_->WaitUntilCaughtUp(absl::Seconds(30)));
  EXPECT_THAT(
      handlers_->Allocate(alice, Percent(ended, 50), Ctx("ended")),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("CANCELLED")));

  const std::string erp = Project("ERP");
  EXPECT_THAT(
      handlers_->Allocate(alice, Percent(erp, 120), Ctx("too-much")),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("amount")));
  v1::Allocation backwards = Percent(erp, 50);
  *backwards.mutable_to() = D(2027, 2, 1);
  EXPECT_THAT(handlers_->Allocate(alice, backwards, Ctx("backwards")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("to: must not be before from")));
  v1::Allocation before_hire = Percent(erp, 50);
  *before_hire.mutable_from() = D(2026, 12, 1);
  EXPECT_THAT(
      handlers_->Allocate(alice, before_hire, Ctx("before-hire")),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("employment")));
  v1::ResourceRegistered nameless;
  nameless.set_kind(v1::RESOURCE_KIND_PERSON);
  EXPECT_THAT(
      handlers_->RegisterResource(nameless, Ctx("nameless")),
      StatusIs(absl::StatusCode::kInvalidArgument,
               ::testing::AllOf(HasSubstr("name"),
                                HasSubstr("calendar.working_weekdays"))));
}

}  // namespace
}  // namespace pmo::resources

#include "services/resources/app/mentoring_handlers.h"

namespace pmo::resources {
namespace {

class PoolTest : public ResourceHandlersTest {
 protected:
  std::string Person(const std::string& name, const std::string& unit,
                     const std::vector<std::pair<std::string, int>>& skills) {
    v1::ResourceRegistered r;
    r.set_name(name);
    r.set_kind(v1::RESOURCE_KIND_PERSON);
    r.set_organisation_unit(unit);
    for (const auto& [skill, level] : skills) {
      v1::Skill* s = r.add_skills();
      s->set_name(skill);
      s->set_level(level);
    }
    v1::WorkingCalendar* c = r.mutable_calendar();
    for (bool working : {true, true, true, true, true, false, false})
      c->add_working_weekdays(working);
    c->set_hours_per_day(8);
    *c->mutable_employed_from() = D(2027, 1, 1);
    auto p = handlers_->RegisterResource(r, Ctx("register-" + name));
    EXPECT_TRUE(p.ok()) << p.status();
    return p->state.state().resource_id();
  }
};

// Worked by hand for the week of 1-5 March 2027 (5 working days, 40 h each):
//   Bob (Java 4, unit Apps) booked 50 % -> 20 h; Carol (Java 2, unit Apps)
//   free; Dan (Testing 3, unit QA) free.
//   Free Java level >= 3 with 6 h a day: Bob has only 4 h free -> nobody;
//   with 4 h a day: Bob. Free Java at any level with 6 h: Carol.
//   Utilisation by unit: Apps 20 / 80 = 0.25, QA 0 / 40 = 0.
//   A request for Testing, 100 % that week = 40 h against Dan's 40 h:
//   balance 0; Java capacity 80 h, demand 0.
TEST_F(PoolTest, FreeResourcesUtilisationAndCapacityAgainstDemand) {
  const std::string erp = Project("ERP");
  const std::string bob = Person("Bob", "Apps", {{"Java", 4}});
  const std::string carol = Person("Carol", "Apps", {{"Java", 2}});
  const std::string dan = Person("Dan", "QA", {{"Testing", 3}});
  ASSERT_OK(handlers_->Allocate(bob, Percent(erp, 50), Ctx("bob-50")).status());
  const absl::CivilDay mon(2027, 3, 1), fri(2027, 3, 5);
  v1::Skill java;
  java.set_name("Java");
  java.set_level(3);
  EXPECT_THAT(handlers_->FindFreeResources(java, mon, fri, 6),
              ::pmo::testing::IsOkAndHolds(::testing::IsEmpty()));
  ASSERT_OK_AND_ASSIGN(auto four_hours,
                       handlers_->FindFreeResources(java, mon, fri, 4));
  ASSERT_EQ(four_hours.size(), 1u);
  EXPECT_EQ(four_hours[0].resource_id(), bob);
  EXPECT_DOUBLE_EQ(four_hours[0].free_hours_total(), 20);
  java.set_level(0);
  ASSERT_OK_AND_ASSIGN(auto any_level,
                       handlers_->FindFreeResources(java, mon, fri, 6));
  ASSERT_EQ(any_level.size(), 1u);
  EXPECT_EQ(any_level[0].resource_id(), carol);

  ASSERT_OK_AND_ASSIGN(
      auto by_unit, handlers_->GetUtilisation(
                        mon, fri, v1::UTILISATION_GROUPING_ORGANISATION_UNIT));
  ASSERT_EQ(by_unit.size(), 2u);
  EXPECT_EQ(by_unit[0].key(), "Apps");
  EXPECT_DOUBLE_EQ(by_unit[0].capacity_hours(), 80);
  EXPECT_DOUBLE_EQ(by_unit[0].utilisation(), 0.25);
  EXPECT_DOUBLE_EQ(by_unit[1].utilisation(), 0);

  v1::CapacityRequested ask;
  ask.set_project_id(erp);
  ask.mutable_skill()->set_name("Testing");
  ask.mutable_skill()->set_level(3);
  ask.set_unit(v1::ALLOCATION_UNIT_PERCENT);
  ask.set_amount(100);
  *ask.mutable_from() = D(2027, 3, 1);
  *ask.mutable_to() = D(2027, 3, 5);
  ASSERT_OK(handlers_->RequestCapacity(ask, Ctx("ask-testing")).status());
  ASSERT_OK_AND_ASSIGN(auto balance,
                       handlers_->GetCapacityVersusDemand(mon, fri));
  ASSERT_EQ(balance.size(), 2u);
  EXPECT_EQ(balance[0].skill(), "Java");
  EXPECT_DOUBLE_EQ(balance[0].capacity_hours(), 80);
  EXPECT_DOUBLE_EQ(balance[1].demand_hours(), 40);
  EXPECT_DOUBLE_EQ(balance[1].balance_hours(), 0);
  (void)dan;
}

TEST_F(PoolTest, CapacityRequestsAreDecidedAndFulfilledByASkilledResource) {
  const std::string erp = Project("ERP");
  const std::string tester = Person("Erin", "QA", {{"Testing", 4}});
  const std::string dev = Person("Frank", "Apps", {{"Java", 5}});
  v1::CapacityRequested ask;
  ask.set_project_id(erp);
  ask.mutable_skill()->set_name("Testing");
  ask.mutable_skill()->set_level(3);
  ask.set_unit(v1::ALLOCATION_UNIT_HOURS_PER_DAY);
  ask.set_amount(4);
  *ask.mutable_from() = D(2027, 3, 1);
  *ask.mutable_to() = D(2027, 3, 12);
  ASSERT_OK_AND_ASSIGN(auto request,
                       handlers_->RequestCapacity(ask, Ctx("ask")));
  const std::string id = request.state.state().request_id();
  EXPECT_EQ(request.state.state().status(),
            v1::CAPACITY_REQUEST_STATUS_REQUESTED);
  ASSERT_OK(handlers_
                ->DecideCapacityRequest(id, v1::CAPACITY_DECISION_APPROVE,
                                        "needed", Ctx("approve"))
                .status());
  EXPECT_THAT(handlers_->FulfilCapacityRequest(id, dev, Ctx("wrong-person")),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("does not have Testing")));
  ASSERT_OK_AND_ASSIGN(FulfilmentOutcome done, handlers_->FulfilCapacityRequest(
                                                   id, tester, Ctx("fulfil")));
  EXPECT_EQ(done.request.state.state().status(),
            v1::CAPACITY_REQUEST_STATUS_FULFILLED);
  ASSERT_OK_AND_ASSIGN(auto erin, handlers_->GetResource(tester));
  ASSERT_EQ(erin.state.state().allocations_size(), 1);
  EXPECT_EQ(erin.state.state().allocations(0).allocation_id(),
            done.request.state.state().allocation_id());
  // A retry books nothing twice.
  ASSERT_OK(
      handlers_->FulfilCapacityRequest(id, tester, Ctx("fulfil")).status());
  ASSERT_OK_AND_ASSIGN(erin, handlers_->GetResource(tester));
  EXPECT_EQ(erin.state.state().allocations_size(), 1);
  // Fulfilled is final.
  EXPECT_THAT(handlers_->DecideCapacityRequest(id, v1::CAPACITY_DECISION_REJECT,
                                               "late", Ctx("reject-late")),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  ask.set_amount(30);
  EXPECT_THAT(
      handlers_->RequestCapacity(ask, Ctx("too-much")),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("amount")));
}

TEST_F(PoolTest, WhoAskedForCapacityDoesNotDecideTheRequest) {
  const std::string erp = Project("ERP");
  v1::CapacityRequested ask;
  ask.set_project_id(erp);
  ask.mutable_skill()->set_name("Testing");
  ask.mutable_skill()->set_level(3);
  ask.set_unit(v1::ALLOCATION_UNIT_HOURS_PER_DAY);
  ask.set_amount(4);
  *ask.mutable_from() = D(2027, 3, 1);
  *ask.mutable_to() = D(2027, 3, 12);
  ask.set_requested_by("pm-alice");
  eventsourcing::CommandContext asking = Ctx("ask");
  asking.metadata.actor = "pm-alice";
  ASSERT_OK_AND_ASSIGN(auto request, handlers_->RequestCapacity(ask, asking));
  const std::string id = request.state.state().request_id();

  for (v1::CapacityDecision decision :
       {v1::CAPACITY_DECISION_APPROVE, v1::CAPACITY_DECISION_REJECT}) {
    eventsourcing::CommandContext own =
        Ctx(absl::StrCat("decide-own-", static_cast<int>(decision)));
    own.metadata.actor = "pm-alice";
    EXPECT_THAT(handlers_->DecideCapacityRequest(id, decision, "why not", own),
                ViolatesRule("SEPARATION_OF_DUTIES"));
  }
  ASSERT_OK_AND_ASSIGN(auto unchanged, handlers_->GetCapacityRequest(id));
  EXPECT_EQ(unchanged.version, 1);
  EXPECT_EQ(unchanged.state.state().status(),
            v1::CAPACITY_REQUEST_STATUS_REQUESTED);

  eventsourcing::CommandContext lead = Ctx("decide");
  lead.metadata.actor = "pmo-lead";
  ASSERT_OK_AND_ASSIGN(auto approved,
                       handlers_->DecideCapacityRequest(
                           id, v1::CAPACITY_DECISION_APPROVE, "ok", lead));
  EXPECT_EQ(approved.state.state().status(),
            v1::CAPACITY_REQUEST_STATUS_APPROVED);
  EXPECT_THAT(
      handlers_->GetCapacityRequest("0c0ab1e5-dead-4000-8000-00000000beef"),
      StatusIs(absl::StatusCode::kNotFound,
               HasSubstr("0c0ab1e5-dead-4000-8000-00000000beef")));
}

TEST_F(PoolTest, MentoringAndLessonsLearnedSearchableByTagAndCategory) {
  MentoringHandlers mentoring(*resources_store_);
  ASSERT_OK_AND_ASSIGN(
      auto m, mentoring.StartMentorship("grace", "heidi", Ctx("mentor")));
  v1::MentoringSession session;
  *session.mutable_date() = D(2027, 2, 1);
  session.add_topics("Stakeholder management");
  session.set_notes("Map the sponsors first.");
  ASSERT_OK_AND_ASSIGN(auto after,
                       mentoring.RecordSession(m.state.state().mentorship_id(),
                                               session, Ctx("session-1")));
  EXPECT_EQ(after.state.state().sessions_size(), 1);
  EXPECT_THAT(
      mentoring.StartMentorship("ivan", "ivan", Ctx("self")),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("mentee")));

  const std::string erp = Project("ERP");
  auto lesson = [&](const std::string& category,
                    const std::vector<std::string>& tags,
                    const std::string& request) {
    v1::Lesson l;
    l.set_project_id(erp);
    l.set_category(category);
    l.set_what_happened("Vendor slipped");
    l.set_recommendation("Penalty clauses");
    for (const auto& t : tags) l.add_tags(t);
    return mentoring.RecordLesson(l, Ctx(request));
  };
  ASSERT_OK(lesson("Procurement", {"Vendor", "contract"}, "l1").status());
  ASSERT_OK(lesson("Procurement", {"vendor"}, "l2").status());
  ASSERT_OK(lesson("Quality", {"vendor", "testing"}, "l3").status());
  ASSERT_OK_AND_ASSIGN(auto vendor, mentoring.SearchLessons({"VENDOR"}, "", 0));
  EXPECT_EQ(vendor.size(), 3u);
  ASSERT_OK_AND_ASSIGN(auto procurement,
                       mentoring.SearchLessons({"vendor"}, "Procurement", 0));
  ASSERT_EQ(procurement.size(), 2u);
  EXPECT_THAT(procurement[1].tags(),
              ElementsAre("vendor", "contract"));  // oldest last
  ASSERT_OK_AND_ASSIGN(auto both,
                       mentoring.SearchLessons({"vendor", "testing"}, "", 0));
  EXPECT_EQ(both.size(), 1u);
  EXPECT_THAT(lesson("", {}, "l4"), StatusIs(absl::StatusCode::kInvalidArgument,
                                             HasSubstr("category")));
}

}  // namespace
}  // namespace pmo::resources

#include "services/resources/app/levelling_handlers.h"

namespace pmo::resources {
namespace {

// Worked by hand: Alice is booked 60 % to HIGH (priority 1) and 60 % to LOW
// (priority 5) in the week of 1 March: 1.6 h over on four working days (the
// Wednesday is a holiday). LOW's booking may move up to 19 March. A move
// keeps the booking's number of working days (4, so the same hours): Monday
// 8 to Thursday 11 March, where it fits, and nothing is over any more.
TEST_F(PoolTest, LevellingMovesTheLowerPriorityBookingWithinItsWindow) {
  auto project = [&](const std::string& code, int priority) {
    auto p = projects_->CreateProject({code,
                                       code,
                                       "alice",
                                       absl::CivilDay(2027, 1, 1),
                                       absl::CivilDay(2027, 12, 31),
                                       {},
                                       "",
                                       priority},
                                      Ctx("create-" + code));
    EXPECT_TRUE(p.ok()) << p.status();
    EXPECT_TRUE(feed_->WaitUntilCaughtUp(absl::Seconds(30)));
    return p->state.id();
  };
  const std::string high = project("HIGH", 1), low = project("LOW", 5);
  const std::string alice = Alice();
  ASSERT_OK(
      handlers_->Allocate(alice, Percent(high, 60), Ctx("high")).status());
  v1::Allocation movable = Percent(low, 60);
  *movable.mutable_movable_from() = D(2027, 3, 1);
  *movable.mutable_movable_to() = D(2027, 3, 19);
  ASSERT_OK_AND_ASSIGN(AllocationOutcome booked,
                       handlers_->Allocate(alice, movable, Ctx("low")));
  ASSERT_EQ(booked.newly_over_allocated.size(), 4u);

  LevellingHandlers levelling(*resources_store_, *directory_, *handlers_);
  ASSERT_OK_AND_ASSIGN(
      VersionedProposal proposal,
      levelling.ProposeLevelling(absl::CivilDay(2027, 3, 1),
                                 absl::CivilDay(2027, 3, 31), Ctx("propose")));
  const v1::LevellingProposal& p = proposal.state.state();
  EXPECT_EQ(p.over_allocated_days_before(), 4);
  EXPECT_EQ(p.over_allocated_days_after(), 0);
  ASSERT_EQ(p.changes_size(), 1);
  EXPECT_EQ(p.changes(0).project_id(), low);
  ASSERT_TRUE(p.changes(0).has_move_to());
  EXPECT_EQ(p.changes(0).move_to().from().day(), 8);
  EXPECT_EQ(p.changes(0).move_to().to().day(), 11);

  ASSERT_OK_AND_ASSIGN(
      VersionedProposal accepted,
      levelling.AcceptLevelling(p.proposal_id(), Ctx("accept")));
  EXPECT_EQ(accepted.state.state().status(),
            v1::LEVELLING_PROPOSAL_STATUS_ACCEPTED);
  ASSERT_OK_AND_ASSIGN(ResourceLoad load,
                       handlers_->GetLoad(alice, absl::CivilDay(2027, 3, 1),
                                          absl::CivilDay(2027, 3, 31)));
  EXPECT_TRUE(load.over_allocated.empty());
  // Accepting again answers the same and changes nothing; discarding now is
  // too late.
  ASSERT_OK(levelling.AcceptLevelling(p.proposal_id(), Ctx("accept")).status());
  ASSERT_OK_AND_ASSIGN(auto a, handlers_->GetResource(alice));
  // HIGH's booking, LOW's moved booking, and LOW's old one kept as cancelled.
  ASSERT_EQ(a.state.state().allocations_size(), 3);
  EXPECT_EQ(a.state.state().allocations(1).status(),
            v1::ALLOCATION_STATUS_CANCELLED);
  EXPECT_EQ(a.state.state().allocations(2).status(),
            v1::ALLOCATION_STATUS_BOOKED);
  EXPECT_THAT(
      levelling.DiscardLevelling(p.proposal_id(), "changed my mind",
                                 Ctx("discard")),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("ACCEPTED")));
}

TEST_F(PoolTest, AStaleLevellingProposalIsRefused) {
  const std::string a_project = Project("ALPHA"), b_project = Project("BETA");
  const std::string alice = Alice();
  ASSERT_OK(
      handlers_->Allocate(alice, Percent(a_project, 60), Ctx("a")).status());
  v1::Allocation movable = Percent(b_project, 60);
  *movable.mutable_movable_from() = D(2027, 3, 1);
  *movable.mutable_movable_to() = D(2027, 3, 19);
  ASSERT_OK_AND_ASSIGN(AllocationOutcome b,
                       handlers_->Allocate(alice, movable, Ctx("b")));
  LevellingHandlers levelling(*resources_store_, *directory_, *handlers_);
  ASSERT_OK_AND_ASSIGN(
      VersionedProposal proposal,
      levelling.ProposeLevelling(absl::CivilDay(2027, 3, 1),
                                 absl::CivilDay(2027, 3, 31), Ctx("propose")));
  ASSERT_GT(proposal.state.state().changes_size(), 0);
  ASSERT_OK(handlers_
                ->CancelAllocation(
                    alice, proposal.state.state().changes(0).allocation_id(),
                    "done by hand", Ctx("by-hand"))
                .status());
  EXPECT_THAT(levelling.AcceptLevelling(proposal.state.state().proposal_id(),
                                        Ctx("accept")),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("has changed")));
  ASSERT_OK_AND_ASSIGN(auto discarded, levelling.DiscardLevelling(
                                           proposal.state.state().proposal_id(),
                                           "stale", Ctx("discard")));
  EXPECT_EQ(discarded.state.state().status(),
            v1::LEVELLING_PROPOSAL_STATUS_DISCARDED);
  (void)b;
}

}  // namespace
}  // namespace pmo::resources

namespace pmo::resources {
namespace {

TEST_F(PoolTest, RetriesAnswerAsTheFirstCallDidAndRefusalsLeaveNoBooking) {
  const std::string erp = Project("ERP"), crm = Project("CRM");
  const std::string alice = Alice();
  ASSERT_OK(handlers_->Allocate(alice, Percent(erp, 60), Ctx("erp")).status());
  ASSERT_OK_AND_ASSIGN(
      AllocationOutcome first,
      handlers_->Allocate(alice, Percent(crm, 60), Ctx("crm")));
  ASSERT_EQ(first.newly_over_allocated.size(), 4u);
  // The project closes; the retry still answers with the first booking.
  ASSERT_OK(projects_
                ->ChangeProjectStatus(crm, pv1::PROJECT_STATUS_CANCELLED,
                                      "stopped", Ctx("cancel-crm"))
                .status());
  ASSERT_TRUE(feed_->WaitUntilCaughtUp(absl::Seconds(30)));
  ASSERT_OK_AND_ASSIGN(
      AllocationOutcome retry,
      handlers_->Allocate(alice, Percent(crm, 60), Ctx("crm")));
  EXPECT_EQ(retry.allocation_id, first.allocation_id);
  EXPECT_EQ(retry.newly_over_allocated.size(), 4u);
  // A request id used for another kind of change is refused.
  v1::Absence leave;
  *leave.mutable_from() = D(2027, 4, 1);
  *leave.mutable_to() = D(2027, 4, 2);
  leave.set_hours_per_day(8);
  ASSERT_OK(handlers_->RecordAbsence(alice, leave, Ctx("leave")).status());
  EXPECT_THAT(
      handlers_->Allocate(alice, Percent(erp, 10), Ctx("leave")),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("request_id")));
  leave.set_hours_per_day(25);
  EXPECT_THAT(
      handlers_->RecordAbsence(alice, leave, Ctx("leave-25")),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("at most 24")));

  // Fulfilling a rejected request books nothing.
  const std::string tester = Person("Erin", "QA", {{"Testing", 4}});
  const std::string other = Person("Olga", "QA", {{"Testing", 5}});
  v1::CapacityRequested ask;
  ask.set_project_id(erp);
  ask.mutable_skill()->set_name("Testing");
  ask.mutable_skill()->set_level(3);
  ask.set_unit(v1::ALLOCATION_UNIT_HOURS_PER_DAY);
  ask.set_amount(4);
  *ask.mutable_from() = D(2027, 3, 1);
  *ask.mutable_to() = D(2027, 3, 5);
  ASSERT_OK_AND_ASSIGN(auto rejected,
                       handlers_->RequestCapacity(ask, Ctx("ask-1")));
  ASSERT_OK(handlers_
                ->DecideCapacityRequest(rejected.state.state().request_id(),
                                        v1::CAPACITY_DECISION_REJECT,
                                        "no budget", Ctx("reject"))
                .status());
  EXPECT_THAT(
      handlers_->FulfilCapacityRequest(rejected.state.state().request_id(),
                                       tester, Ctx("fulfil-rejected")),
      StatusIs(absl::StatusCode::kFailedPrecondition));
  ASSERT_OK_AND_ASSIGN(auto erin, handlers_->GetResource(tester));
  EXPECT_EQ(erin.state.state().allocations_size(), 0);
  // A retry naming another resource is refused, not booked twice.
  ASSERT_OK_AND_ASSIGN(auto open,
                       handlers_->RequestCapacity(ask, Ctx("ask-2")));
  ASSERT_OK(handlers_
                ->FulfilCapacityRequest(open.state.state().request_id(), tester,
                                        Ctx("fulfil"))
                .status());
  EXPECT_THAT(
      handlers_->FulfilCapacityRequest(open.state.state().request_id(), other,
                                       Ctx("fulfil")),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("resource_id")));
  ASSERT_OK_AND_ASSIGN(auto olga, handlers_->GetResource(other));
  EXPECT_EQ(olga.state.state().allocations_size(), 0);
}

}  // namespace
}  // namespace pmo::resources
