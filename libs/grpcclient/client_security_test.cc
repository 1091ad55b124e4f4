// ChannelTo, AddCallCredentials and ClientSecurityFromFlags against real gRPC
// servers on 127.0.0.1 (port 0): a generic service that answers every call
// with the "authorization" header it received, so the test sees exactly what
// the client sent. TLS cases use a throwaway CA made with openssl.

#include "libs/grpcclient/client_security.h"

#include <gmock/gmock.h>
#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/security/server_credentials.h>
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <future>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "libs/base/testing/temp_dir.h"
#include "tests/support/test_pki.h"

ABSL_DECLARE_FLAG(std::string, client_tls_ca_file);
ABSL_DECLARE_FLAG(std::string, client_tls_cert_file);
ABSL_DECLARE_FLAG(std::string, client_tls_key_file);
ABSL_DECLARE_FLAG(std::string, client_token_file);

namespace pmo::grpcclient {
namespace {

using ::testing::HasSubstr;

constexpr char kNoHeader[] = "<no authorization header>";

// Answers each call with the value of its "authorization" header.
class EchoAuthorization : public grpc::CallbackGenericService {
  grpc::ServerGenericBidiReactor* CreateReactor(
      grpc::GenericCallbackServerContext* context) override {
    class Reactor : public grpc::ServerGenericBidiReactor {
     public:
      explicit Reactor(grpc::GenericCallbackServerContext* context) {
        auto it = context->client_metadata().find("authorization");
        const std::string value =
            it == context->client_metadata().end()
                ? kNoHeader
                : std::string(it->second.data(), it->second.size());
        grpc::Slice slice(value);
        response_ = grpc::ByteBuffer(&slice, 1);
        StartRead(&request_);
      }
      void OnReadDone(bool ok) override {
        if (!ok) {
          Finish(grpc::Status::OK);
          return;
        }
        StartWriteAndFinish(&response_, grpc::WriteOptions(), grpc::Status::OK);
      }
      void OnDone() override { delete this; }

     private:
      grpc::ByteBuffer request_;
      grpc::ByteBuffer response_;
    };
    return new Reactor(context);
  }
};

class EchoServer {
 public:
  explicit EchoServer(std::shared_ptr<grpc::ServerCredentials> credentials) {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", std::move(credentials), &port_);
    builder.RegisterCallbackGenericService(&service_);
    server_ = builder.BuildAndStart();
  }
  ~EchoServer() {
    if (server_) server_->Shutdown(std::chrono::system_clock::now());
  }
  int port() const { return port_; }
  std::string address() const { return absl::StrCat("127.0.0.1:", port_); }

 private:
  EchoAuthorization service_;
  int port_ = 0;
  std::unique_ptr<grpc::Server> server_;
};

std::string Read(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in),
                     std::istreambuf_iterator<char>());
}

void Write(const std::string& path, const std::string& content) {
  std::ofstream(path, std::ios::trunc) << content;
}

struct CallResult {
  grpc::Status status;
  std::string authorization;  // what the server received
};

// One unary call over `channel`; `prepare` may add to the call's context.
CallResult Call(grpc::Channel& channel,
                const ClientSecurity* per_call = nullptr) {
  grpc::GenericStub stub(channel.shared_from_this());
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(5));
  if (per_call != nullptr) AddCallCredentials(context, *per_call);
  grpc::Slice slice(std::string("ping"));
  grpc::ByteBuffer request(&slice, 1);
  grpc::ByteBuffer response;
  std::promise<grpc::Status> done;
  stub.UnaryCall(&context, "/pmo.test.Echo/Call", grpc::StubOptions(), &request,
                 &response,
                 [&done](grpc::Status s) { done.set_value(std::move(s)); });
  CallResult result;
  result.status = done.get_future().get();
  if (result.status.ok()) {
    std::vector<grpc::Slice> slices;
    (void)response.Dump(&slices);
    for (const grpc::Slice& s : slices) {
      result.authorization.append(reinterpret_cast<const char*>(s.begin()),
                                  s.size());
    }
  }
  return result;
}

