// pmo-reporting as its own process behind mutual TLS and bearer tokens,
// reading a secured pmo as its projection over TLS: its reports read the
// views as the reporting service (the token in --client_token_file, which
// sees everything), its dashboard's pages as the person asking (their own
// token forwarded, so a project manager sees their projects only, as on
// gRPC). The portfolio is tests/support/managed_portfolio.h's.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "tests/support/kafka_broker.h"
#include "tests/support/managed_portfolio.h"

namespace pmo {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
namespace rv1 = ::pmo::reporting::v1;

class SecureReportingTest : public testing::ManagedPortfolioTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(ManagedPortfolioTest::SetUp());
    auto broker = testing::KafkaBroker::Start(dir_.File("kafka"));
    ASSERT_TRUE(broker.ok()) << broker.status();
    broker_ = *std::move(broker);
    const std::string service_token = dir_.File("reporting.token");
    std::ofstream(service_token) << Token("service:reporting", {"service"});
    reporting_ = std::make_unique<testing::ServiceProcess>(
        "pmo-reporting",
        testing::KafkaServiceArgs(dir_.File("reporting"), broker_->bootstrap(),
                                  {"--projection_addr",
                                   absl::StrCat("127.0.0.1:", server_->port),
                                   "--client_tls_ca_file",
                                   pki_.ca_cert,
                                   "--client_tls_cert_file",
                                   pki_.client_cert,
                                   "--client_tls_key_file",
                                   pki_.client_key,
                                   "--client_token_file",
                                   service_token,
                                   "--tls_cert_file",
                                   pki_.server_cert,
                                   "--tls_key_file",
                                   pki_.server_key,
                                   "--tls_client_ca_file",
                                   pki_.ca_cert,
                                   "--jwks_file",
                                   JwksFile(),
                                   "--jwt_issuer",
                                   auth::testing::kTestIssuer,
                                   "--dashboard_listen",
                                   "127.0.0.1:0"}));
    ASSERT_GT(reporting_->port, 0);
    reporting_dashboard_ =
        reporting_->PortPrintedBefore("pmo-reporting dashboard on port");
    ASSERT_GT(reporting_dashboard_, 0);
    reporting_reports_ = rv1::ReportsService::NewStub(
        testing::LoopbackChannel(reporting_->port, mtls_));
  }
  void TearDown() override {
    if (reporting_) {
      EXPECT_EQ(reporting_->StopCleanly(), absl::OkStatus());
    }
    ManagedPortfolioTest::TearDown();
  }

  std::unique_ptr<testing::KafkaBroker> broker_;
  std::unique_ptr<testing::ServiceProcess> reporting_;
  int reporting_dashboard_ = 0;
  std::unique_ptr<rv1::ReportsService::Stub> reporting_reports_;
};

TEST_F(SecureReportingTest,
       ReportsReadAsTheServiceAndTheDashboardAsThePersonAsking) {
  // A report the analyst asks pmo-reporting for covers the whole portfolio:
  // pmo-reporting read it with its own service token.
  rv1::GetReportRequest request;
  request.mutable_spec()->set_type(rv1::REPORT_TYPE_PORTFOLIO_STATUS);
  request.mutable_spec()->set_format(rv1::REPORT_FORMAT_CSV);
  rv1::GetReportResponse report;
  const grpc::Status s = As(analyst_, [&](auto* c) {
    return reporting_reports_->GetReport(c, request, &report);
  });
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_THAT(report.report().content(),
              AllOf(HasSubstr("ERP"), HasSubstr("CRM"), HasSubstr("HR")));

  // The same dashboard page, as the PMO administrator and as alice.
  auto [status, body] =
      Page(reporting_dashboard_, admin_, "/risks?as_of=2027-03-31");
  ASSERT_EQ(status, 200) << body;
  EXPECT_THAT(body, AllOf(HasSubstr("<strong id=\"exposure\">11000</strong>"),
                          HasSubstr("Supplier of CRM fails")));
  std::tie(status, body) =
      Page(reporting_dashboard_, alice_, "/risks?as_of=2027-03-31");
  ASSERT_EQ(status, 200) << body;
  EXPECT_THAT(body, AllOf(HasSubstr("<strong id=\"exposure\">5000</strong>"),
                          HasSubstr("Projects managed by alice only"),
                          Not(HasSubstr("CRM"))));
  std::tie(status, body) =
      Page(reporting_dashboard_, alice_, "/resources?as_of=2027-03-01");
  ASSERT_EQ(status, 200) << body;
  EXPECT_THAT(body,
              AllOf(HasSubstr("ERP 24.0 h"), HasSubstr("other projects 24.0 h"),
                    Not(HasSubstr("CRM"))));
  std::tie(status, body) =
      Page(reporting_dashboard_, alice_, "/?as_of=2027-03-31");
  ASSERT_EQ(status, 200) << body;
  EXPECT_THAT(body,
              AllOf(HasSubstr("<td>ERP</td>"), Not(HasSubstr("<td>CRM</td>"))));

  // The projection checks the forwarded token itself: one it cannot
  // verify never reaches a page (pmo-reporting refuses it first, with the
  // same keys).
  EXPECT_EQ(Page(reporting_dashboard_, "not-a-token", "/risks").first, 401);
}

}  // namespace
}  // namespace pmo
