// Fault: pmo-resources (the resource pool's store, its outbox relay and its
// consumer of the projects topic) killed with SIGKILL under load, several
// times, with pmo-projects and pmo-projection running beside it on Kafka.
//
// Four client threads book people to two projects: each thread has two
// people of its own per round and books each of them 60 % to ERP and 60 %
// to CRM in the same week, week after week, so every second booking
// over-allocates its person (48 h against 40 h). The pool decides the
// over-allocation in the same append as the booking (AllocationMade and
// ResourceOverAllocated in one transaction), so a kill can cut off the
// reply but never split the two. After the last restart every
// unacknowledged booking is retried with its own request_id; then
//   - every booking is in the store exactly once: its request_id's append
//     holds one AllocationMade with the allocation id the client was given,
//     and no allocation id is stored twice;
//   - the over-allocated days the store's events flag are exactly the days
//     a fold of its bookings puts over capacity;
//   - every stored event is on pmo.resources.events.v1 (resends after a kill
//     counted, nothing foreign);
//   - pmo-projection's resource load (hours per week, over-allocated days)
//     equals the fold of the store.
//
// PMO_FAULT_KILLS sets the number of kills (default 3; the soak variant 20).

#include <cmath>
#include <map>
#include <random>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/testing/temp_dir.h"
#include "libs/dates/calendar_dates.h"
#include "pmo/projection/v1/views_service.grpc.pb.h"
#include "pmo/projects/v1/projects_service.grpc.pb.h"
#include "pmo/resources/v1/events.pb.h"
#include "pmo/resources/v1/resources_service.grpc.pb.h"
#include "tests/support/command_load.h"
#include "tests/support/fault_rounds.h"
#include "tests/support/grpc_testing.h"
#include "tests/support/kafka_broker.h"
#include "tests/support/project_requests.h"
#include "tests/support/resource_requests.h"
#include "tests/support/service_process.h"
#include "tests/support/stored_events.h"

