// Scale-out on PostgreSQL (ADR 0007): two pmo-projects processes on one
// database accept commands at the same time. Nothing is lost or stored
// twice, every lost race is ABORTED, the outbox is relayed by one replica
// only, and when that replica is SIGKILLed the other takes the relay over.

#include <signal.h>

#include <atomic>
#include <map>
#include <set>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/testing/temp_dir.h"
#include "libs/postgres/postgres.h"
#include "libs/postgres/testing/test_cluster.h"
#include "pmo/projects/v1/projects_service.grpc.pb.h"
#include "tests/support/grpc_testing.h"
#include "tests/support/kafka_broker.h"
#include "tests/support/project_requests.h"
#include "tests/support/service_process.h"

namespace pmo {
namespace {

namespace pv1 = ::pmo::projects::v1;
using testing::ServiceProcess;

constexpr char kTopic[] = "pmo.projects.events.v1";

// A database of its own on the test cluster; its URL.
std::string FreshDatabase() {
  const std::string url = postgres::testing::TestClusterUrl();
  const std::string name = postgres::testing::FreshSchema("replicas");
  auto admin = postgres::Connection::Open(url);
  EXPECT_TRUE(admin.ok()) << admin.status();
  EXPECT_TRUE((*admin)->Execute(absl::StrCat("CREATE DATABASE ", name)).ok());
  return url.substr(0, url.rfind('/') + 1) + name;
}

int64_t CountEvents(const std::string& url, const std::string& where) {
  auto db = postgres::Connection::Open(url);
  EXPECT_TRUE(db.ok()) << db.status();
  auto r = (*db)->Query(
      absl::StrCat("SELECT count(*) FROM projects.events ", where));
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? r->Int(0, 0) : -1;
}

// The store positions the topic holds, each with how often it holds it.
std::map<int64_t, int> PositionsOnTopic(const std::string& bootstrap,
                                        size_t min_count,
                                        absl::Duration timeout) {
  std::map<int64_t, int> out;
  for (const auto& r :
       testing::ReadTopic(bootstrap, kTopic, min_count, timeout)) {
    int64_t position = 0;
    EXPECT_TRUE(absl::SimpleAtoi(r.headers.at("ce_pmoposition"), &position));
    ++out[position];
  }
  return out;
}

std::unique_ptr<ServiceProcess> StartReplica(const testing::TempDir& dir,
                                             const std::string& name,
                                             const std::string& url,
                                             const std::string& bootstrap) {
  return std::make_unique<ServiceProcess>(
      "pmo-projects",
      std::vector<std::string>{"--listen", "127.0.0.1:0", "--data_dir",
                               dir.File(name), "--store_url", url,
                               "--kafka_brokers", bootstrap, "--group_id",
                               "replicas-" + name, "--log_requests=false"});
}

pv1::Project GetProject(pv1::ProjectsService::Stub& stub,
                        const std::string& id) {
  pv1::GetProjectRequest req;
  req.set_project_id(id);
  grpc::ClientContext ctx;
  pv1::GetProjectResponse resp;
  EXPECT_TRUE(stub.GetProject(&ctx, req, &resp).ok());
  return resp.project();
}

TEST(PostgresReplicas, TwoReplicasShareOneStoreAndRelayOnce) {
  testing::TempDir dir;
  auto broker = testing::KafkaBroker::Start(dir.File("kafka"));
  ASSERT_TRUE(broker.ok()) << broker.status();
  const std::string bootstrap = (*broker)->bootstrap();
  const std::string url = FreshDatabase();

  // Replica a starts first, so its relay leads; b stands by.
  std::unique_ptr<ServiceProcess> a = StartReplica(dir, "a", url, bootstrap);
  ASSERT_GT(a->port, 0);
  auto stub_a =
      pv1::ProjectsService::NewStub(testing::LoopbackChannel(a->port));
  std::string seed_id;
  {
    grpc::ClientContext ctx;
    pv1::CreateProjectResponse resp;
    ASSERT_TRUE(
        stub_a->CreateProject(&ctx, testing::NewProjectRequest("SEED"), &resp)
            .ok());
    seed_id = resp.project().project_id();
  }
  ASSERT_EQ(PositionsOnTopic(bootstrap, 1, absl::Seconds(60)).size(), 1u);
  std::unique_ptr<ServiceProcess> b = StartReplica(dir, "b", url, bootstrap);
  ASSERT_GT(b->port, 0);
  auto stub_b =
      pv1::ProjectsService::NewStub(testing::LoopbackChannel(b->port));

  // Eight clients, four on each replica: five new projects each (different
  // aggregates), and ten tasks each on the seed project with the version
  // they last read (the same aggregate: most lose the race).
  constexpr int kClients = 8, kCreates = 5, kTaskTries = 10;
  std::atomic<int> failed_creates{0}, tasks_ok{0}, tasks_aborted{0},
      tasks_other{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    pv1::ProjectsService::Stub& stub = c % 2 == 0 ? *stub_a : *stub_b;
    clients.emplace_back([&, c] {
      for (int i = 0; i < kCreates; ++i) {
        grpc::ClientContext ctx;
        pv1::CreateProjectResponse resp;
        if (!stub.CreateProject(
                     &ctx,
                     testing::NewProjectRequest(absl::StrCat("R", c, "-", i)),
                     &resp)
                 .ok()) {
          failed_creates.fetch_add(1);
        }
      }
      for (int i = 0; i < kTaskTries; ++i) {
        pv1::AddTaskRequest req;
        req.set_request_id(absl::StrCat("task-", c, "-", i));
        req.set_project_id(seed_id);
        req.set_name(absl::StrCat("Task ", c, "-", i));
        req.set_duration_days(5);
        req.set_expected_version(GetProject(stub, seed_id).version());
        grpc::ClientContext ctx;
        pv1::AddTaskResponse resp;
        const grpc::Status s = stub.AddTask(&ctx, req, &resp);
        if (s.ok()) {
          tasks_ok.fetch_add(1);
        } else if (s.error_code() == grpc::StatusCode::ABORTED) {
          tasks_aborted.fetch_add(1);
        } else {
          tasks_other.fetch_add(1);
          ADD_FAILURE() << s.error_code() << " " << s.error_message();
        }
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(failed_creates.load(), 0);
  EXPECT_EQ(tasks_ok.load() + tasks_aborted.load(), kClients * kTaskTries);
  EXPECT_GT(tasks_ok.load(), 0);

  // The store: every accepted command once, the seed's versions 1..n.
  const int64_t creates = 1 + kClients * kCreates;
  EXPECT_EQ(
      CountEvents(url, "WHERE event_type = 'pmo.projects.v1.ProjectCreated'"),
      creates);
  const int64_t seed_events =
      CountEvents(url, absl::StrCat("WHERE stream_id = '", seed_id, "'"));
  EXPECT_EQ(seed_events, 1 + tasks_ok.load());
  EXPECT_EQ(CountEvents(url, absl::StrCat("WHERE stream_id = '", seed_id,
                                          "' AND stream_version BETWEEN 1 AND ",
                                          seed_events)),
            seed_events);
  EXPECT_EQ(GetProject(*stub_b, seed_id).version(), seed_events);
  const int64_t total = CountEvents(url, "");
  ASSERT_EQ(total, creates + tasks_ok.load());

  // The topic: every position exactly once, so one relay published them
  // (two would have sent each event twice). One more than there is is asked
  // for, so a duplicate would be read.
  {
    std::map<int64_t, int> on_topic = PositionsOnTopic(
        bootstrap, static_cast<size_t>(total) + 1, absl::Seconds(20));
    ASSERT_EQ(static_cast<int64_t>(on_topic.size()), total);
    EXPECT_EQ(on_topic.begin()->first, 1);
    EXPECT_EQ(on_topic.rbegin()->first, total);
    for (const auto& [position, times] : on_topic) {
      EXPECT_EQ(times, 1) << "position " << position << " relayed " << times
                          << " times";
    }
  }

  // The leader dies; b takes the relay over and publishes what comes next.
  a->process.Signal(SIGKILL);
  ASSERT_TRUE(a->process.Wait(absl::Seconds(30)).has_value());
  a.reset();
  for (int i = 0; i < 5; ++i) {
    grpc::ClientContext ctx;
    pv1::CreateProjectResponse resp;
    ASSERT_TRUE(stub_b
                    ->CreateProject(
                        &ctx,
                        testing::NewProjectRequest(absl::StrCat("AFTER-", i)),
                        &resp)
                    .ok());
  }
  const int64_t after = CountEvents(url, "");
  ASSERT_EQ(after, total + 5);
  std::map<int64_t, int> on_topic = PositionsOnTopic(
      bootstrap, static_cast<size_t>(after), absl::Seconds(90));
  ASSERT_EQ(static_cast<int64_t>(on_topic.size()), after)
      << "an event was never relayed";
  for (int64_t p = total + 1; p <= after; ++p) {
    EXPECT_EQ(on_topic[p], 1) << "position " << p;
  }
}

}  // namespace
}  // namespace pmo
