// The resources adapter's item scopes: the project a booking or a capacity
// request belongs to, as the pool records it, and what the access policy
// decides with it for a project manager.

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/auth/access_policy.h"
#include "libs/base/testing/status_matchers.h"
#include "libs/base/testing/temp_dir.h"
#include "libs/eventstore/sqlite_event_store.h"
#include "libs/projectdirectory/project_directory.h"
#include "libs/projectdirectory/testing/directory_feed.h"
#include "services/resources/api/resources_grpc_service.h"

namespace pmo::resources {
namespace {

using projectdirectory::ProjectDirectory;

using ::pmo::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kUnknown[] = "0c0ab1e5-dead-4000-8000-00000000beef";
constexpr char kErp[] = "0c0ab1e5-0000-4000-8000-0000000000e1";
constexpr char kCrm[] = "0c0ab1e5-0000-4000-8000-0000000000c1";

const google::protobuf::MethodDescriptor& Method(const std::string& name) {
  const auto* m =
      google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(
          "pmo.resources.v1.ResourcesService." + name);
  EXPECT_NE(m, nullptr) << name;
  return *m;
}

auth::Principal Manager(const std::string& project) {
  return {.subject = "pm",
          .roles = {auth::Role::kProjectManager},
          .managed_projects = {project}};
}

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
  c.metadata.actor = "pm";
  return c;
}

class ResourceItemScopesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(
        store_, eventstore::SqliteEventStore::Open(dir_.File("resources.db")));
    ASSERT_OK_AND_ASSIGN(directory_,
                         ProjectDirectory::Open(dir_.File("directory.db")));
    projectdirectory::testing::DirectoryFeed feed(*directory_);
    ASSERT_OK(feed.Project(kErp, "ERP"));
    ASSERT_OK(feed.Project(kCrm, "CRM"));
    handlers_ = std::make_unique<ResourceHandlers>(*store_, *directory_);
    levelling_ =
        std::make_unique<LevellingHandlers>(*store_, *directory_, *handlers_);
    service_ = std::make_unique<ResourcesGrpcService>(*handlers_, *levelling_);

    v1::ResourceRegistered dana;
    dana.set_name("Dana");
    dana.set_kind(v1::RESOURCE_KIND_PERSON);
    for (bool working : {true, true, true, true, true, false, false}) {
      dana.mutable_calendar()->add_working_weekdays(working);
    }
    dana.mutable_calendar()->set_hours_per_day(8);
    *dana.mutable_calendar()->mutable_employed_from() = D(2027, 1, 1);
    ASSERT_OK_AND_ASSIGN(VersionedResource registered,
                         handlers_->RegisterResource(dana, Ctx("dana")));
    resource_ = registered.state.state().resource_id();
    for (const char* project : {kErp, kCrm}) {
      v1::Allocation a;
      a.set_project_id(project);
      *a.mutable_from() = D(2027, 3, 1);
      *a.mutable_to() = D(2027, 3, 5);
      a.set_unit(v1::ALLOCATION_UNIT_PERCENT);
      a.set_amount(40);
      ASSERT_OK_AND_ASSIGN(
          AllocationOutcome booked,
          handlers_->Allocate(resource_, a,
                              Ctx(std::string("book-") + project)));
      bookings_[project] = booked.allocation_id;
    }
  }
  absl::Status Authorize(const auth::Principal& who, const std::string& method,
                         const google::protobuf::Message& request) {
    return auth::Authorize(who, Method(method), request, [&] {
      return service_->ScopeOf(Method(method), request);
    });
  }

  pmo::testing::TempDir dir_;
  std::unique_ptr<eventstore::SqliteEventStore> store_;
  std::unique_ptr<ProjectDirectory> directory_;
  std::unique_ptr<ResourceHandlers> handlers_;
  std::unique_ptr<LevellingHandlers> levelling_;
  std::unique_ptr<ResourcesGrpcService> service_;
  std::string resource_;
  std::map<std::string, std::string> bookings_;
};

