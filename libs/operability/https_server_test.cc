// HttpServer's HTTPS mode over real sockets on 127.0.0.1, with
// certificates made by the openssl command and libcurl as the client:
// what it serves, what it refuses without stopping, and how it follows
// renewed certificate files.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/testing/status_matchers.h"
#include "libs/base/testing/temp_dir.h"
#include "libs/operability/http_server.h"
#include "libs/operability/testing/http_exchange.h"
#include "libs/operability/testing/https_get.h"
#include "tests/support/test_pki.h"

namespace pmo::operability {
namespace {

using ::pmo::testing::StatusIs;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::StartsWith;

class HttpsServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto first = testing::MakeTestPki(dir_.path(), "first-");
    ASSERT_TRUE(first.ok()) << first.status();
    first_ = *first;
    auto second = testing::MakeTestPki(dir_.path(), "second-");
    ASSERT_TRUE(second.ok()) << second.status();
    second_ = *second;
    // The server reads these two; the tests swap their content.
    testing::RenewFileFrom(CertFile(), first_.server_cert);
    testing::RenewFileFrom(KeyFile(), first_.server_key);
  }

  std::string CertFile() const { return dir_.File("server.pem"); }
  std::string KeyFile() const { return dir_.File("server-key.pem"); }

  // An HTTPS server answering "hello <path>", or a failed test.
  std::unique_ptr<HttpServer> Serve(TlsFiles files) {
    auto server = HttpServer::Start(
        "127.0.0.1:0", "--test_listen",
        [this](const HttpRequest& r) {
          seen_ = r;
          return HttpResponse{200, "text/plain", "hello " + r.path + "\n", {}};
        },
        files);
    EXPECT_TRUE(server.ok()) << server.status();
    return server.ok() ? *std::move(server) : nullptr;
  }
  TlsFiles Files() const {
    return {CertFile(), KeyFile(), absl::ZeroDuration()};
  }

  testing::TempDir dir_;
  testing::TestPki first_;
  testing::TestPki second_;
  HttpRequest seen_;
};

TEST_F(HttpsServerTest, ServesHttpsWithTheCertificateOfItsFiles) {
  std::unique_ptr<HttpServer> server = Serve(Files());
  ASSERT_NE(server, nullptr);
  EXPECT_TRUE(server->https());
  const testing::HttpsAnswer a =
      testing::HttpsGet(server->port(), "/risks?as_of=2027-03-31",
                        first_.ca_cert, {"Authorization: Bearer abc"});
  ASSERT_EQ(a.status, 200) << a.error;
  EXPECT_EQ(a.body, "hello /risks\n");
  EXPECT_EQ(seen_.Header("authorization"), "Bearer abc");
  ASSERT_NE(seen_.Query("as_of"), nullptr);
  // A client trusting another CA does not get through.
  const testing::HttpsAnswer untrusted =
      testing::HttpsGet(server->port(), "/", second_.ca_cert);
  EXPECT_EQ(untrusted.status, 0);
  EXPECT_THAT(untrusted.error, Not(IsEmpty()));
}

TEST_F(HttpsServerTest,
       PlainHttpOnTheHttpsPortGetsNoPageAndTheNextClientIsServed) {
  std::unique_ptr<HttpServer> server = Serve(Files());
  ASSERT_NE(server, nullptr);
  const std::optional<std::string> plain =
      testing::HttpExchange(server->port(),
                            "GET /risks HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                            "Authorization: Bearer abc\r\n\r\n");
  ASSERT_TRUE(plain.has_value()) << "nothing listens";
  EXPECT_THAT(*plain, AllOf(Not(StartsWith("HTTP/")), Not(HasSubstr("hello"))));
  EXPECT_EQ(seen_.path, "") << "the handler never saw it";
  const testing::HttpsAnswer next =
      testing::HttpsGet(server->port(), "/next", first_.ca_cert);
  EXPECT_EQ(next.status, 200) << next.error;
}

TEST_F(HttpsServerTest, AStalledHandshakeIsClosedAndTheNextClientIsServed) {
  TlsFiles files = Files();
  files.handshake_timeout = absl::Milliseconds(300);
  std::unique_ptr<HttpServer> server = Serve(files);
  ASSERT_NE(server, nullptr);
  // Connects and says nothing: the thread serving it waits for its
  // ClientHello until the handshake timeout, no longer.
  const int silent = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(server->port()));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(
      connect(silent, reinterpret_cast<sockaddr*>(&address), sizeof address),
      0);
  // Accepted after the silent one and answered by another thread while
  // that one still waits.
  const testing::HttpsAnswer next =
      testing::HttpsGet(server->port(), "/next", first_.ca_cert);
  EXPECT_EQ(next.status, 200) << next.error;
  char byte;
  EXPECT_LE(recv(silent, &byte, 1, 0), 0) << "the silent connection was closed";
  close(silent);
}

