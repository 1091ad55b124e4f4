// The projection rebuilt from the beginning of the Kafka topics
// (docs/adr/0010), end to end: pmo-projects, pmo-risks and pmo-projection as
// processes on a real broker.
//
//  1. A portfolio of projects with risks, the view caught up. A rebuild
//     reads every topic from offset 0 into a fresh file while the overview
//     is asked again and again: every call succeeds with the same answer,
//     and the switch reports equal digests; the view answers as before.
//  2. A second rebuild while projects are being created: still every
//     overview call succeeds, the switch reports equal digests, and what
//     was created after the switch reaches the rebuilt view (the live
//     subscription goes on with it).
//  3. pmo-projection killed (SIGKILL) and started again on the same data:
//     it opens the rebuilt file (the pointer names it, the older files are
//     gone), answers with the same digest and goes on applying events.
//  4. Killed again just after StartViewRebuild: the restart opens the
//     generation the pointer names, before or after the switch, and only
//     that file is left.

#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <thread>

#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "libs/base/testing/temp_dir.h"
#include "pmo/projection/v1/portfolio_service.grpc.pb.h"
#include "pmo/projection/v1/views_service.grpc.pb.h"
#include "pmo/projects/v1/portfolios_service.grpc.pb.h"
#include "pmo/projects/v1/projects_service.grpc.pb.h"
#include "pmo/risks/v1/risks_service.grpc.pb.h"
#include "tests/support/grpc_testing.h"
#include "tests/support/kafka_broker.h"
#include "tests/support/project_requests.h"
#include "tests/support/service_process.h"