TEST_F(ResourceItemScopesTest, ABookingIsItsProjectsEvenOnceCancelled) {
  v1::CancelAllocationRequest cancel;
  cancel.set_resource_id(resource_);
  cancel.set_allocation_id(bookings_[kCrm]);
  ASSERT_OK_AND_ASSIGN(auto scope,
                       service_->ScopeOf(Method("CancelAllocation"), cancel));
  ASSERT_TRUE(scope.has_value());
  EXPECT_THAT(scope->project_ids, ElementsAre(kCrm));
  EXPECT_OK(Authorize(Manager(kCrm), "CancelAllocation", cancel));
  EXPECT_THAT(Authorize(Manager(kErp), "CancelAllocation", cancel),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr(kCrm)));
  ASSERT_OK(
      handlers_->CancelAllocation(resource_, bookings_[kCrm], "", Ctx("cancel"))
          .status());
  EXPECT_OK(Authorize(Manager(kCrm), "CancelAllocation", cancel));
  EXPECT_THAT(Authorize(Manager(kErp), "CancelAllocation", cancel),
              StatusIs(absl::StatusCode::kPermissionDenied));

  cancel.set_allocation_id(kUnknown);
  EXPECT_THAT(Authorize(Manager(kCrm), "CancelAllocation", cancel),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr(kUnknown)));
  cancel.set_resource_id(kUnknown);
  EXPECT_THAT(Authorize(Manager(kCrm), "CancelAllocation", cancel),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr(kUnknown)));
  cancel.set_resource_id("dana");
  EXPECT_THAT(
      Authorize(Manager(kCrm), "CancelAllocation", cancel),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("resource_id")));
}

TEST_F(ResourceItemScopesTest, ACapacityRequestIsTheRequestingProjects) {
  v1::CapacityRequested ask;
  ask.set_project_id(kErp);
  ask.mutable_skill()->set_name("SAP");
  ask.mutable_skill()->set_level(3);
  ask.set_unit(v1::ALLOCATION_UNIT_HOURS_PER_DAY);
  ask.set_amount(4);
  *ask.mutable_from() = D(2027, 4, 5);
  *ask.mutable_to() = D(2027, 4, 9);
  ASSERT_OK_AND_ASSIGN(VersionedCapacityRequest asked,
                       handlers_->RequestCapacity(ask, Ctx("ask")));
  v1::DecideCapacityRequestRequest decide;
  decide.set_capacity_request_id(asked.state.state().request_id());
  v1::FulfilCapacityRequestRequest fulfil;
  fulfil.set_capacity_request_id(asked.state.state().request_id());
  fulfil.set_resource_id(resource_);
  for (auto [method, request] : std::initializer_list<
           std::pair<const char*, const google::protobuf::Message*>>{
           {"DecideCapacityRequest", &decide},
           {"FulfilCapacityRequest", &fulfil}}) {
    EXPECT_OK(Authorize(Manager(kErp), method, *request)) << method;
    EXPECT_THAT(Authorize(Manager(kCrm), method, *request),
                StatusIs(absl::StatusCode::kPermissionDenied))
        << method;
  }
  decide.set_capacity_request_id(kUnknown);
  EXPECT_THAT(Authorize(Manager(kErp), "DecideCapacityRequest", decide),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr(kUnknown)));
}

TEST_F(ResourceItemScopesTest, ThePoolsOwnRecordsAndLevellingStayThePmos) {
  v1::GetResourceRequest get;
  get.set_resource_id(resource_);
  v1::GetResourceLoadRequest load;
  load.set_resource_id(resource_);
  v1::AddCostRateRequest rate;
  rate.set_resource_id(resource_);
  v1::RecordAbsenceRequest absence;
  absence.set_resource_id(resource_);
  v1::AddHolidayRequest holiday;
  holiday.set_resource_id(resource_);
  v1::AcceptLevellingRequest accept;
  accept.set_proposal_id(kUnknown);
  v1::DiscardLevellingRequest discard;
  discard.set_proposal_id(kUnknown);
  for (auto [method, request] : std::initializer_list<
           std::pair<const char*, const google::protobuf::Message*>>{
           {"GetResource", &get},
           {"GetResourceLoad", &load},
           {"AddCostRate", &rate},
           {"RecordAbsence", &absence},
           {"AddHoliday", &holiday},
           {"AcceptLevelling", &accept},
           {"DiscardLevelling", &discard}}) {
    ASSERT_OK_AND_ASSIGN(auto scope,
                         service_->ScopeOf(Method(method), *request));
    EXPECT_FALSE(scope.has_value()) << method;
    EXPECT_THAT(Authorize(Manager(kErp), method, *request),
                StatusIs(absl::StatusCode::kPermissionDenied))
        << method;
  }
}

}  // namespace
}  // namespace pmo::resources
