// The all-in-one `pmo` started with TLS, mutual TLS and bearer-token flags
// (libs/grpcserver/security_flags.h), driven by the real `pmoctl` with its
// TLS and token settings: what an operator and a user do.

#include <signal.h>
#include <sys/wait.h>

#include <fstream>

#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "libs/auth/testing/token_issuer.h"
#include "libs/base/testing/temp_dir.h"
#include "pmo/projects/v1/projects_service.pb.h"
#include "tests/support/child_process.h"
#include "tests/support/service_process.h"
#include "tests/support/test_pki.h"

namespace pmo {
namespace {

using auth::testing::TokenIssuer;
using ::testing::HasSubstr;

using Result = testing::FinishedRun;

class SecurePmoctlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    setenv("HOME", dir_.path().c_str(), 1);
    for (const char* name :
         {"PMO_ADDR", "PMO_PRINCIPAL", "PMO_TOKEN", "PMO_TOKEN_FILE",
          "PMO_TLS_CA", "PMO_TLS_CERT", "PMO_TLS_KEY", "PMOCTL_CONFIG",
          "XDG_CONFIG_HOME"}) {
      unsetenv(name);
    }
    auto pki = testing::MakeTestPki(dir_.path());
    ASSERT_TRUE(pki.ok()) << pki.status();
    pki_ = *pki;
    std::ofstream(dir_.File("jwks.json")) << issuer_.Jwks();
    server_ = std::make_unique<testing::ServiceProcess>(
        "pmo", std::vector<std::string>{
                   "--listen", "127.0.0.1:0", "--data_dir", dir_.File("data"),
                   "--tls_cert_file", pki_.server_cert, "--tls_key_file",
                   pki_.server_key, "--tls_client_ca_file", pki_.ca_cert,
                   "--jwks_file", dir_.File("jwks.json"), "--jwt_issuer",
                   auth::testing::kTestIssuer, "--log_requests=false"});
    ASSERT_GT(server_->port, 0);
  }

  void TearDown() override {
    if (!server_) return;
    server_->process.Signal(SIGTERM);
    server_->process.Wait(absl::Seconds(60));
  }

  // A token file for `subject` (RS256 for the admin, ES256 for the others).
  std::string TokenFile(const std::string& subject,
                        const std::vector<std::string>& roles,
                        const std::vector<std::string>& projects = {}) {
    std::string path = dir_.File("token-" + subject);
    std::ofstream(path) << issuer_.Sign(
                               issuer_.Claims(subject, roles, projects),
                               roles[0] == "pmo_admin"
                                   ? auth::SigningAlgorithm::kRs256
                                   : auth::SigningAlgorithm::kEs256)
                        << "\n";
    return path;
  }

  // Runs pmoctl over mutual TLS, with `token_file` if not empty.
  Result Pmoctl(const std::string& token_file, std::vector<std::string> args) {
    std::vector<std::string> global = {
        "--addr",     "127.0.0.1:" + std::to_string(server_->port),
        "--tls-ca",   pki_.ca_cert,
        "--tls-cert", pki_.client_cert,
        "--tls-key",  pki_.client_key,
        "--output",   "json"};
    if (!token_file.empty())
      global.insert(global.end(), {"--token-file", token_file});
    args.insert(args.begin(), global.begin(), global.end());
    args.insert(args.begin(), testing::PmoBinary("pmoctl"));
    return testing::RunToEnd(args, dir_.File("stderr"));
  }

  std::string CreateProject(const std::string& token_file,
                            const std::string& code) {
    Result r =
        Pmoctl(token_file, {"projects", "create", "--code", code, "--name",
                            code, "--manager", "alice", "--start", "2027-01-04",
                            "--end", "2027-12-17"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    projects::v1::CreateProjectResponse response;
    EXPECT_TRUE(
        google::protobuf::util::JsonStringToMessage(r.out, &response).ok())
        << r.out;
    return response.project().project_id();
  }

  testing::TempDir dir_;
  testing::TestPki pki_;
  TokenIssuer issuer_;
  std::unique_ptr<testing::ServiceProcess> server_;
};

TEST_F(SecurePmoctlTest, RolesDecideAndEveryRefusalExitsSix) {
  const std::string admin = TokenFile("pmo-admin-1", {"pmo_admin"});
  const std::string erp = CreateProject(admin, "ERP");
  const std::string crm = CreateProject(admin, "CRM");
  ASSERT_FALSE(erp.empty());
  const std::string alice = TokenFile("alice", {"project_manager"}, {erp});

  // Alice plans her project...
  Result own = Pmoctl(
      alice, {"tasks", "add", erp, "--name", "Design", "--duration-days", "5"});
  EXPECT_EQ(own.exit_code, 0) << own.err;
  // ...but not Bob's, and nobody works without a token.
  Result other = Pmoctl(
      alice, {"tasks", "add", crm, "--name", "Design", "--duration-days", "5"});
  EXPECT_EQ(other.exit_code, 6);
  EXPECT_THAT(other.err, HasSubstr("PERMISSION_DENIED"));
  Result anonymous = Pmoctl("", {"projects", "list"});
  EXPECT_EQ(anonymous.exit_code, 6);
  EXPECT_THAT(anonymous.err, HasSubstr("no bearer token"));
  // A manager's cross-project list is refused; the analyst's is not.
  EXPECT_EQ(Pmoctl(alice, {"projects", "list"}).exit_code, 6);
  Result analyst =
      Pmoctl(TokenFile("ana", {"pmo_analyst"}), {"projects", "list"});
  EXPECT_EQ(analyst.exit_code, 0) << analyst.err;
  EXPECT_THAT(analyst.out, HasSubstr("CRM"));

  // Only Alice's task was recorded: her schedule has it, Bob's has none.
  Result mine = Pmoctl(alice, {"tasks", "schedule", erp});
  EXPECT_EQ(mine.exit_code, 0) << mine.err;
  EXPECT_THAT(mine.out, HasSubstr("Design"));
  Result bobs = Pmoctl(admin, {"tasks", "schedule", crm});
  EXPECT_EQ(bobs.exit_code, 0) << bobs.err;
  EXPECT_THAT(bobs.out, ::testing::Not(HasSubstr("Design")));
}

TEST_F(SecurePmoctlTest, APlainTextClientCannotConnect) {
  // The same pmoctl without TLS settings: the handshake fails, exit 3.
  const std::string err_file = dir_.File("stderr");
  testing::ChildProcess child(
      {"/bin/sh", "-c", "exec \"$0\" \"$@\" 2>'" + err_file + "'",
       testing::PmoBinary("pmoctl"), "--addr",
       "127.0.0.1:" + std::to_string(server_->port), "--timeout", "5",
       "--token-file", TokenFile("pmo-admin-1", {"pmo_admin"}), "projects",
       "list"});
  while (child.ReadLine(absl::Seconds(30))) {
  }
  auto status = child.Wait(absl::Seconds(30));
  ASSERT_TRUE(status && WIFEXITED(*status));
  EXPECT_EQ(WEXITSTATUS(*status), 3);
}

}  // namespace
}  // namespace pmo