namespace pmo {
namespace {

namespace pv1 = ::pmo::projects::v1;
namespace kv1 = ::pmo::risks::v1;
namespace jv1 = ::pmo::projection::v1;
using testing::ServiceProcess;

constexpr int kProjects = 24;

// Each call with a context of its own, retried while the callee does not
// know the project yet (it learns it from the projects events).
#define CALL(stub_call)                                               \
  do {                                                                \
    grpc::Status s_ = testing::RetryWhileFailedPrecondition([&] {     \
      grpc::ClientContext ctx;                                        \
      return stub_call;                                               \
    });                                                               \
    ASSERT_TRUE(s_.ok()) << #stub_call << ": " << s_.error_message(); \
  } while (0)

// A portfolio, a programme, kProjects projects in it, and a threat on
// every third project.
void CreatePortfolio(int projects_port, int risks_port) {
  auto projects =
      pv1::ProjectsService::NewStub(testing::LoopbackChannel(projects_port));
  auto portfolios =
      pv1::PortfoliosService::NewStub(testing::LoopbackChannel(projects_port));
  auto risks = kv1::RisksService::NewStub(testing::LoopbackChannel(risks_port));
  pv1::CreatePortfolioRequest corp;
  corp.set_request_id("corp");
  corp.set_code("CORP");
  corp.set_name("Corporate");
  pv1::CreatePortfolioResponse portfolio;
  CALL(portfolios->CreatePortfolio(&ctx, corp, &portfolio));
  pv1::CreateProgrammeRequest digital;
  digital.set_request_id("digital");
  digital.set_code("DIGITAL");
  digital.set_name("Digital");
  digital.set_portfolio_id(portfolio.portfolio().portfolio_id());
  pv1::CreateProgrammeResponse programme;
  CALL(portfolios->CreateProgramme(&ctx, digital, &programme));
  for (int i = 0; i < kProjects; ++i) {
    const std::string code = "P" + std::to_string(100 + i);
    pv1::CreateProjectResponse created;
    CALL(projects->CreateProject(&ctx, testing::NewProjectRequest(code),
                                 &created));
    pv1::AssignProjectToProgrammeRequest assign;
    assign.set_request_id("assign-" + code);
    assign.set_project_id(created.project().project_id());
    assign.set_programme_id(programme.programme().programme_id());
    pv1::AssignProjectToProgrammeResponse assigned;
    CALL(portfolios->AssignProjectToProgramme(&ctx, assign, &assigned));
    if (i % 3 != 0) continue;
    kv1::IdentifyRiskRequest identify;
    identify.set_request_id("risk-" + code);
    identify.set_level(kv1::RISK_LEVEL_PROJECT);
    identify.set_scope_id(created.project().project_id());
    identify.set_kind(kv1::RISK_KIND_THREAT);
    identify.set_title("Supplier fails");
    identify.set_category("External/Suppliers");
    identify.set_owner("alice");
    kv1::IdentifyRiskResponse identified;
    CALL(risks->IdentifyRisk(&ctx, identify, &identified));
    kv1::AssessRiskRequest assess;
    assess.set_request_id("assess-" + code);
    assess.set_risk_id(identified.risk().risk_id());
    assess.mutable_assessment()->set_probability(3);
    assess.mutable_assessment()->mutable_impact()->set_cost(2);
    assess.mutable_assessment()->set_cost_impact_minor(10'000 + i);
    kv1::AssessRiskResponse assessed;
    CALL(risks->AssessRisk(&ctx, assess, &assessed));
  }
}

// The live overview without its freshness (which moves with every call).
grpc::Status Overview(int port, jv1::GetPortfolioOverviewResponse* out) {
  auto stub = jv1::PortfolioService::NewStub(testing::LoopbackChannel(port));
  grpc::ClientContext ctx;
  jv1::GetPortfolioOverviewRequest request;
  request.set_page_size(1000);
  grpc::Status status = stub->GetPortfolioOverview(&ctx, request, out);
  out->clear_freshness();
  return status;
}

jv1::GetPortfolioDigestResponse Digest(int port) {
  auto stub = jv1::PortfolioService::NewStub(testing::LoopbackChannel(port));
  grpc::ClientContext ctx;
  jv1::GetPortfolioDigestResponse out;
  EXPECT_TRUE(
      stub->GetPortfolioDigest(&ctx, jv1::GetPortfolioDigestRequest(), &out)
          .ok());
  out.clear_freshness();
  return out;
}

jv1::ViewRebuild RebuildStatus(int port) {
  auto stub =
      jv1::ConsolidatedViewsService::NewStub(testing::LoopbackChannel(port));
  grpc::ClientContext ctx;
  jv1::GetViewRebuildResponse out;
  EXPECT_TRUE(
      stub->GetViewRebuild(&ctx, jv1::GetViewRebuildRequest(), &out).ok());
  return out.rebuild();
}

// Polls until the view holds `count` projects and `risky` of them show
// their exposure; false after `timeout`.
bool WaitForView(int port, int count, int risky,
                 absl::Duration timeout = absl::Seconds(90)) {
  for (const absl::Time deadline = absl::Now() + timeout;
       absl::Now() < deadline; absl::SleepFor(absl::Milliseconds(200))) {
    jv1::GetPortfolioOverviewResponse o;
    if (!Overview(port, &o).ok() || o.projects_size() != count) continue;
    int exposed = 0;
    for (const auto& p : o.projects()) exposed += p.risk_exposure_minor() > 0;
    if (exposed == risky) return true;
  }
  return false;
}

// Starts a rebuild and asks for the overview until it has ended; every call
// must succeed (`check` sees each answer). Returns the final status.
jv1::ViewRebuild RebuildWhileAsking(
    int port,
    const std::function<void(const jv1::GetPortfolioOverviewResponse&)>& check,
    int* calls) {
  auto views =
      jv1::ConsolidatedViewsService::NewStub(testing::LoopbackChannel(port));
  {
    grpc::ClientContext ctx;
    jv1::StartViewRebuildResponse started;
    grpc::Status s =
        views->StartViewRebuild(&ctx, jv1::StartViewRebuildRequest(), &started);
    EXPECT_TRUE(s.ok()) << s.error_message();
    EXPECT_EQ(started.rebuild().source(), jv1::VIEW_REBUILD_SOURCE_TOPICS);
  }
  for (const absl::Time deadline = absl::Now() + absl::Seconds(120);
       absl::Now() < deadline;) {
    jv1::GetPortfolioOverviewResponse o;
    grpc::Status s = Overview(port, &o);
    EXPECT_TRUE(s.ok()) << s.error_message();
    if (s.ok()) check(o);
    ++*calls;
    jv1::ViewRebuild status = RebuildStatus(port);
    if (status.phase() != jv1::VIEW_REBUILD_PHASE_RUNNING) return status;
  }
  ADD_FAILURE() << "the rebuild did not end within 120 s";
  return RebuildStatus(port);
}

// The figures of a rebuild, on stdout (docs/reliability.md).
void Report(const char* name, const jv1::ViewRebuild& r, int calls) {
  using google::protobuf::util::TimeUtil;
  std::printf(
      "%s: %s, %lld events folded in %lld ms, feed held %lld ms, %d overview "
      "calls during it\n",
      name, jv1::ViewRebuildPhase_Name(r.phase()).c_str(),
      static_cast<long long>(r.events_folded()),
      static_cast<long long>(
          TimeUtil::DurationToMilliseconds(r.finish_time() - r.start_time())),
      static_cast<long long>(TimeUtil::DurationToMilliseconds(r.feed_held())),
      calls);
}

// The view generations' main files in `folder`, by name.
std::vector<std::string> ViewFiles(const std::string& folder) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(folder)) {
    const std::string name = e.path().filename().string();
    if (name.rfind("portfolio-view", 0) == 0 && name.size() > 3 &&
        name.substr(name.size() - 3) == ".db") {
      out.push_back(name);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(EndToEndRebuild,
     RebuildsFromTheTopicsIntoAFreshFileSwitchesWithoutAGapAndSurvivesAKill) {
  testing::TempDir dir;
  auto broker = testing::KafkaBroker::Start(dir.File("kafka"));
  ASSERT_TRUE(broker.ok()) << broker.status();
  const std::string bootstrap = (*broker)->bootstrap();
  auto args = [&](const std::string& name) {
    return std::vector<std::string>{"--listen",        "127.0.0.1:0",
                                    "--data_dir",      dir.File(name),
                                    "--kafka_brokers", bootstrap};
  };
  ServiceProcess projects("pmo-projects", args("projects"));
  ServiceProcess risks("pmo-risks", args("risks"));
  auto projection =
      std::make_unique<ServiceProcess>("pmo-projection", args("projection"));
  for (const ServiceProcess* s : {&projects, &risks, projection.get()})
    ASSERT_GT(s->port, 0);
  CreatePortfolio(projects.port, risks.port);
  const int risky = (kProjects + 2) / 3;
  ASSERT_TRUE(WaitForView(projection->port, kProjects, risky));
  EXPECT_EQ(RebuildStatus(projection->port).phase(),
            jv1::VIEW_REBUILD_PHASE_IDLE);
  EXPECT_EQ(RebuildStatus(projection->port).live_view(), "portfolio-view.db");

  // 1. Nothing changes meanwhile: every answer is the one before.
  jv1::GetPortfolioOverviewResponse before;
  ASSERT_TRUE(Overview(projection->port, &before).ok());
  const jv1::GetPortfolioDigestResponse digest_before =
      Digest(projection->port);
  ASSERT_FALSE(digest_before.digest().empty());
  int calls = 0;
  google::protobuf::util::MessageDifferencer differ;
  std::string difference;
  differ.ReportDifferencesToString(&difference);
  jv1::ViewRebuild first = RebuildWhileAsking(
      projection->port,
      [&](const jv1::GetPortfolioOverviewResponse& o) {
        EXPECT_TRUE(differ.Compare(before, o)) << difference;
      },
      &calls);
  Report("rebuild 1 (no writes)", first, calls);
  ASSERT_EQ(first.phase(), jv1::VIEW_REBUILD_PHASE_SWITCHED) << first.error();
  EXPECT_EQ(first.source(), jv1::VIEW_REBUILD_SOURCE_TOPICS);
  EXPECT_TRUE(first.digests_equal());
  EXPECT_EQ(first.live_digest(), first.rebuilt_digest());
  EXPECT_EQ(first.rebuilt_digest(), digest_before.digest());
  EXPECT_EQ(first.rebuilt_view(), "portfolio-view-1.db");
  EXPECT_EQ(first.live_view(), "portfolio-view-1.db");
  // Every event of both topics: at least a creation and an assignment per
  // project, an identification and an assessment per risk.
  EXPECT_GE(first.events_folded(), 2 * kProjects + 2 * risky);
  EXPECT_GT(calls, 0);
  EXPECT_EQ(Digest(projection->port).digest(), digest_before.digest());
  jv1::GetPortfolioOverviewResponse after;
  ASSERT_TRUE(Overview(projection->port, &after).ok());
  EXPECT_TRUE(differ.Compare(before, after)) << difference;
  EXPECT_FALSE(
      std::filesystem::exists(dir.File("projection/portfolio-view.db")));
  EXPECT_EQ(ReadFile(dir.File("projection/portfolio-view.current")),
            "portfolio-view-1.db\n");

  // 2. Projects are created throughout the second rebuild and after it.
  std::atomic<bool> switched{false};
  std::atomic<int> created{0};
  std::thread writer([&] {
    auto stub =
        pv1::ProjectsService::NewStub(testing::LoopbackChannel(projects.port));
    for (int after_switch = 0; after_switch < 3 && created < 200;) {
      pv1::CreateProjectResponse response;
      grpc::ClientContext ctx;
      grpc::Status s = stub->CreateProject(
          &ctx, testing::NewProjectRequest("N" + std::to_string(created)),
          &response);
      ASSERT_TRUE(s.ok()) << s.error_message();
      ++created;
      if (switched) ++after_switch;
    }
  });
  calls = 0;
  jv1::ViewRebuild second = RebuildWhileAsking(
      projection->port,
      [](const jv1::GetPortfolioOverviewResponse& o) {
        EXPECT_GE(o.projects_size(), kProjects);
      },
      &calls);
  switched = true;
  writer.join();
  Report("rebuild 2 (under writes)", second, calls);
  ASSERT_EQ(second.phase(), jv1::VIEW_REBUILD_PHASE_SWITCHED) << second.error();
  EXPECT_TRUE(second.digests_equal());
  EXPECT_FALSE(second.live_digest().empty());
  EXPECT_EQ(second.live_view(), "portfolio-view-2.db");
  // What came after the switch reached the rebuilt view.
  ASSERT_TRUE(WaitForView(projection->port, kProjects + created, risky))
      << created << " created";
  EXPECT_FALSE(
      std::filesystem::exists(dir.File("projection/portfolio-view-1.db")));

  // 3. Killed and started again: the rebuilt file answers.
  const jv1::GetPortfolioDigestResponse digest_at_kill =
      Digest(projection->port);
  projection->process.Signal(SIGKILL);
  ASSERT_TRUE(projection->process.Wait(absl::Seconds(30)).has_value());
  projection.reset();
  EXPECT_EQ(ReadFile(dir.File("projection/portfolio-view.current")),
            "portfolio-view-2.db\n");
  projection =
      std::make_unique<ServiceProcess>("pmo-projection", args("projection"));
  ASSERT_GT(projection->port, 0);
  const jv1::ViewRebuild restarted = RebuildStatus(projection->port);
  EXPECT_EQ(restarted.phase(), jv1::VIEW_REBUILD_PHASE_IDLE);
  EXPECT_EQ(restarted.live_view(), "portfolio-view-2.db");
  EXPECT_EQ(Digest(projection->port).digest(), digest_at_kill.digest());
  EXPECT_EQ(Digest(projection->port).project_count(), kProjects + created);
  auto stub =
      pv1::ProjectsService::NewStub(testing::LoopbackChannel(projects.port));
  pv1::CreateProjectResponse last;
  CALL(stub->CreateProject(&ctx, testing::NewProjectRequest("LAST"), &last));
  // The consumer group waits for the killed member's session to expire.
  EXPECT_TRUE(WaitForView(projection->port, kProjects + created + 1, risky,
                          absl::Seconds(180)));
  EXPECT_THAT(ViewFiles(dir.File("projection")),
              ::testing::ElementsAre("portfolio-view-2.db"));

  // 4. Killed right after a rebuild started: whether it had switched or
  // not, the restart opens the generation the pointer names, the other
  // file is gone, and the view is what it was.
  const jv1::GetPortfolioDigestResponse digest_at_second_kill =
      Digest(projection->port);
  {
    auto views = jv1::ConsolidatedViewsService::NewStub(
        testing::LoopbackChannel(projection->port));
    grpc::ClientContext ctx;
    jv1::StartViewRebuildResponse started;
    ASSERT_TRUE(
        views->StartViewRebuild(&ctx, jv1::StartViewRebuildRequest(), &started)
            .ok());
  }
  projection->process.Signal(SIGKILL);
  ASSERT_TRUE(projection->process.Wait(absl::Seconds(30)).has_value());
  projection.reset();
  std::string pointer = ReadFile(dir.File("projection/portfolio-view.current"));
  ASSERT_FALSE(pointer.empty());
  pointer.pop_back();  // the newline
  EXPECT_THAT(pointer,
              ::testing::AnyOf("portfolio-view-2.db", "portfolio-view-3.db"));
  projection =
      std::make_unique<ServiceProcess>("pmo-projection", args("projection"));
  ASSERT_GT(projection->port, 0);
  EXPECT_EQ(RebuildStatus(projection->port).live_view(), pointer);
  EXPECT_THAT(ViewFiles(dir.File("projection")),
              ::testing::ElementsAre(pointer));
  EXPECT_EQ(Digest(projection->port).digest(), digest_at_second_kill.digest());
  std::printf("killed after StartViewRebuild: the restart opened %s (%s)\n",
              pointer.c_str(),
              pointer == "portfolio-view-2.db" ? "killed before the switch"
                                               : "killed after the switch");

  for (ServiceProcess* s : {projection.get(), &risks, &projects}) {
    EXPECT_EQ(s->StopCleanly(), absl::OkStatus());
  }
}

}  // namespace
}  // namespace pmo
