// Fault: pmo-risks (the risk register's store, its outbox relay and its
// consumer of the projects topic) killed with SIGKILL under load, several
// times, with pmo-projects and pmo-projection running beside it on Kafka.
//
// Before the kills, ERP's and CRM's "Supplier Acme fails" are assessed and
// combined into one portfolio risk. Then, in every round, three client
// threads identify new project risks and assess each (two commands, two
// request ids derived from the ledger's), while a fourth re-assesses the two
// combined members again and again: each of those appends the member's
// RiskAssessed and then, as a follow-up with a request id derived from the
// client's, the combined risk's CombinedExposureChanged. A kill can fall
// between the two appends; the client's retry must complete the follow-up.
// After the last restart every unacknowledged command is retried with its
// own request ids; then
//   - every risk is identified once and every assessment stored once, in
//     the append of its own request id;
//   - the combined risk's exposure (its last event) equals the exposure
//     worked out from its members' last assessments;
//   - every stored event is on pmo.risks.events.v1 (resends after a kill
//     counted, nothing foreign);
//   - pmo-projection's risk register holds every risk with the store's last
//     rating, and the combined risk with the store's exposure.
//
// PMO_FAULT_KILLS sets the number of kills (default 3; the soak variant 20).

#include <functional>
#include <map>
#include <random>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/testing/temp_dir.h"
#include "libs/riskscoring/risk_matrix.h"
#include "pmo/projection/v1/views_service.grpc.pb.h"
#include "pmo/risks/v1/events.pb.h"
#include "pmo/risks/v1/risks_service.grpc.pb.h"
#include "tests/support/command_load.h"
#include "tests/support/fault_rounds.h"
#include "tests/support/grpc_testing.h"
#include "tests/support/kafka_broker.h"
#include "tests/support/portfolio_tree.h"
#include "tests/support/risk_requests.h"
#include "tests/support/service_process.h"
#include "tests/support/stored_events.h"

