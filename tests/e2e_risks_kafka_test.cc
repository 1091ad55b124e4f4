// Combined risks end to end with a real Kafka broker: pmo-risks as its own
// process; two projects' risks combined over gRPC; re-assessing one member
// changes the combined exposure and CombinedExposureChanged appears on
// pmo.risks.events.v1.

#include <signal.h>
#include <sys/wait.h>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/testing/temp_dir.h"
#include "pmo/risks/v1/events.pb.h"
#include "pmo/risks/v1/risks_service.grpc.pb.h"
#include "tests/support/child_process.h"
#include "tests/support/grpc_testing.h"
#include "tests/support/kafka_broker.h"

namespace pmo {
namespace {

namespace kv1 = ::pmo::risks::v1;

TEST(EndToEndRisksKafka, ChangingAMemberChangesTheCombinedExposureOnKafka) {
  testing::TempDir dir;
  auto broker = testing::KafkaBroker::Start(dir.File("kafka"));
  ASSERT_TRUE(broker.ok()) << broker.status();
  const std::string bootstrap = (*broker)->bootstrap();
  testing::ChildProcess risks_process({PMO_BINARY_DIR "/bin/pmo-risks", "--listen", "127.0.0.1:0",
                                       "--data_dir", dir.File("risks"), "--kafka_brokers",
                                       bootstrap});
  auto line = risks_process.WaitForLineStartingWith("pmo-risks listening", absl::Seconds(60));
  ASSERT_TRUE(line.has_value());
  auto risks = kv1::RisksService::NewStub(
      testing::LoopbackChannel(testing::PortFromStartupLine(*line)));

  // ERP: probability 3 (0.5), 10,000 -> EV 5,000. CRM: probability 2
  // (0.3), 20,000 -> EV 6,000. Combined EV 11,000; after ERP's residual
  // (probability 1: 0.1 -> EV 1,000) it is 7,000.
  std::vector<std::string> ids;
  for (auto [scope, probability, money] :
       {std::tuple{"erp", 3, 10'000}, std::tuple{"crm", 2, 20'000}}) {
    kv1::IdentifyRiskRequest identify;
    identify.set_request_id(std::string("identify-") + scope);
    identify.set_level(kv1::RISK_LEVEL_PROJECT);
    identify.set_scope_id(scope);
    identify.set_kind(kv1::RISK_KIND_THREAT);
    identify.set_title("Supplier Acme fails");
    identify.set_category("External/Suppliers");
    identify.set_owner("alice");
    kv1::IdentifyRiskResponse identified;
    grpc::ClientContext ctx;
    ASSERT_TRUE(risks->IdentifyRisk(&ctx, identify, &identified).ok());
    ids.push_back(identified.risk().risk_id());
    kv1::AssessRiskRequest assess;
    assess.set_request_id(std::string("assess-") + scope);
    assess.set_risk_id(ids.back());
    assess.mutable_assessment()->set_probability(probability);
    assess.mutable_assessment()->mutable_impact()->set_cost(3);
    assess.mutable_assessment()->set_cost_impact_minor(money);
    kv1::AssessRiskResponse assessed;
    grpc::ClientContext ctx2;
    ASSERT_TRUE(risks->AssessRisk(&ctx2, assess, &assessed).ok());
  }
  kv1::CombineRisksRequest combine;
  combine.set_request_id("combine-acme");
  combine.set_level(kv1::RISK_LEVEL_PORTFOLIO);
  combine.set_scope_id("corporate");
  combine.set_title("Acme across the portfolio");
  combine.set_category("External/Suppliers");
  combine.set_owner("pmo");
  for (const std::string& id : ids) combine.add_member_risk_ids(id);
  kv1::CombineRisksResponse combined;
  {
    grpc::ClientContext ctx;
    grpc::Status s = risks->CombineRisks(&ctx, combine, &combined);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  EXPECT_EQ(combined.combined_risk().exposure().expected_value_minor(), 11'000);

  kv1::AssessRiskRequest residual;
  residual.set_request_id("erp-residual");
  residual.set_risk_id(ids[0]);
  residual.set_residual(true);
  residual.mutable_assessment()->set_probability(1);
  residual.mutable_assessment()->mutable_impact()->set_cost(3);
  residual.mutable_assessment()->set_cost_impact_minor(10'000);
  {
    kv1::AssessRiskResponse assessed;
    grpc::ClientContext ctx;
    ASSERT_TRUE(risks->AssessRisk(&ctx, residual, &assessed).ok());
  }

  // identified x2, assessed x2 (+ status x2), combined, joined x2,
  // residual, exposure changed: at least 11 records.
  auto records = testing::ReadTopic(bootstrap, "pmo.risks.events.v1", 11, absl::Seconds(60));
  const testing::KafkaRecord* changed = nullptr;
  for (const auto& r : records) {
    if (r.headers.at("ce_type") == "pmo.risks.v1.CombinedExposureChanged") changed = &r;
  }
  ASSERT_NE(changed, nullptr);
  EXPECT_EQ(changed->key, combined.combined_risk().combined_risk_id());
  EXPECT_EQ(changed->headers.at("ce_source"), "/pmo/risks");
  kv1::CombinedExposureChanged event;
  ASSERT_TRUE(event.ParseFromString(changed->value));
  EXPECT_EQ(event.member_risk_id(), ids[0]);
  EXPECT_EQ(event.exposure().expected_value_minor(), 7'000);
  EXPECT_NEAR(event.exposure().probability_any(), 0.37, 1e-9);

  risks_process.Signal(SIGTERM);
  auto status = risks_process.Wait(absl::Seconds(60));
  ASSERT_TRUE(status.has_value());
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << *status;
}

}  // namespace
}  // namespace pmo
