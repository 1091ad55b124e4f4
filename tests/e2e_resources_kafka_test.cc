// The resource pool end to end with a real Kafka broker: pmo-projects and
// pmo-resources as separate processes. The resources service learns the
// projects from pmo.projects.events.v1; the same person booked 60 % to each
// of two projects in one week puts ResourceOverAllocated, naming both
// projects, on pmo.resources.events.v1.

#include <signal.h>
#include <sys/wait.h>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/testing/temp_dir.h"
#include "pmo/projects/v1/projects_service.grpc.pb.h"
#include "pmo/resources/v1/events.pb.h"
#include "pmo/resources/v1/resources_service.grpc.pb.h"
#include "tests/support/child_process.h"
#include "tests/support/grpc_testing.h"
#include "tests/support/kafka_broker.h"
#include "tests/support/project_requests.h"
#include "tests/support/service_process.h"

namespace pmo {
namespace {

namespace pv1 = ::pmo::projects::v1;
namespace rv1 = ::pmo::resources::v1;

using testing::ServiceProcess;

google::type::Date D(int y, int m, int d) {
  google::type::Date out;
  out.set_year(y);
  out.set_month(m);
  out.set_day(d);
  return out;
}

TEST(EndToEndResourcesKafka,
     SixtyPercentTwiceInOneWeekIsAnOverAllocationOnKafka) {
  testing::TempDir dir;
  auto broker = testing::KafkaBroker::Start(dir.File("kafka"));
  ASSERT_TRUE(broker.ok()) << broker.status();
  const std::string bootstrap = (*broker)->bootstrap();
  ServiceProcess projects("pmo-projects",
                          {"--listen", "127.0.0.1:0", "--data_dir",
                           dir.File("projects"), "--kafka_brokers", bootstrap});
  ServiceProcess resources(
      "pmo-resources", {"--listen", "127.0.0.1:0", "--data_dir",
                        dir.File("resources"), "--kafka_brokers", bootstrap});
  ASSERT_GT(projects.port, 0);
  ASSERT_GT(resources.port, 0);

  auto project_stub =
      pv1::ProjectsService::NewStub(testing::LoopbackChannel(projects.port));
  std::vector<std::string> project_ids;
  for (const char* code : {"ERP", "CRM"}) {
    grpc::ClientContext ctx;
    pv1::CreateProjectResponse resp;
    ASSERT_TRUE(
        project_stub
            ->CreateProject(&ctx, testing::NewProjectRequest(code), &resp)
            .ok());
    project_ids.push_back(resp.project().project_id());
  }

  auto pool =
      rv1::ResourcesService::NewStub(testing::LoopbackChannel(resources.port));
  rv1::RegisterResourceRequest alice;
  alice.set_request_id("register-alice");
  alice.set_name("Alice");
  alice.set_kind(rv1::RESOURCE_KIND_PERSON);
  for (bool working : {true, true, true, true, true, false, false}) {
    alice.mutable_calendar()->add_working_weekdays(working);
  }
  alice.mutable_calendar()->set_hours_per_day(8);
  *alice.mutable_calendar()->mutable_employed_from() = D(2027, 1, 1);
  rv1::RegisterResourceResponse registered;
  {
    grpc::ClientContext ctx;
    grpc::Status s = pool->RegisterResource(&ctx, alice, &registered);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  const std::string alice_id = registered.resource().resource_id();

  // 60 % to each project for the week of 1 March 2027. The pool learns the
  // projects from Kafka: until it has, the booking is refused and retried.
  rv1::AllocateResourceResponse last;
  for (size_t i = 0; i < project_ids.size(); ++i) {
    rv1::AllocateResourceRequest book;
    book.set_request_id("book-" + std::to_string(i));
    book.set_resource_id(alice_id);
    book.set_project_id(project_ids[i]);
    *book.mutable_from() = D(2027, 3, 1);
    *book.mutable_to() = D(2027, 3, 5);
    book.set_unit(rv1::ALLOCATION_UNIT_PERCENT);
    book.set_amount(60);
    grpc::Status s = testing::RetryWhileFailedPrecondition([&] {
      grpc::ClientContext ctx;
      return pool->AllocateResource(&ctx, book, &last);
    });
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  EXPECT_EQ(last.newly_over_allocated_size(), 5);

  // On Kafka: the over-allocation, naming both projects.
  auto records = testing::ReadTopic(bootstrap, "pmo.resources.events.v1", 4,
                                    absl::Seconds(60));
  const testing::KafkaRecord* over = nullptr;
  for (const auto& r : records) {
    if (r.headers.at("ce_type") == "pmo.resources.v1.ResourceOverAllocated")
      over = &r;
  }
  ASSERT_NE(over, nullptr);
  EXPECT_EQ(over->key, alice_id);
  EXPECT_EQ(over->headers.at("ce_source"), "/pmo/resources");
  rv1::ResourceOverAllocated event;
  ASSERT_TRUE(event.ParseFromString(over->value));
  ASSERT_EQ(event.days_size(), 5);
  std::vector<std::string> named;
  for (const auto& share : event.days(0).shares())
    named.push_back(share.project_id());
  EXPECT_THAT(named, ::testing::UnorderedElementsAreArray(project_ids));
  EXPECT_NEAR(event.days(0).excess_hours(), 1.6, 1e-9);

  for (ServiceProcess* s : {&projects, &resources}) {
    EXPECT_EQ(s->StopCleanly(), absl::OkStatus());
  }
}

}  // namespace
}  // namespace pmo