TEST(ClientSecurityTest, UsesTlsWhenAskedOrWhenAnyTlsFileIsSet) {
  EXPECT_FALSE(ClientSecurity{}.UsesTls());
  EXPECT_TRUE(ClientSecurity{.tls = true}.UsesTls());
  EXPECT_TRUE(ClientSecurity{.tls_ca_file = "ca.pem"}.UsesTls());
  EXPECT_TRUE(ClientSecurity{.tls_cert_file = "client.pem"}.UsesTls());
  EXPECT_TRUE(ClientSecurity{.tls_key_file = "client-key.pem"}.UsesTls());
  // A token file is sent only over TLS, so it implies TLS.
  EXPECT_TRUE(ClientSecurity{.token_file = "token"}.UsesTls());
  // A per-call token or a server name alone do not.
  EXPECT_FALSE(ClientSecurity{.bearer_token = "abc"}.UsesTls());
  EXPECT_FALSE(ClientSecurity{.tls_server_name = "pmo.internal"}.UsesTls());
}

TEST(ClientSecurityTest, FromFlagsReadsTheFourClientFlags) {
  absl::SetFlag(&FLAGS_client_tls_ca_file, "/etc/pmo/ca.pem");
  absl::SetFlag(&FLAGS_client_tls_cert_file, "/etc/pmo/client.pem");
  absl::SetFlag(&FLAGS_client_tls_key_file, "/etc/pmo/client-key.pem");
  absl::SetFlag(&FLAGS_client_token_file, "/var/run/pmo/token");
  const ClientSecurity security = ClientSecurityFromFlags();
  absl::SetFlag(&FLAGS_client_tls_ca_file, "");
  absl::SetFlag(&FLAGS_client_tls_cert_file, "");
  absl::SetFlag(&FLAGS_client_tls_key_file, "");
  absl::SetFlag(&FLAGS_client_token_file, "");

  EXPECT_EQ(security.tls_ca_file, "/etc/pmo/ca.pem");
  EXPECT_EQ(security.tls_cert_file, "/etc/pmo/client.pem");
  EXPECT_EQ(security.tls_key_file, "/etc/pmo/client-key.pem");
  EXPECT_EQ(security.token_file, "/var/run/pmo/token");
  EXPECT_TRUE(security.bearer_token.empty());
  EXPECT_TRUE(security.UsesTls());
  // No flags: plain text, as on loopback in development.
  EXPECT_FALSE(ClientSecurityFromFlags().UsesTls());
}

TEST(ClientSecurityTest, APlainTextChannelReachesALoopbackServer) {
  EchoServer server(grpc::InsecureServerCredentials());
  auto channel = ChannelTo(server.address(), ClientSecurity{});
  CallResult result = Call(*channel);
  ASSERT_TRUE(result.status.ok()) << result.status.error_message();
  EXPECT_EQ(result.authorization, kNoHeader);
}

TEST(ClientSecurityTest, AddCallCredentialsSendsTheBearerToken) {
  EchoServer server(grpc::InsecureServerCredentials());
  const ClientSecurity security{.bearer_token = "eyJhbGciOi.token"};
  auto channel = ChannelTo(server.address(), security);
  CallResult with = Call(*channel, &security);
  ASSERT_TRUE(with.status.ok()) << with.status.error_message();
  EXPECT_EQ(with.authorization, "Bearer eyJhbGciOi.token");
  // ChannelTo alone does not add a per-call token.
  CallResult without = Call(*channel);
  ASSERT_TRUE(without.status.ok()) << without.status.error_message();
  EXPECT_EQ(without.authorization, kNoHeader);
}

TEST(ClientSecurityTest, AddCallCredentialsWithoutATokenAddsNothing) {
  EchoServer server(grpc::InsecureServerCredentials());
  const ClientSecurity security;
  auto channel = ChannelTo(server.address(), security);
  CallResult result = Call(*channel, &security);
  ASSERT_TRUE(result.status.ok()) << result.status.error_message();
  EXPECT_EQ(result.authorization, kNoHeader);
}

class TlsClientSecurityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<pmo::testing::TestPki> pki =
        pmo::testing::MakeTestPki(dir_.path());
    ASSERT_TRUE(pki.ok()) << pki.status();
    pki_ = *pki;
    grpc::SslServerCredentialsOptions options(
        GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
    options.pem_root_certs = Read(pki_.ca_cert);
    options.pem_key_cert_pairs.push_back(
        {Read(pki_.server_key), Read(pki_.server_cert)});
    server_ = std::make_unique<EchoServer>(grpc::SslServerCredentials(options));
  }

  ClientSecurity MutualTls() const {
    return {.tls_ca_file = pki_.ca_cert,
            .tls_cert_file = pki_.client_cert,
            .tls_key_file = pki_.client_key};
  }

  pmo::testing::TempDir dir_;
  pmo::testing::TestPki pki_;
  std::unique_ptr<EchoServer> server_;
};