TEST_F(HttpsServerTest,
       AHandshakeTrickledAByteAtATimeIsClosedAtItsTimeoutNotLater) {
  TlsFiles files = Files();
  files.handshake_timeout = absl::Seconds(2);
  std::unique_ptr<HttpServer> server = Serve(files);
  ASSERT_NE(server, nullptr);
  const int slow = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(server->port()));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(
      connect(slow, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  // A TLS record header announcing a 512-byte ClientHello, then its bytes
  // one every 300 ms: OpenSSL waits for the whole record, each byte is
  // progress, and only the handshake's own deadline ends it.
  const char header[] = {0x16, 0x03, 0x01, 0x02, 0x00};
  ASSERT_EQ(send(slow, header, sizeof header, MSG_NOSIGNAL), 5);
  const absl::Time began = absl::Now();
  int trickled = 0;
  bool closed = false;
  while (!closed && absl::Now() - began < absl::Seconds(20)) {
    pollfd p{slow, POLLIN, 0};
    // Something to read (an alert or the end of the connection) or a byte
    // it no longer takes: the server gave up on it.
    if (poll(&p, 1, 300) > 0 || send(slow, "\x01", 1, MSG_NOSIGNAL) != 1) {
      closed = true;
    } else {
      ++trickled;
    }
    if (trickled == 2) {
      // Meanwhile another client is served.
      const testing::HttpsAnswer other =
          testing::HttpsGet(server->port(), "/other", first_.ca_cert);
      EXPECT_EQ(other.status, 200) << other.error;
    }
  }
  close(slow);
  EXPECT_TRUE(closed) << "the trickled handshake was still open after 20 s";
  EXPECT_GE(trickled, 3) << "it kept sending while the timeout ran";
}

TEST_F(HttpsServerTest,
       FollowsRenewedFilesAndKeepsTheCertificateInUseWhenTheyAreBroken) {
  std::unique_ptr<HttpServer> server = Serve(Files());
  ASSERT_NE(server, nullptr);
  const int port = server->port();
  ASSERT_EQ(testing::HttpsGet(port, "/", first_.ca_cert).status, 200);
  ASSERT_EQ(testing::HttpsGet(port, "/", second_.ca_cert).status, 0);

  // Broken: not a certificate. The first one stays in use.
  testing::RenewFile(CertFile(), "not a certificate\n");
  EXPECT_EQ(testing::HttpsGet(port, "/", first_.ca_cert).status, 200);

  // A renewal written file by file: the new certificate beside the old
  // key does not load either...
  testing::RenewFileFrom(CertFile(), second_.server_cert);
  EXPECT_EQ(testing::HttpsGet(port, "/", first_.ca_cert).status, 200);
  EXPECT_EQ(testing::HttpsGet(port, "/", second_.ca_cert).status, 0);

  // ...until its key arrives: from then on the second CA's certificate
  // is served, without a restart.
  testing::RenewFileFrom(KeyFile(), second_.server_key);
  const testing::HttpsAnswer renewed =
      testing::HttpsGet(port, "/", second_.ca_cert);
  EXPECT_EQ(renewed.status, 200) << renewed.error;
  EXPECT_EQ(testing::HttpsGet(port, "/", first_.ca_cert).status, 0);
}

TEST_F(HttpsServerTest, WaitsForTheRefreshIntervalBeforeLookingAtTheFiles) {
  TlsFiles files = Files();
  files.refresh = absl::Hours(1);
  std::unique_ptr<HttpServer> server = Serve(files);
  ASSERT_NE(server, nullptr);
  testing::RenewFileFrom(CertFile(), second_.server_cert);
  testing::RenewFileFrom(KeyFile(), second_.server_key);
  // Within the hour: still the certificate read at start.
  EXPECT_EQ(testing::HttpsGet(server->port(), "/", first_.ca_cert).status, 200);
}

TEST_F(HttpsServerTest, UnusableFilesAtStartAreRefusedNamingTheFile) {
  const auto start = [](TlsFiles files) {
    return HttpServer::Start(
        "127.0.0.1:0", "--test_listen",
        [](const HttpRequest&) { return HttpResponse{}; }, files);
  };
  EXPECT_THAT(
      start({dir_.File("missing.pem"), KeyFile()}),
      StatusIs(absl::StatusCode::kInvalidArgument,
               AllOf(HasSubstr("--test_listen"), HasSubstr("missing.pem"))));
  EXPECT_THAT(start({CertFile(), second_.server_key}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("does not match")));
  EXPECT_THAT(start({CertFile(), ""}),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace pmo::operability