namespace pmo {
namespace {

namespace jv1 = ::pmo::projection::v1;
namespace pv1 = ::pmo::projects::v1;
namespace rv1 = ::pmo::resources::v1;
using testing::CommandLoad;
using testing::CommandSender;
using testing::EnvInt;
using testing::LedgerEntry;
using testing::ServiceProcess;

const absl::CivilDay kFirstMonday(2027, 1, 4);
constexpr double kHoursPerDay = 8;
constexpr double kPercent = 60;
constexpr int kThreads = 4;
constexpr int kPeoplePerThread = 2;

// Thread t's n-th booking: person n % 2 of the thread, week n / 4, ERP
// then CRM. 200 bookings per thread fill 50 weeks of 2027 (the projects'
// dates), two bookings per person and week.
struct Booking {
  int person;
  int week;
  int project;
};
Booking BookingOf(int n) { return {n % kPeoplePerThread, n / 4, (n / 2) % 2}; }

rv1::AllocateResourceRequest BookingOfEntry(
    const LedgerEntry& c, const std::vector<std::string>& people,
    const std::vector<std::string>& project_ids) {
  const Booking b = BookingOf(c.n);
  const absl::CivilDay monday = kFirstMonday + int64_t{7} * b.week;
  return testing::BookingRequest(c.request_id, people[b.person],
                                 project_ids[b.project], monday, monday + 4,
                                 kPercent);
}

// Books for one thread of one round: `people` are that thread's.
CommandSender BookingSender(int port, std::vector<std::string> people,
                            std::vector<std::string> project_ids) {
  std::shared_ptr<rv1::ResourcesService::Stub> pool =
      rv1::ResourcesService::NewStub(testing::LoopbackChannel(port));
  return [pool, people = std::move(people),
          project_ids = std::move(project_ids)](LedgerEntry& c) {
    grpc::ClientContext ctx;
    ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
    rv1::AllocateResourceResponse resp;
    grpc::Status s = pool->AllocateResource(
        &ctx, BookingOfEntry(c, people, project_ids), &resp);
    c.code = s.error_code();
    c.error = s.error_message();
    if (s.ok()) c.result_id = resp.allocation_id();
  };
}

absl::StatusOr<std::string> RegisterPerson(int port, const std::string& name) {
  auto pool = rv1::ResourcesService::NewStub(testing::LoopbackChannel(port));
  const rv1::RegisterResourceRequest r = testing::NewPersonRequest(name);
  grpc::ClientContext ctx;
  rv1::RegisterResourceResponse resp;
  grpc::Status s = pool->RegisterResource(&ctx, r, &resp);
  if (!s.ok())
    return absl::UnavailableError(
        absl::StrCat("register ", name, ": ", s.error_message()));
  return resp.resource().resource_id();
}

// The pool as the store holds it.
struct PoolFold {
  // Booked hours per person and day, from AllocationMade.
  std::map<std::string, std::map<absl::CivilDay, double>> hours;
  // Days flagged by ResourceOverAllocated and not resolved since.
  std::map<std::string, std::set<absl::CivilDay>> flagged;
  // How many AllocationMade events carry each allocation id.
  std::map<std::string, int> allocations;
};

absl::StatusOr<PoolFold> FoldPool(const testing::StoredEvents& stored) {
  PoolFold fold;
  for (const testing::StoredEvent& e : stored.events) {
    if (e.event_type == "pmo.resources.v1.AllocationMade") {
      rv1::AllocationMade made;
      if (!made.ParseFromString(e.payload))
        return absl::DataLossError("AllocationMade");
      const rv1::Allocation& a = made.allocation();
      if (a.unit() != rv1::ALLOCATION_UNIT_PERCENT)
        return absl::DataLossError("unit");
      ++fold.allocations[a.allocation_id()];
      for (absl::CivilDay d = *dates::ToCivilDay(a.from());
           d <= *dates::ToCivilDay(a.to()); ++d) {
        fold.hours[made.resource_id()][d] += a.amount() / 100 * kHoursPerDay;
      }
    } else if (e.event_type == "pmo.resources.v1.ResourceOverAllocated") {
      rv1::ResourceOverAllocated over;
      if (!over.ParseFromString(e.payload))
        return absl::DataLossError("ResourceOverAllocated");
      for (const auto& d : over.days())
        fold.flagged[over.resource_id()].insert(*dates::ToCivilDay(d.day()));
    } else if (e.event_type ==
               "pmo.resources.v1.ResourceOverAllocationResolved") {
      rv1::ResourceOverAllocationResolved resolved;
      if (!resolved.ParseFromString(e.payload))
        return absl::DataLossError("Resolved");
      for (const auto& d : resolved.days())
        fold.flagged[resolved.resource_id()].erase(*dates::ToCivilDay(d));
    } else if (e.event_type == "pmo.resources.v1.AllocationCancelled") {
      return absl::DataLossError("the test cancels no booking");
    }
  }
  return fold;
}

std::set<absl::CivilDay> OverCapacity(
    const std::map<absl::CivilDay, double>& hours) {
  std::set<absl::CivilDay> out;
  for (const auto& [day, h] : hours) {
    if (h > kHoursPerDay + 1e-9) out.insert(day);
  }
  return out;
}

// Empty when the projection's resource load over 2027 equals the fold;
// otherwise the first difference.
std::string ResourceLoadDiff(int projection_port, const PoolFold& fold) {
  auto views = jv1::ConsolidatedViewsService::NewStub(
      testing::LoopbackChannel(projection_port));
  std::map<std::string, jv1::ResourceLoad> seen;
  std::string token;
  do {
    jv1::GetResourceLoadRequest request;
    *request.mutable_first_week() = dates::ToDate(kFirstMonday);
    request.set_weeks(52);
    request.set_page_size(1000);
    request.set_page_token(token);
    grpc::ClientContext ctx;
    ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    jv1::GetResourceLoadResponse resp;
    grpc::Status s = views->GetResourceLoad(&ctx, request, &resp);
    if (!s.ok()) return "GetResourceLoad: " + s.error_message();
    for (const auto& load : resp.resources()) seen[load.resource_id()] = load;
    token = resp.next_page_token();
  } while (!token.empty());
  for (const auto& [resource, hours] : fold.hours) {
    auto it = seen.find(resource);
    if (it == seen.end()) return "the view lacks " + resource;
    for (const auto& week : it->second.weeks()) {
      const absl::CivilDay monday = *dates::ToCivilDay(week.week_start());
      double expected = 0;
      for (auto h = hours.lower_bound(monday);
           h != hours.end() && h->first < monday + 7; ++h) {
        expected += h->second;
      }
      if (std::abs(week.load_hours() - expected) > 1e-6) {
        return absl::StrCat(resource, " week of ",
                            absl::FormatCivilTime(monday), ": view ",
                            week.load_hours(), " h, store ", expected, " h");
      }
    }
    std::set<absl::CivilDay> view_over;
    for (const auto& o : it->second.over_allocations())
      view_over.insert(*dates::ToCivilDay(o.day()));
    const auto flagged = fold.flagged.find(resource);
    if (view_over != (flagged == fold.flagged.end() ? std::set<absl::CivilDay>{}
                                                    : flagged->second)) {
      return absl::StrCat(
          resource, ": the view has ", view_over.size(),
          " over-allocated days, the store flags ",
          flagged == fold.flagged.end() ? 0 : flagged->second.size());
    }
  }
  return "";
}

TEST(ResourcesKillWithKafka,
     BookingsAreStoredOnceWithTheirOverAllocationsAndTheViewConverges) {
  const int kills = EnvInt("PMO_FAULT_KILLS", 3);
  testing::TempDir dir;
  auto broker = testing::KafkaBroker::Start(dir.File("kafka"));
  ASSERT_TRUE(broker.ok()) << broker.status();
  const std::string bootstrap = (*broker)->bootstrap();
  const std::string data = dir.File("resources");
  ServiceProcess projects("pmo-projects", testing::KafkaServiceArgs(
                                              dir.File("projects"), bootstrap));
  ServiceProcess projection(
      "pmo-projection", testing::KafkaServiceArgs(dir.File("live"), bootstrap,
                                                  {"--group_id", "kill-live"}));
  ASSERT_GT(projects.port, 0);
  ASSERT_GT(projection.port, 0);
  std::vector<std::string> project_ids;
  {
    auto stub =
        pv1::ProjectsService::NewStub(testing::LoopbackChannel(projects.port));
    for (const char* code : {"ERP", "CRM"}) {
      grpc::ClientContext ctx;
      pv1::CreateProjectResponse created;
      ASSERT_TRUE(
          stub->CreateProject(&ctx, testing::NewProjectRequest(code), &created)
              .ok());
      project_ids.push_back(created.project().project_id());
    }
  }

  // people[round][thread] are the people that thread books in that round.
  std::vector<std::vector<std::vector<std::string>>> people(kills);
  std::vector<std::vector<LedgerEntry>> sent(kills);
  std::mt19937 rng(EnvInt("PMO_FAULT_SEED", 9));
  for (int k = 0; k < kills; ++k) {
    ServiceProcess resources("pmo-resources",
                             testing::KafkaServiceArgs(data, bootstrap));
    ASSERT_GT(resources.port, 0) << "restart " << k;
    people[k].resize(kThreads);
    for (int t = 0; t < kThreads; ++t) {
      for (int p = 0; p < kPeoplePerThread; ++p) {
        auto id = RegisterPerson(resources.port,
                                 absl::StrCat("P", k, "-", t, "-", p));
        ASSERT_TRUE(id.ok()) << id.status();
        people[k][t].push_back(*id);
      }
    }
    if (k == 0) {
      // The pool learns the projects from Kafka; until it has, a booking is
      // refused. One booking of its own shows it has.
      LedgerEntry first;
      first.request_id = "first";
      const CommandSender book =
          BookingSender(resources.port, people[0][0], project_ids);
      grpc::Status s = testing::RetryWhileFailedPrecondition([&] {
        book(first);
        return grpc::Status(first.code, first.error);
      });
      ASSERT_TRUE(s.ok()) << s.error_message();
      sent[0].push_back(first);  // a third booking of thread 0's first week
    }
    CommandLoad::Options options;
    options.threads = kThreads;
    options.request_prefix = absl::StrCat("book-r", k);
    CommandLoad load(
        [&, port = resources.port, k](int t) {
          return BookingSender(port, people[k][t], project_ids);
        },
        options);
    const absl::Status killed =
        testing::KillOnceTheLoadFlows(resources.process, load, rng);
    ASSERT_TRUE(killed.ok()) << "round " << k << ": " << killed;
    for (LedgerEntry& c : load.TakeSent()) sent[k].push_back(std::move(c));
  }

  ServiceProcess resources("pmo-resources",
                           testing::KafkaServiceArgs(data, bootstrap));
  ASSERT_GT(resources.port, 0);
  int64_t commands = 0, retried = 0;
  for (int k = 0; k < kills; ++k) {
    for (LedgerEntry& c : sent[k]) {
      ++commands;
      if (c.acked()) continue;
      ++retried;
      testing::RetryUntilAcked(
          BookingSender(resources.port, people[k][c.thread], project_ids), c,
          absl::Seconds(30));
      ASSERT_TRUE(c.acked()) << c.request_id << ": " << c.error;
    }
  }

  auto stored = testing::ReadStoredEvents(data + "/resources-events.db");
  ASSERT_TRUE(stored.ok()) << stored.status();
  auto fold = FoldPool(*stored);
  ASSERT_TRUE(fold.ok()) << fold.status();
  int64_t over_allocated_days = 0;
  for (int k = 0; k < kills; ++k) {
    for (const LedgerEntry& c : sent[k]) {
      const auto events = stored->EventsOf(c.request_id);
      int made = 0;
      for (const testing::StoredEvent* e : events) {
        if (e->event_type != "pmo.resources.v1.AllocationMade") continue;
        rv1::AllocationMade m;
        ASSERT_TRUE(m.ParseFromString(e->payload));
        EXPECT_EQ(m.allocation().allocation_id(), c.result_id) << c.request_id;
        ++made;
      }
      EXPECT_EQ(made, 1) << c.request_id << " made " << made << " bookings";
      EXPECT_EQ(fold->allocations[c.result_id], 1) << c.request_id;
    }
  }
  EXPECT_EQ(static_cast<int64_t>(fold->allocations.size()), commands);
  for (const auto& [resource, hours] : fold->hours) {
    const std::set<absl::CivilDay> over = OverCapacity(hours);
    EXPECT_EQ(fold->flagged[resource], over) << resource;
    over_allocated_days += static_cast<int64_t>(over.size());
  }
  EXPECT_GT(over_allocated_days, 0);

  auto tally = testing::ReadTopicAndCheckAgainstStore(
      bootstrap, "pmo.resources.events.v1", *stored);
  ASSERT_TRUE(tally.ok()) << tally.status();
  EXPECT_EQ(testing::WaitUntilConverged(
                [&] { return ResourceLoadDiff(projection.port, *fold); },
                absl::Seconds(240)),
            "");
  std::printf(
      "resources-kill-with-kafka: kills=%d bookings=%lld "
      "retried_after_restart=%lld "
      "stored_once=%zu over_allocated_days=%lld events=%zu topic_records=%lld "
      "(resent by the relay after a kill: %lld)\n",
      kills, static_cast<long long>(commands), static_cast<long long>(retried),
      fold->allocations.size(), static_cast<long long>(over_allocated_days),
      stored->events.size(), static_cast<long long>(tally->records),
      static_cast<long long>(tally->resent));

  for (ServiceProcess* s : {&resources, &projects, &projection}) {
    EXPECT_EQ(s->StopCleanly(), absl::OkStatus());
  }
}

}  // namespace
}  // namespace pmo