TEST_F(TlsClientSecurityTest, MutualTlsWithATokenFileSendsTheFilesToken) {
  ClientSecurity security = MutualTls();
  security.token_file = dir_.File("token");
  Write(security.token_file, "first-token\n");  // trailing white space dropped
  auto channel = ChannelTo(server_->address(), security);
  CallResult first = Call(*channel);
  ASSERT_TRUE(first.status.ok()) << first.status.error_message();
  EXPECT_EQ(first.authorization, "Bearer first-token");

  // A renewed token is picked up by the same channel.
  Write(security.token_file, "the-renewed-token");
  CallResult second = Call(*channel);
  ASSERT_TRUE(second.status.ok()) << second.status.error_message();
  EXPECT_EQ(second.authorization, "Bearer the-renewed-token");
}

TEST_F(TlsClientSecurityTest, MutualTlsWithoutATokenSendsNone) {
  auto channel = ChannelTo(server_->address(), MutualTls());
  CallResult result = Call(*channel);
  ASSERT_TRUE(result.status.ok()) << result.status.error_message();
  EXPECT_EQ(result.authorization, kNoHeader);
}

TEST_F(TlsClientSecurityTest, AnEmptyOrMissingTokenFileFailsTheCallSayingSo) {
  for (const bool create : {true, false}) {
    ClientSecurity security = MutualTls();
    security.token_file = dir_.File(create ? "empty-token" : "missing-token");
    if (create) Write(security.token_file, "\n");
    auto channel = ChannelTo(server_->address(), security);
    CallResult result = Call(*channel);
    // The call never leaves the client. gRPC reports a failing credentials
    // plugin as UNAVAILABLE whatever code the plugin gives; its message
    // stays.
    EXPECT_EQ(result.status.error_code(), grpc::StatusCode::UNAVAILABLE)
        << result.status.error_message();
    EXPECT_THAT(result.status.error_message(), HasSubstr("no bearer token"));
  }
}

TEST_F(TlsClientSecurityTest,
       TheServerNameOverrideIsCheckedAgainstTheCertificate) {
  ClientSecurity security = MutualTls();
  security.tls_server_name = "localhost";  // in the server certificate
  CallResult named = Call(*ChannelTo(server_->address(), security));
  EXPECT_TRUE(named.status.ok()) << named.status.error_message();

  security.tls_server_name = "pmo.elsewhere.example";  // not in it
  CallResult wrong = Call(*ChannelTo(server_->address(), security));
  EXPECT_EQ(wrong.status.error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST_F(TlsClientSecurityTest, AServerOfAnotherCaIsRefused) {
  absl::StatusOr<pmo::testing::TestPki> other =
      pmo::testing::MakeTestPki(dir_.path(), "other-");
  ASSERT_TRUE(other.ok()) << other.status();
  ClientSecurity security = {.tls_ca_file = other->ca_cert,
                             .tls_cert_file = other->client_cert,
                             .tls_key_file = other->client_key};
  CallResult result = Call(*ChannelTo(server_->address(), security));
  EXPECT_EQ(result.status.error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST_F(TlsClientSecurityTest, MissingCertificateFilesFailTheCallNotTheProcess) {
  // ChannelTo does not read the files itself (they are watched and may
  // appear later): a wrong path shows as an unavailable server. The call's
  // status says only "Failed to create security handshaker"; the path is
  // named in gRPC's own log line ("Reading file ... failed").
  ClientSecurity security = {
      .tls_ca_file = dir_.File("nowhere/ca.pem"),
      .tls_cert_file = dir_.File("nowhere/client.pem"),
      .tls_key_file = dir_.File("nowhere/client-key.pem")};
  CallResult result = Call(*ChannelTo(server_->address(), security));
  EXPECT_EQ(result.status.error_code(), grpc::StatusCode::UNAVAILABLE)
      << result.status.error_message();
}

TEST_F(TlsClientSecurityTest, APlainTextClientCannotTalkToATlsServer) {
  CallResult result = Call(*ChannelTo(server_->address(), ClientSecurity{}));
  EXPECT_EQ(result.status.error_code(), grpc::StatusCode::UNAVAILABLE);
}

}  // namespace
}  // namespace pmo::grpcclient