namespace pmo {
namespace {

namespace jv1 = ::pmo::projection::v1;
namespace kv1 = ::pmo::risks::v1;
using testing::CommandLoad;
using testing::CommandSender;
using testing::EnvInt;
using testing::LedgerEntry;
using testing::ServiceProcess;

constexpr int kThreads = 4;  // thread 0 re-assesses the members, 1-3 add risks

// The n-th assessment of a series: every probability and cost level, and
// money that differs from one to the next.
kv1::AssessRiskRequest AssessmentOf(const LedgerEntry& c,
                                    const std::string& risk_id) {
  return testing::AssessRequest(c.request_id + "-assess", risk_id, 1 + c.n % 5,
                                1 + (c.n / 5) % 5,
                                int64_t{1'000} * (1 + c.n % 7));
}

grpc::Status Call(
    const std::function<grpc::Status(grpc::ClientContext&)>& rpc) {
  grpc::ClientContext ctx;
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
  return rpc(ctx);
}

void Answer(LedgerEntry& c, const grpc::Status& s) {
  c.code = s.error_code();
  c.error = s.error_message();
}

// Threads 1..3: identify a risk of project n % 2 and assess it. Thread 0:
// re-assess combined member n % 2.
CommandSender RegisterSender(int port, std::vector<std::string> project_ids,
                             std::vector<std::string> members) {
  std::shared_ptr<kv1::RisksService::Stub> risks =
      kv1::RisksService::NewStub(testing::LoopbackChannel(port));
  return [risks, project_ids = std::move(project_ids),
          members = std::move(members)](LedgerEntry& c) {
    kv1::AssessRiskResponse assessed;
    if (c.thread == 0) {
      const kv1::AssessRiskRequest assess = AssessmentOf(c, members[c.n % 2]);
      Answer(c, Call([&](auto& ctx) {
               return risks->AssessRisk(&ctx, assess, &assessed);
             }));
      if (c.acked()) c.result_id = assess.risk_id();
      return;
    }
    const kv1::IdentifyRiskRequest identify = testing::NewProjectRiskRequest(
        c.request_id + "-identify", project_ids[c.n % 2], c.request_id);
    kv1::IdentifyRiskResponse identified;
    Answer(c, Call([&](auto& ctx) {
             return risks->IdentifyRisk(&ctx, identify, &identified);
           }));
    if (!c.acked()) return;
    const kv1::AssessRiskRequest assess =
        AssessmentOf(c, identified.risk().risk_id());
    Answer(c, Call([&](auto& ctx) {
             return risks->AssessRisk(&ctx, assess, &assessed);
           }));
    if (c.acked()) c.result_id = assess.risk_id();
  };
}

// The register as the store holds it.
struct RegisterFold {
  std::map<std::string, int> identified;  // RiskIdentified per risk id
  std::map<std::string, kv1::RiskAssessed> last_assessed;
  std::map<std::string, kv1::CombinedExposure>
      combined_exposure;  // last, per combined risk
  std::map<std::string, std::vector<std::string>> members;
};

absl::StatusOr<RegisterFold> FoldRegister(const testing::StoredEvents& stored) {
  RegisterFold fold;
  for (const testing::StoredEvent& e : stored.events) {
    if (e.event_type == "pmo.risks.v1.RiskIdentified") {
      kv1::RiskIdentified m;
      if (!m.ParseFromString(e.payload))
        return absl::DataLossError("RiskIdentified");
      ++fold.identified[m.risk_id()];
    } else if (e.event_type == "pmo.risks.v1.RiskAssessed") {
      kv1::RiskAssessed m;
      if (!m.ParseFromString(e.payload))
        return absl::DataLossError("RiskAssessed");
      fold.last_assessed[m.risk_id()] = m;
    } else if (e.event_type == "pmo.risks.v1.RisksCombined") {
      kv1::RisksCombined m;
      if (!m.ParseFromString(e.payload))
        return absl::DataLossError("RisksCombined");
      fold.combined_exposure[m.combined_risk_id()] = m.exposure();
      fold.members[m.combined_risk_id()] = {m.member_risk_ids().begin(),
                                            m.member_risk_ids().end()};
    } else if (e.event_type == "pmo.risks.v1.CombinedExposureChanged") {
      kv1::CombinedExposureChanged m;
      if (!m.ParseFromString(e.payload))
        return absl::DataLossError("CombinedExposureChanged");
      fold.combined_exposure[m.combined_risk_id()] = m.exposure();
    }
  }
  return fold;
}

// Empty when the projection's register equals the fold; otherwise the
// first difference.
std::string RegisterDiff(int projection_port, const RegisterFold& fold) {
  auto views = jv1::ConsolidatedViewsService::NewStub(
      testing::LoopbackChannel(projection_port));
  std::map<std::string, jv1::RegisterEntry> entries;
  std::map<std::string, jv1::CombinedRiskEntry> combined;
  std::string token;
  do {
    jv1::ListRiskRegisterRequest request;
    request.set_include_closed(true);
    request.set_page_size(1000);
    request.set_page_token(token);
    grpc::ClientContext ctx;
    ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    jv1::ListRiskRegisterResponse resp;
    grpc::Status s = views->ListRiskRegister(&ctx, request, &resp);
    if (!s.ok()) return "ListRiskRegister: " + s.error_message();
    for (const auto& e : resp.entries()) entries[e.id()] = e;
    for (const auto& c : resp.combined_risks())
      combined[c.combined_risk_id()] = c;
    token = resp.next_page_token();
  } while (!token.empty());
  if (entries.size() != fold.identified.size()) {
    return absl::StrCat("the view has ", entries.size(), " risks, the store ",
                        fold.identified.size());
  }
  for (const auto& [id, assessed] : fold.last_assessed) {
    auto it = entries.find(id);
    if (it == entries.end()) return "the view lacks risk " + id;
    const kv1::Rating& r = assessed.rating();
    if (it->second.probability() != r.probability() ||
        it->second.impact() != r.impact() || it->second.score() != r.score() ||
        it->second.expected_value_minor() != r.expected_value_minor()) {
      return absl::StrCat("risk ", id, ": view ", it->second.ShortDebugString(),
                          "; store ", r.ShortDebugString());
    }
  }
  for (const auto& [id, exposure] : fold.combined_exposure) {
    auto it = combined.find(id);
    if (it == combined.end()) return "the view lacks combined risk " + id;
    // The view does not carry the exposure's matrix_version (the register's
    // entries carry no matrix either); every figure must be equal.
    kv1::CombinedExposure figures = exposure;
    figures.clear_matrix_version();
    if (it->second.exposure().SerializeAsString() !=
        figures.SerializeAsString()) {
      return absl::StrCat("combined ", id, ": view ",
                          it->second.exposure().ShortDebugString(), "; store ",
                          exposure.ShortDebugString());
    }
  }
  return "";
}

TEST(
    RisksKillWithKafka,
    RisksAndAssessmentsAreStoredOnceTheCombinedExposureFollowsAndTheViewConverges) {
  const int kills = EnvInt("PMO_FAULT_KILLS", 3);
  testing::TempDir dir;
  auto broker = testing::KafkaBroker::Start(dir.File("kafka"));
  ASSERT_TRUE(broker.ok()) << broker.status();
  const std::string bootstrap = (*broker)->bootstrap();
  const std::string data = dir.File("risks");
  ServiceProcess projects("pmo-projects", testing::KafkaServiceArgs(
                                              dir.File("projects"), bootstrap));
  ServiceProcess projection(
      "pmo-projection", testing::KafkaServiceArgs(dir.File("live"), bootstrap,
                                                  {"--group_id", "kill-live"}));
  ASSERT_GT(projects.port, 0);
  ASSERT_GT(projection.port, 0);
  auto tree = testing::CreatePortfolioTree(projects.port, {"ERP", "CRM"});
  ASSERT_TRUE(tree.ok()) << tree.status();

  std::vector<std::string> members;
  std::string combined_id;
  std::vector<std::vector<LedgerEntry>> sent(kills);
  std::mt19937 rng(EnvInt("PMO_FAULT_SEED", 9));
  for (int k = 0; k < kills; ++k) {
    ServiceProcess risks_process("pmo-risks",
                                 testing::KafkaServiceArgs(data, bootstrap));
    ASSERT_GT(risks_process.port, 0) << "restart " << k;
    if (k == 0) {
      // The register learns the portfolio from Kafka: until it has, a
      // scope is refused.
      const CommandSender add =
          RegisterSender(risks_process.port, tree->project_ids, {});
      for (int n = 0; n < 2; ++n) {
        LedgerEntry member;
        member.request_id = absl::StrCat("member-", n);
        member.thread = 1;
        member.n = n;
        grpc::Status s = testing::RetryWhileFailedPrecondition([&] {
          add(member);
          return grpc::Status(member.code, member.error);
        });
        ASSERT_TRUE(s.ok()) << s.error_message();
        members.push_back(member.result_id);
        sent[0].push_back(member);
      }
      auto risks = kv1::RisksService::NewStub(
          testing::LoopbackChannel(risks_process.port));
      kv1::CombineRisksRequest combine;
      combine.set_request_id("combine-members");
      combine.set_level(kv1::RISK_LEVEL_PORTFOLIO);
      combine.set_scope_id(tree->portfolio_id);
      combine.set_title("Acme across the portfolio");
      combine.set_category("External/Suppliers");
      combine.set_owner("pmo");
      for (const std::string& id : members) combine.add_member_risk_ids(id);
      kv1::CombineRisksResponse combined;
      grpc::Status s = testing::RetryWhileFailedPrecondition([&] {
        grpc::ClientContext ctx;
        return risks->CombineRisks(&ctx, combine, &combined);
      });
      ASSERT_TRUE(s.ok()) << s.error_message();
      combined_id = combined.combined_risk().combined_risk_id();
    }
    CommandLoad::Options options;
    options.threads = kThreads;
    options.request_prefix = absl::StrCat("risk-r", k);
    CommandLoad load(
        [&, port = risks_process.port](int) {
          return RegisterSender(port, tree->project_ids, members);
        },
        options);
    const absl::Status killed =
        testing::KillOnceTheLoadFlows(risks_process.process, load, rng);
    ASSERT_TRUE(killed.ok()) << "round " << k << ": " << killed;
    for (LedgerEntry& c : load.TakeSent()) sent[k].push_back(std::move(c));
  }

  ServiceProcess risks_process("pmo-risks",
                               testing::KafkaServiceArgs(data, bootstrap));
  ASSERT_GT(risks_process.port, 0);
  const CommandSender retry =
      RegisterSender(risks_process.port, tree->project_ids, members);
  int64_t commands = 0, retried = 0, reassessments = 0;
  for (std::vector<LedgerEntry>& round : sent) {
    for (LedgerEntry& c : round) {
      ++commands;
      if (c.thread == 0) ++reassessments;
      if (c.acked()) continue;
      ++retried;
      testing::RetryUntilAcked(retry, c, absl::Seconds(30));
      ASSERT_TRUE(c.acked()) << c.request_id << ": " << c.error;
    }
  }

  auto stored = testing::ReadStoredEvents(data + "/risks-events.db");
  ASSERT_TRUE(stored.ok()) << stored.status();
  auto fold = FoldRegister(*stored);
  ASSERT_TRUE(fold.ok()) << fold.status();
  for (const std::vector<LedgerEntry>& round : sent) {
    for (const LedgerEntry& c : round) {
      if (c.thread != 0) {
        const auto identified = stored->EventsOf(c.request_id + "-identify");
        ASSERT_EQ(identified.size(), 1u) << c.request_id;
        EXPECT_EQ(identified[0]->event_type, "pmo.risks.v1.RiskIdentified")
            << c.request_id;
        EXPECT_EQ(identified[0]->stream_id, c.result_id) << c.request_id;
        EXPECT_EQ(fold->identified[c.result_id], 1) << c.request_id;
      }
      int assessments = 0;
      for (const testing::StoredEvent* e :
           stored->EventsOf(c.request_id + "-assess")) {
        EXPECT_EQ(e->stream_id, c.result_id) << c.request_id;
        assessments += e->event_type == "pmo.risks.v1.RiskAssessed";
      }
      EXPECT_EQ(assessments, 1) << c.request_id;
    }
  }
  EXPECT_EQ(static_cast<int64_t>(fold->identified.size()),
            commands - reassessments);

  // The combined exposure, worked out again from the members' last
  // assessments with the default matrix (the portfolio configured none).
  ASSERT_EQ(fold->members[combined_id], members);
  std::vector<riskscoring::Assessment> last;
  for (const std::string& id : members) {
    const kv1::Assessment& a = fold->last_assessed[id].assessment();
    last.push_back(
        {a.probability(),
         {a.impact().cost(), a.impact().schedule(), a.impact().quality()},
         a.cost_impact_minor()});
  }
  auto expected = riskscoring::Combine(riskscoring::DefaultMatrix(), last);
  ASSERT_TRUE(expected.ok()) << expected.status();
  const kv1::CombinedExposure& exposure = fold->combined_exposure[combined_id];
  EXPECT_EQ(exposure.expected_value_minor(), expected->expected_value_minor);
  EXPECT_EQ(exposure.worst_case_minor(), expected->worst_case_minor);
  EXPECT_NEAR(exposure.probability_any(), expected->probability_any, 1e-12);
  EXPECT_EQ(exposure.max_score(), expected->max_score);

  auto tally = testing::ReadTopicAndCheckAgainstStore(
      bootstrap, "pmo.risks.events.v1", *stored);
  ASSERT_TRUE(tally.ok()) << tally.status();
  EXPECT_EQ(testing::WaitUntilConverged(
                [&] { return RegisterDiff(projection.port, *fold); },
                absl::Seconds(240)),
            "");
  std::printf(
      "risks-kill-with-kafka: kills=%d commands=%lld (member re-assessments "
      "%lld) "
      "retried_after_restart=%lld risks_stored_once=%zu combined_ev=%lld "
      "events=%zu "
      "topic_records=%lld (resent by the relay after a kill: %lld)\n",
      kills, static_cast<long long>(commands),
      static_cast<long long>(reassessments), static_cast<long long>(retried),
      fold->identified.size(),
      static_cast<long long>(exposure.expected_value_minor()),
      stored->events.size(), static_cast<long long>(tally->records),
      static_cast<long long>(tally->resent));

  for (ServiceProcess* s : {&risks_process, &projects, &projection}) {
    EXPECT_EQ(s->StopCleanly(), absl::OkStatus());
  }
}

}  // namespace
}  // namespace pmo
